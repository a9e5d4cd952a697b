package spsccheck

import "github.com/netbuf-go/netbuf/internal/step/spsc"

// NewNetbuf is netbuf.NewSPSC as a spsc.Factory.
var NewNetbuf spsc.Factory = spsc.Netbuf
