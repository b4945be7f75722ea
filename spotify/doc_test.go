package spotify_test

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/internal/contract"
)

// serviceMethod is an exported method of a service type, with its parsed
// documentation.
type serviceMethod struct {
	name string // "AlbumsService.Get"
	op   string // its //spotify:operation directive, if any

	summary    string // the first paragraph
	endpoint   string // the text of the "Endpoint:" list item
	scopes     string // of "Scopes:"
	limits     string // of "Limits:"
	deprecated string // the "Deprecated:" paragraph
}

// TestMethodDocs checks the documentation of every exported method of
// every service against the contract (endpoints.tsv). Each says what it
// does in a first sentence starting with its name, then in a list:
//
//   - Endpoint: the method and path of every operation it calls
//     ("GET /v1/albums/{id}"), which must exist in the contract; a method with
//     a //spotify:operation directive names that operation first;
//   - Scopes: every scope the contract lists, or "no scope needed";
//   - Limits: the page limit range ("limit 1-50", and the "default 20" of
//     the endpoint on the method calling it), the IDs or URIs per request
//     ("20 IDs per request"), and anything else that bounds a call.
//
// A method calling a deprecated operation has a "Deprecated:" paragraph
// with the date the contract deprecated it (and, for the removals of
// November 2024, the date Spotify announced them), naming the replacement
// method when the contract has one. A method calling no deprecated
// operation has none. A method of an operation removed for Development
// Mode apps (devRemoved in the contract test) says so, and names
// ErrForbidden.
func TestMethodDocs(t *testing.T) {
	eps, err := contract.LoadEndpoints()
	if err != nil {
		t.Fatal(err)
	}
	byRoute := map[string]contract.Endpoint{}
	byOp := map[string]contract.Endpoint{}
	for _, e := range eps {
		byRoute[e.Method+" "+e.Path] = e
		byOp[e.Op] = e
	}
	methods, err := serviceMethods(".")
	if err != nil {
		t.Fatal(err)
	}
	opMethod := map[string]string{}
	for _, m := range methods {
		if m.op != "" {
			opMethod[m.op] = m.name
		}
	}
	if len(opMethod) != len(eps) {
		t.Errorf("%d operations have a method, the contract has %d", len(opMethod), len(eps))
	}
	removed := map[string]bool{}
	for _, r := range contractRows {
		removed[r.op] = r.devRemoved
	}
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			checkMethodDoc(t, m, byRoute, byOp, opMethod, removed[m.op])
		})
	}
}

// announced2024 is when Spotify cut new apps off related artists,
// recommendations, audio features and analysis, and featured and category
// playlists (Spotify's developer blog); the contract marked them deprecated
// later.
const announced2024 = "2024-11-27"

var endpointRE = regexp.MustCompile(`\b(GET|POST|PUT|DELETE) /v1(/[A-Za-z0-9_{}/-]*)`)

func checkMethodDoc(t *testing.T, m serviceMethod, byRoute, byOp map[string]contract.Endpoint, opMethod map[string]string, devRemoved bool) {
	short := m.name[strings.Index(m.name, ".")+1:]
	if !strings.HasPrefix(m.summary, short+" ") {
		t.Errorf("the first sentence does not start with %q: %q", short, m.summary)
	}
	var eps []contract.Endpoint
	for _, match := range endpointRE.FindAllStringSubmatch(m.endpoint, -1) {
		e, ok := byRoute[match[1]+" "+strings.TrimSuffix(match[2], "/")]
		if !ok {
			t.Errorf("endpoint %q is not in the contract", match[0])
			continue
		}
		eps = append(eps, e)
	}
	if len(eps) == 0 {
		t.Fatalf("no \"Endpoint: METHOD /v1/path\" list item naming an operation of the contract (got %q)", m.endpoint)
	}
	if m.op != "" && eps[0].Op != m.op {
		t.Errorf("its directive names %s, its first endpoint is %s %s (%s)", m.op, eps[0].Method, eps[0].Path, eps[0].Op)
	}
	if m.scopes == "" {
		t.Error(`no "Scopes:" list item`)
	}
	if m.limits == "" {
		t.Error(`no "Limits:" list item`)
	}
	var deprecated []contract.Endpoint
	for _, e := range eps {
		checkScopes(t, m, e)
		checkLimits(t, m, e)
		if e.Deprecated {
			deprecated = append(deprecated, e)
		}
	}
	switch {
	case len(deprecated) == 0 && m.deprecated != "":
		t.Errorf("calls no deprecated operation, yet says %q", m.deprecated)
	case len(deprecated) > 0 && m.deprecated == "":
		t.Errorf("calls the deprecated %s and has no \"Deprecated:\" paragraph", deprecated[0].Op)
	}
	for _, e := range deprecated {
		checkDeprecated(t, m, e, opMethod)
	}
	if devRemoved && !(strings.Contains(m.deprecated, "Development Mode") && strings.Contains(m.deprecated, "ErrForbidden")) {
		t.Errorf("removed for Development Mode apps, but its Deprecated paragraph does not say so and name ErrForbidden: %q", m.deprecated)
	}
}

func checkScopes(t *testing.T, m serviceMethod, e contract.Endpoint) {
	t.Helper()
	if len(e.Scopes) == 0 && !strings.Contains(strings.ToLower(m.scopes), "no scope needed") {
		t.Errorf("%s needs no scope, the doc does not say \"no scope needed\": %q", e.Op, m.scopes)
	}
	for _, s := range e.Scopes {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(s) + `\b`).MatchString(m.scopes) {
			t.Errorf("%s needs scope %s, the doc's scopes do not name it: %q", e.Op, s, m.scopes)
		}
	}
}

func checkLimits(t *testing.T, m serviceMethod, e contract.Endpoint) {
	t.Helper()
	if e.LimitMax > 0 && !strings.Contains(m.limits, fmt.Sprintf("limit 1-%d", e.LimitMax)) {
		t.Errorf("%s pages up to %d, the doc's limits do not say \"limit 1-%d\": %q", e.Op, e.LimitMax, e.LimitMax, m.limits)
	}
	if e.LimitDefault > 0 && m.op == e.Op && !strings.Contains(m.limits, fmt.Sprintf("default %d", e.LimitDefault)) {
		t.Errorf("%s defaults to %d, the doc's limits do not say \"default %d\": %q", e.Op, e.LimitDefault, e.LimitDefault, m.limits)
	}
	for _, n := range []int{e.IDsMax, e.URIsMax} {
		if n == 0 {
			continue
		}
		re := regexp.MustCompile(`\b` + strconv.Itoa(n) + ` (\w+ )?(IDs?|URIs?|items?) per request`)
		if !re.MatchString(m.limits) {
			t.Errorf("%s takes up to %d per request, the doc's limits do not say \"%d IDs (or URIs) per request\": %q", e.Op, n, n, m.limits)
		}
	}
}

func checkDeprecated(t *testing.T, m serviceMethod, e contract.Endpoint, opMethod map[string]string) {
	t.Helper()
	if !strings.Contains(m.deprecated, e.DeprecatedSince) {
		t.Errorf("%s was deprecated on %s, the Deprecated paragraph does not say so: %q", e.Op, e.DeprecatedSince, m.deprecated)
	}
	if strings.HasPrefix(e.DeprecatedSince, "2024-") && !strings.Contains(m.deprecated, announced2024) {
		t.Errorf("%s was cut off on %s, the Deprecated paragraph does not say so: %q", e.Op, announced2024, m.deprecated)
	}
	if e.Replacement == "" || m.op != e.Op {
		return
	}
	if want := "[" + opMethod[e.Replacement] + "]"; !strings.Contains(m.deprecated, want) {
		t.Errorf("%s is replaced by %s, the Deprecated paragraph does not name %s: %q", e.Op, e.Replacement, want, m.deprecated)
	}
}

// serviceMethods parses the package in dir and returns the exported
// methods of its service types (the types named ...Service).
func serviceMethods(dir string) ([]serviceMethod, error) {
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/spotflow/spotflow/spotify", doc.PreserveAST)
	if err != nil {
		return nil, err
	}
	var out []serviceMethod
	for _, typ := range pkg.Types {
		if !strings.HasSuffix(typ.Name, "Service") {
			continue
		}
		for _, fn := range typ.Methods {
			m := parseMethodDoc(pkg.Parser().Parse(fn.Doc))
			m.name = typ.Name + "." + fn.Name
			if fn.Decl.Doc != nil {
				for _, c := range fn.Decl.Doc.List {
					if sub := directiveRE.FindStringSubmatch(c.Text); sub != nil {
						m.op = sub[1]
					}
				}
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// parseMethodDoc picks the parts of a method's documentation apart.
func parseMethodDoc(d *comment.Doc) serviceMethod {
	var m serviceMethod
	for i, block := range d.Content {
		switch b := block.(type) {
		case *comment.Paragraph:
			text := plainText(b.Text)
			if i == 0 {
				m.summary = text
			}
			if strings.HasPrefix(text, "Deprecated: ") {
				m.deprecated = text
			}
		case *comment.List:
			for _, item := range b.Items {
				var parts []string
				for _, c := range item.Content {
					if p, ok := c.(*comment.Paragraph); ok {
						parts = append(parts, plainText(p.Text))
					}
				}
				text := strings.Join(parts, " ")
				key, val, _ := strings.Cut(text, ": ")
				switch key {
				case "Endpoint":
					m.endpoint = val
				case "Scopes":
					m.scopes = val
				case "Limits":
					m.limits = val
				}
			}
		}
	}
	return m
}

// plainText renders doc comment text on one line, with doc links as
// written ("[LibraryService.Save]").
func plainText(ts []comment.Text) string {
	var b strings.Builder
	for _, t := range ts {
		switch v := t.(type) {
		case comment.Plain:
			b.WriteString(string(v))
		case comment.Italic:
			b.WriteString(string(v))
		case *comment.Link:
			b.WriteString(plainText(v.Text))
		case *comment.DocLink:
			b.WriteString("[")
			if v.ImportPath != "" {
				b.WriteString(v.ImportPath + ".")
			}
			if v.Recv != "" {
				b.WriteString(v.Recv + ".")
			}
			b.WriteString(v.Name + "]")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
