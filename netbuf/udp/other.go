//go:build !linux

package udp

import "net"

// Outside Linux there is no drop counter to read and no direct recvmmsg:
// ReadBatch goes through x/net (one datagram per call there), truncation is
// not detected and Stats.Drops stays 0.

const oobSize = 0

const msgTrunc = 0

func enableDropReport(*net.UDPConn) error { return nil }

func parseDrops([]byte) (uint32, bool) { return 0, false }

func newMmsgReader(*net.UDPConn, int, *zoneTable) (batchReader, error) { return nil, nil }

func newGROConn(*net.UDPConn, *zoneTable) (groReader, error) { return nil, ErrGROUnsupported }
