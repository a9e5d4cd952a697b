package unordered

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// Parse reads an operation in String's syntax: the kind, its size if it
// takes one, then key=value words in any order, each at most once. Keys
// left out take their defaults: n = the size, callbacks ok, rsize 0, bufs
// as many as lens (at least 1), no lens, seed 0. It never panics.
func Parse(words []string) (Op, error) {
	k, n, args, err := lockstep.ParseHead(words, Kind.String, NumKinds, "", Kind.sized)
	op := Op{Kind: k}
	if err != nil {
		return op, err
	}
	switch k {
	case Pop:
		op.DstLen = n
	case Commit:
		op.N = n
	case PushWith:
		op.MaxSize, op.N = n, n
	default:
		op.MaxSize = n
	}
	seen, err := lockstep.ParseKeys(k, args, keys[k], op.set)
	if err != nil {
		return op, err
	}
	if cb := op.callback(); (seen["reenter"] || seen["rsize"]) && !cb.Nests() {
		return op, lockstep.ErrNoNested
	}
	if k == PushBatch && !seen["bufs"] {
		op.Bufs = max(op.M, 1)
	}
	return op, nil
}

// set reads one key's value into op.
func (o *Op) set(key, v string) error {
	var err error
	switch key {
	case "n":
		o.N, err = lockstep.ParseInt(v)
	case "fill", "consume":
		*o.callback(), err = lockstep.ParseCallback(key, v, true)
	case "reenter":
		o.Reenter, err = lockstep.ParseEnum(key, v, Kind.String, NumKinds)
	case "rsize":
		o.ReSize, err = lockstep.ParseInt(v)
	case "bufs":
		o.Bufs, err = lockstep.ParseInt(v)
	case "spare":
		o.Spare, err = lockstep.ParseInt(v)
	case "lens":
		return o.setLens(v)
	case "seed":
		o.Seed, err = lockstep.ParseSeed(v)
	}
	return err
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
		n, err := lockstep.ParseInt(f)
		if err != nil {
			return err
		}
		o.Lens[o.M], o.M = n, o.M+1
	}
	return nil
}
