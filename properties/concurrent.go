package properties

import (
	"fmt"
	"math/rand"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/netbuf-go/netbuf/internal/spsccheck"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
)

// concurrentBudget bounds the concurrent SPSC check: it records and
// checks short histories until it has done concurrentHistories of them
// (times the scale) or spent this long, whichever comes first.
const (
	concurrentBudget    = 3 * time.Second
	concurrentHistories = 300
	historyTimeout      = time.Second // porcupine's bound per history
)

// checkSPSCConcurrent records concurrent histories of two goroutines, one
// per half, on tiny buffers (so that they wrap, pad, fill and empty), and
// checks each for linearizability against model.SPSC with porcupine.
func checkSPSCConcurrent(r *run, newSPSC spsc.Factory) *Failure {
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	var stats spsccheck.Stats
	start := time.Now()
	n := 0
	for ; n < concurrentHistories*scale() && time.Since(start) < concurrentBudget*time.Duration(scale()); n++ {
		c := 2 + rng.Intn(15)
		cfg := spsccheck.Config{Cap: c, Slots: 1 + rng.Intn(4), Ops: 10 + rng.Intn(21), MaxSize: 1 + rng.Intn(c), Yield: 1 + rng.Intn(4)}
		hseed := rng.Int63()
		h, err := spsccheck.Record(newSPSC, cfg, hseed)
		if err != nil {
			return &Failure{Engine: "concurrent", Err: fmt.Errorf("new %d %d: %w", cfg.Cap, cfg.Slots, err)}
		}
		stats.Add(h)
		if res, report := spsccheck.Check(h, historyTimeout); res == porcupine.Illegal {
			return &Failure{Engine: "concurrent", Err: fmt.Errorf("history %d (seed %d) is not linearizable against the model:\n%s", n+1, hseed, report)}
		}
	}
	r.logf("concurrent: %d histories linearizable (%s) in %v", n, stats, time.Since(start).Round(time.Millisecond))
	return nil
}
