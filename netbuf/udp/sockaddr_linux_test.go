package udp

import (
	"net/netip"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestPutSockaddr: a sockaddr as the kernel fills it in gives the header
// that the same address as a netip.AddrPort gives.
func TestPutSockaddr(t *testing.T) {
	var z zoneTable
	got, want := make([]byte, HeaderSize), make([]byte, HeaderSize)

	var sa unix.RawSockaddrInet6
	sa4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(&sa))
	sa4.Family = unix.AF_INET
	sa4.Port = htons(5004)
	sa4.Addr = [4]byte{127, 0, 0, 1}
	z.putSockaddr(got, &sa)
	z.putAddrPort(want, netip.MustParseAddrPort("127.0.0.1:5004"))
	if string(got) != string(want) {
		t.Errorf("IPv4: %x, want %x", got, want)
	}

	sa = unix.RawSockaddrInet6{Family: unix.AF_INET6, Port: htons(443), Addr: netip.MustParseAddr("2001:db8::7").As16()}
	z.putSockaddr(got, &sa)
	z.putAddrPort(want, netip.MustParseAddrPort("[2001:db8::7]:443"))
	if string(got) != string(want) {
		t.Errorf("IPv6: %x, want %x", got, want)
	}

	sa.Scope_id = 1 // the loopback interface's index on Linux
	z.putSockaddr(got, &sa)
	ap := z.addrPort(got)
	if ap.Addr().Zone() == "" || ap.Addr().WithZone("") != netip.MustParseAddr("2001:db8::7") || ap.Port() != 443 {
		t.Errorf("scoped IPv6 came back as %v", ap)
	}
	z.putSockaddr(got, &sa)
	if len(z.names) != 1 || len(z.scopes) != 1 {
		t.Errorf("zone table %v %v after one scope twice", z.names, z.scopes)
	}
}

func htons(p uint16) uint16 { return ntohs(p) }
