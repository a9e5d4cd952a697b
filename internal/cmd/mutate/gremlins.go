package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// skipped reports whether the module copy leaves out name (slash-separated,
// relative to the module root): see the package comment for why each.
func skipped(name string) bool {
	switch {
	case name == "cmd", name == "docs", name == "netbuf/udp":
		return true
	case path.Base(name) == "rapid" && path.Base(path.Dir(name)) == "testdata":
		return true // rapid's saved fail files: every run replays them first
	}
	return strings.HasPrefix(path.Base(name), ".") && name != "."
}

// copyModule copies the module at root to dst, minus what skipped names.
func copyModule(dst, root string) error {
	return os.CopyFS(dst, skipFS{os.DirFS(root).(fs.ReadDirFS)})
}

// skipFS hides the entries that skipped names from directory listings,
// which is all that os.CopyFS walks.
type skipFS struct{ fs.ReadDirFS }

func (s skipFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := s.ReadDirFS.ReadDir(name)
	return slices.DeleteFunc(es, func(e fs.DirEntry) bool { return skipped(path.Join(name, e.Name())) }), err
}

// mutatorNames are the mutators mutate enables: all of gremlins'.
func mutatorNames() []string { return slices.Sorted(maps.Keys(swaps)) }

// countMutants counts the mutants gremlins will make of files in dir, as
// gremlins v0.6.0 finds them (internal/engine): one per enabled mutator of
// each operator of an assignment, binary or unary expression, branch or
// inc/dec statement.
func countMutants(dir string, files []string) (int, error) {
	n := 0
	for _, name := range files {
		p := filepath.Join(dir, name)
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			return 0, err
		}
		ast.Inspect(f, func(node ast.Node) bool {
			var tok token.Token
			switch node := node.(type) {
			case *ast.AssignStmt:
				tok = node.Tok
			case *ast.BinaryExpr:
				tok = node.Op
			case *ast.BranchStmt:
				tok = node.Tok
			case *ast.IncDecStmt:
				tok = node.Tok
			case *ast.UnaryExpr:
				tok = node.Op
			default:
				return true
			}
			for _, to := range swaps {
				if _, ok := to[tok]; ok {
					n++
				}
			}
			return true
		})
	}
	return n, nil
}

// ansi matches terminal colour codes, in case gremlins prints them.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// mutantLine matches gremlins' line for one mutant:
// "      KILLED CONDITIONALS_BOUNDARY at netbuf/ring.go:82:7".
var mutantLine = regexp.MustCompile(`^ *(KILLED|LIVED|NOT COVERED|TIMED OUT|NOT VIABLE|SKIPPED|RUNNABLE) [A-Z_]+ at \S+$`)

// progress receives gremlins' output: it copies it to log, and to out with
// each mutant's line prefixed by "mutate <shard> <done>/<total>". An unfinished
// line ("Gathering coverage... ", until "done in 7s") is shown at once.
type progress struct {
	name        string // the shard
	total, done int
	out, log    io.Writer
	midLine     bool // out has the start of the current line
}

func (p *progress) Write(b []byte) (int, error) {
	n := len(b)
	p.log.Write(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.out.Write(b)
			p.midLine = true
			break
		}
		line := b[:i]
		b = b[i+1:]
		if p.midLine {
			fmt.Fprintf(p.out, "%s\n", line)
			p.midLine = false
			continue
		}
		p.line(string(line))
	}
	return n, nil
}

// line writes one whole line of gremlins' output.
func (p *progress) line(s string) {
	s = ansi.ReplaceAllString(s, "")
	if mutantLine.MatchString(s) {
		p.done++
		w := len(fmt.Sprint(p.total))
		fmt.Fprintf(p.out, "mutate %s %*d/%d %s\n", p.name, w, p.done, p.total, s)
		return
	}
	fmt.Fprintln(p.out, s)
}

// flush ends an unfinished line.
func (p *progress) flush() {
	if p.midLine {
		fmt.Fprintln(p.out)
		p.midLine = false
	}
}
