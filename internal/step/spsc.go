package step

import (
	"context"
	"fmt"
	"strings"
)

// Producer is the writing half under test of a single-producer
// single-consumer buffer (netbuf.Producer's methods, docs/SPEC.md section 7).
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

// SPSCFactory builds the two halves of an empty buffer; it returns an
// error exactly where netbuf.NewSPSC does.
type SPSCFactory func(capacityBytes, maxPackets int) (Producer, Consumer, error)

// Halves is one buffer's two halves.
type Halves struct {
	P Producer
	C Consumer
}

// SKind names a call of one half of an SPSC buffer.
type SKind uint8

const (
	// The producer's.
	SReserve  SKind = iota // Reserve(MaxSize), then writes the whole window with the payload of Seed
	SCommit                // Commit(N)
	SAbort                 // Abort()
	SPushWith              // PushWith(MaxSize, fill as Callback says, writing and reporting N)
	SPush                  // Push(MaxSize bytes of payload)
	SClose                 // Close()
	SWaitRoom              // Producer.Wait(ctx, MaxSize): ctx done already in sequential runs
	SUsed                  // Used()
	SPLen                  // Producer.Len()
	// The consumer's.
	SPeek     // Peek()
	SRelease  // Release(), after checking that the peeked bytes did not change
	SPopWith  // PopWith(consume as Callback says)
	SPop      // Pop(dst of DstLen bytes)
	SWaitData // Consumer.Wait(ctx): ctx done already in sequential runs
	SCLen     // Consumer.Len()
	NumSKinds
)

var sKindNames = [NumSKinds]string{"reserve", "commit", "abort", "pushwith", "push", "close", "waitroom", "used", "plen",
	"peek", "release", "popwith", "pop", "waitdata", "clen"}

func (k SKind) String() string {
	if k < NumSKinds {
		return sKindNames[k]
	}
	return fmt.Sprintf("skind(%d)", uint8(k))
}

// Producer reports whether k is a call of the producer half.
func (k SKind) Producer() bool { return k <= SPLen }

// SPSCOp is one call of one half of an SPSC buffer, a comparable value
// that prints (String) and parses (ParseSPSCOp) exactly. Its callbacks
// are CallOK, CallErr, CallPanic, CallNil, CallReenter (Reenter is a call
// of the same half, which must answer ErrBusy) and CallOther (Reenter is a
// call of the other half, which must work).
type SPSCOp struct {
	Kind     SKind
	MaxSize  int      // Reserve, PushWith, Push, WaitRoom
	N        int      // PushWith: the n fill reports; Commit's n
	DstLen   int      // Pop
	Callback Callback // PushWith's fill, PopWith's consume
	Reenter  SKind    // the nested call of CallReenter and CallOther
	ReSize   int      // its MaxSize, N and DstLen
	Seed     byte     // payload pattern
}

// sKeys are the key=value words each kind takes, in printing order.
var sKeys = [NumSKinds][]string{
	SReserve:  {"seed"},
	SPushWith: {"n", "fill", "reenter", "rsize", "seed"},
	SPush:     {"seed"},
	SPopWith:  {"consume", "reenter", "rsize"},
}

// String renders o as one line, e.g. "pushwith 5 n=3 fill=other reenter=pop rsize=4 seed=7".
func (o SPSCOp) String() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	switch o.Kind {
	case SCommit:
		fmt.Fprintf(&b, " %d", o.N)
	case SPop:
		fmt.Fprintf(&b, " %d", o.DstLen)
	default:
		if o.Kind.sized() {
			fmt.Fprintf(&b, " %d", o.MaxSize)
		}
	}
	if o.Kind >= NumSKinds {
		return b.String()
	}
	for _, k := range sKeys[o.Kind] {
		switch k {
		case "n":
			fmt.Fprintf(&b, " n=%d", o.N)
		case "fill", "consume":
			fmt.Fprintf(&b, " %s=%s", k, o.Callback)
		case "reenter":
			if o.Callback.Nests() {
				fmt.Fprintf(&b, " reenter=%s rsize=%d", o.Reenter, o.ReSize)
			}
		case "seed":
			fmt.Fprintf(&b, " seed=%d", o.Seed)
		}
	}
	return b.String()
}

// ParseSPSCOp reads String's form; keys left out take their defaults (n =
// the size, callbacks ok, rsize 0, seed 0). A nested call must belong to
// the half its callback names: the same half for reenter, the other for
// other. It never panics.
func ParseSPSCOp(words []string) (SPSCOp, error) {
	k, n, args, err := parseHead(words, SKind.String, NumSKinds, " for an SPSC buffer", SKind.sized)
	op := SPSCOp{Kind: k}
	if err != nil {
		return op, err
	}
	switch k {
	case SCommit:
		op.N = n
	case SPop:
		op.DstLen = n
	case SPushWith:
		op.MaxSize, op.N = n, n
	default:
		op.MaxSize = n
	}
	seen, err := parseKeys(k, args, sKeys[k], op.set)
	if err != nil {
		return op, err
	}
	return op, op.checkNested(seen["reenter"] || seen["rsize"])
}

// sized reports whether k takes a positional number.
func (k SKind) sized() bool {
	switch k {
	case SReserve, SPush, SWaitRoom, SPushWith, SCommit, SPop:
		return true
	}
	return false
}

func (o *SPSCOp) set(key, v string) error {
	var err error
	switch key {
	case "n":
		o.N, err = parseInt(v)
	case "fill", "consume":
		o.Callback, err = parseCallback(key, v, false)
	case "reenter":
		o.Reenter, err = parseEnum(key, v, SKind.String, NumSKinds)
	case "rsize":
		o.ReSize, err = parseInt(v)
	case "seed":
		o.Seed, err = parseSeed(v)
	}
	return err
}

// checkNested checks that a nested call is given only with a callback
// that makes one, and that it belongs to the half the callback names.
func (o SPSCOp) checkNested(given bool) error {
	if !o.Callback.Nests() {
		if given {
			return errNoNested
		}
		return nil
	}
	same := o.Callback == CallReenter
	if o.Reenter.Producer() != (o.Kind.Producer() == same) {
		half := "the other half"
		if same {
			half = "the same half"
		}
		return fmt.Errorf("%s: reenter=%s is not a call of %s", o.Callback, o.Reenter, half)
	}
	return nil
}
