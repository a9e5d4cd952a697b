//go:build !linux

package udp

import (
	"net"
	"testing"
)

// No GSO outside Linux: the benchmarks skip the lanes that need it.
func newGSOBatchSender(*net.UDPConn, int) func(testing.TB, int) { return nil }
