package properties

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step"
)

// fifoScenario is a `fifo C S` scenario: the factory's arguments and the
// calls. Its answers, as a failure printed them, are the buffer's at the
// time; a replay checks the calls against the rules again.
type fifoScenario struct {
	file       string
	line       int
	cap, slots int
	ops        []step.Op
}

// parseFIFO returns the `fifo` scenarios of a corpus file; the other
// buffers' scenarios in it are skipped.
func parseFIFO(file, text string) ([]fifoScenario, error) {
	var out []fifoScenario
	in := false
	for i, line := range strings.Split(text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		call, _, _ := strings.Cut(line, "->")
		words := strings.Fields(call)
		if len(words) == 0 {
			continue
		}
		switch words[0] {
		case "new", "ordered", "spsc", "ring":
			in = false
			continue
		case "fifo":
			if len(words) != 3 {
				return nil, fmt.Errorf("%s:%d: want `fifo <capacityBytes> <maxPackets>`", file, i+1)
			}
			c, err1 := strconv.Atoi(words[1])
			s, err2 := strconv.Atoi(words[2])
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("%s:%d: want `fifo <capacityBytes> <maxPackets>`", file, i+1)
			}
			out, in = append(out, fifoScenario{file: file, line: i + 1, cap: c, slots: s}), true
			continue
		}
		if !in {
			continue
		}
		op, err := step.ParseOp(words)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, i+1, err)
		}
		out[len(out)-1].ops = append(out[len(out)-1].ops, op)
	}
	return out, nil
}

// replayFIFOCorpus replays the `fifo` scenarios of the Corpus options.
func replayFIFOCorpus(r *run, newFIFO FIFOFactory) *Failure {
	ran := 0
	for _, fsys := range r.cfg.corpora {
		files, err := fs.Glob(fsys, "*.scn")
		if err != nil {
			return &Failure{Engine: "corpus", Err: err}
		}
		for _, file := range files {
			text, err := fs.ReadFile(fsys, file)
			if err != nil {
				return &Failure{Engine: "corpus", Err: err}
			}
			ss, err := parseFIFO(file, string(text))
			if err != nil {
				return &Failure{Engine: "corpus", Err: err}
			}
			for _, s := range ss {
				ran++
				if _, err := runFIFO(&r.cfg, newFIFO, s.cap, s.slots, s.ops); err != nil {
					f := failure[step.Op]{of: fifoCase(&r.cfg, newFIFO, s.cap, s.slots), ops: s.ops, err: err}.value("corpus")
					f.Err = fmt.Errorf("%s:%d: %w", s.file, s.line, f.Err)
					return f
				}
			}
		}
	}
	if ran > 0 {
		r.logf("corpus: %d fifo scenarios replayed", ran)
	}
	return nil
}
