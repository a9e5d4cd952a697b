package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill cmd when this process dies: gremlins
// kills its go (this program) with SIGKILL at a mutant's timeout, which
// it cannot pass on itself.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
