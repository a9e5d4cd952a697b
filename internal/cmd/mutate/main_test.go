package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const testSrc = `package p

func f(j, n int) int {
	if j >= n {
		j -= n
	}
	if j >= n {
		j -= n
	}
	return j
}
`

func TestMarkToken(t *testing.T) {
	cases := []struct {
		line string
		col  int
		want string
	}{
		{"\tif j >= n {", 7, "if j «>=» n {"},
		{"\t\tj -= n", 5, "j «-=» n"},
		{"\tm.n--", 5, "m.n«--»"},
		{"\treturn uint(n) <= uint(w) && !b.busy", 28, "return uint(n) <= uint(w) «&&» !b.busy"},
	}
	for _, tc := range cases {
		got, err := markToken(tc.line, tc.col)
		if err != nil || got != tc.want {
			t.Errorf("markToken(%q, %d) = %q, %v; want %q", tc.line, tc.col, got, err, tc.want)
		}
	}
	if _, err := markToken("\tx", 9); err == nil {
		t.Error("markToken past the end of the line: no error")
	}
}

func TestParseEquivalents(t *testing.T) {
	in := "# comment\n\n" +
		"p/f.go:4:7 CONDITIONALS_BOUNDARY `if j «>=» n {` — j == n cannot happen here\n" +
		"p/f.go:5:5 INVERT_ASSIGNMENTS `j «-=» n` -- ascii dash works too\n"
	got, err := ParseEquivalents(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{File: "p/f.go", Line: 4, Col: 7, Mutator: "CONDITIONALS_BOUNDARY", Text: "if j «>=» n {", Reason: "j == n cannot happen here", Source: 3},
		{File: "p/f.go", Line: 5, Col: 5, Mutator: "INVERT_ASSIGNMENTS", Text: "j «-=» n", Reason: "ascii dash works too", Source: 4},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{
		"p/f.go:4:7 CONDITIONALS_BOUNDARY `if j «>=» n {`\n",            // no reason
		"p/f.go:4 CONDITIONALS_BOUNDARY `if j «>=» n {` — reason\n",     // no column
		"p/f.go:4:7 CONDITIONALS_BOUNDARY `if j >= n {` — reason\n",     // no mark
		"p/f.go:4:7 CONDITIONALS_BOUNDARY if j «>=» n { — reason\n",     // no backquotes
		"p/f.go:4:7 CONDITIONALS_BOUNDARY `«if» j «>=» n {` — reason\n", // two marks
	} {
		if _, err := ParseEquivalents(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseEquivalents(%q): no error", bad)
		}
	}
}

// mutantsOf locates mutants in testSrc, written to a temporary p/f.go.
func mutantsOf(t *testing.T, ms ...Mutant) []Mutant {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(root, fstest.MapFS{"p/f.go": {Data: []byte(testSrc)}}); err != nil {
		t.Fatal(err)
	}
	srcs := &Sources{Root: root}
	for i := range ms {
		ms[i].File = "p/f.go"
		text, err := srcs.MarkedLine(ms[i].File, ms[i].Line, ms[i].Col)
		if err != nil {
			t.Fatal(err)
		}
		ms[i].Text = text
	}
	return ms
}

func entry(line, col int, mutator, text string) Entry {
	return Entry{File: "p/f.go", Line: line, Col: col, Mutator: mutator, Text: text, Reason: "r", Source: line}
}

func TestAssess(t *testing.T) {
	const cb, ia = "CONDITIONALS_BOUNDARY", "INVERT_ASSIGNMENTS"
	ms := func() []Mutant {
		return mutantsOf(t,
			Mutant{Line: 4, Col: 7, Mutator: cb, Status: lived},
			Mutant{Line: 5, Col: 5, Mutator: ia, Status: killed},
			Mutant{Line: 7, Col: 7, Mutator: cb, Status: lived},
			Mutant{Line: 8, Col: 5, Mutator: ia, Status: killed},
			Mutant{Line: 10, Col: 2, Mutator: "X", Status: notCovered},
		)
	}
	t.Run("all survivors listed", func(t *testing.T) {
		r := Assess(ms(), []Entry{entry(4, 7, cb, "if j «>=» n {"), entry(7, 7, cb, "if j «>=» n {")}, 50)
		if !r.Pass() || len(r.Equivalent) != 2 || r.Efficacy() != 50 || r.NonEquivalentEfficacy() != 100 {
			t.Errorf("pass=%v equivalent=%d efficacy=%v/%v problems=%q", r.Pass(), len(r.Equivalent), r.Efficacy(), r.NonEquivalentEfficacy(), r.Problems)
		}
	})
	t.Run("below threshold", func(t *testing.T) {
		r := Assess(ms(), []Entry{entry(4, 7, cb, "if j «>=» n {"), entry(7, 7, cb, "if j «>=» n {")}, 95)
		if r.Pass() {
			t.Error("50% efficacy passed a 95% threshold")
		}
	})
	t.Run("unexplained survivor", func(t *testing.T) {
		r := Assess(ms(), []Entry{entry(4, 7, cb, "if j «>=» n {")}, 0)
		if r.Pass() || len(r.Unexplained) != 1 || r.Unexplained[0].Line != 7 {
			t.Errorf("pass=%v unexplained=%+v", r.Pass(), r.Unexplained)
		}
	})
	t.Run("entry matching nothing fails", func(t *testing.T) {
		r := Assess(ms(), []Entry{entry(4, 7, cb, "if j «>=» n {"), entry(7, 7, cb, "if j «>=» n {"), entry(4, 7, cb, "if j «>» n {")}, 0)
		if r.Pass() || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "matches no mutant") {
			t.Errorf("pass=%v problems=%q", r.Pass(), r.Problems)
		}
	})
	t.Run("entry listing a killed mutant fails", func(t *testing.T) {
		es := []Entry{entry(4, 7, cb, "if j «>=» n {"), entry(7, 7, cb, "if j «>=» n {"), entry(5, 5, ia, "j «-=» n")}
		r := Assess(ms(), es, 0)
		if r.Pass() || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "KILLED") {
			t.Errorf("pass=%v problems=%q", r.Pass(), r.Problems)
		}
	})
	t.Run("moved entry still matches, with a note", func(t *testing.T) {
		one := mutantsOf(t, Mutant{Line: 4, Col: 7, Mutator: cb, Status: lived}, Mutant{Line: 5, Col: 5, Mutator: ia, Status: killed})
		r := Assess(one, []Entry{entry(40, 7, cb, "if j «>=» n {")}, 0)
		if !r.Pass() || len(r.Notes) != 1 {
			t.Errorf("pass=%v notes=%q problems=%q", r.Pass(), r.Notes, r.Problems)
		}
	})
	t.Run("identical lines need the line number", func(t *testing.T) {
		r := Assess(ms(), []Entry{entry(4, 7, cb, "if j «>=» n {"), entry(6, 7, cb, "if j «>=» n {")}, 0)
		if r.Pass() || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "ambiguous") {
			t.Errorf("pass=%v problems=%q", r.Pass(), r.Problems)
		}
	})
	t.Run("wrong mutator does not match", func(t *testing.T) {
		r := Assess(ms(), []Entry{entry(4, 7, ia, "if j «>=» n {"), entry(7, 7, cb, "if j «>=» n {")}, 0)
		if r.Pass() || len(r.Unexplained) != 1 || len(r.Problems) != 1 {
			t.Errorf("pass=%v unexplained=%d problems=%q", r.Pass(), len(r.Unexplained), r.Problems)
		}
	})
}

// The module copy keeps every package but the listed ones: the stages
// need the packages their tests import.
func TestCopyModule(t *testing.T) {
	root, dst := t.TempDir(), filepath.Join(t.TempDir(), "src")
	if err := os.CopyFS(root, fstest.MapFS{
		"go.mod":                           {Data: []byte("module m\n")},
		"netbuf/ring.go":                   {Data: []byte("package netbuf\n")},
		"netbuf/udp/udp.go":                {Data: []byte("package udp\n")},
		"cmd/tool/main.go":                 {Data: []byte("package main\n")},
		"docs/SPEC.md":                     {Data: []byte("spec\n")},
		".git/HEAD":                        {Data: []byte("ref\n")},
		".gremlins.yaml":                   {Data: []byte("unleash:\n")},
		"properties/testdata/rapid/x.fail": {Data: []byte("fail\n")},
		"properties/p.go":                  {Data: []byte("package properties\n")},
		"step/step.go":                     {Data: []byte("package step\n")},
		"corpus/a.scn":                     {Data: []byte("new 1 1\n")},
		"internal/slicebuf/s.go":           {Data: []byte("package slicebuf\n")},
	}); err != nil {
		t.Fatal(err)
	}
	if err := copyModule(dst, root); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dst, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	want := []string{".gremlins.yaml", "corpus/a.scn", "go.mod", "internal/slicebuf/s.go", "netbuf/ring.go", "properties/p.go", "step/step.go"}
	if !slices.Equal(got, want) {
		t.Errorf("copied %q, want %q", got, want)
	}
}

func TestProgress(t *testing.T) {
	var out, log strings.Builder
	p := &progress{name: "ring", total: 12, out: &out, log: &log}
	chunks := []string{
		"Starting...\nGathering coverage... ", // shown before its line ends
		"done in 1s\n      KILLED CONDITIONALS_BOUNDARY at netbuf/ring.go:82:7\n",
		"\x1b[91mLIVED\x1b[0m INVERT_LOGICAL at netbuf/batch.go:1:2\n NOT COVERED ARITHMETIC_BASE at netbuf/x.go:3:4\n",
		"Killed: 1, Lived: 1",
	}
	var in string
	for i, c := range chunks {
		p.Write([]byte(c))
		in += c
		if i == 0 && out.String() != "Starting...\nGathering coverage... " {
			t.Errorf("after the first chunk, out = %q", out.String())
		}
	}
	p.flush()
	want := "Starting...\nGathering coverage... done in 1s\n" +
		"mutate ring  1/12       KILLED CONDITIONALS_BOUNDARY at netbuf/ring.go:82:7\n" +
		"mutate ring  2/12 LIVED INVERT_LOGICAL at netbuf/batch.go:1:2\n" +
		"mutate ring  3/12  NOT COVERED ARITHMETIC_BASE at netbuf/x.go:3:4\n" +
		"Killed: 1, Lived: 1\n"
	if out.String() != want || log.String() != in || p.done != 3 {
		t.Errorf("out:\n%s\nwant:\n%s\nlog %q, done %d", out.String(), want, log.String(), p.done)
	}
}
