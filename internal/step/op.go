package step

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind names an operation.
type Kind uint8

const (
	OpPushWith  Kind = iota // PushWith(MaxSize, fill as Fill and N say)
	OpPush                  // Push(MaxSize bytes)
	OpPopWith               // PopWith(consume as Consume says)
	OpPop                   // Pop(dst of DstLen bytes, Spare more of capacity)
	OpReset                 // Reset()
	OpPushBatch             // PushBatch(MaxSize, Bufs bufs, fill writing Lens[:M] as Fill says): netbuf's addition
	OpReserve               // Reserve(MaxSize), writing the whole window: the two-phase API
	OpCommit                // Commit(N)
	OpAbort                 // Abort()
	OpPeek                  // Peek()
	OpRelease               // Release()
	NumKinds
)

// Callback says what a fill or consume function does.
type Callback uint8

const (
	CallOK       Callback = iota // fill: write and report N bytes (batch: Lens[:M]); consume: return nil
	CallErr                      // return ErrCallback (fill reports N, or M, alongside it)
	CallPanic                    // panic after writing
	CallReenter                  // call Reenter(ReSize) on the same buffer (must get ErrBusy), then behave as CallOK
	CallNil                      // the callback is nil: netbuf's ErrNilFunc (checked only with that option)
	CallOther                    // call Reenter(ReSize) on a second buffer (must work as on any buffer), then behave as CallOK
	CallInvalidM                 // batch fill: report M = -1 (even seed) or k+1 (odd seed)
	CallForeign                  // batch fill: replace window 0 by a slice that is not a prefix of it
	NumCallbacks
)

// MaxBatch is the most packets a PushBatch Op writes.
const MaxBatch = 8

// Op is one operation, applied to the buffer under test and to the model.
// Payload bytes derive from Seed, so an Op is a comparable value that
// prints (String) and parses (ParseOp) exactly.
type Op struct {
	Kind    Kind
	MaxSize int           // PushWith, Push (payload length), PushBatch, Reserve
	N       int           // PushWith: the n fill reports, possibly invalid; Commit's n
	Fill    Callback      // PushWith, PushBatch
	Consume Callback      // PopWith
	Reenter Kind          // the nested call of CallReenter and CallOther
	ReSize  int           // its size: maxSize, Pop's dst length, Commit's n
	DstLen  int           // Pop
	Spare   int           // Pop: capacity of dst beyond its length (Pop must look at len, not cap)
	Bufs    int           // PushBatch: len(bufs)
	M       int           // PushBatch: how many windows fill writes (capped at k)
	Lens    [MaxBatch]int // PushBatch: their lengths (capped at maxSize)
	Seed    byte          // payload pattern
}

var kindNames = [NumKinds]string{"pushwith", "push", "popwith", "pop", "reset",
	"pushbatch", "reserve", "commit", "abort", "peek", "release"}

var callbackNames = [NumCallbacks]string{"ok", "err", "panic", "reenter", "nil", "other", "invalid-m", "foreign"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

func (c Callback) String() string {
	if c < NumCallbacks {
		return callbackNames[c]
	}
	return fmt.Sprintf("callback(%d)", uint8(c))
}

// sized reports whether k takes a positional number, and which field.
func (k Kind) sized() bool {
	switch k {
	case OpPushWith, OpPush, OpPop, OpPushBatch, OpReserve, OpCommit:
		return true
	}
	return false
}

// keys are the key=value words each kind accepts, in printing order.
var keys = [NumKinds][]string{
	OpPushWith:  {"n", "fill", "reenter", "rsize", "seed"},
	OpPush:      {"seed"},
	OpPopWith:   {"consume", "reenter", "rsize"},
	OpPop:       {"spare"},
	OpPushBatch: {"bufs", "lens", "fill", "reenter", "rsize", "seed"},
	OpReserve:   {"seed"},
}

// callback is the callback field of op, if it has one.
func (o *Op) callback() *Callback {
	switch o.Kind {
	case OpPushWith, OpPushBatch:
		return &o.Fill
	case OpPopWith:
		return &o.Consume
	}
	return nil
}

// nests reports whether a callback makes a nested call.
func (c Callback) nests() bool { return c == CallReenter || c == CallOther }

// String renders an Op as one line, e.g. "pushwith 1500 n=64 fill=ok seed=7".
func (o Op) String() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	switch o.Kind {
	case OpPop:
		fmt.Fprintf(&b, " %d", o.DstLen)
	case OpCommit:
		fmt.Fprintf(&b, " %d", o.N)
	default:
		if o.Kind.sized() {
			fmt.Fprintf(&b, " %d", o.MaxSize)
		}
	}
	if o.Kind >= NumKinds {
		return b.String()
	}
	for _, k := range keys[o.Kind] {
		if v, ok := o.value(k); ok {
			fmt.Fprintf(&b, " %s=%s", k, v)
		}
	}
	return b.String()
}

// value is the text of key k in o, and whether String prints it.
func (o Op) value(k string) (string, bool) {
	cb := o.callback()
	switch k {
	case "n":
		return strconv.Itoa(o.N), true
	case "fill", "consume":
		return cb.String(), true
	case "reenter":
		return o.Reenter.String(), cb.nests()
	case "rsize":
		return strconv.Itoa(o.ReSize), cb.nests()
	case "seed":
		return strconv.Itoa(int(o.Seed)), true
	case "bufs":
		return strconv.Itoa(o.Bufs), true
	case "spare":
		return strconv.Itoa(o.Spare), o.Spare != 0
	case "lens":
		if o.batchLen() == 0 {
			return "", false
		}
		s := make([]string, o.batchLen())
		for i := range s {
			s[i] = strconv.Itoa(o.Lens[i])
		}
		return strings.Join(s, ","), true
	}
	return "", false
}

// batchLen is how many Lens a PushBatch Op carries.
func (o Op) batchLen() int { return min(max(o.M, 0), MaxBatch) }
