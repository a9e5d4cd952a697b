package fuzz

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	fuzzheaders "github.com/AdaLogics/go-fuzz-headers"
)

// The libFuzzer side of the targets (.clusterfuzzlite/build.sh and `make
// fuzz-libfuzzer`, docs/fuzzing.md). A binary built by go-118-fuzz-build
// does not hand its input to f.Fuzz's function raw: its testing.F reads the
// argument with go-fuzz-headers, a 4-byte big-endian length and then the
// bytes. So seeds go out with that header (TestLibFuzzerSeeds), and crash
// inputs come back through go-fuzz-headers itself (TestLibFuzzerCrashes).
const (
	// seedCorpusEnv names a directory where TestLibFuzzerSeeds writes
	// <target>_seed_corpus.zip for every target, OSS-Fuzz's seed corpus.
	seedCorpusEnv = "NETBUF_SEED_CORPUS"
	// crashesEnv names a directory of <target>/<crash input> files, which
	// TestLibFuzzerCrashes writes as go test seeds in testdata/fuzz/.
	crashesEnv = "NETBUF_LIBFUZZER_CRASHES"
)

// targetSeeds returns every fuzz target's seeds, the values of its f.Add
// calls, by name; FuzzScenario's are strings, the others' []byte.
func targetSeeds() (map[string][]any, error) {
	seeds := map[string][]any{}
	for name, of := range map[string]func() ([][]byte, error){"FuzzUnordered": unorderedSeed, "FuzzOrdered": orderedSeed, "FuzzSPSC": spscSeed, "FuzzRing": ringSeed} {
		s, err := of()
		if err != nil {
			return nil, err
		}
		seeds[name] = anys(s)
	}
	s, err := scenarioSeed()
	seeds["FuzzScenario"] = anys(s)
	return seeds, err
}

func anys[T any](v []T) []any {
	out := make([]any, len(v))
	for i := range v {
		out[i] = v[i]
	}
	return out
}

// encode returns the libFuzzer input that hands v to the fuzz function.
func encode(v any) []byte {
	b := toBytes(v)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...)
}

// decode returns the value that the fuzz function of target receives
// from the libFuzzer input data, read as go-118-fuzz-build reads it.
func decode(target string, data []byte) (any, error) {
	c := fuzzheaders.NewConsumer(data)
	if target == "FuzzScenario" {
		return c.GetString()
	}
	return c.GetBytes()
}

func toBytes(v any) []byte {
	if s, ok := v.(string); ok {
		return []byte(s)
	}
	return v.([]byte)
}

// seedFile returns v as a go test seed file and the name go test gives it.
func seedFile(v any) (name string, data []byte) {
	typ := "[]byte"
	if _, ok := v.(string); ok {
		typ = "string"
	}
	data = fmt.Appendf(nil, "go test fuzz v1\n%s(%q)\n", typ, toBytes(v))
	return fmt.Sprintf("%x", sha256.Sum256(data))[:16], data
}

// parseSeedFile returns the value of a go test seed file of one []byte or
// string argument.
func parseSeedFile(data []byte) (any, error) {
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 || lines[0] != "go test fuzz v1" || !strings.HasSuffix(lines[1], ")") {
		return nil, fmt.Errorf("not a go test seed file of one value")
	}
	for _, typ := range []string{"[]byte", "string"} {
		if q, ok := strings.CutPrefix(strings.TrimSuffix(lines[1], ")"), typ+"("); ok {
			s, err := strconv.Unquote(q)
			if typ == "string" {
				return s, err
			}
			return []byte(s), err
		}
	}
	return nil, fmt.Errorf("not a go test seed file of one []byte or string")
}

// TestLibFuzzerSeeds checks that every seed of every target survives the
// libFuzzer encoding and the go test seed format, and that every FuzzX of
// the package has its seeds here; with NETBUF_SEED_CORPUS set, it writes
// each target's seed corpus there: those seeds and the go test seeds of
// testdata/fuzz/<target>/.
func TestLibFuzzerSeeds(t *testing.T) {
	seeds, err := targetSeeds()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range fuzzTargets(t) {
		if _, ok := seeds[name]; !ok {
			t.Errorf("%s: a fuzz target without its seeds in targetSeeds", name)
		}
	}
	out := os.Getenv(seedCorpusEnv)
	for name, vs := range seeds {
		saved, _ := filepath.Glob(filepath.Join("testdata", "fuzz", name, "*"))
		for _, file := range saved {
			data, err := os.ReadFile(file)
			if err == nil {
				var v any
				v, err = parseSeedFile(data)
				vs = append(vs, v)
			}
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
		}
		var inputs [][]byte
		for _, v := range vs {
			in := encode(v)
			back, err := decode(name, in)
			if len(toBytes(v)) == 0 {
				continue // no libFuzzer input hands over an empty value
			}
			_, file := seedFile(back)
			again, _ := parseSeedFile(file)
			if err != nil || !bytes.Equal(toBytes(back), toBytes(v)) || !bytes.Equal(toBytes(again), toBytes(v)) {
				t.Errorf("%s: seed %q comes back as %q, then %q (%v)", name, v, back, again, err)
			}
			inputs = append(inputs, in)
		}
		if out != "" {
			if err := writeZip(filepath.Join(out, name+"_seed_corpus.zip"), inputs); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d seeds", name, len(inputs))
		}
	}
}

// fuzzTargets returns the names of the package's FuzzX functions.
func fuzzTargets(t *testing.T) []string {
	files, _ := filepath.Glob("*_test.go")
	var names []string
	for _, file := range files {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Fuzz") {
				names = append(names, fn.Name.Name)
			}
		}
	}
	slices.Sort(names)
	return names
}

func writeZip(path string, inputs [][]byte) error {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for i, in := range inputs {
		w, err := z.Create(fmt.Sprintf("seed-%04d", i))
		if err == nil {
			_, err = w.Write(in)
		}
		if err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// TestLibFuzzerCrashes, with NETBUF_LIBFUZZER_CRASHES set, writes every
// crash input found there, <target>/<file>, as the go test seed file
// testdata/fuzz/<target>/<name> and prints the command that replays it;
// `make corpus` then turns it into a scenario.
func TestLibFuzzerCrashes(t *testing.T) {
	dir := os.Getenv(crashesEnv)
	if dir == "" {
		t.Skip(crashesEnv + " names no directory of crash inputs")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "Fuzz*", "*"))
	for _, file := range files {
		target := filepath.Base(filepath.Dir(file))
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		v, err := decode(target, data)
		if err != nil {
			t.Errorf("%s: an input the fuzz function never receives: %v", file, err)
			continue
		}
		name, seed := seedFile(v)
		path := filepath.Join("testdata", "fuzz", target, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, seed, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("CRASH target=%s input=%s seed=fuzz/%s replay: go test ./fuzz -run '^%s$/^%s$'\n", target, file, path, target, name)
	}
}
