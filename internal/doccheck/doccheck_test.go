package doccheck

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// imports are the packages a snippet may name, by the name it uses. The
// module's internal packages are not here: a user cannot import them.
var imports = map[string]string{
	"bytes": "bytes", "context": "context", "errors": "errors", "fmt": "fmt", "io": "io",
	"net": "net", "netip": "net/netip", "os": "os", "sync": "sync", "testing": "testing",
	"time":       "time",
	"netbuf":     "github.com/netbuf-go/netbuf/netbuf",
	"udp":        "github.com/netbuf-go/netbuf/netbuf/udp",
	"model":      "github.com/netbuf-go/netbuf/model",
	"properties": "github.com/netbuf-go/netbuf/properties",
}

// listingPackages are where a listing's names are looked for.
var listingPackages = []string{"netbuf", "udp", "properties", "model"}

// TestDocSnippets type-checks every ```go block of README.md and
// docs/*.md; a failure names the document's line.
func TestDocSnippets(t *testing.T) {
	blocks := goBlocks(t)
	if len(blocks) == 0 {
		t.Fatal("no ```go block found")
	}
	fset := token.NewFileSet()
	imp := exportImporter(t, fset)
	prelude, err := os.ReadFile("testdata/prelude.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		t.Run(b.String(), func(t *testing.T) {
			src, err := snippetSource(fset, imp, b)
			if err != nil {
				t.Fatalf("%v\n%s", err, b.text)
			}
			if os.Getenv("DOCCHECK_SHOW") != "" {
				t.Log(src)
			}
			for _, e := range typeCheck(fset, imp, string(prelude), src) {
				t.Error(e)
			}
		})
	}
}

// snippetSource returns the Go file that checks block b: a listing's
// checks, a file of declarations as it is, or statements as the body of a
// function returning error; each with the imports it names and a line
// directive, so that errors point into the document.
func snippetSource(fset *token.FileSet, imp types.Importer, b block) (string, error) {
	at := fmt.Sprintf("//line %s:%d\n", b.path, b.line)
	if strings.HasPrefix(strings.TrimSpace(b.text), "package ") { // a whole file: as it is
		return at + b.text, nil
	}
	marked, hasListed := markListedVars(b.text)
	f, err := parser.ParseFile(fset, "listing.go", "package snippet\n"+at+marked, parser.SkipObjectResolution)
	if err == nil && (hasListed || bodiless(f)) {
		return listingSource(fset, imp, f)
	}
	if err == nil && len(f.Imports) > 0 { // its own imports: as it is
		return "package snippet\n" + at + b.text, nil
	}
	if err == nil {
		return importsFor(b.text) + at + b.text, nil
	}
	return importsFor(b.text) + "func _() error {\n" + at + b.text + "\nreturn nil\n}\n", nil
}

// bodiless reports whether f declares a function without a body: a
// signature in a listing.
func bodiless(f *ast.File) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body == nil {
			return true
		}
	}
	return false
}

var qualifier = regexp.MustCompile(`\b([a-z]\w*)\.[A-Z]`)

// importsFor returns the package clause and the imports text names.
func importsFor(text string) string {
	names := map[string]bool{}
	for _, m := range qualifier.FindAllStringSubmatch(text, -1) {
		if _, ok := imports[m[1]]; ok {
			names[m[1]] = true
		}
	}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	var s strings.Builder
	s.WriteString("package snippet\n\n")
	for _, n := range sorted {
		fmt.Fprintf(&s, "import %s %q\n", n, imports[n])
	}
	return s.String() + "\n"
}

// typeCheck checks the prelude and src as one package and returns its
// errors, but for unused variables and imports (snippets are fragments).
func typeCheck(fset *token.FileSet, imp types.Importer, prelude, src string) []error {
	var errs []error
	var files []*ast.File
	if f, err := parser.ParseFile(fset, "", src, parser.PackageClauseOnly); err == nil { // a whole file's own package
		prelude = strings.Replace(prelude, "package snippet", "package "+f.Name.Name, 1)
	}
	for i, s := range []string{prelude, src} {
		f, err := parser.ParseFile(fset, []string{"testdata/prelude.go", "snippet.go"}[i], s, 0)
		if err != nil {
			return append(errs, fmt.Errorf("%v\n%s", err, s))
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: imp, Error: func(err error) {
		if msg := err.Error(); !strings.Contains(msg, "declared and not used") && !strings.Contains(msg, "imported and not used") {
			errs = append(errs, err)
		}
	}}
	_, _ = conf.Check("snippet", fset, files, nil)
	return errs
}

// exportImporter imports packages from the export data the go command
// builds (go list -export), the module's own as they are in the tree.
func exportImporter(t *testing.T, fset *token.FileSet) types.Importer {
	args := []string{"list", "-export", "-deps", "-f", "{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}"}
	for _, p := range imports {
		args = append(args, p)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	files := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(l, "="); ok {
			files[path] = file
		}
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := files[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q (not in the import table)", path)
		}
		return os.Open(f)
	})
}
