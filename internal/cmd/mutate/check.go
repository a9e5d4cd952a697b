package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"time"
)

// Statuses as gremlins v0.6.0 writes them.
const (
	killed     = "KILLED"
	lived      = "LIVED"
	notCovered = "NOT COVERED"
	timedOut   = "TIMED OUT"
	notViable  = "NOT VIABLE"
)

// report is the part of gremlins' -o JSON output that is read here.
type report struct {
	Files []struct {
		Name      string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

// Mutant is one mutant of the run, located in the repository.
type Mutant struct {
	File    string // relative to the repository root
	Line    int
	Col     int
	Mutator string
	Status  string
	Text    string // marked source line (see Entry.Text)
	entry   *Entry // the equivalents entry that lists it, if any
}

func (m Mutant) pos() string { return fmt.Sprintf("%s:%d:%d", m.File, m.Line, m.Col) }

// load reads the gremlins report and locates each mutant's source line in
// the module at src.
func load(reportPath, src string) ([]Mutant, error) {
	b, err := os.ReadFile(reportPath)
	if err != nil {
		return nil, err
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", reportPath, err)
	}
	srcs := &Sources{Root: src}
	var out []Mutant
	for _, f := range r.Files {
		file := path.Join(mutatedDir, f.Name)
		for _, m := range f.Mutations {
			text, err := srcs.MarkedLine(file, m.Line, m.Column)
			if err != nil {
				return nil, err
			}
			out = append(out, Mutant{File: file, Line: m.Line, Col: m.Column, Mutator: m.Type, Status: m.Status, Text: text})
		}
	}
	slices.SortFunc(out, func(a, b Mutant) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Mutator, b.Mutator))
	})
	return out, nil
}

// Result is the assessment of one run.
type Result struct {
	Shard       string
	Wall        time.Duration  // the shard's: gremlins and check
	Counts      map[string]int // by status
	Threshold   float64
	Equivalent  []Mutant // lived, listed
	Unexplained []Mutant // lived, not listed
	Problems    []string // entries that match no survivor, ambiguous or duplicate entries
	Notes       []string // entries matched on another line than written
}

// Assess matches the entries to the mutants and counts.
func Assess(mutants []Mutant, entries []Entry, threshold float64) *Result {
	res := &Result{Counts: map[string]int{}, Threshold: threshold}
	for _, m := range mutants {
		res.Counts[m.Status]++
	}
	for i := range entries {
		e := &entries[i]
		var cand []int
		for j, m := range mutants {
			if m.File == e.File && m.Mutator == e.Mutator && m.Text == e.Text {
				cand = append(cand, j)
			}
		}
		if len(cand) == 0 {
			res.Problems = append(res.Problems, fmt.Sprintf("entry on line %d matches no mutant of this run (file, mutator and marked source text): update or remove it\n    %s", e.Source, e))
			continue
		}
		if len(cand) > 1 { // identical lines: the line number decides
			var same []int
			for _, j := range cand {
				if mutants[j].Line == e.Line {
					same = append(same, j)
				}
			}
			if len(same) != 1 {
				res.Problems = append(res.Problems, fmt.Sprintf("entry on line %d is ambiguous: %d identical lines match it and its line number picks %d of them; fix the line number\n    %s", e.Source, len(cand), len(same), e))
				continue
			}
			cand = same
		}
		m := &mutants[cand[0]]
		switch {
		case m.entry != nil:
			res.Problems = append(res.Problems, fmt.Sprintf("entries on lines %d and %d list the same mutant %s", m.entry.Source, e.Source, m.pos()))
		case m.Status != lived:
			res.Problems = append(res.Problems, fmt.Sprintf("entry on line %d lists %s %s as equivalent, but it is %s in this run: remove the entry\n    %s", e.Source, m.pos(), m.Mutator, m.Status, e))
		case m.Line != e.Line || m.Col != e.Col:
			res.Notes = append(res.Notes, fmt.Sprintf("entry on line %d (%s:%d:%d) now at %s", e.Source, e.File, e.Line, e.Col, m.pos()))
		}
		m.entry = e
	}
	for _, m := range mutants {
		if m.Status != lived {
			continue
		}
		if m.entry != nil && m.entry.Mutator == m.Mutator {
			res.Equivalent = append(res.Equivalent, m)
		} else {
			res.Unexplained = append(res.Unexplained, m)
		}
	}
	return res
}

// Efficacy is killed / (killed + lived) in percent, as gremlins reports
// it: equivalent mutants count as survivors.
func (r *Result) Efficacy() float64 {
	return percent(r.Counts[killed], r.Counts[killed]+r.Counts[lived])
}

// NonEquivalentEfficacy leaves the listed equivalents out.
func (r *Result) NonEquivalentEfficacy() float64 {
	return percent(r.Counts[killed], r.Counts[killed]+r.Counts[lived]-len(r.Equivalent))
}

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// Pass reports whether the gate holds.
func (r *Result) Pass() bool {
	return r.Counts[killed] > 0 && r.Efficacy() >= r.Threshold && len(r.Unexplained) == 0 && len(r.Problems) == 0
}

// Print writes the report: survivors, problems, then the summary lines,
// the last of them the MUTATE line that `make verify` shows.
func (r *Result) Print(w io.Writer, equivPath string) {
	c := r.Counts
	fmt.Fprintf(w, "\n== mutate %s: check against %s\n", r.Shard, equivPath)
	if len(r.Equivalent) > 0 {
		fmt.Fprintf(w, "lived, listed as equivalent (%d):\n", len(r.Equivalent))
		for _, m := range r.Equivalent {
			fmt.Fprintf(w, "  %s %s `%s` — %s\n", m.pos(), m.Mutator, m.Text, m.entry.Reason)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	if len(r.Unexplained) > 0 {
		fmt.Fprintf(w, "FAIL: %d mutants lived that no test kills and %s does not list; kill each with a test, or add its line with a reason:\n", len(r.Unexplained), equivPath)
		for _, m := range r.Unexplained {
			fmt.Fprintf(w, "  %s %s `%s` — <why no behaviour can change>\n", m.pos(), m.Mutator, m.Text)
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintln(w, "FAIL:", p)
	}
	tested := c[killed] + c[lived] + c[timedOut] + c[notViable]
	total := 0
	for _, n := range c {
		total += n
	}
	fmt.Fprintf(w, "total: killed %d, lived %d (equivalent %d, unexplained %d), not covered %d, timed out %d, not viable %d\n",
		c[killed], c[lived], len(r.Equivalent), len(r.Unexplained), c[notCovered], c[timedOut], c[notViable])
	fmt.Fprintf(w, "mutants tested %d of %d found\n", tested, total)
	verdict := "PASS"
	if !r.Pass() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "efficacy %.2f%% (killed / (killed + lived), threshold %.4g%%); without the listed equivalents %.2f%%: %s\n",
		r.Efficacy(), r.Threshold, r.NonEquivalentEfficacy(), verdict)
	if others := otherStatuses(c); others != "" {
		fmt.Fprintln(w, "other statuses:", others)
	}
	fmt.Fprintf(w, "MUTATE shard=%s mutants=%d killed=%d lived=%d equivalent=%d unexplained=%d not-covered=%d timed-out=%d not-viable=%d efficacy=%.2f%% non-equivalent=%.2f%% threshold=%.4g%% wall=%s result=%s\n",
		r.Shard, total, c[killed], c[lived], len(r.Equivalent), len(r.Unexplained), c[notCovered], c[timedOut], c[notViable],
		r.Efficacy(), r.NonEquivalentEfficacy(), r.Threshold, r.Wall.Round(time.Second), verdict)
}

// Total is the verdict over the shards that ran: each passes its own gate,
// and no entry of the equivalents file lies outside every shard.
type Total struct {
	Shards    []*Result
	Problems  []string // entries on files that no shard mutates
	Threshold float64
	Wall      time.Duration
}

// Pass reports whether every shard passed, with no stray entry.
func (t *Total) Pass() bool {
	if len(t.Problems) > 0 || len(t.Shards) == 0 {
		return false
	}
	for _, r := range t.Shards {
		if !r.Pass() {
			return false
		}
	}
	return true
}

// Print writes the overall summary, ending with the overall MUTATE line.
func (t *Total) Print(w io.Writer) {
	c := map[string]int{}
	var names, failed []string
	equivalent, unexplained, total := 0, 0, 0
	for _, r := range t.Shards {
		names = append(names, r.Shard)
		if !r.Pass() {
			failed = append(failed, r.Shard)
		}
		for s, n := range r.Counts {
			c[s] += n
			total += n
		}
		equivalent += len(r.Equivalent)
		unexplained += len(r.Unexplained)
	}
	fmt.Fprintf(w, "\n== mutate: %d shards (%s)\n", len(t.Shards), strings.Join(names, ", "))
	for _, p := range t.Problems {
		fmt.Fprintln(w, "FAIL:", p)
	}
	for _, r := range t.Shards {
		v := "PASS"
		if !r.Pass() {
			v = "FAIL"
		}
		fmt.Fprintf(w, "  %-16s %4d mutants, killed %d, lived %d (equivalent %d), efficacy %.2f%%, %s: %s\n",
			r.Shard, sum(r.Counts), r.Counts[killed], r.Counts[lived], len(r.Equivalent), r.Efficacy(), r.Wall.Round(time.Second), v)
	}
	if len(failed) > 0 {
		fmt.Fprintf(w, "failed: %s\n", strings.Join(failed, ", "))
	}
	verdict := "PASS"
	if !t.Pass() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "MUTATE shards=%s mutants=%d killed=%d lived=%d equivalent=%d unexplained=%d not-covered=%d timed-out=%d not-viable=%d efficacy=%.2f%% non-equivalent=%.2f%% threshold=%.4g%% wall=%s result=%s\n",
		strings.Join(names, ","), total, c[killed], c[lived], equivalent, unexplained, c[notCovered], c[timedOut], c[notViable],
		percent(c[killed], c[killed]+c[lived]), percent(c[killed], c[killed]+c[lived]-equivalent), t.Threshold, t.Wall.Round(time.Second), verdict)
}

func sum(c map[string]int) int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// otherStatuses lists statuses this command does not know, if gremlins
// ever reports one, so that nothing is silently dropped from the counts.
func otherStatuses(c map[string]int) string {
	var out []string
	for s, n := range c {
		switch s {
		case killed, lived, notCovered, timedOut, notViable:
		default:
			out = append(out, fmt.Sprintf("%s %d", s, n))
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}
