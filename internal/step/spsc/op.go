// Package spsc is the SPSC buffer's family of the verification plumbing,
// with the names every family has: [Op] (a call of either half), [Kind],
// [Config], [Result], [Parse], [Runner] (its Run), [Pair] and [Family].
// Its scenarios start with `spsc C S` and make the calls of both halves
// from one goroutine; package spsccheck runs them from two.
package spsc

import (
	"context"
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
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

// BatchProducer is a Producer with batched publication (docs/SPEC.md
// section 7.5); the batch kinds need it.
type BatchProducer interface {
	CommitDeferred(n int) error
	Flush() error
}

// BatchConsumer is a Consumer with batched publication.
type BatchConsumer interface {
	ReleaseDeferred() error
	Flush() error
}

// Factory builds the two halves of an empty buffer; it returns an
// error exactly where netbuf.NewSPSC does.
type Factory func(capacityBytes, maxPackets int) (Producer, Consumer, error)

// Halves is one buffer's two halves.
type Halves struct {
	P Producer
	C Consumer
}

// Kind names a call of one half of an SPSC buffer.
type Kind uint8

const (
	// The producer's.
	Reserve  Kind = iota // Reserve(MaxSize), then writes the whole window with the payload of Seed
	Commit               // Commit(N)
	Abort                // Abort()
	PushWith             // PushWith(MaxSize, fill as Callback says, writing and reporting N)
	Push                 // Push(MaxSize bytes of payload)
	Close                // Close()
	WaitRoom             // Producer.Wait(ctx, MaxSize): ctx done already in sequential runs
	Used                 // Used()
	PLen                 // Producer.Len()
	// The consumer's.
	Peek     // Peek()
	Release  // Release(), after checking that the peeked bytes did not change
	PopWith  // PopWith(consume as Callback says)
	Pop      // Pop(dst of DstLen bytes)
	WaitData // Consumer.Wait(ctx): ctx done already in sequential runs
	CLen     // Consumer.Len()
	// Batched publication (BatchProducer, BatchConsumer), after the others
	// so that the numbers of those stay.
	CommitDeferred  // CommitDeferred(N)
	PFlush          // Producer.Flush()
	ReleaseDeferred // ReleaseDeferred(), after checking that the peeked bytes did not change
	CFlush          // Consumer.Flush()
	NumKinds
)

var kindNames = [NumKinds]string{"reserve", "commit", "abort", "pushwith", "push", "close", "waitroom", "used", "plen",
	"peek", "release", "popwith", "pop", "waitdata", "clen",
	"commitdeferred", "pflush", "releasedeferred", "cflush"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("skind(%d)", uint8(k))
}

// Producer reports whether k is a call of the producer half.
func (k Kind) Producer() bool { return k <= PLen || k == CommitDeferred || k == PFlush }

// HalfKinds lists the kinds of one half's calls, the batch kinds last.
func HalfKinds(producer bool) []Kind {
	if producer {
		return []Kind{Reserve, Commit, Abort, PushWith, Push, Close, WaitRoom, Used, PLen, CommitDeferred, PFlush}
	}
	return []Kind{Peek, Release, PopWith, Pop, WaitData, CLen, ReleaseDeferred, CFlush}
}

// Batch reports whether k is a call of batched publication.
func (k Kind) Batch() bool { return k >= CommitDeferred && k < NumKinds }

// Op is one call of one half of an SPSC buffer, a comparable value
// that prints (String) and parses (Parse) exactly. Its callbacks
// are lockstep.CallOK, lockstep.CallErr, lockstep.CallPanic, lockstep.CallNil, lockstep.CallReenter (Reenter is a call
// of the same half, which must answer ErrBusy) and lockstep.CallOther (Reenter is a
// call of the other half, which must work).
type Op struct {
	Kind     Kind
	MaxSize  int               // Reserve, PushWith, Push, WaitRoom
	N        int               // PushWith: the n fill reports; Commit's n
	DstLen   int               // Pop
	Callback lockstep.Callback // PushWith's fill, PopWith's consume
	Reenter  Kind              // the nested call of lockstep.CallReenter and lockstep.CallOther
	ReSize   int               // its MaxSize, N and DstLen
	Seed     byte              // payload pattern
}

// keys are the key=value words each kind takes, in printing order.
var keys = [NumKinds][]string{
	Reserve:  {"seed"},
	PushWith: {"n", "fill", "reenter", "rsize", "seed"},
	Push:     {"seed"},
	PopWith:  {"consume", "reenter", "rsize"},
}

// String renders o as one line, e.g. "pushwith 5 n=3 fill=other reenter=pop rsize=4 seed=7".
func (o Op) String() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	switch o.Kind {
	case Commit, CommitDeferred:
		fmt.Fprintf(&b, " %d", o.N)
	case Pop:
		fmt.Fprintf(&b, " %d", o.DstLen)
	default:
		if o.Kind.sized() {
			fmt.Fprintf(&b, " %d", o.MaxSize)
		}
	}
	if o.Kind >= NumKinds {
		return b.String()
	}
	for _, k := range keys[o.Kind] {
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

// Parse reads String's form; keys left out take their defaults (n =
// the size, callbacks ok, rsize 0, seed 0). A nested call must belong to
// the half its callback names: the same half for reenter, the other for
// other. It never panics.
func Parse(words []string) (Op, error) {
	k, n, args, err := lockstep.ParseHead(words, Kind.String, NumKinds, " for an SPSC buffer", Kind.sized)
	op := Op{Kind: k}
	if err != nil {
		return op, err
	}
	switch k {
	case Commit, CommitDeferred:
		op.N = n
	case Pop:
		op.DstLen = n
	case PushWith:
		op.MaxSize, op.N = n, n
	default:
		op.MaxSize = n
	}
	seen, err := lockstep.ParseKeys(k, args, keys[k], op.set)
	if err != nil {
		return op, err
	}
	return op, op.checkNested(seen["reenter"] || seen["rsize"])
}

// sized reports whether k takes a positional number.
func (k Kind) sized() bool {
	switch k {
	case Reserve, Push, WaitRoom, PushWith, Commit, Pop, CommitDeferred:
		return true
	}
	return false
}

func (o *Op) set(key, v string) error {
	var err error
	switch key {
	case "n":
		o.N, err = lockstep.ParseInt(v)
	case "fill", "consume":
		o.Callback, err = lockstep.ParseCallback(key, v, false)
	case "reenter":
		o.Reenter, err = lockstep.ParseEnum(key, v, Kind.String, NumKinds)
	case "rsize":
		o.ReSize, err = lockstep.ParseInt(v)
	case "seed":
		o.Seed, err = lockstep.ParseSeed(v)
	}
	return err
}

// checkNested checks that a nested call is given only with a callback
// that makes one, and that it belongs to the half the callback names.
func (o Op) checkNested(given bool) error {
	if !o.Callback.Nests() {
		if given {
			return lockstep.ErrNoNested
		}
		return nil
	}
	same := o.Callback == lockstep.CallReenter
	if o.Reenter.Producer() != (o.Kind.Producer() == same) {
		half := "the other half"
		if same {
			half = "the same half"
		}
		return fmt.Errorf("%s: reenter=%s is not a call of %s", o.Callback, o.Reenter, half)
	}
	return nil
}
