package properties_test

import (
	"testing"

	"github.com/netbuf-go/netbuf/properties"
)

// TestSPSC checks netbuf's single-producer single-consumer buffer against
// model.SPSC: every sequential history of its two halves (one goroutine),
// and concurrent histories of two goroutines for linearizability.
func TestSPSC(t *testing.T) {
	properties.CheckSPSC(t, newSPSC, properties.WithNilFuncs())
}
