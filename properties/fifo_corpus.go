package properties

import (
	"fmt"
	"io/fs"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// replayFIFOCorpus replays, under CheckFIFO's rules, the calls of netbuf's
// UnorderedBuffer scenarios (their answers are netbuf's geometry, which a
// FIFO need not follow) and the `fifo C S` scenarios of the Corpus
// options.
func replayFIFOCorpus(r *run, newFIFO FIFOFactory) *Failure {
	if r.cfg.noCorpus {
		return nil
	}
	own, saved := 0, 0
	files, err := corpusFiles(&run{t: r.t, cfg: config{}}) // netbuf's own only
	if err != nil {
		return &Failure{Engine: "corpus", Err: err}
	}
	for _, file := range files {
		for _, s := range file.scenarios {
			c, ok := s.Config.(unordered.Config)
			if !ok || c.Capacity < 1 || c.MaxPackets < 1 || c.Capacity > r.cfg.capLimit() || c.MaxPackets > r.cfg.slotLimit() {
				continue
			}
			ops := keep(scenario.OpsOf[unordered.Op](s), func(op unordered.Op) bool { return fifoCall(&r.cfg, op, c.Capacity) })
			own++
			if _, err := runFIFO(&r.cfg, newFIFO, c.Capacity, c.MaxPackets, ops); err != nil {
				f := failure[unordered.Op]{of: fifoCase(&r.cfg, newFIFO, c.Capacity, c.MaxPackets), ops: ops, err: err}.value("corpus", "")
				f.Err = fmt.Errorf("the calls of %s:%d: %w", file.name, s.Line, f.Err)
				return f
			}
		}
	}
	for _, fsys := range r.cfg.corpora {
		files, err := fs.Glob(fsys, "*.scn")
		if err == nil && len(files) == 0 {
			err = fmt.Errorf("Corpus: no *.scn file at the root of %v (a wrong directory?)", fsys)
		}
		if err != nil {
			return &Failure{Engine: "corpus", Err: err}
		}
		for _, file := range files {
			text, err := fs.ReadFile(fsys, file)
			if err != nil {
				return &Failure{Engine: "corpus", Err: err}
			}
			bs, err := parseBlocks(file, string(text), "fifo", 2, unordered.Parse)
			if err != nil {
				return &Failure{Engine: "corpus", Err: err}
			}
			for _, b := range bs {
				saved++
				c, slots := b.args[0], b.args[1]
				answers, err := runFIFO(&r.cfg, newFIFO, c, slots, b.ops)
				if err != nil {
					f := failure[unordered.Op]{of: fifoCase(&r.cfg, newFIFO, c, slots), ops: b.ops, err: err}.value("corpus", "")
					f.Err = fmt.Errorf("%s: %w", b.where(len(answers)-1), f.Err)
					return f
				}
			}
		}
	}
	r.logf("corpus: the calls of %d of netbuf's scenarios and %d saved fifo scenarios replayed", own, saved)
	return nil
}
