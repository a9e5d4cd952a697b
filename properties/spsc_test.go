package properties_test

import (
	"testing"

	"github.com/netbuf-go/netbuf/internal/spsccheck"
	"github.com/netbuf-go/netbuf/properties"
)

// TestSPSC checks netbuf's single-producer single-consumer buffer against
// model.SPSC, every sequential history of its two halves (one goroutine).
func TestSPSC(t *testing.T) {
	properties.CheckSPSC(t, spsccheck.NewNetbuf)
}
