package properties

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// Corpus adds the scenarios of the *.scn files at the root of fsys (for
// example os.DirFS("testdata"), where a saved Failure.Scenario went) to
// the regression corpus that a check replays before its engines.
func Corpus(fsys fs.FS) Option { return func(c *config) { c.corpora = append(c.corpora, fsys) } }

// family is which buffer's scenarios a replay runs.
type family int

const (
	corpusUnordered family = iota
	corpusOrdered
	corpusSPSC
)

// netbufCorpus is netbuf's regression corpus: testdata/ at the module's
// root, found beside this package's source, which the module cache holds
// for every module that imports it.
func netbufCorpus() (fs.FS, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return nil, errors.New("no source path for package properties")
	}
	dir := filepath.Join(filepath.Dir(filepath.Dir(file)), "testdata")
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("netbuf's regression corpus is not at %s (a binary built with -trimpath has no source path): %w", dir, err)
	}
	return os.DirFS(dir), nil
}

// corpusFile is one parsed *.scn file of a corpus.
type corpusFile struct {
	name      string
	scenarios []scenario.Scenario
}

// corpusFiles parses every *.scn file of netbuf's corpus and the Corpus
// options'.
func corpusFiles(r *run) ([]corpusFile, error) {
	own, err := netbufCorpus()
	if err != nil {
		r.logf("corpus: %v; reading only the Corpus options'", err)
	}
	var out []corpusFile
	for i, fsys := range append([]fs.FS{own}, r.cfg.corpora...) {
		if fsys == nil {
			continue
		}
		files, err := fs.Glob(fsys, "*.scn")
		if err == nil && len(files) == 0 && i > 0 {
			err = fmt.Errorf("Corpus: no *.scn file at the root of %v (a wrong directory?)", fsys)
		}
		if err != nil {
			return nil, err
		}
		for _, file := range files {
			text, err := fs.ReadFile(fsys, file)
			if err != nil {
				return nil, err
			}
			ss, err := scenario.Parse(string(text))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			out = append(out, corpusFile{file, ss})
		}
	}
	return out, nil
}

// replayCorpus replays, against the buffer under test, every scenario of
// family fam in netbuf's corpus and the Corpus options' that a buffer with
// feat can run, and fails on the first that does not answer as written.
// factory is the family's step factory.
func replayCorpus(r *run, fam family, factory any, feat lockstep.Features) *Failure {
	if r.cfg.noCorpus {
		return nil
	}
	files, err := corpusFiles(r)
	if err != nil {
		return &Failure{Engine: "corpus", Err: err}
	}
	var ran, skipped int
	for _, f := range files {
		for _, s := range f.scenarios {
			if !inFamily(s, fam) {
				continue
			}
			if !feat.Covers(s.Needs()) {
				skipped++
				continue
			}
			ran++
			if err := replay(s, fam, factory); err != nil {
				return corpusFailure(fmt.Errorf("%s:%w", f.name, err), s, fam, factory)
			}
		}
	}
	r.logf("corpus: %d scenarios replayed, %d need options or methods the buffer does not have", ran, skipped)
	return nil
}

func inFamily(s scenario.Scenario, fam family) bool {
	switch fam {
	case corpusOrdered:
		return scenario.Is[ordered.Config](s)
	case corpusSPSC:
		return scenario.Is[spsc.Config](s)
	}
	return scenario.Is[unordered.Config](s)
}

func replay(s scenario.Scenario, fam family, factory any) error {
	switch fam {
	case corpusOrdered:
		return scenario.ReplayOf(ordered.Family{New: factory.(func(ordered.Config) (ordered.Buffer, error))}, s)
	case corpusSPSC:
		return scenario.ReplayOf(spsc.Family{New: factory.(func(int, int) (spsc.Producer, spsc.Consumer, error))}, s)
	}
	return scenario.ReplayOf(unordered.Family{New: factory.(func(int, int) (unordered.Buffer, error))}, s)
}

// corpusFailure reports a scenario that failed: its calls shrunk, with the
// model's answers, where the failure stays on its calls alone; else the
// scenario as written (a constructor's or a query's answer differed).
func corpusFailure(err error, s scenario.Scenario, fam family, factory any) *Failure {
	var f *Failure
	switch fam {
	case corpusOrdered:
		c := s.Config.(ordered.Config)
		f = failure[ordered.Op]{of: orderedCase(factory.(func(ordered.Config) (ordered.Buffer, error)), c), ops: scenario.OpsOf[ordered.Op](s), err: err}.shrunk("corpus")
	case corpusSPSC:
		c := s.Config.(spsc.Config)
		f = failure[spsc.Op]{of: spscCase(factory.(func(int, int) (spsc.Producer, spsc.Consumer, error)), c.Capacity, c.MaxPackets), ops: scenario.OpsOf[spsc.Op](s), err: err}.shrunk("corpus")
	default:
		c := s.Config.(unordered.Config)
		f = failure[unordered.Op]{of: unorderedCase(factory.(func(int, int) (unordered.Buffer, error)), c.Capacity, c.MaxPackets), ops: scenario.OpsOf[unordered.Op](s), err: err}.shrunk("corpus")
	}
	if f == nil {
		text := formatScenario(s)
		return &Failure{Engine: "corpus", Err: err, Scenario: text, Calls: calls(text)}
	}
	f.Err = fmt.Errorf("%w\nshrunk: %w", err, f.Err)
	return f
}
