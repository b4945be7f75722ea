package spotify

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/internal/contract"
)

// TestOperations checks every operation declaration of the package's
// source against the contract and against the method beside it:
//   - each of the contract's operations is declared exactly once, with the
//     contract's method and route, in a variable named after its ID;
//   - every POST, PUT and DELETE operation declares its repeat class, and
//     no GET does;
//   - each declaration sits right before the method whose
//     //spotify:operation directive names it, and that method uses that
//     operation and no other.
func TestOperations(t *testing.T) {
	decls, err := ParseOperations(".")
	if err != nil {
		t.Fatal(err)
	}
	endpoints, err := contract.LoadEndpoints()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*OperationDecl{}
	for _, d := range decls.Ops {
		if prev, dup := byID[d.ID]; dup {
			t.Errorf("%s declared twice: %s and %s", d.ID, prev.Pos, d.Pos)
		}
		byID[d.ID] = d
		if want := opVarName(d.ID); d.Var != want {
			t.Errorf("%s: %s is declared as %s; name it %s", d.Pos, d.ID, d.Var, want)
		}
	}
	for _, e := range endpoints {
		d, ok := byID[e.Op]
		if !ok {
			t.Errorf("%s (%s %s) has no operation declared", e.Op, e.Method, e.Path)
			continue
		}
		if d.Method != e.Method || d.Route != e.Path {
			t.Errorf("%s: %s declares %s %s; the contract says %s %s", d.Pos, d.ID, d.Method, d.Route, e.Method, e.Path)
		}
		switch {
		case e.Method == "GET" && d.Repeat != "":
			t.Errorf("%s: %s is a GET, safe to repeat by nature; drop its repeat class %s", d.Pos, d.ID, d.Repeat)
		case e.Method != "GET" && d.Repeat != "repeatSafe" && d.Repeat != "repeatUnsafe":
			t.Errorf("%s: %s (%s) declares no repeat class; say repeatSafe or repeatUnsafe", d.Pos, d.ID, e.Method)
		}
		delete(byID, e.Op)
	}
	for id, d := range byID {
		t.Errorf("%s: %s is not an operation of the contract", d.Pos, id)
	}
	if len(decls.Ops) != len(endpoints) {
		t.Errorf("%d operations declared for the contract's %d", len(decls.Ops), len(endpoints))
	}

	directives := 0
	for _, m := range decls.Methods {
		directives++
		d := decls.byID(m.Directive)
		if d == nil {
			t.Errorf("%s: %s names %s, which is not declared", m.Pos, m.Name, m.Directive)
			continue
		}
		if d.Next != m.Name {
			t.Errorf("%s: %s is declared at %s, not right before %s, the method naming it", m.Pos, d.ID, d.Pos, m.Name)
		}
		if len(m.Uses) != 1 || m.Uses[0] != d.Var {
			t.Errorf("%s: %s (//spotify:operation %s) uses operations %v; want exactly %s", m.Pos, m.Name, m.Directive, m.Uses, d.Var)
		}
	}
	if directives != len(endpoints) {
		t.Errorf("%d methods carry a directive for the contract's %d operations", directives, len(endpoints))
	}
}

// opVarName is the variable an operation is declared in: op and its ID in
// camel case, get-track as opGetTrack.
func opVarName(id string) string {
	var b strings.Builder
	b.WriteString("op")
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// OperationDecls is what the package's source declares about operations.
type OperationDecls struct {
	Ops     []*OperationDecl
	Methods []*DirectiveMethod
}

func (o *OperationDecls) byID(id string) *OperationDecl {
	for _, d := range o.Ops {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// OperationDecl is one `var opX = &operation{...}` as the source writes it.
type OperationDecl struct {
	Var, ID, Method, Route string
	Repeat                 string // the repeat class's constant, "" when unset
	Pos                    string // file:line
	Next                   string // the function declared right after it, if any
}

// RepeatSafe reports whether the declaration makes the operation safe to
// send again after an unsure failure, as operation.safeToRepeat does.
func (d *OperationDecl) RepeatSafe() bool {
	return d.Method == "GET" || d.Repeat == "repeatSafe"
}

// DirectiveMethod is a function whose doc comment carries a
// //spotify:operation directive, with the operations its body names.
type DirectiveMethod struct {
	Name, Directive, Pos string
	Uses                 []string // operation variables named in the body, sorted, once each
}

// ParseOperations parses the non-test Go files of dir and returns the
// operation declarations and the methods carrying a directive. It is
// exported to the package's external tests, which check behaviour against
// the declared repeat classes.
func ParseOperations(dir string) (*OperationDecls, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	out := &OperationDecls{}
	var parsed []*ast.File
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
		for i, decl := range f.Decls {
			d, err := operationDecl(fset, decl)
			if err != nil {
				return nil, err
			}
			if d == nil {
				continue
			}
			if i+1 < len(f.Decls) {
				if fn, ok := f.Decls[i+1].(*ast.FuncDecl); ok {
					d.Next = funcName(fn)
				}
			}
			out.Ops = append(out.Ops, d)
		}
	}
	vars := map[string]bool{}
	for _, d := range out.Ops {
		vars[d.Var] = true
	}
	for _, f := range parsed {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Doc == nil || fn.Body == nil {
				continue
			}
			id := directive(fn.Doc)
			if id == "" {
				continue
			}
			m := &DirectiveMethod{Name: funcName(fn), Directive: id, Pos: fset.Position(fn.Pos()).String()}
			seen := map[string]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if ident, ok := n.(*ast.Ident); ok && vars[ident.Name] && !seen[ident.Name] {
					seen[ident.Name] = true
					m.Uses = append(m.Uses, ident.Name)
				}
				return true
			})
			sort.Strings(m.Uses)
			out.Methods = append(out.Methods, m)
		}
	}
	return out, nil
}

// operationDecl reads `var name = &operation{...}`, or returns nil when
// decl is something else.
func operationDecl(fset *token.FileSet, decl ast.Decl) (*OperationDecl, error) {
	gd, ok := decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
		return nil, nil
	}
	vs := gd.Specs[0].(*ast.ValueSpec)
	if len(vs.Names) != 1 || len(vs.Values) != 1 {
		return nil, nil
	}
	v := vs.Values[0]
	if u, ok := v.(*ast.UnaryExpr); ok && u.Op == token.AND {
		v = u.X
	}
	lit, ok := v.(*ast.CompositeLit)
	if !ok {
		return nil, nil
	}
	if typ, ok := lit.Type.(*ast.Ident); !ok || typ.Name != "operation" {
		return nil, nil
	}
	d := &OperationDecl{Var: vs.Names[0].Name, Pos: fset.Position(gd.Pos()).String()}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("%s: %s: write operation fields by name", d.Pos, d.Var)
		}
		key := kv.Key.(*ast.Ident).Name
		val, err := constValue(kv.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %s.%s: %w", d.Pos, d.Var, key, err)
		}
		switch key {
		case "id":
			d.ID = val
		case "method":
			d.Method = val
		case "route":
			d.Route = val
		case "repeat":
			d.Repeat = val
		}
	}
	return d, nil
}

// constValue reads a string literal, an http.MethodX constant (as its
// method) or a plain identifier (as its name).
func constValue(e ast.Expr) (string, error) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind == token.STRING {
			return strconv.Unquote(v.Value)
		}
	case *ast.SelectorExpr:
		if x, ok := v.X.(*ast.Ident); ok && x.Name == "http" && strings.HasPrefix(v.Sel.Name, "Method") {
			return strings.ToUpper(strings.TrimPrefix(v.Sel.Name, "Method")), nil
		}
	case *ast.Ident:
		return v.Name, nil
	}
	return "", fmt.Errorf("not a literal or a known constant")
}

func directive(doc *ast.CommentGroup) string {
	for _, c := range doc.List {
		if id, ok := strings.CutPrefix(c.Text, "//spotify:operation "); ok {
			return strings.TrimSpace(id)
		}
	}
	return ""
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}
