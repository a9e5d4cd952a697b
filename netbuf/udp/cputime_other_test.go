//go:build !linux

package udp

import "time"

// threadCPU is not measured outside Linux: the CPU figures read 0.
func threadCPU() time.Duration { return 0 }

// processCPU is not measured outside Linux: the CPU figures read 0.
func processCPU() time.Duration { return 0 }
