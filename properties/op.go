package properties

import (
	"fmt"
	"strings"
)

// Kind names an operation of the contract.
type Kind uint8

const (
	OpPushWith Kind = iota // PushWith(MaxSize, fill as described by Fill and N)
	OpPush                 // Push(payload of MaxSize bytes)
	OpPopWith              // PopWith(consume as described by Consume)
	OpPop                  // Pop(dst of DstLen bytes)
	OpReset                // Reset()
	numKinds
)

// Callback says what a fill or consume function does.
type Callback uint8

const (
	CallOK      Callback = iota // fill: write and report N bytes, nil error; consume: nil
	CallErr                     // return ErrCallback (fill reports N alongside it)
	CallPanic                   // panic(PanicValue) after writing
	CallReenter                 // call Reenter on the same buffer (must get ErrBusy), then behave as CallOK
	numCallbacks
)

// Op is one operation, applied to the buffer under test and to the model.
// Payload bytes are derived from Seed, so an Op is a plain value that prints
// and replays exactly.
type Op struct {
	Kind    Kind
	MaxSize int      // PushWith, Push (len of the payload)
	N       int      // PushWith: the n fill reports; may be invalid (< 0 or > MaxSize)
	Fill    Callback // PushWith
	Consume Callback // PopWith
	Reenter Kind     // the nested call made by a CallReenter callback
	DstLen  int      // Pop
	Seed    byte     // payload pattern
}

// payload returns the bytes an Op writes: n bytes derived from seed.
func payload(dst []byte, seed byte) {
	for i := range dst {
		dst[i] = seed + byte(i)*31
	}
}

var kindNames = [...]string{"pushwith", "push", "popwith", "pop", "reset"}
var callbackNames = [...]string{"ok", "err", "panic", "reenter"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

func (c Callback) String() string {
	if int(c) < len(callbackNames) {
		return callbackNames[c]
	}
	return fmt.Sprintf("callback(%d)", uint8(c))
}

// String renders an Op as one readable line, e.g. "pushwith 1500 n=64 fill=ok seed=7".
func (o Op) String() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	switch o.Kind {
	case OpPushWith:
		fmt.Fprintf(&b, " %d n=%d fill=%s", o.MaxSize, o.N, o.Fill)
		if o.Fill == CallReenter {
			fmt.Fprintf(&b, " reenter=%s", o.Reenter)
		}
		fmt.Fprintf(&b, " seed=%d", o.Seed)
	case OpPush:
		fmt.Fprintf(&b, " %d seed=%d", o.MaxSize, o.Seed)
	case OpPopWith:
		fmt.Fprintf(&b, " consume=%s", o.Consume)
		if o.Consume == CallReenter {
			fmt.Fprintf(&b, " reenter=%s", o.Reenter)
		}
	case OpPop:
		fmt.Fprintf(&b, " %d", o.DstLen)
	}
	return b.String()
}
