package fuzz_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/spsccheck"
	"github.com/netbuf-go/netbuf/internal/step"
	"github.com/netbuf-go/netbuf/netbuf"
)

// SeedsEnv names an environment variable that replaces the embedded
// corpus as the seed directory (possibly empty): to measure what the fuzzer
// finds on its own, without the regression cases that already pin known
// bugs.
const SeedsEnv = "NETBUF_FUZZ_SEEDS"

func newBuffer(c, n int) (step.Buffer, error) { return netbuf.NewUnorderedBuffer(c, n) }

// seeds returns the text of every scenario file of the corpus, by name.
func seeds(f *testing.F) map[string]string {
	f.Helper()
	var fsys fs.FS = os.DirFS("../testdata")
	if dir, ok := os.LookupEnv(SeedsEnv); ok {
		fsys = os.DirFS(dir)
	}
	files, err := fs.Glob(fsys, "*.scn")
	if err != nil {
		f.Fatal(err)
	}
	texts := map[string]string{}
	for _, file := range files {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			f.Fatal(err)
		}
		texts[file] = string(b)
	}
	return texts
}

// FuzzUnordered drives UnorderedBuffer and the model with every operation
// and failure kind of the contract, decoded from the fuzzer's bytes (see
// package fuzz for the format), and fails on any difference or broken
// invariant. Its seeds are the scenarios of testdata/.
func FuzzUnordered(f *testing.F) {
	for file, text := range seeds(f) {
		ss, err := scenario.Parse(text)
		if err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		for _, p := range fuzzcodec.Programs(ss) {
			data, err := fuzzcodec.Encode(p)
			if err != nil {
				f.Fatalf("%s: %v", file, err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.Decode(data)
		if err != nil {
			return // too big to run: not a failure
		}
		if err := fuzzcodec.CheckUnordered(newBuffer, p); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzRing drives netbuf.Ring[int] and model.Ring[int] in lockstep (its
// seeds are its own: the scenarios script the UnorderedBuffer).
func FuzzRing(f *testing.F) {
	if _, override := os.LookupEnv(SeedsEnv); !override {
		f.Add([]byte{2, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4, 0, 5, 1, 6, 6, 4, 4, 4})          // cap 3: fill, overfill, drain, wrap
		f.Add([]byte{0, 0, 7, 4, 6, 0, 9, 6, 7, 0, 8, 4, 4})                               // cap 1
		f.Add([]byte{7, 0, 1, 0, 2, 0, 3, 4, 4, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 7, 6}) // cap 8
		f.Add([]byte{0xFF, 0, 0, 0, 0, 0, 0, 0, 0})                                        // cap 0: refused by both
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := fuzzcodec.CheckRing(data); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzScenario feeds untrusted text to the scenario parser. The parser must
// never panic; text it accepts must print back (Format) to text it reads as
// the same scenarios; the scenarios of the lines that parse must survive the
// fuzz byte format (Decode(Encode(p)) == p), and their operations must run
// on netbuf exactly as on the model (the expected answers are not checked:
// the text is random), and so must those of its SPSC scenarios.
func FuzzScenario(f *testing.F) {
	for file, text := range seeds(f) {
		f.Add(text)
		// The canonical form too: without comments, mutations land on
		// statements, which is where they find bugs.
		ss, err := scenario.Parse(text)
		if err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		for _, s := range ss {
			f.Add(scenario.Format([]scenario.Scenario{s}))
		}
	}
	f.Add("new 3 2\npushwith 2 n=3 fill=reenter reenter=pop seed=4 -> ErrInvalidLength used=0\n")
	f.Add("new 1 1 -> ok\npush -1 -> 0 bytes # negative sizes\npop -5 -> io.ErrShortBuffer\n")
	f.Fuzz(func(t *testing.T, text string) {
		ss, err := scenario.Parse(text)
		if err == nil {
			checkFormat(t, ss)
		}
		// Run what survives of a mutated text, not only texts that parse
		// whole: most mutations break one line, and the strict parser
		// would hide every other line from the buffer.
		for _, p := range fuzzcodec.Programs(salvage(text)) {
			data, err := fuzzcodec.Encode(p)
			if err != nil {
				t.Fatal(err)
			}
			q, err := fuzzcodec.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(p, q, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("Decode(Encode(p)) != p (-p +decoded):\n%s", d)
			}
			if err := fuzzcodec.CheckUnordered(newBuffer, q); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range salvage(text) {
			if s.SPSC && s.NewErr == "" && s.Cap <= scenario.MaxBytes && s.Slots <= scenario.MaxBytes {
				if err := fuzzcodec.CheckSPSC(spsccheck.NewNetbuf, fuzzcodec.SPSCProgram{Cap: s.Cap, Slots: s.Slots, Ops: s.SPSCOps()}); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// checkFormat checks that Format prints scenarios to text Parse reads back
// as the same scenarios.
func checkFormat(t *testing.T, ss []scenario.Scenario) {
	t.Helper()
	again, err := scenario.Parse(scenario.Format(ss))
	if err != nil {
		t.Fatalf("Format printed text Parse refuses: %v\n%s", err, scenario.Format(ss))
	}
	lines := []cmp.Option{
		cmpopts.IgnoreFields(scenario.Scenario{}, "Line"),
		cmpopts.IgnoreFields(scenario.Step{}, "Line"),
	}
	if d := cmp.Diff(ss, again, lines...); d != "" {
		t.Fatalf("Parse(Format(s)) != s (-s +again):\n%s", d)
	}
}

// salvage returns the scenarios made of text's lines that parse on their own
// (at most 256 lines), skipping the others.
func salvage(text string) []scenario.Scenario {
	var kept []string
	header := ""
	for i, line := range strings.Split(text, "\n") {
		if i == 256 {
			break
		}
		if _, err := scenario.Parse(line); err == nil && (strings.HasPrefix(strings.TrimSpace(line), "new") || strings.HasPrefix(strings.TrimSpace(line), "spsc")) {
			header = line
			kept = append(kept, line)
		} else if _, err := scenario.Parse(header + "\n" + line); err == nil && header != "" {
			kept = append(kept, line)
		}
	}
	ss, _ := scenario.Parse(strings.Join(kept, "\n"))
	return ss
}

func newOrdered(c step.OrderedConfig) (step.OrderedBuffer, error) {
	return netbuf.NewOrderedBuffer(netbuf.OrderedConfig(c))
}

// FuzzOrdered drives OrderedBuffer and model.Ordered with every operation
// of the ordered contract, decoded from the fuzzer's bytes (see
// DecodeOrdered), in tiny sequence spaces that wrap every few packets. Its
// seeds are the ordered scenarios of the corpus.
func FuzzOrdered(f *testing.F) {
	for file, text := range seeds(f) {
		ss, err := scenario.Parse(text)
		if err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		ordered := 0
		for _, s := range ss {
			ordered += b2i(s.Ordered != nil)
		}
		ps := fuzzcodec.OrderedPrograms(ss)
		if len(ps) != ordered {
			f.Fatalf("%s: %d of its %d ordered scenarios do not fit FuzzOrdered's byte format: they would be lost as seeds", file, ordered-len(ps), ordered)
		}
		for _, p := range ps {
			data, err := fuzzcodec.EncodeOrdered(p)
			if err != nil {
				f.Fatalf("%s: %v", file, err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte{15, 3, 1, 3, 6, 0, 1, 8, 7, 3, 1, 8, 6, 3, 3, 32, 4, 1, 5, 8, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.DecodeOrdered(data)
		if err != nil {
			return
		}
		if err := fuzzcodec.CheckOrdered(newOrdered, p); err != nil {
			t.Fatal(err)
		}
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
