// Package testing stands in for the standard library's package testing
// when `libfuzz prepare` compiles a copy of the fuzz targets into a program
// that records their seeds: F.Add keeps its arguments and F.Fuzz only notes
// the parameter types of the fuzz function, so that calling a target
// FuzzX(f) yields exactly the seeds `go test -fuzz=FuzzX` starts from.
// The other methods of testing.F and testing.T are there so that the
// targets compile; a Fatal or an Error stops the program, since a target
// that cannot make its seeds must not be built without them.
//
// It also holds the file format of go test's seed corpus (`go test fuzz
// v1`, one value per line), which the recorded seeds are written in.
package testing

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
)

// F records what a fuzz target does with its *testing.F.
type F struct {
	name  string
	Seeds [][]any        // the arguments of each Add, in order
	Types []reflect.Type // the fuzz function's parameters after *T; nil before Fuzz
}

// NewF returns an F for the target called name.
func NewF(name string) *F { return &F{name: name} }

// Add records one seed.
func (f *F) Add(args ...any) { f.Seeds = append(f.Seeds, args) }

// Fuzz records the types of ff's parameters after the first (*T); it does
// not call ff.
func (f *F) Fuzz(ff any) {
	t := reflect.TypeOf(ff)
	if t == nil || t.Kind() != reflect.Func || t.NumIn() == 0 || t.In(0) != reflect.TypeOf(&T{}) {
		f.Fatalf("Fuzz takes a func(*testing.T, ...), not %T", ff)
	}
	f.Types = nil
	for i := 1; i < t.NumIn(); i++ {
		f.Types = append(f.Types, t.In(i))
	}
}

// WriteSeeds writes each seed as a `go test fuzz v1` file in dir, named
// seed-<n> in the order of the Add calls.
func (f *F) WriteSeeds(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, args := range f.Seeds {
		b, err := Marshal(args)
		if err != nil {
			return fmt.Errorf("%s seed %d: %w", f.name, i, err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%04d", i)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (f *F) Helper()                           {}
func (f *F) Name() string                      { return f.name }
func (f *F) Log(args ...any)                   { fmt.Fprintln(os.Stderr, args...) }
func (f *F) Logf(format string, args ...any)   { fmt.Fprintf(os.Stderr, format+"\n", args...) }
func (f *F) Cleanup(func())                    {}
func (f *F) Setenv(key, value string)          { os.Setenv(key, value) }
func (f *F) Failed() bool                      { return false }
func (f *F) Skipped() bool                     { return false }
func (f *F) Error(args ...any)                 { f.Fatal(args...) }
func (f *F) Errorf(format string, args ...any) { f.Fatalf(format, args...) }
func (f *F) Fail()                             { f.Fatal("Fail") }
func (f *F) FailNow()                          { f.Fatal("FailNow") }
func (f *F) Skip(args ...any)                  { f.Fatal(append([]any{"Skip:"}, args...)...) }
func (f *F) SkipNow()                          { f.Fatal("SkipNow") }
func (f *F) Skipf(format string, args ...any)  { f.Fatalf("Skip: "+format, args...) }

// Fatal stops the program: the target could not make its seeds.
func (f *F) Fatal(args ...any) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", f.name, strings.TrimSuffix(fmt.Sprintln(args...), "\n"))
	os.Exit(1)
}

// Fatalf is Fatal with a format.
func (f *F) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }

// TempDir returns a new temporary directory.
func (f *F) TempDir() string {
	dir, err := os.MkdirTemp("", "seedtesting-")
	if err != nil {
		f.Fatal(err)
	}
	return dir
}

// T is the *testing.T of the fuzz function's signature; seeds never run
// it, so its failing methods panic.
type T struct{}

func (t *T) Helper()                           {}
func (t *T) Name() string                      { return "seed" }
func (t *T) Log(args ...any)                   {}
func (t *T) Logf(format string, args ...any)   {}
func (t *T) Cleanup(func())                    {}
func (t *T) Parallel()                         {}
func (t *T) Setenv(key, value string)          {}
func (t *T) Failed() bool                      { return false }
func (t *T) Skipped() bool                     { return false }
func (t *T) TempDir() string                   { return os.TempDir() }
func (t *T) Error(args ...any)                 { panic(fmt.Sprint(args...)) }
func (t *T) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *T) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (t *T) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *T) Fail()                             { panic("Fail") }
func (t *T) FailNow()                          { panic("FailNow") }
func (t *T) Skip(args ...any)                  { panic("Skip") }
func (t *T) SkipNow()                          { panic("SkipNow") }
func (t *T) Skipf(format string, args ...any)  { panic("Skip") }

// Run runs f as a subtest.
func (t *T) Run(name string, f func(t *T)) bool { f(t); return true }

// header is the first line of every file of go test's seed corpus.
const header = "go test fuzz v1"

// Marshal returns the `go test fuzz v1` file of one input. It knows the
// types a fuzz function of this module takes: []byte and string.
func Marshal(args []any) ([]byte, error) {
	var b strings.Builder
	b.WriteString(header + "\n")
	for _, a := range args {
		switch v := a.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		case string:
			fmt.Fprintf(&b, "string(%q)\n", v)
		default:
			return nil, fmt.Errorf("a %T value: only []byte and string are supported", a)
		}
	}
	return []byte(b.String()), nil
}

// Unmarshal reads a `go test fuzz v1` file of []byte and string values.
func Unmarshal(data []byte) ([]any, error) {
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != header {
		return nil, fmt.Errorf("not a %q file", header)
	}
	var args []any
	for _, line := range lines[1:] {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var typ string
		switch {
		case strings.HasPrefix(line, "[]byte(") && strings.HasSuffix(line, ")"):
			typ = "[]byte"
		case strings.HasPrefix(line, "string(") && strings.HasSuffix(line, ")"):
			typ = "string"
		default:
			return nil, fmt.Errorf("unsupported value %.40q: only []byte and string are supported", line)
		}
		s, err := strconv.Unquote(line[len(typ)+1 : len(line)-1])
		if err != nil {
			return nil, fmt.Errorf("value %.40q: %w", line, err)
		}
		if typ == "string" {
			args = append(args, s)
		} else {
			args = append(args, []byte(s))
		}
	}
	return args, nil
}
