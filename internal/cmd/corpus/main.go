// Command corpus turns the failing inputs the fuzzers saved under
// fuzz/testdata/fuzz/ into readable regression scenarios in the scenario
// corpus directory, -out (it is `make corpus`, which passes CORPUS_DIR).
// For each FuzzUnordered, FuzzOrdered, FuzzSPSC or FuzzRing input, and each
// FuzzScenario input that parses, it decodes the program, shrinks it while
// it still fails on the current netbuf, records the model's answers and
// writes
// <out>/found-<target>-<id>.scn; the raw input is then removed (the
// scenario seeds the fuzzers with the same program). Inputs it cannot turn
// into a scenario (text that crashes the parser) stay where they are, where
// `go test` replays them; it prints what they do.
// Existing scenarios are never overwritten.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

func main() {
	in := flag.String("in", "fuzz/testdata/fuzz", "the fuzzers' saved inputs")
	out := flag.String("out", "", "the scenario corpus directory, where scenarios go (required)")
	keep := flag.Bool("keep", false, "keep the raw inputs that became scenarios")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: corpus -out DIR [-in DIR] [-keep]")
		os.Exit(2)
	}
	files, _ := filepath.Glob(filepath.Join(*in, "Fuzz*", "*"))
	if len(files) == 0 {
		fmt.Printf("corpus: no saved fuzz inputs under %s\n", *in)
	}
	failed := false
	for _, file := range files {
		msg, converted, err := convert(file, *out)
		if err != nil {
			failed = true
			fmt.Fprintf(os.Stderr, "corpus: %s: %v\n", file, err)
			continue
		}
		fmt.Printf("%s: %s\n", file, msg)
		if converted && !*keep {
			if err := os.Remove(file); err != nil {
				failed = true
				fmt.Fprintln(os.Stderr, "corpus:", err)
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}

// convert handles one saved input; converted reports that a scenario now
// holds it.
func convert(file, out string) (msg string, converted bool, err error) {
	target, id := filepath.Base(filepath.Dir(file)), filepath.Base(file)
	value, err := readInput(file)
	if err != nil {
		return "", false, err
	}
	var cases []found
	switch target {
	case "FuzzUnordered":
		p, err := fuzzcodec.Decode([]byte(value))
		if err != nil {
			return "", false, err
		}
		cases = []found{foundUnordered(p)}
	case "FuzzScenario":
		ss, err := scenario.Parse(value)
		if err != nil {
			return "kept: text the parser refuses (" + err.Error() + "); it stays a FuzzScenario regression input", false, nil
		}
		for _, p := range fuzzcodec.Programs(ss) {
			cases = append(cases, foundUnordered(p))
		}
		for _, s := range ss {
			if c, ok := s.Config.(spsc.Config); ok && s.NewErr == "" {
				cases = append(cases, foundSPSC(fuzzcodec.SPSCProgram{Cap: c.Capacity, Slots: c.MaxPackets, Ops: scenario.OpsOf[spsc.Op](s)}))
			}
		}
	case "FuzzOrdered":
		p, err := fuzzcodec.DecodeOrdered([]byte(value))
		if err != nil {
			return "", false, err
		}
		cases = []found{foundOrdered(p)}
	case "FuzzSPSC":
		p, err := fuzzcodec.DecodeSPSC([]byte(value))
		if err != nil {
			return "", false, err
		}
		cases = []found{foundSPSC(p)}
	case "FuzzRing":
		p, err := fuzzcodec.DecodeRing([]byte(value))
		if err != nil {
			return "", false, err
		}
		cases = []found{foundOf(ring.Family{New: ring.Netbuf}, p.Config, p.Ops, nil)}
	default:
		return "kept: unknown target", false, nil
	}
	return write(file, target, id, cases, out)
}

// found is one failing program, shrunk, as a scenario, with a note on it.
type found struct {
	s    scenario.Scenario
	note string
}

func note(before, after int, err error) string {
	return fmt.Sprintf("# %d operations, shrunk to %d; on netbuf at conversion: %s", before, after, firstLine(orPass(err)))
}

func foundUnordered(p fuzzcodec.Program) found {
	c := unordered.Config{Capacity: p.Cap, MaxPackets: p.Slots}
	return foundOf(unordered.Family{New: unordered.Netbuf}, c, p.Ops, nil)
}

func foundOrdered(p fuzzcodec.OrderedProgram) found {
	return foundOf(ordered.Family{New: ordered.Netbuf}, p.Config, p.Ops, nil)
}

func foundSPSC(p fuzzcodec.SPSCProgram) found {
	c := spsc.Config{Capacity: p.Cap, MaxPackets: p.Slots}
	return foundOf(spsc.Family{New: spsc.Netbuf}, c, p.Ops, func(ops []spsc.Op) []spsc.Op { return spsc.WithDrain(c, ops) })
}

// foundOf shrinks ops while they fail on f's buffers and records them with
// the model's answers; printed, if set, adds the calls the case needs to
// fail where it failed (SPSC: the drain).
func foundOf[C lockstep.Config, O lockstep.Op, R any](f lockstep.Family[C, O, R], c C, ops []O, printed func([]O) []O) found {
	shrunk := lockstep.Shrink(f, c, ops)
	n := note(len(ops), len(shrunk), lockstep.Check(f, c, shrunk))
	if printed != nil {
		shrunk = printed(shrunk)
	}
	return found{scenario.RecordOf(f, c, shrunk), n}
}

// write writes the failing programs of one input as one scenario file.
func write(file, target, id string, cases []found, out string) (string, bool, error) {
	var ss []scenario.Scenario
	var notes []string
	for _, c := range cases {
		ss, notes = append(ss, c.s), append(notes, c.note)
	}
	if len(ss) == 0 {
		return "kept: no operation to replay (a parser or format failure?)", false, nil
	}
	name := filepath.Join(out, fmt.Sprintf("found-%s-%s.scn", strings.TrimPrefix(strings.ToLower(target), "fuzz"), id[:min(len(id), 12)]))
	header := fmt.Sprintf("# Found by %s (%s), converted by `make corpus`.\n# The answers are the model's: what docs/SPEC.md requires.\n%s\n",
		target, filepath.ToSlash(file), strings.Join(notes, "\n"))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return "already converted to " + name, true, nil
	}
	if err != nil {
		return "", false, err
	}
	if _, err := f.WriteString(header + scenario.Format(ss)); err != nil {
		f.Close()
		return "", false, err
	}
	return "wrote " + name, true, f.Close()
}

// readInput reads the single value of a `go test fuzz v1` file.
func readInput(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return "", fmt.Errorf("not a one-value `go test fuzz v1` file")
	}
	v := lines[1]
	for _, prefix := range []string{"[]byte(", "string("} {
		if strings.HasPrefix(v, prefix) && strings.HasSuffix(v, ")") {
			return strconv.Unquote(v[len(prefix) : len(v)-1])
		}
	}
	return "", fmt.Errorf("unexpected value %.40q", v)
}

func orPass(err error) string {
	if err == nil {
		return "passes"
	}
	return "FAILS: " + err.Error()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
