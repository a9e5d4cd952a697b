package properties

import (
	"fmt"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
)

// sut is the system under test of a gopter engine: a pair that each
// command applies one op to (apply), recording the case. After the first
// step that fails, the later ones are skipped so that the verdict names
// that step; a pair that could not be built fails the first command.
type sut[Op any] struct {
	apply func(Op) error
	end   func() // ends what the case left open; nil if nothing to end
	rec   *recorder[Op]
	err   error
	told  bool // err has been returned to gopter
}

// fail records the failing case (the ops applied so far).
func (s *sut[Op]) fail(err error) {
	s.err = err
	*s.rec.last = s.rec.failure(err)
}

// untold returns the failure not yet returned to gopter, once.
func (s *sut[Op]) untold() error {
	if s.err == nil || s.told {
		return nil
	}
	s.told = true
	return s.err
}

// run applies op unless an earlier step failed.
func (s *sut[Op]) run(op Op) error {
	if s.err != nil {
		return s.untold()
	}
	s.rec.ops = append(s.rec.ops, op)
	if err := s.apply(op); err != nil {
		s.fail(err)
	}
	return s.untold()
}

// runner is a system under test that applies ops of type Op.
type runner[Op any] interface{ run(Op) error }

// nexter is a gopter state that gives the state after an op (on a copy:
// gopter replays states, so a state is never changed).
type nexter[Op, S any] interface{ next(Op) S }

// command applies one op. Any op may follow any state (errors are part of
// the contract), so it has no precondition.
type command[Op fmt.Stringer, S nexter[Op, S]] struct{ op Op }

func (c command[Op, S]) Run(s commands.SystemUnderTest) commands.Result {
	return gopterOutcome{s.(runner[Op]).run(c.op)}
}
func (c command[Op, S]) NextState(s commands.State) commands.State { return s.(S).next(c.op) }
func (command[Op, S]) PreCondition(commands.State) bool            { return true }
func (command[Op, S]) PostCondition(_ commands.State, r commands.Result) *gopter.PropResult {
	return verdict(r)
}
func (c command[Op, S]) String() string { return "(" + c.op.String() + ")" }

// gopterOutcome is what Run hands to PostCondition.
type gopterOutcome struct{ err error }

func verdict(result commands.Result) *gopter.PropResult {
	if err := result.(gopterOutcome).err; err != nil {
		return gopter.NewPropResult(false, firstLine(err.Error()))
	}
	return &gopter.PropResult{Status: gopter.PropTrue}
}

// endSUT is gopter's DestroySystemUnderTestFunc for a sut.
func endSUT[Op any](s commands.SystemUnderTest) {
	if e := s.(interface{ ended() func() }).ended(); e != nil {
		e()
	}
}

func (s *sut[Op]) ended() func() { return s.end }
