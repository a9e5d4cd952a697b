package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
)

// ansi matches terminal colour codes, in case gremlins prints them.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// mutantLine matches gremlins' line for one mutant:
// "      KILLED CONDITIONALS_BOUNDARY at netbuf/ring.go:82:7".
var mutantLine = regexp.MustCompile(`^ *(KILLED|LIVED|NOT COVERED|TIMED OUT|NOT VIABLE|SKIPPED|RUNNABLE) [A-Z_]+ at \S+$`)

// progress receives gremlins' output: it copies it to log, and to out with
// each mutant's line prefixed by "mutate <shard> <done>/<total>". An
// unfinished line ("Gathering coverage... ", until "done in 7s") is shown
// at once.
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
		line := string(b[:i])
		b = b[i+1:]
		switch s := ansi.ReplaceAllString(line, ""); {
		case p.midLine:
			fmt.Fprintln(p.out, line)
			p.midLine = false
		case mutantLine.MatchString(s):
			p.done++
			fmt.Fprintf(p.out, "mutate %s %*d/%d %s\n", p.name, len(fmt.Sprint(p.total)), p.done, p.total, s)
		default:
			fmt.Fprintln(p.out, s)
		}
	}
	return n, nil
}

// flush ends an unfinished line.
func (p *progress) flush() {
	if p.midLine {
		fmt.Fprintln(p.out)
		p.midLine = false
	}
}
