// Package spsccheck checks netbuf's single-producer single-consumer buffer
// (docs/SPEC.md, section 7) against model.SPSC: the operation vocabulary
// of both halves as plain values ([Op]), what running one observed
// ([Result], [Run]), a lockstep pair for sequential histories ([Pair]),
// and the recording of concurrent histories of two goroutines and their
// linearizability check with github.com/anishathalye/porcupine ([Check]),
// with a failing history printed readably.
//
// The properties (package properties, CheckSPSC), the fuzz target
// (package fuzz, FuzzSPSC) and the race tests all speak it.
package spsccheck

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/step"
)

// Producer is the writing half under test (netbuf.Producer's methods).
type Producer interface {
	Reserve(maxSize int) ([]byte, error)
	Commit(n int) error
	Abort() error
	PushWith(maxSize int, fill func(p []byte) (int, error)) (int, error)
	Push(p []byte) error
	Close() error
	Wait(ctx context.Context, maxSize int) error
	Len() int
	Used() int
	Cap() int
	MaxPackets() int
}

// Consumer is the reading half under test (netbuf.Consumer's methods).
type Consumer interface {
	Peek() ([]byte, error)
	Release() error
	PopWith(consume func(p []byte) error) error
	Pop(dst []byte) (int, error)
	Wait(ctx context.Context) error
	Len() int
	Cap() int
	MaxPackets() int
}

// Factory builds the two halves of an empty buffer; it returns an error
// exactly where netbuf.NewSPSC does.
type Factory func(capacityBytes, maxPackets int) (Producer, Consumer, error)

// Halves is one buffer's two halves.
type Halves struct {
	P Producer
	C Consumer
}

// NewNetbuf is netbuf.NewSPSC as a Factory.
func NewNetbuf(capacityBytes, maxPackets int) (Producer, Consumer, error) {
	p, c, err := netbuf.NewSPSC(capacityBytes, maxPackets)
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// Kind names an operation of one half.
type Kind uint8

const (
	// Producer's.
	Reserve  Kind = iota // Reserve(MaxSize), then writes the whole window with the payload of Seed
	Commit               // Commit(N)
	Abort                // Abort()
	PushWith             // PushWith(MaxSize, fill as Callback says, writing and reporting N)
	Push                 // Push(MaxSize bytes of payload)
	Close                // Close()
	WaitRoom             // Producer.Wait(ctx, MaxSize): ctx done already in sequential runs
	Used                 // Used()
	PLen                 // Producer.Len()
	// Consumer's.
	Peek     // Peek()
	Release  // Release(), after checking that the peeked bytes did not change
	PopWith  // PopWith(consume as Callback says)
	Pop      // Pop(dst of DstLen bytes)
	WaitData // Consumer.Wait(ctx): ctx done already in sequential runs
	CLen     // Consumer.Len()
	NumKinds
)

var kindNames = [NumKinds]string{"reserve", "commit", "abort", "pushwith", "push", "close", "waitroom", "used", "plen",
	"peek", "release", "popwith", "pop", "waitdata", "clen"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Producer reports whether k is a call of the producer half.
func (k Kind) Producer() bool { return k <= PLen }

// Callback says what a fill or consume function does.
type Callback uint8

const (
	CallOK      Callback = iota // fill: write and report N bytes; consume: return nil
	CallErr                     // return ErrCallback
	CallPanic                   // panic
	CallReenter                 // call Nested on the same half (must answer ErrBusy), then as CallOK
	CallCross                   // call Nested on the other half (must work), then as CallOK
	CallNil                     // the callback is nil: ErrNilFunc
	NumCallbacks
)

var callbackNames = [NumCallbacks]string{"ok", "err", "panic", "reenter", "cross", "nil"}

func (c Callback) String() string {
	if c < NumCallbacks {
		return callbackNames[c]
	}
	return fmt.Sprintf("callback(%d)", uint8(c))
}

// Op is one call of one half. Payload bytes derive from Seed.
type Op struct {
	Kind     Kind
	MaxSize  int      // Reserve, PushWith, Push, WaitRoom
	N        int      // PushWith: the n fill reports; Commit's n
	DstLen   int      // Pop
	Callback Callback // PushWith, PopWith
	Nested   Kind     // the nested call of CallReenter and CallCross
	ReSize   int      // its MaxSize, N and DstLen
	Seed     byte
}

// String renders an op as one line, e.g. "pushwith 5 n=3 fill=cross(pop 4) seed=7".
func (o Op) String() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	switch o.Kind {
	case Reserve, Push, WaitRoom:
		fmt.Fprintf(&b, " %d", o.MaxSize)
	case PushWith:
		fmt.Fprintf(&b, " %d n=%d", o.MaxSize, o.N)
	case Commit:
		fmt.Fprintf(&b, " %d", o.N)
	case Pop:
		fmt.Fprintf(&b, " %d", o.DstLen)
	}
	if o.Kind == PushWith || o.Kind == PopWith {
		name := "fill"
		if o.Kind == PopWith {
			name = "consume"
		}
		fmt.Fprintf(&b, " %s=%s", name, o.Callback)
		if o.Callback == CallReenter || o.Callback == CallCross {
			fmt.Fprintf(&b, "(%s %d)", o.Nested, o.ReSize)
		}
	}
	if o.Kind == Reserve || o.Kind == PushWith || o.Kind == Push {
		fmt.Fprintf(&b, " seed=%d", o.Seed)
	}
	return b.String()
}

// ErrCallback is what a CallErr callback returns; it must come back
// unchanged.
var ErrCallback = step.ErrCallback

// ErrName names err by the sentinel it is or wraps: step.ErrName's names
// plus ErrClosed and the context's errors.
func ErrName(err error) string {
	switch {
	case errors.Is(err, netbuf.ErrClosed), errors.Is(err, model.ErrClosed):
		return "ErrClosed"
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded"
	}
	return step.ErrName(err)
}
