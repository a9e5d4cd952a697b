package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	seedtesting "github.com/netbuf-go/netbuf/internal/cmd/libfuzz/seedtesting"
)

const sampleHarness = `package foo_test

import (
	"testing"
)

// FuzzBytes has a comment.
func FuzzBytes(f *testing.F) {
	f.Add([]byte{1, 2})
	f.Fuzz(func(t *testing.T, data []byte) {})
}

func FuzzTwo(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b string, c []byte) {})
}

func FuzzHelperOnly(t *testing.T) {} // not a fuzz target

func helper(f *testing.F) {}
`

// sampleOther is a second external test file: a target and a helper the
// first file's targets could use.
const sampleOther = `package foo_test

import (
	"os"
	"testing"
)

const seedsVar = "X"

func FuzzThree(f *testing.F) {
	_ = os.Getenv(seedsVar)
	f.Fuzz(func(t *testing.T, s string) {})
}
`

// sampleInternal is a file of the internal test package, and sampleNone an
// external one without a target: neither is merged.
const (
	sampleInternal = "package foo\n\nimport \"testing\"\n\nfunc FuzzInside(f *testing.F) {}\n"
	sampleNone     = "package foo_test\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {}\n"
)

func writeSample(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestParseHarness(t *testing.T) {
	h, err := parseHarness(writeSample(t, map[string]string{
		"a_test.go": sampleHarness, "b_test.go": sampleOther, "c_test.go": sampleInternal, "d_test.go": sampleNone,
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []target{{"FuzzBytes", []string{"[]byte"}}, {"FuzzTwo", []string{"string", "string", "[]byte"}}, {"FuzzThree", []string{"string"}}}
	if !reflect.DeepEqual(h.targets, want) {
		t.Errorf("targets = %v, want %v", h.targets, want)
	}
	src, err := h.withPackage("main", "example.com/stand/in")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, want := range []string{"package main\n", "\ttesting \"example.com/stand/in\"\n\t\"os\"\n)", "// From a_test.go.", "// From b_test.go.", "const seedsVar"} {
		if !strings.Contains(text, want) {
			t.Errorf("merged source lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "FuzzInside") || strings.Contains(text, "TestX") {
		t.Errorf("merged source has a file it should not:\n%s", text)
	}
	if strings.Count(string(h.src), "\"testing\"") != 1 {
		t.Errorf("\"testing\" not imported once:\n%s", h.src)
	}
	bad := strings.Replace(sampleHarness, "data []byte", "n int", 1)
	if _, err := parseHarness(writeSample(t, map[string]string{"a_test.go": bad})); err == nil || !strings.Contains(err.Error(), "int") {
		t.Errorf("an int parameter: err = %v", err)
	}
	if _, err := parseHarness(writeSample(t, map[string]string{"d_test.go": sampleNone})); err == nil {
		t.Error("no target: no error")
	}
}

// TestPrepareBuilds checks the module's own targets through prepare: the
// package for go-118-fuzz-build compiles (vet, with its test file), and
// the seeds program records what go test runs as seeds. The generated
// files go to the module through a build overlay, not to the tree.
func TestPrepareBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	targets, err := prepare(filepath.Join(root, "fuzz"), tmp)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, tg := range targets {
		names[tg.Name] = true
	}
	for _, n := range []string{"FuzzUnordered", "FuzzRing", "FuzzScenario", "FuzzSPSC"} {
		if !names[n] {
			t.Errorf("target %s not found (have %v)", n, targets)
		}
	}
	// The overlay puts tmp's files at fuzz/libfuzzer-check in the module.
	virt := filepath.Join(root, "fuzz", "libfuzzer-check")
	overlay := map[string]map[string]string{"Replace": {}}
	err = filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(tmp, p)
			overlay["Replace"][filepath.Join(virt, rel)] = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ov := filepath.Join(t.TempDir(), "overlay.json")
	b, _ := json.Marshal(overlay)
	if err := os.WriteFile(ov, b, 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd := os.Getenv("GO")
	if goCmd == "" {
		goCmd = "go"
	}
	build := exec.Command(goCmd, "test", "-vet=off", "-c", "-o", filepath.Join(t.TempDir(), "check.test"), "-overlay", ov, "./fuzz/libfuzzer-check")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the generated package with its test file: %v\n%s", err, out)
	}
	seeds := filepath.Join(t.TempDir(), "seeds")
	runSeeds := exec.Command(goCmd, "run", "-overlay", ov, "./fuzz/libfuzzer-check/seeds", "-out", seeds)
	runSeeds.Dir = root
	if out, err := runSeeds.CombinedOutput(); err != nil {
		t.Fatalf("the seeds program: %v\n%s", err, out)
	}
	// FuzzRing's seeds are four literal f.Add calls.
	files, _ := filepath.Glob(filepath.Join(seeds, "FuzzRing", "*"))
	if len(files) != 4 {
		t.Fatalf("FuzzRing: %d seeds, want 4", len(files))
	}
	b, err = os.ReadFile(filepath.Join(seeds, "FuzzRing", "seed-0001"))
	if err != nil {
		t.Fatal(err)
	}
	args, err := seedtesting.Unmarshal(b)
	if want := []any{[]byte{0, 0, 7, 4, 6, 0, 9, 6, 7, 0, 8, 4, 4}}; err != nil || !reflect.DeepEqual(args, want) {
		t.Errorf("FuzzRing seed 1 = %v, %v; want %v", args, err, want)
	}
	for _, n := range []string{"FuzzUnordered", "FuzzScenario"} {
		if files, _ := filepath.Glob(filepath.Join(seeds, n, "*")); len(files) < 10 {
			t.Errorf("%s: %d seeds, want the corpus's", n, len(files))
		}
	}
}
