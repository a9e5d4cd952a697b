// Command mutate reads the JSON report of a gremlins run over netbuf/,
// checks every surviving mutant against the equivalents file, prints the
// counts and the efficacy, and fails the gate (exit status 1) if the
// efficacy is below the threshold, if a survivor is neither killed nor
// listed as equivalent, or if an entry of the equivalents file no longer
// describes a surviving mutant. cmd/mutate/run.sh (make mutate) runs it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"sort"
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
	// Retested: gremlins reported it NOT COVERED or TIMED OUT and Retest
	// ran it (see retest.go); Status is then Retest's, Was gremlins'.
	Retested bool
	Was      string
	entry    *Entry // the equivalents entry that lists it, if any
}

func (m Mutant) pos() string { return fmt.Sprintf("%s:%d:%d", m.File, m.Line, m.Col) }

func main() {
	var (
		reportPath = flag.String("report", "", "gremlins JSON report (-o)")
		equivPath  = flag.String("equivalents", "cmd/mutate/equivalent.txt", "equivalents file")
		src        = flag.String("src", ".", "module root the mutants were made from")
		dir        = flag.String("dir", "netbuf", "directory gremlins ran on, relative to -src")
		threshold  = flag.Float64("threshold", 95, "minimum efficacy in percent")
		wall       = flag.String("wall", "", "wall time of the run, for the summary line")
		workers    = flag.Int("workers", 0, "gremlins workers, for the summary line")
		retest     = flag.Bool("retest", true, "run the mutants gremlins reports NOT COVERED (case-clause expressions) or TIMED OUT again")
		coeff      = flag.Int("timeout-coefficient", 5, "a retested mutant may take this many times the baseline run (as in gremlins)")
		logPath    = flag.String("log", "", "gremlins log, for its baseline (coverage) run time")
	)
	flag.Parse()
	mutants, err := load(*reportPath, *src, *dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutation:", err)
		os.Exit(2)
	}
	f, err := os.Open(*equivPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutation:", err)
		os.Exit(2)
	}
	entries, err := ParseEquivalents(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(os.Stderr, "mutation: %s: %v\n", *equivPath, err)
		os.Exit(2)
	}
	gremlins := map[string]int{}
	var again []*Mutant
	for i, m := range mutants {
		gremlins[m.Status]++
		if m.Status == notCovered || m.Status == timedOut {
			again = append(again, &mutants[i])
		}
	}
	if *retest {
		t0 := time.Now()
		if err := Retest(again, *src, max(*workers, 1), *coeff, coverageTime(*logPath), os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "mutation: retest:", err)
			os.Exit(2)
		}
		fmt.Printf("retest wall time %s\n", time.Since(t0).Round(time.Second))
	}
	res := Assess(mutants, entries, *threshold)
	res.Gremlins = gremlins
	res.Print(os.Stdout, *equivPath, *wall, *workers)
	if !res.Pass() {
		os.Exit(1)
	}
}

// coverageTime returns how long gremlins' baseline (coverage) run took, as
// its log says ("Gathering coverage... done in 7.75s"), or 0.
func coverageTime(logPath string) time.Duration {
	b, err := os.ReadFile(logPath)
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(`Gathering coverage\.\.\. done in (\S+)`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	d, _ := time.ParseDuration(string(m[1]))
	return d
}

// load reads the gremlins report and locates each mutant's source line.
func load(reportPath, src, dir string) ([]Mutant, error) {
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
		file := path.Join(dir, f.Name)
		for _, m := range f.Mutations {
			text, err := srcs.MarkedLine(file, m.Line, m.Column)
			if err != nil {
				return nil, err
			}
			out = append(out, Mutant{File: file, Line: m.Line, Col: m.Column, Mutator: m.Type, Status: m.Status, Text: text})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Mutator < b.Mutator
	})
	return out, nil
}

// Result is the assessment of one run.
type Result struct {
	Counts      map[string]int // by status, retested mutants included
	Gremlins    map[string]int // by status, as gremlins reported them
	Threshold   float64
	Equivalent  []Mutant // lived, listed
	Unexplained []Mutant // lived, not listed
	Problems    []string // entries that match no survivor, ambiguous or duplicate entries
	Notes       []string // entries matched on another line than written
	mutants     []Mutant
}

// Assess matches the entries to the mutants and counts.
func Assess(mutants []Mutant, entries []Entry, threshold float64) *Result {
	res := &Result{Counts: map[string]int{}, Threshold: threshold, mutants: mutants}
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

// Print writes the report: survivors, problems, then the summary lines.
func (r *Result) Print(w io.Writer, equivPath, wall string, workers int) {
	c := r.Counts
	fmt.Fprintf(w, "\n== mutation check against %s\n", equivPath)
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
	if g := r.Gremlins; g != nil {
		fmt.Fprintf(w, "gremlins alone: killed %d, lived %d, not covered %d, timed out %d, not viable %d, efficacy %.2f%%\n",
			g[killed], g[lived], g[notCovered], g[timedOut], g[notViable], percent(g[killed], g[killed]+g[lived]))
	}
	retested := map[string]int{}
	n := 0
	for _, m := range r.mutants {
		if m.Retested {
			retested[m.Status]++
			n++
		}
	}
	if n > 0 {
		fmt.Fprintf(w, "retested %d (NOT COVERED or TIMED OUT in gremlins): killed %d, lived %d, timed out %d, not viable %d\n",
			n, retested[killed], retested[lived], retested[timedOut], retested[notViable])
	}
	fmt.Fprintf(w, "total: killed %d, lived %d (equivalent %d, unexplained %d), not covered %d, timed out %d, not viable %d\n",
		c[killed], c[lived], len(r.Equivalent), len(r.Unexplained), c[notCovered], c[timedOut], c[notViable])
	fmt.Fprintf(w, "mutants tested %d of %d found", tested, total)
	if wall != "" {
		fmt.Fprintf(w, ", gremlins wall time %s", wall)
	}
	if workers > 0 {
		fmt.Fprintf(w, ", %d workers", workers)
	}
	fmt.Fprintln(w)
	verdict := "PASS"
	if !r.Pass() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "efficacy %.2f%% (killed / (killed + lived), threshold %.4g%%); without the listed equivalents %.2f%%: %s\n",
		r.Efficacy(), r.Threshold, r.NonEquivalentEfficacy(), verdict)
	if others := otherStatuses(c); others != "" {
		fmt.Fprintln(w, "other statuses:", others)
	}
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
	sort.Strings(out)
	return strings.Join(out, ", ")
}
