package lockstep

import (
	"fmt"
	"reflect"

	"github.com/google/go-cmp/cmp"
)

// Config is a family's configuration, printed as its scenarios' header
// line ("new 4 2", "ordered 64 8 window=4 bits=3 first=0", "spsc 16 4",
// "ring 8").
type Config interface {
	String() string
	// Size is what a buffer of this configuration allocates: its capacity
	// in bytes and its slots, and whether the configuration is one the
	// constructor accepts as far as those two go.
	Size() (capacity, slots int, valid bool)
}

// Statement is one statement of a scenario after its header: an
// operation of the scenario's family (each family's Op) or a [Query].
type Statement interface{ String() string }

// Op is what every family's operation is: a comparable value that prints
// as one statement and parses back through its family's Parse.
type Op interface {
	comparable
	Statement
	// Sizes are the sizes running it allocates (payloads, destinations,
	// nested sizes), which a replay caps.
	Sizes() []int
	// Needs are the features beyond the contract it uses.
	Needs() Features
}

// Query is a statement that reads a counter ("used", "len", "cap",
// "maxpackets", "next"); its answer is Want.Value.
type Query string

func (q Query) String() string { return string(q) }

// Syntax is what the scenario format needs of a family, independent of
// its types: the header word that starts its scenarios, and how the words
// of its header and of its statements read.
type Syntax interface {
	Header() string
	ParseConfig(words []string) (Config, error) // the words after the header
	ParseOp(words []string) (Statement, error)  // the family's Op
	Queries() []string                          // the queries its scenarios take
}

// Family describes one buffer family to the machinery: C is its
// configuration, O an operation, R everything running one observes. Each
// family package has one, as its Family type, holding the factory of the
// buffer under test; its zero value parses.
type Family[C Config, O Op, R any] interface {
	Syntax
	// NewPair builds the buffer under test and the model for c. It
	// returns an error if they disagree on whether c is valid, and (nil,
	// nil) if both refuse it.
	NewPair(c C) (Pair[O, R], error)
	// Model is the family with the model as its buffer under test: what
	// recording a scenario runs.
	Model() Family[C, O, R]
}

// Pair is one configuration's buffer under test and model, driven in
// lockstep: what each family's Pair is.
type Pair[O, R any] interface {
	// Apply runs op on both sides and returns the model's R, and an error
	// describing the first difference (-model +buffer) or a broken
	// invariant.
	Apply(op O) (R, error)
	// Answer is the statement and answer a scenario records for op, whose
	// model's result was r: op itself, or a Query for a counter call.
	Answer(op O, r R) (Statement, Want)
	// Query checks that both sides answer the query q with want.
	Query(q Query, want int) error
	// Finish checks what a case must hold once its operations ran, through
	// apply (the SPSC family drains the buffer and requires it empty).
	Finish(apply func(O) error) error
	// End ends what a case left open on the buffer under test (a
	// reservation, a peek), swallowing a panic.
	End()
}

// Check runs ops on a fresh pair of f for c, then Finish, and returns the
// first difference (nil if there is none, or if both sides refuse c).
func Check[C Config, O Op, R any](f Family[C, O, R], c C, ops []O) error {
	p, err := f.NewPair(c)
	if err != nil || p == nil {
		return err
	}
	defer p.End()
	apply := func(op O) error { _, err := p.Apply(op); return err }
	for _, op := range ops {
		if err := apply(op); err != nil {
			return err
		}
	}
	return p.Finish(apply)
}

// Shrink returns a sublist of ops that still fails Check, made by removing
// operations one at a time, last first, while the failure stays, to a
// fixed point. It depends on no engine and no clock: the same input always
// shrinks to the same list. A list that does not fail is returned as is.
func Shrink[C Config, O Op, R any](f Family[C, O, R], c C, ops []O) []O {
	return ShrinkList(ops, func(ops []O) bool { return Check(f, c, ops) != nil })
}

// ShrinkList returns a sublist of list for which fails still holds, made
// by removing elements one at a time, last first, to a fixed point; list
// itself if fails does not hold for it.
func ShrinkList[T any](list []T, fails func([]T) bool) []T {
	if !fails(list) {
		return list
	}
	for changed := true; changed; {
		changed = false
		for i := len(list) - 1; i >= 0; i-- {
			q := append(append(make([]T, 0, len(list)-1), list[:i]...), list[i+1:]...)
			if fails(q) {
				list, changed = q, true
			}
		}
	}
	return list
}

// Compare returns an error showing how got, the buffer's result of op,
// differs from want, the model's; nil if they are equal.
func Compare[R any](op Statement, want, got R) error {
	// reflect.DeepEqual first: cmp.Diff walks popped bytes one by one; it
	// is only needed to describe a difference.
	if reflect.DeepEqual(want, got) {
		return nil
	}
	if d := cmp.Diff(want, got); d != "" {
		return fmt.Errorf("%s: buffer differs from model (-model +buffer):\n%s", op, d)
	}
	return nil
}

// Agree compares the answers of the buffer's constructor and the model's
// for the configuration c: an error if they differ, else whether both
// refused it.
func Agree(c Config, errImpl, errModel error) (refused bool, err error) {
	if k1, k2 := ErrName(errImpl), ErrName(errModel); k1 != k2 {
		return false, fmt.Errorf("%s: buffer says %q, model says %q", c, k1, k2)
	}
	return errModel != nil, nil
}

// Checker is an internal invariant check (netbuf's Check), run after every
// step on a buffer that has it.
type Checker interface{ Check() error }

// Invariants runs the Check of each buffer that has one.
func Invariants(op Statement, bufs ...any) error {
	for _, b := range bufs {
		if c, ok := b.(Checker); ok {
			if err := c.Check(); err != nil {
				return fmt.Errorf("%s: invariant broken: %w", op, err)
			}
		}
	}
	return nil
}
