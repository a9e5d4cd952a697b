package scenario_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"github.com/netbuf-go/netbuf/netbuf"
)

// newBuffer is netbuf's constructor as an unordered.Factory.
var newBuffer = unordered.Netbuf

// every is every option: netbuf has all of its own additions.
var every = []lockstep.Option{lockstep.WithNilFuncs()}

// TestCorpus replays the regression corpus: every scenario in testdata/
// against netbuf and the model.
func TestCorpus(t *testing.T) {
	scenario.CheckCorpus(t, newBuffer, os.DirFS("../../testdata"), every...)
}

// lyingBuffer is netbuf with Used off by one once it holds a packet: the
// replay must catch it.
type lyingBuffer struct{ *netbuf.UnorderedBuffer }

func (b lyingBuffer) Used() int { return b.UnorderedBuffer.Used() + min(b.Len(), 1) }

// TestReplayFails checks that the replay can fail: on a wrong expected
// answer (the model disagrees), and on a buffer that differs from the model.
func TestReplayFails(t *testing.T) {
	cases := []struct {
		name, text, want string
		factory          unordered.Factory
	}{
		{"wrong answer", "new 4 1\npush 5 -> ok\n", "model answered \"ErrTooLarge", newBuffer},
		{"wrong bytes", "new 4 1\npush 2\npop 4 -> 3 bytes\n", "model answered \"2 bytes", newBuffer},
		{"wrong query", "new 4 1\npush 2\nused -> 3\n", "model answered 2", newBuffer},
		{"wrong new", "new 0 1 -> ok\n", "want \"\"", newBuffer},
		{"buffer differs", "new 4 2\npush 2 -> ok used=2\n", "Used:", func(c, n int) (unordered.Buffer, error) {
			b, err := netbuf.NewUnorderedBuffer(c, n)
			return lyingBuffer{b}, err
		}},
		{"buffer differs, no answer given", "new 4 2\npush 2\n", "buffer differs from model", func(c, n int) (unordered.Buffer, error) {
			b, err := netbuf.NewUnorderedBuffer(c, n)
			return lyingBuffer{b}, err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ss, err := scenario.Parse(c.text)
			if err != nil {
				t.Fatal(err)
			}
			err = scenario.ReplayOf(unordered.Family{New: c.factory}, ss[0])
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Replay = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// TestReplayLimits checks that the replay refuses sizes beyond MaxBytes
// before allocating anything, and names the place as file:line.
func TestReplayLimits(t *testing.T) {
	for _, text := range []string{
		"new 2147483647 1\n",
		"new 1 16777217\n",
		"new 4 1\npush 2147483647\n",
		"new 4 1\npop 16777217\n",
		"new 4 1\npushbatch 1 bufs=16777217\n",
		"new 4 1\npushwith 1 fill=other reenter=push rsize=16777217\n",
	} {
		fsys := fstest.MapFS{"big.scn": {Data: []byte(text)}}
		_, _, err := scenario.ReplayFile(fsys, "big.scn", newBuffer, lockstep.Features{})
		if err == nil || !strings.Contains(err.Error(), "scenario.MaxBytes") || !strings.HasPrefix(err.Error(), "big.scn:") {
			t.Errorf("%q: err %v, want big.scn:N: ... scenario.MaxBytes", text, err)
		}
	}
	if _, err := scenario.Parse("new 2147483648 1 -> ErrInvalidSize\n"); err != nil {
		t.Errorf("a configuration the constructor refuses is not capped: %v", err)
	}
	fsys := fstest.MapFS{"empty.scn": {Data: []byte("# nothing\n")}}
	if _, _, err := scenario.ReplayFile(fsys, "empty.scn", newBuffer, lockstep.Features{}); err == nil || !strings.Contains(err.Error(), "no scenario") {
		t.Errorf("empty file: err %v, want an error", err)
	}
	fsys = fstest.MapFS{"bad.scn": {Data: []byte("new 4 1\n\npush 1 -> ErrEmpty\n")}}
	if _, _, err := scenario.ReplayFile(fsys, "bad.scn", newBuffer, lockstep.Features{}); err == nil || !strings.HasPrefix(err.Error(), "bad.scn:3: ") {
		t.Errorf("wrong answer: err %v, want it at bad.scn:3", err)
	}
}

// TestOrderedCorpus replays the corpus's OrderedBuffer scenarios.
func TestOrderedCorpus(t *testing.T) {
	scenario.CheckCorpusOf(t, ordered.Family{New: ordered.Netbuf}, os.DirFS("../../testdata"), every...)
}

// newSPSC is netbuf.NewSPSC as a spsc.Factory.
var newSPSC = spsc.Netbuf

// TestSPSCCorpus replays the corpus's SPSC scenarios, both halves on one
// goroutine.
func TestSPSCCorpus(t *testing.T) {
	scenario.CheckCorpusOf(t, spsc.Family{New: newSPSC}, os.DirFS("../../testdata"), every...)
}

// TestRingCorpus replays the corpus's Ring scenarios.
func TestRingCorpus(t *testing.T) {
	scenario.CheckCorpusOf(t, ring.Family{New: ring.Netbuf}, os.DirFS("../../testdata"))
}

// lyingProducer is netbuf's producer with Used off by one once it holds a
// packet: the SPSC replay must catch it.
type lyingProducer struct{ *netbuf.Producer }

func (p lyingProducer) Used() int { return p.Producer.Used() + min(p.Len(), 1) }

// TestReplaySPSCFails checks that the SPSC replay can fail: on an answer
// the model does not give, on a query, and on halves that differ from the
// model.
func TestReplaySPSCFails(t *testing.T) {
	lying := func(c, n int) (spsc.Producer, spsc.Consumer, error) {
		p, q, err := netbuf.NewSPSC(c, n)
		if err != nil {
			return nil, nil, err
		}
		return lyingProducer{p}, q, nil
	}
	cases := []struct {
		name, text, want string
		f                spsc.Factory
	}{
		{"wrong answer", "spsc 4 1\npush 5 -> ok\n", "model answered \"ErrTooLarge", newSPSC},
		{"wrong counters", "spsc 8 2\npush 2 -> 2 bytes used=3\n", "model answered \"2 bytes used=2 len=1\"", newSPSC},
		{"wrong query", "spsc 8 2\npush 2\nlen -> 2\n", "model answered 1", newSPSC},
		{"wrong new", "spsc 0 1 -> ok\n", "both sides answered \"ErrInvalidSize\", want \"\"", newSPSC},
		{"lying buffer", "spsc 8 2\npush 2\n", "counters", lying},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ss, err := scenario.Parse(c.text)
			if err != nil {
				t.Fatal(err)
			}
			err = scenario.ReplayOf(spsc.Family{New: c.f}, ss[0])
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want it to contain %q", err, c.want)
			}
		})
	}
}
