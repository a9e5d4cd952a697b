package spsccheck_test

import (
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/netbuf-go/netbuf/internal/spsccheck"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
)

// HistoriesEnv names the environment variable that sets how many
// concurrent histories TestLinearizable records and checks (default 2000;
// `make verify` runs more).
const HistoriesEnv = "NETBUF_SPSC_HISTORIES"

func histories(t *testing.T) int {
	if n, err := strconv.Atoi(os.Getenv(HistoriesEnv)); err == nil && n > 0 {
		return n
	}
	if testing.Short() {
		return 200
	}
	return 2000
}

// configs are tiny buffers, so that nearly every history wraps, pads,
// restarts an empty buffer at 0, fills the slots and empties again.
func drawConfig(rng *rand.Rand) spsccheck.Config {
	c := 2 + rng.Intn(15)
	return spsccheck.Config{
		Cap:     c,
		Slots:   1 + rng.Intn(4),
		Ops:     10 + rng.Intn(21),
		MaxSize: 1 + rng.Intn(c),
		Yield:   1 + rng.Intn(4),
	}
}

// TestLinearizable records thousands of short concurrent histories of
// netbuf.NewSPSC's two halves, one goroutine each, and checks every one
// for linearizability against model.SPSC with porcupine. A failing history
// is printed in full, readably, with the longest prefix that linearizes.
func TestLinearizable(t *testing.T) {
	seed := time.Now().UnixNano()
	if s, err := strconv.ParseInt(os.Getenv("NETBUF_SPSC_SEED"), 10, 64); err == nil {
		seed = s
	}
	rng := rand.New(rand.NewSource(seed))
	n := histories(t)
	var stats spsccheck.Stats
	start := time.Now()
	for i := range n {
		cfg := drawConfig(rng)
		hseed := rng.Int63()
		h, err := spsccheck.Record(spsccheck.NewNetbuf, cfg, hseed)
		if err != nil {
			t.Fatal(err)
		}
		stats.Add(h)
		res, report := spsccheck.Check(h, 10*time.Second)
		switch res {
		case porcupine.Illegal:
			t.Fatalf("history %d of %d (NETBUF_SPSC_SEED=%d, history seed %d, %+v) is not linearizable:\n%s",
				i+1, n, seed, hseed, cfg, report)
		case porcupine.Unknown:
			t.Logf("history %d: porcupine timed out; not counted", i+1)
		}
	}
	t.Logf("STATS test=TestLinearizable %s seed=%d in %v", stats, seed, time.Since(start).Round(time.Millisecond))
}

// TestCheckCatchesAndReports checks the checker: a history whose consumer
// saw bytes nobody pushed is not linearizable, and the report shows both
// goroutines' calls and the longest prefix that linearizes.
func TestCheckCatchesAndReports(t *testing.T) {
	op := func(client int, call, ret int64, in spsc.Op, out spsc.Result) porcupine.Operation {
		return porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret}
	}
	data := []byte{7, 7 + 31, 7 + 62} // the payload of seed 7
	h := spsccheck.History{Cap: 8, Slots: 2, Ops: []porcupine.Operation{
		op(0, 1, 2, spsc.Op{Kind: spsc.Push, MaxSize: 3, Seed: 7}, spsc.Result{}),
		op(1, 3, 6, spsc.Op{Kind: spsc.Pop, DstLen: 8}, spsc.Result{N: 3, Data: data}),
		op(0, 4, 5, spsc.Op{Kind: spsc.Push, MaxSize: 3, Seed: 9}, spsc.Result{}),
		op(1, 7, 8, spsc.Op{Kind: spsc.Pop, DstLen: 8}, spsc.Result{N: 3, Data: data}), // seed 7 again: wrong
	}}
	res, report := spsccheck.Check(h, time.Second)
	if res != porcupine.Illegal {
		t.Fatalf("a wrong pop linearizes: %v", res)
	}
	for _, want := range []string{"P   0 [  1,  2] push 3 seed=7 -> ok", "| C   3 [  7,  8] pop 8 -> ok n=3",
		"longest linearizable prefix (3 of 4 calls)", "model: ok n=3 data=[3]09"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if testing.Verbose() {
		t.Logf("a report:\n%s", report)
	}
	h.Ops[3].Output = spsc.Result{N: 3, Data: []byte{9, 9 + 31, 9 + 62}}
	if res, report := spsccheck.Check(h, time.Second); res != porcupine.Ok {
		t.Fatalf("a right history does not linearize:\n%s", report)
	}
}
