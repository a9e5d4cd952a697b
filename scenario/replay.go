package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// CheckCorpus replays every scenario of every dir/*.scn file against buffers
// from newBuffer, one subtest per file. A fork or a port of the library
// checks itself against netbuf's whole regression corpus with:
//
//	scenario.CheckCorpus(t, myFactory, "path/to/netbuf/testdata")
func CheckCorpus(t *testing.T, newBuffer properties.Factory, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.scn"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios in %s (%v)", dir, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if err := ReplayFile(file, newBuffer); err != nil {
				t.Error(err)
			}
		})
	}
}

// ReplayFile parses a file and replays each of its scenarios.
func ReplayFile(path string, newBuffer properties.Factory) error {
	text, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	ss, err := Parse(string(text))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, s := range ss {
		if err := Replay(s, newBuffer); err != nil {
			return fmt.Errorf("%s:%w", path, err)
		}
	}
	return nil
}

// Replay runs s on a buffer from newBuffer and on the model side by side.
// It returns the first line whose expected answer either of them does not
// give, or where they differ from each other in anything properties.Run
// observes (popped bytes, callback windows, counters), or after which the
// buffer's own Check (if it has one) fails. An answer the model does not
// give means the scenario, or the model, is wrong: the message says which
// side answered what.
func Replay(s Scenario, newBuffer properties.Factory) error {
	impl, errI := newBuffer(s.Cap, s.Slots)
	ref, errR := model.NewUnordered(s.Cap, s.Slots)
	for _, side := range []struct {
		name string
		err  error
	}{{"model", errR}, {"buffer", errI}} {
		if got := newErrName(side.err); got != s.NewErr {
			return fmt.Errorf("%d: new %d %d: %s answered %q, want %q", s.Line, s.Cap, s.Slots, side.name, got, s.NewErr)
		}
	}
	if s.NewErr != "" {
		return nil
	}
	for _, st := range s.Steps {
		if err := replayStep(st, ref, impl); err != nil {
			return fmt.Errorf("%d: %s: %w", st.Line, st, err)
		}
	}
	return nil
}

// replayStep runs one step on both sides and checks it.
func replayStep(st Step, ref, impl properties.Buffer) error {
	if st.Query != "" {
		for _, side := range []struct {
			name string
			b    properties.Buffer
		}{{"model", ref}, {"buffer", impl}} {
			if v := queries[st.Query](side.b); v != st.Want.Value {
				return fmt.Errorf("%s answered %d", side.name, v)
			}
		}
		return nil
	}
	want := properties.Run(ref, st.Op)
	got := properties.Run(impl, st.Op)
	if !st.Want.matches(answerOf(st.Op, want)) {
		return fmt.Errorf("model answered %q: the scenario or the model is wrong", answerOf(st.Op, want))
	}
	if !st.Want.matches(answerOf(st.Op, got)) {
		return fmt.Errorf("buffer answered %q (model: %q)", answerOf(st.Op, got), answerOf(st.Op, want))
	}
	if d := cmp.Diff(want, got); d != "" {
		return fmt.Errorf("buffer differs from model (-model +buffer):\n%s", d)
	}
	if c, ok := impl.(interface{ Check() error }); ok {
		if err := c.Check(); err != nil {
			return fmt.Errorf("invariant broken: %w", err)
		}
	}
	return nil
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
		return got.Answer == AnswerOK || got.Answer == AnswerBytes
	case w.Answer == AnswerBytes:
		return got.Answer == AnswerBytes && got.Bytes == w.Bytes
	}
	return got.Answer == w.Answer
}

// newErrName names a constructor's error the way the format writes it.
func newErrName(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, netbuf.ErrInvalidSize), errors.Is(err, model.ErrInvalidSize):
		return "ErrInvalidSize"
	}
	return "unexpected error: " + err.Error()
}
