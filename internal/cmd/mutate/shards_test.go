package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestShardsPartition(t *testing.T) {
	files := []string{"ring.go", "unordered.go", "place.go", "ordered.go", "ordered_seq.go", "spsc.go", "spsc_wait.go", "doc.go", "errors.go"}
	if err := checkAssignment(files); err != nil {
		t.Fatal(err)
	}
	err := checkAssignment(append(files, "sieve.go"))
	if err == nil || !strings.Contains(err.Error(), "sieve.go is in no shard") {
		t.Errorf("a file in no shard: %v", err)
	}
	for _, s := range shards {
		for _, st := range s.Stages {
			for _, re := range []string{st.Run, st.Skip} {
				if _, err := regexp.Compile(re); err != nil {
					t.Errorf("shard %s, stage %s: %v", s.Name, st.Pkg, err)
				}
			}
		}
	}
}

// gremlins matches --exclude-files against paths relative to the mutated
// directory: every file but the shard's, and every subdirectory, go.
func TestExcludeFiles(t *testing.T) {
	s := shardByName("ordered")
	files := []string{"ordered.go", "ordered_seq.go", "ring.go", "unordered.go"}
	var res []*regexp.Regexp
	for _, x := range s.excludeFiles(files) {
		res = append(res, regexp.MustCompile(x))
	}
	excluded := func(p string) bool {
		return slices.ContainsFunc(res, func(re *regexp.Regexp) bool { return re.MatchString(p) })
	}
	for p, want := range map[string]bool{
		"ordered.go": false, "ordered_seq.go": false, "ring.go": true, "unordered.go": true, "udp/ordered.go": true,
	} {
		if excluded(p) != want {
			t.Errorf("%s excluded: %v, want %v", p, !want, want)
		}
	}
}

// tinyModule has two packages whose tests pass or fail as asked: a's
// TestA fails if A_FAILS is set, hangs if A_HANGS is; b's TestB writes
// B_RAN's file.
func tinyModule(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(root, fstest.MapFS{
		"go.mod": {Data: []byte("module m\n\ngo 1.26\n")},
		"a/a.go": {Data: []byte("package a\n\nfunc Max(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n")},
		"a/a_test.go": {Data: []byte(`package a

import (
	"os"
	"testing"
)

func TestA(t *testing.T) {
	if os.Getenv("A_FAILS") != "" || Max(2, 1) != 2 {
		t.Fatal("A")
	}
	for os.Getenv("A_HANGS") != "" {
	}
}

func TestOther(t *testing.T) { t.Fatal("not selected") }
`)},
		"b/b_test.go": {Data: []byte(`package b

import (
	"os"
	"testing"

	"m/a"
)

func TestB(t *testing.T) {
	if f := os.Getenv("B_RAN"); f != "" {
		os.WriteFile(f, nil, 0o644)
	}
	if a.Max(1, 2) != 2 {
		t.Fatal("B")
	}
}
`)},
	}); err != nil {
		t.Fatal(err)
	}
	return root
}

var tinyShard = Shard{Name: "tiny", Files: []string{"a.go"}, Stages: []Stage{
	{Pkg: "./a", Run: "^TestA$"},
	{Pkg: "./b", Run: "^TestB$"},
}}

func TestRunStages(t *testing.T) {
	root := tinyModule(t)
	ran := filepath.Join(t.TempDir(), "b-ran")
	t.Setenv("B_RAN", ran)
	run := func(s *Shard) stageRun {
		t.Helper()
		os.Remove(ran)
		var out strings.Builder
		return runStages(context.Background(), goCommand(), root, s, []string{"-count=1", "-failfast"}, false, &out, nil)
	}
	s := tinyShard
	if r := run(&s); r.err != nil || r.stage != -1 {
		t.Fatalf("passing stages: %+v", r)
	}
	if _, err := os.Stat(ran); err != nil {
		t.Error("stage 2 did not run")
	}
	t.Setenv("A_FAILS", "1")
	if r := run(&s); r.err == nil || r.stage != 0 || r.hung {
		t.Errorf("stage 1 fails: %+v", r)
	}
	if _, err := os.Stat(ran); err == nil {
		t.Error("stage 2 ran after stage 1 failed")
	}
	t.Setenv("A_FAILS", "")
	t.Setenv("A_HANGS", "1")
	s.limits = []time.Duration{2 * time.Second, time.Minute}
	if r := run(&s); r.err == nil || r.stage != 0 || !r.hung {
		t.Errorf("stage 1 hangs past its limit: %+v", r)
	}
}

func TestWithTimeout(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"-timeout", "1m0s", "-failfast"}, []string{"-timeout", "15s", "-failfast"}},
		{[]string{"-timeout", "5s"}, []string{"-timeout", "5s"}},
		{[]string{"-failfast"}, []string{"-failfast", "-timeout", "15s"}},
	} {
		if got := withTimeout(slices.Clone(tc.in), 15*time.Second); !slices.Equal(got, tc.want) {
			t.Errorf("withTimeout(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMergeProfiles(t *testing.T) {
	dir := t.TempDir()
	a, b, dst := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "all")
	os.WriteFile(a, []byte("mode: set\nm/a.go:3.1,4.2 1 1\n"), 0o644)
	os.WriteFile(b, []byte("mode: set\nm/a.go:3.1,4.2 1 0\nm/a.go:5.1,6.2 1 1\n"), 0o644)
	if err := mergeProfiles(dst, []string{a, b, filepath.Join(dir, "missing")}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dst)
	if want := "mode: set\nm/a.go:3.1,4.2 1 1\nm/a.go:3.1,4.2 1 0\nm/a.go:5.1,6.2 1 1\n"; string(got) != want {
		t.Errorf("merged:\n%s\nwant:\n%s", got, want)
	}
}

// gremlins writes the mutated file through go/printer, which realigns
// comments and fields; the run is found by the first token that differs.
func TestChangedToken(t *testing.T) {
	orig := "package p\n\ntype T struct {\n\tA    int // a\n\tBbbb int // b\n}\n\nfunc f(j, n int) bool {\n\treturn j <= n\n}\n"
	mutated := "package p\n\ntype T struct {\n\tA\tint\t// a\n\tBbbb\tint\t// b\n}\n\nfunc f(j, n int) bool {\n\treturn j < n\n}\n"
	line, col, tok, ok := changedToken([]byte(orig), []byte(mutated))
	if !ok || line != 9 || col != 11 || tok != "<" {
		t.Errorf("changedToken = %d:%d %q %v, want 9:11 \"<\" true", line, col, tok, ok)
	}
	// a || b || c written as a && b || c: go/printer adds parentheses.
	orig2 := "package p\n\nfunc f(a, b, c bool) bool {\n\treturn a || b || c\n}\n"
	mutated2 := "package p\n\nfunc f(a, b, c bool) bool {\n\treturn (a && b) || c\n}\n"
	if line, col, tok, ok := changedToken([]byte(orig2), []byte(mutated2)); !ok || line != 4 || col != 11 || tok != "&&" {
		t.Errorf("changedToken with parentheses = %d:%d %q %v, want 4:11 \"&&\" true", line, col, tok, ok)
	}
	if _, _, _, ok := changedToken([]byte(orig), []byte(orig)); ok {
		t.Error("no change found a change")
	}
}

func TestRecordAndApplyRuns(t *testing.T) {
	work, src, runs := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "runs")
	orig := []byte(testSrc)
	mutated, err := mutate(orig, 4, 7, "CONDITIONALS_BOUNDARY")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(src, "p"), 0o755)
	os.MkdirAll(filepath.Join(work, "p"), 0o755)
	os.WriteFile(filepath.Join(src, "p", "f.go"), orig, 0o644)
	os.WriteFile(filepath.Join(work, "p", "f.go"), mutated, 0o644)
	t.Chdir(work)
	s := &Shard{Name: "p", Files: []string{"f.go"}}
	if err := recordRun(runs, src, "p", s, stageRun{stage: 1, hung: true}); err != nil {
		t.Fatal(err)
	}
	rs, err := readRuns(runs)
	if err != nil || len(rs) != 1 {
		t.Fatalf("runs %+v, %v", rs, err)
	}
	want := Run{File: "p/f.go", Line: 4, Col: 7, Op: ">", Stage: 2, Hung: true}
	if rs[0] != want {
		t.Errorf("run %+v, want %+v", rs[0], want)
	}
	ms := mutantsOf(t,
		Mutant{Line: 4, Col: 7, Mutator: "CONDITIONALS_BOUNDARY", Status: killed},
		Mutant{Line: 4, Col: 7, Mutator: "CONDITIONALS_NEGATION", Status: killed},
		Mutant{Line: 7, Col: 7, Mutator: "CONDITIONALS_BOUNDARY", Status: killed},
	)
	if n := applyRuns(ms, rs); n != 1 || ms[0].Status != timedOut || ms[0].Stage != 2 || ms[1].Status != killed || ms[2].Status != killed {
		t.Errorf("applyRuns = %d: %+v", n, ms)
	}
}

func TestOverall(t *testing.T) {
	pass := func(name string) *Result {
		r := Assess(mutantsOf(t, Mutant{Line: 5, Col: 5, Mutator: "INVERT_ASSIGNMENTS", Status: killed}), nil, 95)
		r.Shard = name
		return r
	}
	failing := Assess(mutantsOf(t, Mutant{Line: 4, Col: 7, Mutator: "CONDITIONALS_BOUNDARY", Status: lived}), nil, 95)
	failing.Shard = "b"
	var out strings.Builder
	all := Overall([]*Result{pass("a"), failing}, nil, 95, time.Minute)
	all.Print(&out)
	if all.Pass() || !strings.Contains(out.String(), "MUTATE shards=a,b mutants=2 killed=1 lived=1") || !strings.Contains(out.String(), "result=FAIL") {
		t.Errorf("one shard failing: pass %v\n%s", all.Pass(), out.String())
	}
	if all := Overall([]*Result{pass("a"), pass("c")}, nil, 95, time.Minute); !all.Pass() {
		t.Error("two passing shards fail")
	}
	if all := Overall([]*Result{pass("a")}, []string{"stray entry"}, 95, time.Minute); all.Pass() {
		t.Error("a stray entry passes")
	}
}

func TestEntriesByShard(t *testing.T) {
	es := []Entry{
		{File: "netbuf/place.go", Source: 1},
		{File: "netbuf/ordered_seq.go", Source: 2},
		{File: "netbuf/gone.go", Source: 3},
		{File: "model/model.go", Source: 4},
	}
	got := shardEntries(es, "netbuf", shardByName("ring+unordered"))
	if len(got) != 1 || got[0].Source != 1 {
		t.Errorf("ring+unordered's entries: %+v", got)
	}
	if o := orphanEntries(es, "netbuf"); len(o) != 2 || !strings.Contains(o[0], "line 3") || !strings.Contains(o[1], "line 4") {
		t.Errorf("orphans: %q", o)
	}
}

func TestSelectShards(t *testing.T) {
	all, err := selectShards("")
	if err != nil || len(all) != len(shards) {
		t.Fatalf("every shard: %d, %v", len(all), err)
	}
	two, err := selectShards("spsc,ring+unordered")
	if err != nil || len(two) != 2 || two[0].Name != "ring+unordered" || two[1].Name != "spsc" {
		t.Errorf("two shards: %+v, %v", two, err)
	}
	if _, err := selectShards("ordered,nope"); err == nil || !strings.Contains(err.Error(), `no shard "nope"`) {
		t.Errorf("an unknown shard: %v", err)
	}
}
