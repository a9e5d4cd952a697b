package fuzz

import (
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
)

// SeedsEnv names an environment variable that replaces the regression
// corpus as the seed directory (possibly empty): to measure what the fuzzer
// finds on its own, without the regression cases that already pin known
// bugs.
const SeedsEnv = "NETBUF_FUZZ_SEEDS"

// The seeds of each target, computed once per process. A libFuzzer binary
// built by go-118-fuzz-build calls the whole FuzzX(f) for every input, and
// its f.Add does nothing: its seeds come from the seed corpus zip
// (libfuzzer_test.go), so this work must not be redone per input. The
// corpus directory, ../testdata, is relative to fuzz/, where go test runs;
// elsewhere it is usually absent, and an absent directory holds no seeds.
var (
	corpus        = sync.OnceValues(readCorpus)
	unorderedSeed = sync.OnceValues(func() ([][]byte, error) { return encodeAll(fuzzcodec.Programs, fuzzcodec.Encode, nil) })
	orderedSeed   = sync.OnceValues(func() ([][]byte, error) {
		seeds, err := encodeAll(fuzzcodec.OrderedPrograms, fuzzcodec.EncodeOrdered, scenario.Is[ordered.Config])
		return append(seeds, []byte{15, 3, 1, 3, 6, 0, 1, 8, 7, 3, 1, 8, 6, 3, 3, 32, 4, 1, 5, 8, 2}), err
	})
	spscSeed = sync.OnceValues(func() ([][]byte, error) {
		return encodeAll(fuzzcodec.SPSCPrograms, fuzzcodec.EncodeSPSC, scenario.Is[spsc.Config])
	})
	ringSeed = sync.OnceValues(func() ([][]byte, error) {
		seeds, err := encodeAll(fuzzcodec.RingPrograms, fuzzcodec.EncodeRing, scenario.Is[ring.Config])
		if _, override := os.LookupEnv(SeedsEnv); !override {
			seeds = append(seeds, ownRingSeeds...)
		}
		return seeds, err
	})
	scenarioSeed = sync.OnceValues(scenarioSeeds)
)

// readCorpus returns the text of every scenario file of the corpus, by name.
func readCorpus() (map[string]string, error) {
	fsys := os.DirFS("../testdata")
	if dir, ok := os.LookupEnv(SeedsEnv); ok {
		fsys = os.DirFS(dir)
	}
	files, err := fs.Glob(fsys, "*.scn")
	if err != nil {
		return nil, err
	}
	texts := map[string]string{}
	for _, file := range files {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		texts[file] = string(b)
	}
	return texts, nil
}

// encodeAll returns the byte form of every program that programs makes of
// the corpus. With fits, a file in which fewer programs come out than
// scenarios satisfy fits is an error: those scenarios would be lost as
// seeds.
func encodeAll[P any](programs func([]scenario.Scenario) []P, encode func(P) ([]byte, error), fits func(scenario.Scenario) bool) ([][]byte, error) {
	texts, err := corpus()
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for file, text := range texts {
		ss, err := scenario.Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		ps := programs(ss)
		if fits != nil {
			want := 0
			for _, s := range ss {
				want += b2i(fits(s))
			}
			if len(ps) != want {
				return nil, fmt.Errorf("%s: %d of its %d scenarios do not fit the target's byte format: they would be lost as seeds", file, want-len(ps), want)
			}
		}
		for _, p := range ps {
			data, err := encode(p)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", file, err)
			}
			out = append(out, data)
		}
	}
	return out, nil
}

// scenarioSeeds returns FuzzScenario's corpus seeds: each file's text and
// each of its scenarios alone in canonical form (without comments,
// mutations land on statements, which is where they find bugs).
func scenarioSeeds() ([]string, error) {
	texts, err := corpus()
	if err != nil {
		return nil, err
	}
	var out []string
	for file, text := range texts {
		out = append(out, text)
		ss, err := scenario.Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		for _, s := range ss {
			out = append(out, scenario.Format([]scenario.Scenario{s}))
		}
	}
	out = append(out,
		"new 3 2\npushwith 2 n=3 fill=reenter reenter=pop seed=4 -> ErrInvalidLength used=0\n",
		"new 1 1 -> ok\npush -1 -> 0 bytes # negative sizes\npop -5 -> io.ErrShortBuffer\n")
	return out, nil
}

// ownRingSeeds are FuzzRing's seeds beside the corpus's ring scenarios.
var ownRingSeeds = [][]byte{
	{2, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4, 0, 5, 1, 6, 6, 4, 4, 4},          // cap 3: fill, overfill, drain, wrap
	{0, 0, 7, 4, 6, 0, 9, 6, 7, 0, 8, 4, 4},                               // cap 1
	{7, 0, 1, 0, 2, 0, 3, 4, 4, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 7, 6}, // cap 8
	{0xFF, 0, 0, 0, 0, 0, 0, 0, 0},                                        // cap 0: refused by both
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
