package scenario

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// ReplayOf runs s, a scenario of f's family, on f's buffer under test and
// on the model side by side (f's Pair). It returns the first line whose
// expected answer either of them does not give, or where they differ in
// anything the family's Run observes, or after which the buffer's own
// Check (if any) fails, as "line: ...". An answer the model does not give
// means the scenario, or the model, is wrong: the message says which side
// answered what.
func ReplayOf[C lockstep.Config, O lockstep.Op, R any](f lockstep.Family[C, O, R], s Scenario) error {
	c, ok := s.Config.(C)
	if !ok {
		return fmt.Errorf("%d: not a `%s` scenario", s.Line, f.Header())
	}
	p, err := f.NewPair(c)
	if err != nil {
		return fmt.Errorf("%d: %w", s.Line, err)
	}
	if got := newErrName(p == nil); got != s.NewErr {
		return fmt.Errorf("%d: %s: both sides answered %q, want %q", s.Line, c, got, s.NewErr)
	}
	if p == nil {
		return nil
	}
	defer p.End()
	for _, st := range s.Steps {
		if err := check(p, st); err != nil {
			return fmt.Errorf("%d: %s: %w", st.Line, st, err)
		}
	}
	return nil
}

// check runs one step on p and compares it with its expected answer.
func check[O, R any](p lockstep.Pair[O, R], st Step) error {
	switch x := st.Stmt.(type) {
	case lockstep.Query:
		return p.Query(x, st.Want.Value)
	case O:
		want, err := p.Apply(x)
		if _, got := p.Answer(x, want); !st.Want.Matches(got) {
			return fmt.Errorf("model answered %q: the scenario or the model is wrong", got)
		}
		return err
	}
	return fmt.Errorf("%q is not a statement of this buffer", st.Stmt)
}

// newErrName is the constructor's answer as the format writes it.
func newErrName(refused bool) string {
	if refused {
		return "ErrInvalidSize"
	}
	return ""
}

// CheckCorpusOf replays, on f's buffers, every scenario of f's family in
// every *.scn file at the root of fsys that a buffer with the features of
// opts can run, one subtest per file that has some.
func CheckCorpusOf[C lockstep.Config, O lockstep.Op, R any](t *testing.T, f lockstep.Family[C, O, R], fsys fs.FS, opts ...lockstep.Option) {
	t.Helper()
	feat := lockstep.Features{}.Apply(opts...)
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
			if _, ok := s.Config.(C); ok && feat.Covers(s.Needs()) {
				mine = append(mine, s)
			}
		}
		if len(mine) == 0 {
			continue
		}
		t.Run(file, func(t *testing.T) {
			for _, s := range mine {
				if err := ReplayOf(f, s); err != nil {
					t.Errorf("%s:%v", file, err)
				}
			}
		})
	}
}

// CheckCorpus replays every UnorderedBuffer scenario of every *.scn file
// at the root of fsys against buffers from newBuffer, one subtest per
// file. A fork or a port checks itself against netbuf's whole regression
// corpus with:
//
//	scenario.CheckCorpus(t, myFactory, os.DirFS("testdata"))
//
// Scenarios that use netbuf's additions are replayed only for a buffer that
// has them (see unordered.Detect and its options); the others are counted
// as skipped.
func CheckCorpus(t *testing.T, newBuffer unordered.Factory, fsys fs.FS, opts ...lockstep.Option) {
	t.Helper()
	files, err := fs.Glob(fsys, "*.scn")
	if err != nil || len(files) == 0 {
		t.Fatalf("no *.scn files in the corpus (%v)", err)
	}
	probe, err := newBuffer(1, 1)
	if err != nil {
		t.Fatalf("the factory refuses New(1, 1): %v", err)
	}
	feat := unordered.Detect(probe, opts...)
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			ran, skipped, err := ReplayFile(fsys, file, newBuffer, feat)
			if err != nil {
				t.Error(err)
			}
			if ran == 0 && skipped > 0 {
				t.Skipf("%d scenarios are of another buffer or need features this one does not have", skipped)
			}
		})
	}
}

// ReplayFile parses one file of fsys and replays each of its
// UnorderedBuffer scenarios that a buffer with feat can run. Errors name
// the place as file:line. A file with no scenario is an error.
func ReplayFile(fsys fs.FS, name string, newBuffer unordered.Factory, feat lockstep.Features) (ran, skipped int, err error) {
	ss, err := parseFile(fsys, name)
	if err != nil {
		return 0, 0, err
	}
	file := path.Base(name)
	for _, s := range ss {
		if _, ok := s.Config.(unordered.Config); !ok || !feat.Covers(s.Needs()) {
			skipped++
			continue
		}
		ran++
		if err := ReplayOf(unordered.Family{New: newBuffer}, s); err != nil {
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
		return nil, fmt.Errorf("%s: no scenario (a file holds at least one header: new, ordered, spsc or ring)", file)
	}
	return ss, nil
}
