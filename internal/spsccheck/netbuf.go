package spsccheck

import (
	"github.com/netbuf-go/netbuf/internal/step"
	"github.com/netbuf-go/netbuf/netbuf"
)

// NewNetbuf is netbuf.NewSPSC as a step.SPSCFactory.
func NewNetbuf(capacityBytes, maxPackets int) (step.Producer, step.Consumer, error) {
	p, c, err := netbuf.NewSPSC(capacityBytes, maxPackets)
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}
