package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	seedtesting "github.com/netbuf-go/netbuf/internal/cmd/libfuzz/seedtesting"
)

func TestJobStats(t *testing.T) {
	dir := t.TempDir()
	logs := map[string]string{
		"fuzz-0.log": "#50\tINITED cov: 868\nDone 12990 runs in 11 second(s)\nstat::number_of_executed_units: 12990\nstat::average_exec_per_sec:     1180\n",
		"fuzz-1.log": "==1== ERROR: libFuzzer: deadly signal\nstat::number_of_executed_units: 500\nstat::average_exec_per_sec:     250\n",
		"fuzz-2.log": "#1 INITED\n", // killed before its statistics
		"other.log":  "stat::number_of_executed_units: 7\nstat::average_exec_per_sec: 7\n",
	}
	for name, text := range logs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := jobStats(dir), (stats{execs: 13490, rate: 1430, jobs: 2}); got != want {
		t.Errorf("jobStats = %+v, want %+v", got, want)
	}
}

func TestFailureText(t *testing.T) {
	out := "INFO: Seed: 1\n./FuzzX: Running 1 inputs 1 time(s) each.\nRunning: crash-1\noperation 4 of 4: differs\n\nnew 17 8\npanic: fatal [recovered]\n\tpanic: fatal\n\ngoroutine 17\n==1== ERROR: libFuzzer: deadly signal\n"
	if got, want := failureText([]byte(out)), "operation 4 of 4: differs\n\nnew 17 8\npanic: fatal [recovered]"; got != want {
		t.Errorf("failureText = %q, want %q", got, want)
	}
	if got := failureText([]byte("a\nb\n")); got != "a\nb" {
		t.Errorf("failureText without Running = %q", got)
	}
}

func TestCrashToGoTest(t *testing.T) {
	testdata := t.TempDir()
	tg := target{Name: "FuzzX", Kinds: []string{"string"}}
	crash := filepath.Join(t.TempDir(), "crash-1")
	if err := os.WriteFile(crash, cat(be32(6), []byte("new 1 1 trailing")), 0o644); err != nil {
		t.Fatal(err)
	}
	file, err := crashToGoTest(tg, crash, testdata)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(file) != filepath.Join(testdata, "FuzzX") || len(filepath.Base(file)) != 16 {
		t.Errorf("file = %s", file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if args, err := seedtesting.Unmarshal(b); err != nil || !reflect.DeepEqual(args, []any{"new 1 "}) {
		t.Errorf("the go test file holds %q, %v", args, err)
	}
	if got := reproduceCommand("fuzz", "FuzzX", file); got != "go test ./fuzz -run '^FuzzX$/^"+filepath.Base(file)+"$'" {
		t.Errorf("reproduceCommand = %s", got)
	}
	if err := os.WriteFile(crash, be32(9), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := crashToGoTest(tg, crash, testdata); err == nil {
		t.Error("an input the fuzz function never sees: no error")
	}
}
