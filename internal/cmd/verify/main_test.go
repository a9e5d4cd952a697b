package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

func sh(name, script string) stage {
	return stage{name: name, show: "sh " + name, args: []string{"sh", "-c", script}}
}

// Every stage runs although one fails; the table lists each with its
// summary lines (once each, however often printed), and the verdict fails.
func TestRunAllAndReport(t *testing.T) {
	var out strings.Builder
	results := runAll(context.Background(), []stage{
		sh("gate", "echo building; echo ok"),
		sh("properties", "echo '    config.go:25: STATS engine=rapid steps=10 wraps=2'; echo 'STATS engine=rapid steps=10 wraps=2'; printf 'STATS engine=gopter steps=5'"),
		sh("fuzz", "echo 'FUZZ target=FuzzRing execs=10 seconds=1 execs/s=10 result=FAIL'; exit 3"),
		sh("mutation", "echo 'mutate 1/2 KILLED X at f.go:1:1'; echo 'MUTATE mutants=2 killed=2 result=PASS'"),
	}, &out)
	if len(results) != 4 || !results[3].ran || results[2].ok || !results[3].ok {
		t.Fatalf("results %+v", results)
	}
	if !strings.Contains(out.String(), "building\nok\n") {
		t.Errorf("stage output not streamed:\n%s", out.String())
	}
	for i := range results {
		results[i].wall = time.Duration(i+1) * 61 * time.Second
	}
	var table strings.Builder
	if report(&table, results) {
		t.Error("report passed with a failed stage")
	}
	want := `
== verify: verdict
stage       result    wall  command
gate        PASS      1m1s  sh gate
properties  PASS      2m2s  sh properties
            STATS engine=rapid steps=10 wraps=2
            STATS engine=gopter steps=5
fuzz        FAIL      3m3s  sh fuzz
            FUZZ target=FuzzRing execs=10 seconds=1 execs/s=10 result=FAIL
mutation    PASS      4m4s  sh mutation
            MUTATE mutants=2 killed=2 result=PASS
total               10m10s
verify: FAIL (fuzz)
`
	if table.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", table.String(), want)
	}
}

// An interrupted suite lists the stages that did not run, and fails.
func TestNotRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out strings.Builder
	results := runAll(ctx, []stage{sh("gate", "true")}, &out)
	var table strings.Builder
	if report(&table, results) || !strings.Contains(table.String(), "gate   NOT RUN") {
		t.Errorf("table:\n%s", table.String())
	}
}
