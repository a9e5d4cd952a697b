package udp

import (
	"net/netip"
	"testing"
)

// TestHeaderRoundTrip: every kind of source address comes back from its
// header as it went in, zones included, and a zone costs one table entry
// however often it is seen.
func TestHeaderRoundTrip(t *testing.T) {
	var z zoneTable
	h := make([]byte, HeaderSize)
	for _, s := range []string{
		"127.0.0.1:9999", "0.0.0.0:0", "255.255.255.255:65535",
		"[::1]:1", "[::ffff:127.0.0.1]:53", "[fe80::1%eth0]:5004", "[fe80::2%lo]:7", "[fe80::3%eth0]:8",
		"[2001:db8::1]:65535",
	} {
		ap := netip.MustParseAddrPort(s)
		for i := range h {
			h[i] = 0xa5 // stale bytes must not leak into the answer
		}
		z.putAddrPort(h, ap)
		if got := z.addrPort(h); got != ap {
			t.Errorf("%v came back as %v", ap, got)
		}
	}
	if len(z.names) != 2 {
		t.Errorf("zone table %v, want eth0 and lo once each", z.names)
	}
	z.putAddrPort(h, netip.AddrPort{})
	if got := z.addrPort(h); got.IsValid() {
		t.Errorf("the zero AddrPort came back as %v", got)
	}
}

func TestStatsString(t *testing.T) {
	s := Stats{Packets: 1, Bytes: 2, Reads: 3, Truncated: 4, Drops: 5, WouldBlock: 6}
	if got, want := s.String(), "packets=1 bytes=2 reads=3 truncated=4 drops=5 wouldblock=6"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}
