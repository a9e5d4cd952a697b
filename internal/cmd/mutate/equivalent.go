package main

import (
	"bufio"
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Mark opens and closes the mutated operator in an entry's source text, so
// that an auditor sees which operator of the line was changed and the entry
// stays unambiguous on a line with several operators of one kind.
const (
	markOpen  = "«"
	markClose = "»"
)

// Entry is one line of the equivalents file:
//
//	netbuf/ring.go:82:7 CONDITIONALS_BOUNDARY `if j «>=» len(r.buf) {` — reason
//
// The position says where the mutant was when the entry was written; the
// entry is matched by file, mutator and the marked source text, so that it
// survives edits elsewhere in the file. The line number only breaks ties
// between identical lines.
type Entry struct {
	File    string // relative to the repository root, slash-separated
	Line    int
	Col     int
	Mutator string
	Text    string // the source line, trimmed, with the operator between « and »
	Reason  string
	Source  int // line of the equivalents file, for messages
}

var entryRE = regexp.MustCompile("^(\\S+):(\\d+):(\\d+) ([A-Z_]+) `([^`]+)` (?:—|--) (\\S.*)$")

// ParseEquivalents reads an equivalents file: one Entry per line; blank
// lines and lines starting with # are ignored. Every other line must parse,
// and carry a reason.
func ParseEquivalents(r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := entryRE.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("line %d: want \"file:line:col MUTATOR `marked source` — reason\", got %q", n, line)
		}
		if strings.Count(m[5], markOpen) != 1 || strings.Count(m[5], markClose) != 1 {
			return nil, fmt.Errorf("line %d: the source text must mark the operator once, as %sop%s", n, markOpen, markClose)
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		out = append(out, Entry{File: m[1], Line: ln, Col: col, Mutator: m[4], Text: m[5], Reason: m[6], Source: n})
	}
	return out, sc.Err()
}

// String formats e as a line of the equivalents file.
func (e Entry) String() string {
	return fmt.Sprintf("%s:%d:%d %s `%s` — %s", e.File, e.Line, e.Col, e.Mutator, e.Text, e.Reason)
}

// Sources reads source files on demand and caches their lines.
type Sources struct {
	Root  string
	files map[string][]string
}

// MarkedLine returns the line of file at line, trimmed, with the token that
// starts at col (1-based, in bytes, as gremlins reports it) between the
// marks.
func (s *Sources) MarkedLine(file string, line, col int) (string, error) {
	if s.files == nil {
		s.files = map[string][]string{}
	}
	lines, ok := s.files[file]
	if !ok {
		b, err := os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(file)))
		if err != nil {
			return "", err
		}
		lines = strings.Split(string(b), "\n")
		s.files[file] = lines
	}
	if line < 1 || line > len(lines) {
		return "", fmt.Errorf("%s has no line %d", file, line)
	}
	return markToken(lines[line-1], col)
}

// markToken marks the Go token starting at byte column col of src, and
// trims the line.
func markToken(src string, col int) (string, error) {
	i := col - 1
	if i < 0 || i >= len(src) {
		return "", fmt.Errorf("column %d outside %q", col, src)
	}
	var sc scanner.Scanner
	fset := token.NewFileSet()
	rest := []byte(src[i:])
	sc.Init(fset.AddFile("", -1, len(rest)), rest, nil, 0)
	_, tok, lit := sc.Scan()
	text := lit
	if text == "" || tok.IsOperator() {
		text = tok.String()
	}
	if !strings.HasPrefix(src[i:], text) {
		return "", fmt.Errorf("no token at column %d of %q", col, src)
	}
	marked := src[:i] + markOpen + text + markClose + src[i+len(text):]
	return strings.TrimSpace(marked), nil
}

func readEquivalents(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := ParseEquivalents(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}
