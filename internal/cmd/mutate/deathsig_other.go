//go:build !linux

package main

import "os/exec"

// dieWithParent: only Linux has a parent-death signal; elsewhere a stage
// outlives a killed mutate by at most its own -timeout.
func dieWithParent(*exec.Cmd) {}
