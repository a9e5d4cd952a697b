// Package ordered is the OrderedBuffer family of the verification
// plumbing, with the names every family has: [Op], [Kind], [Config],
// [Result], [Parse], [Run], [Pair] and [Family]. Its scenarios start with
// `ordered C S window=W bits=B [first=F] [resync]`, and its operations
// carry sequence numbers.
package ordered

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// Buffer is the behaviour under test of a buffer that releases
// sequenced datagrams in order (netbuf.OrderedBuffer, docs/SPEC.md).
type Buffer interface {
	PushWith(maxSize int, fill func(p []byte) (seq uint32, n int, err error)) (uint32, int, error)
	Push(seq uint32, p []byte) error
	PopWith(consume func(seq uint32, p []byte) error) error
	Pop(dst []byte) (uint32, int, error)
	SkipTo(seq uint32) (int, error)
	AppendMissing(dst []uint32, max int) []uint32
	Next() uint32
	Len() int
	Used() int
	Cap() int
	MaxPackets() int
	Reset()
}

// Factory builds an empty ordered buffer; it returns an error
// exactly where netbuf.NewOrderedBuffer does.
type Factory func(Config) (Buffer, error)

// Kind names an operation on an ordered buffer.
type Kind uint8

const (
	PushWith Kind = iota // PushWith(MaxSize, fill reporting Seq and N as Fill says)
	Push                 // Push(Seq, MaxSize bytes)
	PopWith              // PopWith(consume as Consume says)
	Pop                  // Pop(dst of DstLen bytes)
	SkipTo               // SkipTo(Seq)
	Missing              // AppendMissing(dst, Max)
	Reset                // Reset()
	NumKinds
)

var kindNames = [NumKinds]string{"pushwith", "push", "popwith", "pop", "skipto", "missing", "reset"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("okind(%d)", uint8(k))
}

// Op is one operation on an ordered buffer, a comparable value that
// prints (String) and parses (Parse) exactly.
type Op struct {
	Kind    Kind
	MaxSize int               // PushWith, Push (payload length)
	N       int               // PushWith: the n fill reports
	Seq     uint32            // PushWith (what fill reports), Push, SkipTo
	Fill    lockstep.Callback // PushWith: lockstep.CallOK, lockstep.CallErr, lockstep.CallPanic, lockstep.CallReenter, lockstep.CallOther, lockstep.CallNil
	Consume lockstep.Callback // PopWith
	Reenter Kind              // the nested call of lockstep.CallReenter and lockstep.CallOther
	ReSize  int               // its size: maxSize, dst length, max, or (SkipTo) the sequence
	DstLen  int               // Pop
	Spare   int               // Pop: capacity of dst beyond its length
	Max     int               // AppendMissing
	Seed    byte              // payload pattern
}

// String renders o as one line, e.g. "pushwith 8 seq=5 n=3 fill=ok seed=1".
func (o Op) String() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	cb := lockstep.Callback(lockstep.CallOK)
	switch o.Kind {
	case PushWith:
		fmt.Fprintf(&b, " %d seq=%d n=%d fill=%s", o.MaxSize, o.Seq, o.N, o.Fill)
		cb = o.Fill
	case Push:
		fmt.Fprintf(&b, " %d seq=%d", o.MaxSize, o.Seq)
	case PopWith:
		fmt.Fprintf(&b, " consume=%s", o.Consume)
		cb = o.Consume
	case Pop:
		fmt.Fprintf(&b, " %d", o.DstLen)
		if o.Spare != 0 {
			fmt.Fprintf(&b, " spare=%d", o.Spare)
		}
	case SkipTo:
		fmt.Fprintf(&b, " %d", o.Seq)
	case Missing:
		fmt.Fprintf(&b, " %d", o.Max)
	}
	if cb.Nests() {
		fmt.Fprintf(&b, " reenter=%s rsize=%d", o.Reenter, o.ReSize)
	}
	if o.Kind == PushWith || o.Kind == Push {
		fmt.Fprintf(&b, " seed=%d", o.Seed)
	}
	return b.String()
}

// Parse reads String's form; keys left out take their defaults
// (n = the size, seq 0, callbacks ok, rsize 0, seed 0).
func Parse(words []string) (Op, error) {
	k, n, args, err := lockstep.ParseHead(words, Kind.String, NumKinds, " for an ordered buffer", func(k Kind) bool { return k != PopWith && k != Reset })
	op := Op{Kind: k}
	if err != nil {
		return op, err
	}
	switch k {
	case PushWith:
		op.MaxSize, op.N = n, n
	case Push:
		op.MaxSize = n
	case Pop:
		op.DstLen = n
	case SkipTo:
		if n < 0 || int64(n) > 1<<32-1 {
			return op, fmt.Errorf("skipto %d: not a uint32", n)
		}
		op.Seq = uint32(n)
	case Missing:
		op.Max = n
	}
	seen, err := lockstep.ParseKeys(k, args, keys[k], op.set)
	if err != nil {
		return op, err
	}
	cb := op.Fill
	if k == PopWith {
		cb = op.Consume
	}
	if (seen["reenter"] || seen["rsize"]) && !cb.Nests() {
		return op, lockstep.ErrNoNested
	}
	return op, nil
}

// keys are the key=value words each kind takes.
var keys = [NumKinds][]string{
	PushWith: {"seq", "n", "fill", "reenter", "rsize", "seed"},
	Push:     {"seq", "seed"},
	PopWith:  {"consume", "reenter", "rsize"},
	Pop:      {"spare"},
}

func (o *Op) set(key, v string) error {
	var err error
	switch key {
	case "seq":
		o.Seq, err = lockstep.ParseUint32(v)
	case "n":
		o.N, err = lockstep.ParseInt(v)
	case "fill":
		o.Fill, err = lockstep.ParseCallback(key, v, false)
	case "consume":
		o.Consume, err = lockstep.ParseCallback(key, v, false)
	case "reenter":
		o.Reenter, err = lockstep.ParseEnum(key, v, Kind.String, NumKinds)
	case "rsize":
		o.ReSize, err = lockstep.ParseInt(v)
	case "spare":
		o.Spare, err = lockstep.ParseInt(v)
	case "seed":
		o.Seed, err = lockstep.ParseSeed(v)
	}
	return err
}
