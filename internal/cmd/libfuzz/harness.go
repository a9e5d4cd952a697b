package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// target is one native fuzz target.
type target struct {
	Name  string
	Kinds []string // the fuzz function's parameter types after *testing.T
}

// harness is the merged source of the files that hold the fuzz targets.
type harness struct {
	src     []byte
	file    *ast.File
	fset    *token.FileSet
	targets []target
}

// parseHarness reads the fuzz targets of the package in dir: every
// func FuzzX(f *testing.F) whose f.Fuzz is given a func literal, in the
// external test files (package <name>_test) that hold one. Those files are
// merged into one source (their imports first), because go-118-fuzz-build
// compiles only the file of the target it builds with the rest of the
// package: a helper or a constant of another _test.go file would be
// missing. A target of the internal test package is reported and skipped.
func parseHarness(dir string) (*harness, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var imports []string
	seen := map[string]bool{}
	var bodies strings.Builder
	pkg := ""
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		names := fuzzFuncs(file)
		if len(names) == 0 {
			continue
		}
		if !strings.HasSuffix(file.Name.Name, "_test") {
			fmt.Fprintf(os.Stderr, "libfuzz: %s: %s in package %s, not an external test package: not built\n",
				path, strings.Join(names, ", "), file.Name.Name)
			continue
		}
		if pkg != "" && pkg != file.Name.Name {
			return nil, fmt.Errorf("%s: package %s, not %s", path, file.Name.Name, pkg)
		}
		pkg = file.Name.Name
		off := func(p token.Pos) int { return fset.Position(p).Offset }
		rest := off(file.Name.End())
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.IMPORT {
				continue
			}
			for _, spec := range gd.Specs {
				text := string(src[off(spec.Pos()):off(spec.End())])
				if !seen[text] {
					seen[text] = true
					imports = append(imports, text)
				}
			}
			rest = off(gd.End())
		}
		fmt.Fprintf(&bodies, "\n// From %s.\n%s", filepath.Base(path), strings.TrimLeft(string(src[rest:]), "\n"))
	}
	if pkg == "" {
		return nil, fmt.Errorf("%s: no func FuzzX(f *testing.F) in an external test file", dir)
	}
	merged := "package " + pkg + "\n\nimport (\n\t" + strings.Join(imports, "\n\t") + "\n)\n" + bodies.String()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, filepath.Join(dir, "merged_test.go"), merged, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("merging the fuzz files of %s: %w", dir, err)
	}
	h := &harness{src: []byte(merged), file: file, fset: fset}
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || !isFuzzFunc(fn) {
			continue
		}
		kinds, err := fuzzKinds(fn)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fn.Name.Name, err)
		}
		h.targets = append(h.targets, target{Name: fn.Name.Name, Kinds: kinds})
	}
	return h, nil
}

// fuzzFuncs returns the names of the fuzz targets declared in file.
func fuzzFuncs(file *ast.File) []string {
	var names []string
	for _, d := range file.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && isFuzzFunc(fn) {
			names = append(names, fn.Name.Name)
		}
	}
	return names
}

func isFuzzFunc(fn *ast.FuncDecl) bool {
	return fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Fuzz") && isTestingF(fn.Type)
}

// isTestingF reports a signature func(*testing.F) with no results.
func isTestingF(ft *ast.FuncType) bool {
	if ft.Results != nil || len(ft.Params.List) != 1 || len(ft.Params.List[0].Names) > 1 {
		return false
	}
	star, ok := ft.Params.List[0].Type.(*ast.StarExpr)
	return ok && exprString(star.X) == "testing.F"
}

// fuzzKinds returns the parameter types after *testing.T of the func
// literal that fn passes to f.Fuzz.
func fuzzKinds(fn *ast.FuncDecl) ([]string, error) {
	var lit *ast.FuncLit
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || lit != nil {
			return lit == nil
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Fuzz" && len(call.Args) == 1 {
			lit, _ = call.Args[0].(*ast.FuncLit)
		}
		return lit == nil
	})
	if lit == nil {
		return nil, fmt.Errorf("no f.Fuzz(func(t *testing.T, ...) {...})")
	}
	var kinds []string
	for i, field := range lit.Type.Params.List {
		typ := exprString(field.Type)
		n := max(len(field.Names), 1)
		for range n {
			kinds = append(kinds, typ)
		}
		if i == 0 && typ != "*testing.T" {
			return nil, fmt.Errorf("the fuzz function's first parameter is %s, not *testing.T", typ)
		}
	}
	kinds = kinds[1:]
	for _, k := range kinds {
		if k != "[]byte" && k != "string" {
			return nil, fmt.Errorf("parameter type %s: libfuzz knows []byte and string", k)
		}
	}
	return kinds, nil
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.ArrayType:
		if x.Len == nil {
			return "[]" + exprString(x.Elt)
		}
	}
	return fmt.Sprintf("%T", e)
}

func (h *harness) target(name string) (target, bool) {
	for _, t := range h.targets {
		if t.Name == name {
			return t, true
		}
	}
	return target{}, false
}

// withPackage returns the harness source with its package clause renamed
// and, if testingPath is not empty, its import of "testing" pointed at
// testingPath (under the name testing): byte edits, so the rest of the
// file, comments and positions included, is the harness itself.
func (h *harness) withPackage(name, testingPath string) ([]byte, error) {
	type edit struct {
		from, to int
		text     string
	}
	off := func(p token.Pos) int { return h.fset.Position(p).Offset }
	edits := []edit{{off(h.file.Name.Pos()), off(h.file.Name.End()), name}}
	if testingPath != "" {
		found := false
		for _, imp := range h.file.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "testing" && imp.Name == nil {
				edits = append(edits, edit{off(imp.Path.Pos()), off(imp.Path.End()), "testing " + strconv.Quote(testingPath)})
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("the harness does not import \"testing\" by that name")
		}
	}
	var out bytes.Buffer
	last := 0
	for _, e := range edits { // in file order: the package clause comes first
		out.Write(h.src[last:e.from])
		out.WriteString(e.text)
		last = e.to
	}
	out.Write(h.src[last:])
	return out.Bytes(), nil
}

const generated = "// Code generated by `libfuzz prepare` from %s; DO NOT EDIT.\n\n"

// libfuzzerGo is the other file of the package that go-118-fuzz-build
// turns into libFuzzer binaries.
const libfuzzerGo = `// Package libfuzzer is a copy of the module's fuzz targets in a package
// of their own, for go-118-fuzz-build, which makes the file that holds a
// target a non-test file of its package: the original is an external test
// package (fuzz_test), which cannot share a directory with package fuzz as
// a non-test file.
package libfuzzer

import "os"

// go-118-fuzz-build calls the target, FuzzX(f), for every input: the seed
// loops before f.Fuzz would run each time (its f.Add does nothing), and
// they read and encode the whole scenario corpus. In a libFuzzer binary the
// seeds come from the seed corpus instead (FuzzX_seed_corpus.zip, made by
// ` + "`libfuzz seeds`" + ` from the same f.Add calls), so the targets are
// pointed at no seed directory, a documented switch of theirs.
func init() { os.Setenv(SeedsEnv, os.DevNull) }
`

// seedsMainGo is the main file of the program that records the seeds.
const seedsMainGo = `// Command seeds writes the seeds of every fuzz target, the values of its
// f.Add calls, to -out/<target>/ in go test's corpus format.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	testing %q
)

func main() {
	out := flag.String("out", "", "directory for <target>/seed-<n> files")
	flag.Parse()
	for _, t := range []struct {
		name string
		fn   func(*testing.F)
	}{
%s	} {
		f := testing.NewF(t.name)
		t.fn(f)
		if err := f.WriteSeeds(filepath.Join(*out, t.name)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%%s %%d\n", t.name, len(f.Seeds))
	}
}
`

// seedTestingPath is the import path of the stand-in for package testing.
const seedTestingPath = "github.com/netbuf-go/netbuf/internal/cmd/libfuzz/seedtesting"

// prepare writes, under dir (inside the module), the package that
// go-118-fuzz-build builds (dir/fuzz_test.go, dir/libfuzzer.go) from the
// fuzz targets of the package in pkgDir, and the program that records
// their seeds (dir/seeds/); it returns the targets.
func prepare(pkgDir, dir string) ([]target, error) {
	h, err := parseHarness(pkgDir)
	if err != nil {
		return nil, err
	}
	note := fmt.Sprintf(generated, "the fuzz targets of ./"+filepath.ToSlash(pkgDir))
	lib, err := h.withPackage("libfuzzer", "")
	if err != nil {
		return nil, err
	}
	seeds, err := h.withPackage("main", seedTestingPath)
	if err != nil {
		return nil, err
	}
	var table strings.Builder
	for _, t := range h.targets {
		fmt.Fprintf(&table, "\t\t{%q, %s},\n", t.Name, t.Name)
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	files := map[string][]byte{
		// The name ends in _test.go as in the module: go-118-fuzz-build
		// looks for the target among the package's test files.
		"fuzz_test.go":     append([]byte(note), lib...),
		"libfuzzer.go":     []byte(note + libfuzzerGo),
		"seeds/harness.go": append([]byte(note), seeds...),
		"seeds/main.go":    []byte(note + fmt.Sprintf(seedsMainGo, seedTestingPath, table.String())),
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, body, 0o644); err != nil {
			return nil, err
		}
	}
	return h.targets, nil
}
