package step

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParseOp reads an operation in String's syntax: the kind, its size if it
// takes one, then key=value words in any order, each at most once. Keys
// left out take their defaults: n = the size, callbacks ok, rsize 0, bufs
// as many as lens (at least 1), no lens, seed 0. It never panics.
func ParseOp(words []string) (Op, error) {
	k, n, args, err := parseHead(words, Kind.String, NumKinds, "", Kind.sized)
	op := Op{Kind: k}
	if err != nil {
		return op, err
	}
	switch k {
	case OpPop:
		op.DstLen = n
	case OpCommit:
		op.N = n
	case OpPushWith:
		op.MaxSize, op.N = n, n
	default:
		op.MaxSize = n
	}
	seen, err := parseKeys(k, args, keys[k], op.set)
	if err != nil {
		return op, err
	}
	if cb := op.callback(); (seen["reenter"] || seen["rsize"]) && !cb.nests() {
		return op, errNoNested
	}
	if k == OpPushBatch && !seen["bufs"] {
		op.Bufs = max(op.M, 1)
	}
	return op, nil
}

var errNoNested = fmt.Errorf("reenter= and rsize= need a callback that makes a nested call")

// parseHead reads a statement's kind, named among the n values of its
// enumeration (what says whose, in the error), and its positional number
// if sized says the kind takes one; args are the words left.
func parseHead[K ~uint8](words []string, str func(K) string, n K, what string, sized func(K) bool) (k K, num int, args []string, err error) {
	if len(words) == 0 {
		return 0, 0, nil, fmt.Errorf("empty statement")
	}
	k, ok := lookup(words[0], str, n)
	if !ok {
		return 0, 0, nil, fmt.Errorf("unknown statement %q%s", words[0], what)
	}
	args = words[1:]
	if !sized(k) {
		return k, 0, args, nil
	}
	if len(args) == 0 || strings.Contains(args[0], "=") {
		return k, 0, nil, fmt.Errorf("%s needs a size", words[0])
	}
	num, err = parseInt(args[0])
	return k, num, args[1:], err
}

// parseKeys reads key=value words, each one of allowed and given at most
// once, through set, and returns the keys seen.
func parseKeys(kind fmt.Stringer, args, allowed []string, set func(key, v string) error) (map[string]bool, error) {
	seen := map[string]bool{}
	for _, a := range args {
		key, v, ok := strings.Cut(a, "=")
		if !ok || !slices.Contains(allowed, key) {
			return seen, fmt.Errorf("%s does not take %q", kind, a)
		}
		if seen[key] {
			return seen, fmt.Errorf("%s given twice", key)
		}
		seen[key] = true
		if err := set(key, v); err != nil {
			return seen, err
		}
	}
	return seen, nil
}

// set reads one key's value into op.
func (o *Op) set(key, v string) error {
	var err error
	switch key {
	case "n":
		o.N, err = parseInt(v)
	case "fill", "consume":
		*o.callback(), err = parseCallback(key, v, true)
	case "reenter":
		o.Reenter, err = parseEnum(key, v, Kind.String, NumKinds)
	case "rsize":
		o.ReSize, err = parseInt(v)
	case "bufs":
		o.Bufs, err = parseInt(v)
	case "spare":
		o.Spare, err = parseInt(v)
	case "lens":
		return o.setLens(v)
	case "seed":
		o.Seed, err = parseSeed(v)
	}
	return err
}

// parseCallback reads a callback's name; batch says whether the batch-only
// ones are allowed.
func parseCallback(key, v string, batch bool) (Callback, error) {
	cb, err := parseEnum(key, v, Callback.String, NumCallbacks)
	if err == nil && !batch && (cb == CallInvalidM || cb == CallForeign) {
		err = fmt.Errorf("unknown %s %q", key, v)
	}
	return cb, err
}

// parseEnum reads the name of a small enumeration's value.
func parseEnum[T ~uint8](key, v string, str func(T) string, n T) (T, error) {
	e, ok := lookup(v, str, n)
	if !ok {
		return 0, fmt.Errorf("unknown %s %q", key, v)
	}
	return e, nil
}

func parseSeed(v string) (byte, error) {
	s, err := strconv.ParseUint(v, 10, 8)
	if err != nil {
		return 0, fmt.Errorf("seed %q: want 0 to 255", v)
	}
	return byte(s), nil
}

func parseUint32(v string) (uint32, error) {
	s, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%q: want 0 to 4294967295", v)
	}
	return uint32(s), nil
}

// setLens reads "4,0,8" (or nothing) into Lens and M.
func (o *Op) setLens(v string) error {
	o.M = 0
	if v == "" {
		return nil
	}
	for _, f := range strings.Split(v, ",") {
		if o.M == MaxBatch {
			return fmt.Errorf("lens: more than %d", MaxBatch)
		}
		n, err := parseInt(f)
		if err != nil {
			return err
		}
		o.Lens[o.M], o.M = n, o.M+1
	}
	return nil
}

// lookup finds the value of a small enumeration whose String is name.
func lookup[T ~uint8](name string, str func(T) string, n T) (T, bool) {
	for v := range n {
		if str(v) == name {
			return v, true
		}
	}
	return 0, false
}

func parseInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return n, nil
}
