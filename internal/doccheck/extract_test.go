package doccheck

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// root is the module's root, relative to this package.
const root = "../.."

// block is one ```go block: where it is, and its text.
type block struct {
	path string // relative to the module root, as in error messages
	line int    // the line of its first line of code
	text string
}

func (b block) String() string { return b.path + ":" + strconv.Itoa(b.line) }

// goBlocks returns every ```go block of README.md and docs/*.md.
func goBlocks(t *testing.T) []block {
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var all []block
	for _, f := range append([]string{filepath.Join(root, "README.md")}, docs...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		all = append(all, blocksOf(filepath.ToSlash(rel), string(data))...)
	}
	return all
}

func blocksOf(path, doc string) []block {
	var (
		out  []block
		cur  *block
		text strings.Builder
	)
	sc := bufio.NewScanner(strings.NewReader(doc))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```go":
			cur = &block{path: path, line: n + 1}
			text.Reset()
		case cur != nil && strings.TrimSpace(line) == "```":
			cur.text = text.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			text.WriteString(line + "\n")
		}
	}
	return out
}

// A listing names variables without a type (`var ErrX // what it means`),
// which is not Go: such names get the placeholder type listed, which the
// listing check reads as "this name exists".
var (
	varLine    = regexp.MustCompile(`^(\s*var\s+)(\w+(?:\s*,\s*\w+)*)\s*(//.*)?$`)
	varOpen    = regexp.MustCompile(`^\s*var\s*\(\s*(//.*)?$`)
	groupLine  = regexp.MustCompile(`^(\s*)(\w+(?:\s*,\s*\w+)*)\s*(//.*)?$`)
	groupClose = regexp.MustCompile(`^\s*\)\s*(//.*)?$`)
)

const listed = "listed"

// markListedVars rewrites the type-less var names of text, and reports
// whether there were any.
func markListedVars(text string) (string, bool) {
	lines := strings.Split(text, "\n")
	inGroup, any := false, false
	for i, l := range lines {
		switch {
		case inGroup && groupClose.MatchString(l):
			inGroup = false
		case inGroup && groupLine.MatchString(l):
			lines[i] = groupLine.ReplaceAllString(l, "$1$2 "+listed+" $3")
			any = true
		case varOpen.MatchString(l):
			inGroup = true
		case varLine.MatchString(l):
			lines[i] = varLine.ReplaceAllString(l, "$1$2 "+listed+" $3")
			any = true
		}
	}
	return strings.Join(lines, "\n"), any
}
