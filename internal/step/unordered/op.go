// Package unordered is the UnorderedBuffer family of the verification
// plumbing: an operation on an UnorderedBuffer as a plain value ([Op]),
// its one-line text form ([Parse], [Op.String]), what running it observed
// ([Result], [Run]), [Pair], which drives a buffer under test and
// model.Unordered in lockstep, and [Family], its descriptor for the
// shared machinery (package lockstep) and the scenario format, whose
// `new C S` scenarios are this family's.
package unordered

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// Kind names an operation.
type Kind uint8

const (
	PushWith  Kind = iota // PushWith(MaxSize, fill as Fill and N say)
	Push                  // Push(MaxSize bytes)
	PopWith               // PopWith(consume as Consume says)
	Pop                   // Pop(dst of DstLen bytes, Spare more of capacity)
	Reset                 // Reset()
	PushBatch             // PushBatch(MaxSize, Bufs bufs, fill writing Lens[:M] as Fill says): netbuf's addition
	Reserve               // Reserve(MaxSize), writing the whole window: the two-phase API
	Commit                // Commit(N)
	Abort                 // Abort()
	Peek                  // Peek()
	Release               // Release()
	NumKinds
)

// MaxBatch is the most packets a PushBatch Op writes.
const MaxBatch = 8

// Op is one operation, applied to the buffer under test and to the model.
// Payload bytes derive from Seed, so an Op is a comparable value that
// prints (String) and parses (Parse) exactly.
type Op struct {
	Kind    Kind
	MaxSize int               // PushWith, Push (payload length), PushBatch, Reserve
	N       int               // PushWith: the n fill reports, possibly invalid; Commit's n
	Fill    lockstep.Callback // PushWith, PushBatch
	Consume lockstep.Callback // PopWith
	Reenter Kind              // the nested call of lockstep.CallReenter and lockstep.CallOther
	ReSize  int               // its size: maxSize, Pop's dst length, Commit's n
	DstLen  int               // Pop
	Spare   int               // Pop: capacity of dst beyond its length (Pop must look at len, not cap)
	Bufs    int               // PushBatch: len(bufs)
	M       int               // PushBatch: how many windows fill writes (capped at k)
	Lens    [MaxBatch]int     // PushBatch: their lengths (capped at maxSize)
	Seed    byte              // payload pattern
}

var kindNames = [NumKinds]string{"pushwith", "push", "popwith", "pop", "reset",
	"pushbatch", "reserve", "commit", "abort", "peek", "release"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// sized reports whether k takes a positional number, and which field.
func (k Kind) sized() bool {
	switch k {
	case PushWith, Push, Pop, PushBatch, Reserve, Commit:
		return true
	}
	return false
}

// keys are the key=value words each kind accepts, in printing order.
var keys = [NumKinds][]string{
	PushWith:  {"n", "fill", "reenter", "rsize", "seed"},
	Push:      {"seed"},
	PopWith:   {"consume", "reenter", "rsize"},
	Pop:       {"spare"},
	PushBatch: {"bufs", "lens", "fill", "reenter", "rsize", "seed"},
	Reserve:   {"seed"},
}

// callback is the callback field of op, if it has one.
func (o *Op) callback() *lockstep.Callback {
	switch o.Kind {
	case PushWith, PushBatch:
		return &o.Fill
	case PopWith:
		return &o.Consume
	}
	return nil
}

// String renders an Op as one line, e.g. "pushwith 1500 n=64 fill=ok seed=7".
func (o Op) String() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	switch o.Kind {
	case Pop:
		fmt.Fprintf(&b, " %d", o.DstLen)
	case Commit:
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
		return o.Reenter.String(), cb.Nests()
	case "rsize":
		return strconv.Itoa(o.ReSize), cb.Nests()
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

// Sizes are the sizes running o allocates, which a replay caps.
func (o Op) Sizes() []int { return []int{o.MaxSize, o.DstLen, o.Spare, o.Bufs, o.ReSize} }
