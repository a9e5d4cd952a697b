package doccheck

import (
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"strings"
)

// listingSource returns the checks of a listing f: each function and
// method as a value of exactly the listed signature, each type as
// mutually assignable with the listed one (the same fields, or the same
// methods), each listed variable as existing (with its listed type, if
// any), in the package that declares most of the listing's names, imported
// with a dot so that the listing's unqualified names are its.
func listingSource(fset *token.FileSet, imp types.Importer, f *ast.File) (string, error) {
	pkg, err := listingPackage(imp, f)
	if err != nil {
		return "", err
	}
	var body strings.Builder
	expr := func(n ast.Node) string {
		var s strings.Builder
		_ = printer.Fprint(&s, fset, n)
		return s.String()
	}
	at := func(n ast.Node) {
		p := fset.Position(n.Pos())
		fmt.Fprintf(&body, "//line %s:%d\n", p.Filename, p.Line)
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			at(d)
			sig := &ast.FuncType{Params: d.Type.Params, Results: d.Type.Results}
			value := d.Name.Name
			tparams := ""
			if d.Type.TypeParams != nil {
				var tps []string
				for _, tp := range d.Type.TypeParams.List {
					tps = append(tps, strings.Join(names(&ast.FieldList{List: []*ast.Field{tp}}), ", ")+" "+expr(tp.Type))
				}
				tparams = strings.Join(tps, ", ")
				value += "[" + strings.Join(names(d.Type.TypeParams), ", ") + "]"
			}
			if d.Recv != nil {
				recv := d.Recv.List[0]
				value = "(" + expr(recv.Type) + ")." + d.Name.Name
				sig.Params = withReceiver(recv, d.Type.Params)
				if tps := receiverTypeParams(recv.Type); len(tps) > 0 {
					tparams = strings.Join(tps, ", ") + " any"
				}
			}
			if tparams != "" {
				fmt.Fprintf(&body, "func _[%s]() { var _ %s = %s }\n", tparams, expr(sig), value)
			} else {
				fmt.Fprintf(&body, "var _ %s = %s\n", expr(sig), value)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					at(s)
					fmt.Fprintf(&body, "func _() { var a %s; var b %s\na = b; b = a; _, _ = a, b }\n", s.Name.Name, expr(s.Type))
				case *ast.ValueSpec:
					for _, n := range s.Names {
						at(n)
						if id, ok := s.Type.(*ast.Ident); s.Type == nil || ok && id.Name == listed {
							fmt.Fprintf(&body, "var _ = %s\n", n.Name)
						} else {
							fmt.Fprintf(&body, "var _ %s = %s\n", expr(s.Type), n.Name)
						}
					}
				}
			}
		}
	}
	return importsFor(body.String()) + fmt.Sprintf("import . %q\n\n", imports[pkg]) + body.String(), nil
}

// listingPackage returns the name of the package (of listingPackages)
// that declares most of f's top-level names.
func listingPackage(imp types.Importer, f *ast.File) (string, error) {
	var declared []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				declared = append(declared, baseType(d.Recv.List[0].Type))
			} else {
				declared = append(declared, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					declared = append(declared, s.Name.Name)
				case *ast.ValueSpec:
					declared = append(declared, names(&ast.FieldList{List: []*ast.Field{{Names: s.Names}}})...)
				}
			}
		}
	}
	best, hits := "", 0
	for _, name := range listingPackages {
		p, err := imp.Import(imports[name])
		if err != nil {
			return "", err
		}
		n := 0
		for _, d := range declared {
			if p.Scope().Lookup(d) != nil {
				n++
			}
		}
		if n > hits {
			best, hits = name, n
		}
	}
	if best == "" {
		return "", fmt.Errorf("no package of %v declares any of %v", listingPackages, declared)
	}
	return best, nil
}

// withReceiver returns params with the receiver in front, as the method
// expression's signature has it (names kept only if every parameter has one).
func withReceiver(recv *ast.Field, params *ast.FieldList) *ast.FieldList {
	named := len(params.List) == 0 || len(params.List[0].Names) > 0
	r := &ast.Field{Type: recv.Type}
	if named {
		r.Names = []*ast.Ident{ast.NewIdent("_")}
	}
	return &ast.FieldList{List: append([]*ast.Field{r}, params.List...)}
}

// receiverTypeParams returns the type parameters of a generic receiver
// type (T of *Ring[T]).
func receiverTypeParams(e ast.Expr) []string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	var out []string
	switch e := e.(type) {
	case *ast.IndexExpr:
		out = append(out, e.Index.(*ast.Ident).Name)
	case *ast.IndexListExpr:
		for _, i := range e.Indices {
			out = append(out, i.(*ast.Ident).Name)
		}
	}
	return out
}

// baseType returns the type name of a receiver type: Ring of *Ring[T].
func baseType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

func names(fl *ast.FieldList) []string {
	var out []string
	for _, f := range fl.List {
		for _, n := range f.Names {
			out = append(out, n.Name)
		}
	}
	return out
}
