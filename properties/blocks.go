package properties

import (
	"fmt"
	"strconv"
	"strings"
)

// block is one scenario of a kind that only this package replays (`fifo
// C S`, `ring C`): its header's numbers and its calls, each with its line.
// The answers after "->" are the buffer's at the time of the failure; a
// replay checks the calls against the rules again.
type block[Op any] struct {
	file  string
	line  int   // the header's
	args  []int // the header's numbers
	ops   []Op
	lines []int // each op's
}

// parseBlocks returns the scenarios of a corpus file whose header is
// head with nargs numbers; other scenarios (and comments) are skipped.
func parseBlocks[Op any](file, text, head string, nargs int, parse func([]string) (Op, error)) ([]block[Op], error) {
	var out []block[Op]
	in := false
	for i, line := range strings.Split(text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		call, _, _ := strings.Cut(line, "->")
		words := strings.Fields(call)
		switch {
		case len(words) == 0:
			continue
		case words[0] == head:
			b := block[Op]{file: file, line: i + 1}
			for _, w := range words[1:] {
				n, err := strconv.Atoi(w)
				if err != nil {
					break
				}
				b.args = append(b.args, n)
			}
			if len(b.args) != nargs || len(words) != nargs+1 {
				return nil, fmt.Errorf("%s:%d: want `%s` and %d numbers", file, i+1, head, nargs)
			}
			out, in = append(out, b), true
		case headers[words[0]]:
			in = false
		case in:
			op, err := parse(words)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", file, i+1, err)
			}
			b := &out[len(out)-1]
			b.ops, b.lines = append(b.ops, op), append(b.lines, i+1)
		}
	}
	return out, nil
}

// headers are the first words of every kind of scenario.
var headers = map[string]bool{"new": true, "ordered": true, "spsc": true, "fifo": true, "ring": true}

// where names the line of the call a replay failed on: the first n calls
// passed.
func (b block[Op]) where(n int) string {
	if n < len(b.lines) {
		return fmt.Sprintf("%s:%d", b.file, b.lines[n])
	}
	return fmt.Sprintf("%s:%d", b.file, b.line)
}
