package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Shards split netbuf/ by concept. A shard has its own files, whose
// mutants it makes, and its own per-mutant suite: only the tests that
// verify those files, in stages, cheapest first. `make mutate` runs every
// shard in turn and gates each one on its own.
//
// Why: run against the whole suite, a mutant of the OrderedBuffer waits
// for the unordered property engines, and every mutant waits for the
// tests of the suite itself (the broken-buffer children, the gopter
// engine's shrinking), the benchmark harness and the model. Scoped, a
// mutant costs one build of netbuf and the tests that can see it.
//
// Every Go file of the mutated directory (tests aside) must be in exactly
// one shard: a new file fails the run until a shard takes it, so that no
// code leaves the gate unnoticed.
type Shard struct {
	Name string
	// Files are path.Match patterns of file names in the mutated
	// directory.
	Files []string
	// Stages are the per-mutant suite, run in this order; the first
	// failing stage kills the mutant and ends its run.
	Stages []Stage
	// Env is added to every run of the shard's suite (after suiteEnv).
	Env []string
}

// mutatedDir is the directory whose files the shards split, relative to
// the module root.
const mutatedDir = "netbuf"

// Stage is one `go test` of the per-mutant suite: one package, the tests
// that -run selects there, minus those -skip names.
type Stage struct {
	Pkg  string // "./netbuf"
	Run  string // -run
	Skip string // -skip, or ""
	Why  string // what these tests check, for the listing
}

// Test names, anchored. \w* after a prefix takes the tests that share it.
var shards = []Shard{
	{
		Name: "ring+unordered",
		// Ring, UnorderedBuffer and what they share: placement, PushBatch,
		// the two-phase API, Check, the errors.
		Files: []string{"ring.go", "unordered.go", "place.go", "batch.go", "twophase.go", "check.go", "errors.go", "doc.go"},
		Stages: []Stage{
			{Pkg: "./netbuf", Why: "unit tests and examples",
				Run: `^(Test(Unordered|PushBatch|TwoPhase|Check|Ring|NewRing|NewUnorderedBuffer|ZeroAllocsPerPacket)\w*|Example|Example(Ring|UnorderedBuffer)\w*)$`},
			{Pkg: "./fuzz", Run: `^(FuzzUnordered|FuzzRing|FuzzScenario)$`, Why: "fuzz seeds"},
			{Pkg: "./internal/scenario", Run: `^(TestCorpus|TestRingCorpus)$`, Why: "regression corpus"},
			{Pkg: "./properties", Run: `^(TestUnordered|TestRing)$`, Why: "property engines"},
		},
	},
	{
		Name:  "ordered",
		Files: []string{"ordered*.go"},
		Stages: []Stage{
			{Pkg: "./netbuf", Run: `^(TestOrdered\w*|ExampleOrderedBuffer\w*)$`, Why: "unit tests and examples",
				Skip: `^TestOrderedBenchImpls$`}, // the benchmark's other receivers
			{Pkg: "./fuzz", Run: `^FuzzOrdered$`, Why: "fuzz seeds"},
			{Pkg: "./internal/scenario", Run: `^TestOrderedCorpus$`, Why: "regression corpus"},
			{Pkg: "./properties", Run: `^TestOrdered$`, Why: "property engines"},
		},
	},
	{
		Name:  "spsc",
		Files: []string{"spsc*.go"},
		Stages: []Stage{
			{Pkg: "./netbuf", Run: `^(Test(SPSC|NewSPSC)\w*|Example(SPSC|NewSPSC)\w*)$`, Why: "unit tests, examples and the two-goroutine stress test"},
			{Pkg: "./fuzz", Run: `^FuzzSPSC$`, Why: "fuzz seeds"},
			{Pkg: "./internal/scenario", Run: `^TestSPSCCorpus$`, Why: "regression corpus"},
			{Pkg: "./properties", Run: `^TestSPSC$`, Why: "property engines"},
		},
	},
}

// shardNames lists the shards, for messages.
func shardNames() string {
	var names []string
	for _, s := range shards {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// selectShards returns the shards named in list (comma-separated), in the
// order of the table, or every shard if list is "".
func selectShards(list string) ([]Shard, error) {
	if list == "" {
		return slices.Clone(shards), nil
	}
	names := strings.Split(list, ",")
	for _, n := range names {
		if shardByName(n) == nil {
			return nil, fmt.Errorf("no shard %q (shards: %s)", n, shardNames())
		}
	}
	var out []Shard
	for _, s := range shards {
		if slices.Contains(names, s.Name) {
			out = append(out, s)
		}
	}
	return out, nil
}

func shardByName(name string) *Shard {
	for i := range shards {
		if shards[i].Name == name {
			return &shards[i]
		}
	}
	return nil
}

// Has reports whether the shard mutates file, a name in the mutated
// directory ("ring.go").
func (s *Shard) Has(file string) bool {
	for _, p := range s.Files {
		if ok, _ := path.Match(p, file); ok {
			return true
		}
	}
	return false
}

// shardOf returns the shard that mutates file, or nil.
func shardOf(file string) *Shard {
	for i := range shards {
		if shards[i].Has(file) {
			return &shards[i]
		}
	}
	return nil
}

// sourceFiles lists the Go files of dir that gremlins mutates: not
// tests, not in subdirectories.
func sourceFiles(dir string) ([]string, error) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range es {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			out = append(out, n)
		}
	}
	return out, nil
}

// checkAssignment requires every file to be in exactly one shard.
func checkAssignment(files []string) error {
	var problems []string
	for _, f := range files {
		var in []string
		for _, s := range shards {
			if s.Has(f) {
				in = append(in, s.Name)
			}
		}
		switch len(in) {
		case 0:
			problems = append(problems, fmt.Sprintf("%s is in no shard: add it to the shard of its concept (or a new one) in internal/cmd/mutate/shards.go", f))
		case 1:
		default:
			problems = append(problems, fmt.Sprintf("%s is in %d shards (%s): it must be in one", f, len(in), strings.Join(in, ", ")))
		}
	}
	if problems != nil {
		return fmt.Errorf("the shards do not partition the mutated files:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// excludeFiles returns gremlins' --exclude-files patterns that leave it
// the shard's files only: every other file by name, and every
// subdirectory. gremlins matches them against paths relative to the
// mutated directory.
func (s *Shard) excludeFiles(files []string) []string {
	out := []string{"/"}
	for _, f := range files {
		if !s.Has(f) {
			out = append(out, "^"+regexp.QuoteMeta(f)+"$")
		}
	}
	return out
}

// mine returns the files of files that the shard mutates.
func (s *Shard) mine(files []string) []string {
	return slices.DeleteFunc(slices.Clone(files), func(f string) bool { return !s.Has(f) })
}

// describe lists the stages, one per line, for the run's header.
func (s *Shard) describe() string {
	var b strings.Builder
	for i, st := range s.Stages {
		fmt.Fprintf(&b, "  stage %d: go test %s -run '%s'", i+1, st.Pkg, st.Run)
		if st.Skip != "" {
			fmt.Fprintf(&b, " -skip '%s'", st.Skip)
		}
		fmt.Fprintf(&b, "  (%s)\n", st.Why)
	}
	return b.String()
}

// fileOf is the name of a repository path in the mutated directory
// ("netbuf/ring.go" is "ring.go"), or "" if it is not there.
func fileOf(p string) string {
	rel, err := filepath.Rel(mutatedDir, p)
	if err != nil || strings.HasPrefix(rel, "..") || strings.Contains(filepath.ToSlash(rel), "/") {
		return ""
	}
	return rel
}

// shardEntries returns the entries on the shard's files.
func shardEntries(entries []Entry, s *Shard) []Entry {
	var out []Entry
	for _, e := range entries {
		if f := fileOf(e.File); f != "" && s.Has(f) {
			out = append(out, e)
		}
	}
	return out
}

// orphanEntries returns a problem for each entry of the equivalents file
// on a file that no shard mutates: it can never match a mutant.
func orphanEntries(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		if f := fileOf(e.File); f == "" || shardOf(f) == nil {
			out = append(out, fmt.Sprintf("entry on line %d is on a file that no shard mutates: update or remove it\n    %s", e.Source, e))
		}
	}
	return out
}
