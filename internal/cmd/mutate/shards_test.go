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
	run := func(limits ...time.Duration) error {
		t.Helper()
		os.Remove(ran)
		var out strings.Builder
		times, err := runStages(context.Background(), goCommand(), root, &tinyShard, limits, &out)
		if err == nil && len(times) != 2 {
			t.Errorf("times of %d stages, want 2", len(times))
		}
		return err
	}
	if err := run(); err != nil {
		t.Fatalf("passing stages: %v", err)
	}
	if _, err := os.Stat(ran); err != nil {
		t.Error("stage 2 did not run")
	}
	t.Setenv("A_FAILS", "1")
	if err := run(); err == nil || !strings.Contains(err.Error(), "stage 1") || exitStatus(err) != 1 {
		t.Errorf("stage 1 fails: %v, exit %d", err, exitStatus(err))
	}
	if _, err := os.Stat(ran); err == nil {
		t.Error("stage 2 ran after stage 1 failed")
	}
	t.Setenv("A_FAILS", "")
	t.Setenv("A_HANGS", "1")
	if err := run(2*time.Second, time.Minute); err == nil || exitStatus(err) != 1 {
		t.Errorf("stage 1 hangs past its limit: %v", err)
	}
}

// The coverage profile covers every line of the shard's files, and only
// theirs, so that gremlins runs every mutant of the shard.
func TestWriteProfile(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(root, fstest.MapFS{
		"go.mod":                 {Data: []byte("module m\n")},
		"netbuf/ordered.go":      {Data: []byte("package netbuf\n\nfunc f() {}\n")},
		"netbuf/ring.go":         {Data: []byte("package netbuf\n")},
		"netbuf/ordered_test.go": {Data: []byte("package netbuf\n")},
	}); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	if err := writeProfile("cover.out", shardByName("ordered")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile("cover.out")
	if want := "mode: set\nm/netbuf/ordered.go:1.1,5.1 1 1\n"; string(b) != want {
		t.Errorf("profile %q, want %q", b, want)
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
	all := &Total{Shards: []*Result{pass("a"), failing}, Threshold: 95}
	all.Print(&out)
	if all.Pass() || !strings.Contains(out.String(), "MUTATE shards=a,b mutants=2 killed=1 lived=1") || !strings.Contains(out.String(), "result=FAIL") {
		t.Errorf("one shard failing: pass %v\n%s", all.Pass(), out.String())
	}
	if all := (&Total{Shards: []*Result{pass("a"), pass("c")}, Threshold: 95}); !all.Pass() {
		t.Error("two passing shards fail")
	}
	if all := (&Total{Shards: []*Result{pass("a")}, Problems: []string{"stray entry"}, Threshold: 95}); all.Pass() {
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
	got := shardEntries(es, shardByName("ring+unordered"))
	if len(got) != 1 || got[0].Source != 1 {
		t.Errorf("ring+unordered's entries: %+v", got)
	}
	if o := orphanEntries(es); len(o) != 2 || !strings.Contains(o[0], "line 3") || !strings.Contains(o[1], "line 4") {
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
