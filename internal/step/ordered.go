package step

import (
	"fmt"
	"strings"
)

// OrderedBuffer is the behaviour under test of a buffer that releases
// sequenced datagrams in order (netbuf.OrderedBuffer, docs/SPEC.md).
type OrderedBuffer interface {
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

// OrderedConfig is an OrderedBuffer's configuration, as netbuf's.
type OrderedConfig struct {
	Capacity, MaxPackets, Window, SeqBits int
	First                                 uint32
	Resync                                bool
}

func (c OrderedConfig) String() string {
	s := fmt.Sprintf("ordered %d %d window=%d bits=%d first=%d", c.Capacity, c.MaxPackets, c.Window, c.SeqBits, c.First)
	if c.Resync {
		s += " resync"
	}
	return s
}

// ParseOrderedConfig reads String's form (words after "ordered").
func ParseOrderedConfig(words []string) (OrderedConfig, error) {
	var c OrderedConfig
	if len(words) < 2 {
		return c, fmt.Errorf("want `ordered <capacity> <maxPackets> window=W bits=B [first=F] [resync]`")
	}
	var err error
	if c.Capacity, err = parseInt(words[0]); err != nil {
		return c, err
	}
	if c.MaxPackets, err = parseInt(words[1]); err != nil {
		return c, err
	}
	seen := map[string]bool{}
	for _, w := range words[2:] {
		k, v, _ := strings.Cut(w, "=")
		if seen[k] {
			return c, fmt.Errorf("%s given twice", k)
		}
		seen[k] = true
		switch k {
		case "window":
			c.Window, err = parseInt(v)
		case "bits":
			c.SeqBits, err = parseInt(v)
		case "first":
			c.First, err = parseUint32(v)
		case "resync":
			c.Resync = v == ""
			if v != "" {
				err = fmt.Errorf("resync takes no value")
			}
		default:
			err = fmt.Errorf("ordered does not take %q", w)
		}
		if err != nil {
			return c, err
		}
	}
	if !seen["window"] || !seen["bits"] {
		return c, fmt.Errorf("ordered needs window= and bits=")
	}
	return c, nil
}

// OrderedFactory builds an empty ordered buffer; it returns an error
// exactly where netbuf.NewOrderedBuffer does.
type OrderedFactory func(OrderedConfig) (OrderedBuffer, error)

// OKind names an operation on an ordered buffer.
type OKind uint8

const (
	OPushWith OKind = iota // PushWith(MaxSize, fill reporting Seq and N as Fill says)
	OPush                  // Push(Seq, MaxSize bytes)
	OPopWith               // PopWith(consume as Consume says)
	OPop                   // Pop(dst of DstLen bytes)
	OSkipTo                // SkipTo(Seq)
	OMissing               // AppendMissing(dst, Max)
	OReset                 // Reset()
	NumOKinds
)

var oKindNames = [NumOKinds]string{"pushwith", "push", "popwith", "pop", "skipto", "missing", "reset"}

func (k OKind) String() string {
	if k < NumOKinds {
		return oKindNames[k]
	}
	return fmt.Sprintf("okind(%d)", uint8(k))
}

// OrderedOp is one operation on an ordered buffer, a comparable value that
// prints (String) and parses (ParseOrderedOp) exactly.
type OrderedOp struct {
	Kind    OKind
	MaxSize int      // PushWith, Push (payload length)
	N       int      // PushWith: the n fill reports
	Seq     uint32   // PushWith (what fill reports), Push, SkipTo
	Fill    Callback // PushWith: CallOK, CallErr, CallPanic, CallReenter, CallOther, CallNil
	Consume Callback // PopWith
	Reenter OKind    // the nested call of CallReenter and CallOther
	ReSize  int      // its size: maxSize, dst length, max, or (SkipTo) the sequence
	DstLen  int      // Pop
	Spare   int      // Pop: capacity of dst beyond its length
	Max     int      // AppendMissing
	Seed    byte     // payload pattern
}

// String renders o as one line, e.g. "pushwith 8 seq=5 n=3 fill=ok seed=1".
func (o OrderedOp) String() string {
	var b strings.Builder
	b.WriteString(o.Kind.String())
	cb := Callback(CallOK)
	switch o.Kind {
	case OPushWith:
		fmt.Fprintf(&b, " %d seq=%d n=%d fill=%s", o.MaxSize, o.Seq, o.N, o.Fill)
		cb = o.Fill
	case OPush:
		fmt.Fprintf(&b, " %d seq=%d", o.MaxSize, o.Seq)
	case OPopWith:
		fmt.Fprintf(&b, " consume=%s", o.Consume)
		cb = o.Consume
	case OPop:
		fmt.Fprintf(&b, " %d", o.DstLen)
		if o.Spare != 0 {
			fmt.Fprintf(&b, " spare=%d", o.Spare)
		}
	case OSkipTo:
		fmt.Fprintf(&b, " %d", o.Seq)
	case OMissing:
		fmt.Fprintf(&b, " %d", o.Max)
	}
	if cb.nests() {
		fmt.Fprintf(&b, " reenter=%s rsize=%d", o.Reenter, o.ReSize)
	}
	if o.Kind == OPushWith || o.Kind == OPush {
		fmt.Fprintf(&b, " seed=%d", o.Seed)
	}
	return b.String()
}

// ParseOrderedOp reads String's form; keys left out take their defaults
// (n = the size, seq 0, callbacks ok, rsize 0, seed 0).
func ParseOrderedOp(words []string) (OrderedOp, error) {
	k, n, args, err := parseHead(words, OKind.String, NumOKinds, " for an ordered buffer", func(k OKind) bool { return k != OPopWith && k != OReset })
	op := OrderedOp{Kind: k}
	if err != nil {
		return op, err
	}
	switch k {
	case OPushWith:
		op.MaxSize, op.N = n, n
	case OPush:
		op.MaxSize = n
	case OPop:
		op.DstLen = n
	case OSkipTo:
		if n < 0 || int64(n) > 1<<32-1 {
			return op, fmt.Errorf("skipto %d: not a uint32", n)
		}
		op.Seq = uint32(n)
	case OMissing:
		op.Max = n
	}
	seen, err := parseKeys(k, args, oKeys[k], op.set)
	if err != nil {
		return op, err
	}
	cb := op.Fill
	if k == OPopWith {
		cb = op.Consume
	}
	if (seen["reenter"] || seen["rsize"]) && !cb.nests() {
		return op, errNoNested
	}
	return op, nil
}

// oKeys are the key=value words each kind takes.
var oKeys = [NumOKinds][]string{
	OPushWith: {"seq", "n", "fill", "reenter", "rsize", "seed"},
	OPush:     {"seq", "seed"},
	OPopWith:  {"consume", "reenter", "rsize"},
	OPop:      {"spare"},
}

func (o *OrderedOp) set(key, v string) error {
	var err error
	switch key {
	case "seq":
		o.Seq, err = parseUint32(v)
	case "n":
		o.N, err = parseInt(v)
	case "fill":
		o.Fill, err = parseCallback(key, v, false)
	case "consume":
		o.Consume, err = parseCallback(key, v, false)
	case "reenter":
		o.Reenter, err = parseEnum(key, v, OKind.String, NumOKinds)
	case "rsize":
		o.ReSize, err = parseInt(v)
	case "spare":
		o.Spare, err = parseInt(v)
	case "seed":
		o.Seed, err = parseSeed(v)
	}
	return err
}
