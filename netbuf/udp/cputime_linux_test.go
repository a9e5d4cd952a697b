package udp

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the calling OS thread's CPU time (user + system). With
// the goroutine locked to its thread, the difference over a receive is the
// CPU the receive used: time spent waiting for the kernel to deliver, or
// preempted by other processes on a shared machine, does not count.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// processCPU returns the CPU time of the whole process (every thread, user
// + system), for a receive that runs on more than one goroutine.
func processCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
