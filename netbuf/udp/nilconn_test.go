package udp

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestNilArgs: each constructor refuses a nil conn (and NewSPSCReceiver a
// nil ctx) with ErrConfig naming it, returns no receiver, and starts no
// goroutine.
func TestNilArgs(t *testing.T) {
	rc, _ := pair(t, "127.0.0.1")
	before := runtime.NumGoroutine()
	for _, c := range []struct {
		name, want string
		make       func() (bool, error) // whether a receiver came back, and the error
	}{
		{"NewReceiver", "conn is nil", func() (bool, error) {
			r, err := NewReceiver(nil, Config{})
			return r != nil, err
		}},
		{"NewReceiver GRO", "conn is nil", func() (bool, error) {
			r, err := NewReceiver(nil, Config{GRO: true})
			return r != nil, err
		}},
		{"NewReceiver XNet", "conn is nil", func() (bool, error) {
			r, err := NewReceiver(nil, Config{XNet: true})
			return r != nil, err
		}},
		{"NewOrderedReceiver", "conn is nil", func() (bool, error) {
			r, err := NewOrderedReceiver(nil, OrderedConfig{Parse: RTPSeq})
			return r != nil, err
		}},
		{"NewSPSCReceiver", "conn is nil", func() (bool, error) {
			r, err := NewSPSCReceiver(context.Background(), nil, Config{})
			return r != nil, err
		}},
		{"NewSPSCReceiver ctx", "ctx is nil", func() (bool, error) {
			//lint:ignore SA1012 a nil ctx is what this case checks
			r, err := NewSPSCReceiver(nil, rc, Config{})
			return r != nil, err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.make()
			if got || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("receiver %v, %v; want none and ErrConfig with %q", got, err, c.want)
			}
		})
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after nil arguments, %d before", n, before)
	}
}
