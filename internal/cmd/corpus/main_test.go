package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// save writes a `go test fuzz v1` file as the fuzzer does.
func save(t *testing.T, dir, target, id, value string) string {
	t.Helper()
	path := filepath.Join(dir, target, id)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", value)
	if target == "FuzzScenario" {
		body = fmt.Sprintf("go test fuzz v1\nstring(%q)\n", value)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConvert(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	data, err := fuzzcodec.Encode(fuzzcodec.Program{Cap: 5, Slots: 2, Ops: []unordered.Op{
		{Kind: unordered.Push, MaxSize: 3, Seed: 1},
		{Kind: unordered.PushWith, MaxSize: 4, N: 2, Fill: lockstep.CallErr},
	}})
	if err != nil {
		t.Fatal(err)
	}
	input := save(t, in, "FuzzUnordered", "0123456789abcdef", string(data))
	msg, converted, err := convert(input, out)
	if err != nil || !converted || !strings.Contains(msg, "wrote") {
		t.Fatalf("convert = %q, %v, %v", msg, converted, err)
	}
	scn := filepath.Join(out, "found-unordered-0123456789ab.scn")
	text, err := os.ReadFile(scn)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"new 5 2\n", "push 3 seed=1 -> 3 bytes used=3 len=1\n", "fill=err seed=0 -> ErrWouldBlock used=3 len=1\n"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("scenario lacks %q:\n%s", want, text)
		}
	}
	if ran, _, err := scenario.ReplayFile(os.DirFS(out), filepath.Base(scn), unordered.Netbuf, lockstep.Features{}); err != nil || ran != 1 {
		t.Errorf("replay of %s: %d scenarios, %v", scn, ran, err)
	}
	if msg, _, _ := convert(input, out); !strings.Contains(msg, "already converted") {
		t.Errorf("second convert = %q, want already converted", msg)
	}

	r1 := save(t, in, "FuzzRing", "r1", "\x02\x00\x01\x04")
	if msg, converted, err := convert(r1, out); err != nil || !converted || !strings.Contains(msg, "wrote") {
		t.Errorf("ring convert = %q, %v, %v", msg, converted, err)
	}
	text, err = os.ReadFile(filepath.Join(out, "found-ring-r1.scn"))
	if err != nil || !strings.Contains(string(text), "ring 3\npush 1 -> ok len=1\npop -> ok len=0\n") {
		t.Errorf("ring scenario %q, %v", text, err)
	}
	ss, err := scenario.Parse(string(text))
	if err != nil || len(ss) != 1 {
		t.Fatalf("ring scenario: %v", err)
	}
	if err := scenario.ReplayOf(ring.Family{New: ring.Netbuf}, ss[0]); err != nil {
		t.Error(err)
	}
	bad := save(t, in, "FuzzScenario", "s1", "push 1 -> ok")
	if msg, converted, err := convert(bad, out); err != nil || converted || !strings.Contains(msg, "parser refuses") {
		t.Errorf("scenario convert = %q, %v, %v", msg, converted, err)
	}
}

// TestConvertSPSCAndOrdered converts a FuzzSPSC and a FuzzOrdered input
// into scenarios that replay on netbuf.
func TestConvertSPSCAndOrdered(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	data, err := fuzzcodec.EncodeSPSC(fuzzcodec.SPSCProgram{Cap: 8, Slots: 2, Ops: []spsc.Op{
		{Kind: spsc.Push, MaxSize: 3, Seed: 1},
		{Kind: spsc.Reserve, MaxSize: 2, Seed: 2},
	}})
	if err != nil {
		t.Fatal(err)
	}
	file := save(t, in, "FuzzSPSC", "feedfacecafe01", string(data))
	if msg, converted, err := convert(file, out); err != nil || !converted || !strings.Contains(msg, "wrote") {
		t.Fatalf("convert = %q, %v, %v", msg, converted, err)
	}
	text, err := os.ReadFile(filepath.Join(out, "found-spsc-feedfacecafe.scn"))
	if err != nil {
		t.Fatal(err)
	}
	// The input passes on netbuf, so nothing is shrunk away; the drain
	// (abort, then pop) is written after it.
	for _, want := range []string{"# 2 operations, shrunk to 2; on netbuf at conversion: passes", "spsc 8 2\n",
		"reserve 2 seed=2 -> 2 bytes used=3 len=1\nabort -> ok used=3 len=1\npop 8 -> 3 bytes used=0 len=0\n"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("scenario lacks %q:\n%s", want, text)
		}
	}
	ss, err := scenario.Parse(string(text))
	if err != nil || len(ss) != 1 {
		t.Fatalf("parse: %v", err)
	}
	if err := scenario.ReplayOf(spsc.Family{New: spsc.Netbuf}, ss[0]); err != nil {
		t.Error(err)
	}

	cfg := ordered.Config{Capacity: 16, MaxPackets: 4, Window: 4, SeqBits: 3}
	data, err = fuzzcodec.EncodeOrdered(fuzzcodec.OrderedProgram{Config: cfg, Ops: []ordered.Op{
		{Kind: ordered.Push, MaxSize: 2, Seq: 1, Seed: 1},
		{Kind: ordered.Pop, DstLen: 8},
	}})
	if err != nil {
		t.Fatal(err)
	}
	file = save(t, in, "FuzzOrdered", "0ddba11", string(data))
	if msg, converted, err := convert(file, out); err != nil || !converted {
		t.Fatalf("convert = %q, %v, %v", msg, converted, err)
	}
	text, err = os.ReadFile(filepath.Join(out, "found-ordered-0ddba11.scn"))
	if err != nil {
		t.Fatal(err)
	}
	ss, err = scenario.Parse(string(text))
	if err != nil || len(ss) != 1 || !scenario.Is[ordered.Config](ss[0]) {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	if err := scenario.ReplayOf(ordered.Family{New: ordered.Netbuf}, ss[0]); err != nil {
		t.Error(err)
	}
}
