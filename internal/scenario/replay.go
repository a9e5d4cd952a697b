package scenario

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// CheckCorpus replays every scenario of every *.scn file at the root of
// fsys against buffers from newBuffer, one subtest per file. A fork or a
// port checks itself against netbuf's whole regression corpus with:
//
//	scenario.CheckCorpus(t, myFactory, corpus.FS)
//
// Scenarios that use netbuf's additions are replayed only for a buffer that
// has them (see step.Detect and its options); the others are counted as
// skipped.
func CheckCorpus(t *testing.T, newBuffer step.Factory, fsys fs.FS, opts ...step.Option) {
	t.Helper()
	files, err := fs.Glob(fsys, "*.scn")
	if err != nil || len(files) == 0 {
		t.Fatalf("no *.scn files in the corpus (%v)", err)
	}
	probe, err := newBuffer(1, 1)
	if err != nil {
		t.Fatalf("the factory refuses New(1, 1): %v", err)
	}
	feat := step.Detect(probe, opts...)
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			ran, skipped, err := ReplayFile(fsys, file, newBuffer, feat)
			if err != nil {
				t.Error(err)
			}
			if ran == 0 && skipped > 0 {
				t.Skipf("%d scenarios need features the buffer does not have", skipped)
			}
		})
	}
}

// ReplayFile parses one file of fsys and replays each of its scenarios
// that a buffer with feat can run. Errors name the place as file:line. A
// file with no scenario is an error.
func ReplayFile(fsys fs.FS, name string, newBuffer step.Factory, feat step.Features) (ran, skipped int, err error) {
	ss, err := parseFile(fsys, name)
	if err != nil {
		return 0, 0, err
	}
	file := path.Base(name)
	for _, s := range ss {
		if !s.Unordered() || !feat.Covers(lockstep.Features(s.Needs())) {
			skipped++
			continue
		}
		ran++
		if err := Replay(s, newBuffer); err != nil {
			return ran, skipped, fmt.Errorf("%s:%w", file, err)
		}
	}
	return ran, skipped, nil
}

// parseFile reads and parses one file of fsys; errors name file:line, and a
// file with no scenario is an error.
func parseFile(fsys fs.FS, name string) ([]Scenario, error) {
	text, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	file := path.Base(name)
	ss, err := Parse(string(text))
	if se := (*SyntaxError)(nil); errors.As(err, &se) {
		return nil, fmt.Errorf("%s:%d: %w", file, se.Line, se.Err)
	}
	if len(ss) == 0 {
		return nil, fmt.Errorf("%s: no scenario (a file holds at least one `new` or `ordered`)", file)
	}
	return ss, nil
}

// Replay runs s on a buffer from newBuffer and on the model side by side
// (step.Pair). It returns the first line whose expected answer either of
// them does not give, or where they differ in anything step.Run observes,
// or after which the buffer's own Check (if any) fails, as "line: ...". An
// answer the model does not give means the scenario, or the model, is
// wrong: the message says which side answered what.
func Replay(s Scenario, newBuffer step.Factory) error {
	if !s.Unordered() {
		return fmt.Errorf("%d: not an UnorderedBuffer scenario: use ReplayOrdered or ReplaySPSC", s.Line)
	}
	p, err := step.NewPair(newBuffer, s.Cap, s.Slots)
	if err != nil {
		return fmt.Errorf("%d: %w", s.Line, err)
	}
	if got := newErrName(p == nil); got != s.NewErr {
		return fmt.Errorf("%d: new %d %d: both sides answered %q, want %q", s.Line, s.Cap, s.Slots, got, s.NewErr)
	}
	if p == nil {
		return nil
	}
	for _, st := range s.Steps {
		if err := check(p, st); err != nil {
			return fmt.Errorf("%d: %s: %w", st.Line, st, err)
		}
	}
	return nil
}

// newErrName is the constructor's answer as the format writes it.
func newErrName(refused bool) string {
	if refused {
		return "ErrInvalidSize"
	}
	return ""
}

// check runs one step on p and compares it with its expected answer.
func check(p *step.Pair, st Step) error {
	if st.Query != "" {
		for _, side := range []struct {
			name string
			b    step.Buffer
		}{{"model", p.Ref}, {"buffer", p.Impl}} {
			if v, _ := query(st.Query, side.b); v != st.Want.Value {
				return fmt.Errorf("%s answered %d", side.name, v)
			}
		}
		return nil
	}
	want, err := p.Apply(st.Op)
	if !st.Want.matches(answerOf(st.Op, want)) {
		return fmt.Errorf("model answered %q: the scenario or the model is wrong", answerOf(st.Op, want))
	}
	return err
}

// matches reports whether an observed answer (from answerOf, with both
// counters) satisfies w. "ok" accepts any success.
func (w Want) matches(got Want) bool {
	switch {
	case w.Used >= 0 && w.Used != got.Used, w.Len >= 0 && w.Len != got.Len:
		return false
	case w.Answer == "":
		return true
	case w.Answer == AnswerOK:
		return got.Answer == AnswerOK || got.Answer == AnswerBytes || got.Answer == AnswerPackets
	case w.Answer == AnswerBytes, w.Answer == AnswerPackets:
		return got.Answer == w.Answer && got.Bytes == w.Bytes
	}
	return got.Answer == w.Answer
}

// checkCorpusOf replays, with replay, the scenarios of every *.scn file at
// the root of fsys that are of (one buffer's) and that the options cover,
// one subtest per file that has some.
func checkCorpusOf(t *testing.T, fsys fs.FS, opts []step.Option, of func(Scenario) bool, replay func(Scenario) error) {
	t.Helper()
	var feat step.Features
	for _, o := range opts {
		o(&feat)
	}
	files, err := fs.Glob(fsys, "*.scn")
	if err != nil || len(files) == 0 {
		t.Fatalf("no *.scn files in the corpus (%v)", err)
	}
	for _, file := range files {
		ss, err := parseFile(fsys, file)
		if err != nil {
			t.Error(err)
			continue
		}
		var mine []Scenario
		for _, s := range ss {
			if of(s) && feat.Covers(lockstep.Features(s.Needs())) {
				mine = append(mine, s)
			}
		}
		if len(mine) == 0 {
			continue
		}
		t.Run(file, func(t *testing.T) {
			for _, s := range mine {
				if err := replay(s); err != nil {
					t.Errorf("%s:%v", file, err)
				}
			}
		})
	}
}
