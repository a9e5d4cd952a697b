package lockstep

import "fmt"

// Callback says what a fill or consume function does.
type Callback uint8

const (
	CallOK       Callback = iota // fill: write and report N bytes (batch: Lens[:M]); consume: return nil
	CallErr                      // return ErrCallback (fill reports N, or M, alongside it)
	CallPanic                    // panic after writing
	CallReenter                  // make the nested call on the same buffer (or half), which must answer ErrBusy, then behave as CallOK
	CallNil                      // the callback is nil: netbuf's ErrNilFunc (checked only with WithNilFuncs)
	CallOther                    // make the nested call on a second buffer (or the other half), which must work, then behave as CallOK
	CallInvalidM                 // batch fill: report M = -1 (even seed) or k+1 (odd seed)
	CallForeign                  // batch fill: replace window 0 by a slice that is not a prefix of it
	NumCallbacks
)

var callbackNames = [NumCallbacks]string{"ok", "err", "panic", "reenter", "nil", "other", "invalid-m", "foreign"}

func (c Callback) String() string {
	if c < NumCallbacks {
		return callbackNames[c]
	}
	return fmt.Sprintf("callback(%d)", uint8(c))
}

// Nests reports whether a callback makes a nested call.
func (c Callback) Nests() bool { return c == CallReenter || c == CallOther }

// PanicValue is what a CallPanic callback panics with; it must propagate
// with its own value.
type PanicValue struct{ Seed byte }

// Panic acts out CallPanic for an operation with seed.
func Panic(seed byte) { panic(PanicValue{seed}) }

// PanicKind names a recovered value: "" for none, "propagated" for the
// callback's own panic (seeded with seed), else what came out instead.
func PanicKind(v any, seed byte) string {
	switch pv, ok := v.(PanicValue); {
	case v == nil:
		return ""
	case ok && pv.Seed == seed:
		return "propagated"
	default:
		return fmt.Sprintf("unexpected panic: %v", v)
	}
}

// Payload fills dst with the pattern of seed.
func Payload(dst []byte, seed byte) {
	for i := range dst {
		dst[i] = seed + byte(i)*31
	}
}

// Clamp is v within [lo, hi].
func Clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// End ends a callback the way cb says: an error, a panic, or the nested
// call on the same buffer (CallReenter) or on the other one (CallOther).
func End[B comparable](b, other B, seed byte, cb Callback, nest func(B)) error {
	switch cb {
	case CallErr:
		return ErrCallback
	case CallPanic:
		Panic(seed)
	case CallReenter:
		nest(b)
	case CallOther:
		var none B
		if other == none {
			return ErrNoOther
		}
		nest(other)
	}
	return nil
}

// ErrNoOther is what a CallOther callback returns with no second buffer.
var ErrNoOther = fmt.Errorf("lockstep: no second buffer for a CallOther callback")
