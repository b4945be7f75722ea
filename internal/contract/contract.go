// Package contract checks HTTP exchanges against Spotify's OpenAPI
// definition of the Web API, for the contract tests of the client and of the
// fake. It imports no package of this module, so spotifytest's tests can use
// it without tying the fake to the client.
//
// The contract travels with the code as facts: facts/openapi.yml and
// facts/endpoints.tsv, embedded, hold the definition's paths, operations,
// parameters, schemas and limits without any of its prose (see README.md
// for where they come from). `go generate ./internal/contract` remakes
// them from the full definition; [SpecDirEnv] makes the tests read a newer
// full definition instead.
package contract

//go:generate go run ./gen

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// SpecDirEnv names an environment variable that, when set, is a directory
// holding a full definition (spotify-openapi.yml and endpoints.tsv): [Load]
// and [LoadEndpoints] then read it instead of the embedded facts, and the
// generator makes the facts from it.
const SpecDirEnv = "SPOTFLOW_SPEC_DIR"

// The files of the full definition, and of the facts made from them.
const (
	UpstreamOpenAPI    = "spotify-openapi.yml"
	UpstreamEndpoints  = "endpoints.tsv"
	FactsOpenAPIFile   = "openapi.yml"
	FactsEndpointsFile = "endpoints.tsv"
)

//go:embed facts/openapi.yml facts/endpoints.tsv
var facts embed.FS

func init() {
	// The cover upload's body is base64 text sent as image/jpeg, which
	// kin-openapi has no decoder for; treat it as an opaque file.
	openapi3filter.RegisterBodyDecoder("image/jpeg", openapi3filter.FileBodyDecoder)
}

// UpstreamDir returns the directory of the full definition the facts are
// made from: $SPOTFLOW_SPEC_DIR when set, else shared/spec beside the root
// of the module holding the working directory (the nearest directory above
// it with a go.mod), where the project's machines keep it. Only the
// generator and the test that the facts are current read it.
func UpstreamDir() (string, error) {
	if d := os.Getenv(SpecDirEnv); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "spec"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("contract: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Facts returns the embedded copy of the named facts file
// ([FactsOpenAPIFile] or [FactsEndpointsFile]).
func Facts(name string) ([]byte, error) { return facts.ReadFile("facts/" + name) }

// Load parses the OpenAPI document: the embedded facts, or the full
// definition in $SPOTFLOW_SPEC_DIR when that is set.
func Load() (*openapi3.T, error) {
	if dir := os.Getenv(SpecDirEnv); dir != "" {
		path := filepath.Join(dir, UpstreamOpenAPI)
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			return nil, fmt.Errorf("contract: load %s: %w", path, err)
		}
		return doc, nil
	}
	b, err := Facts(FactsOpenAPIFile)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("contract: load the embedded facts: %w", err)
	}
	return doc, nil
}

// Operations returns the operation IDs of doc.
func Operations(doc *openapi3.T) []string {
	var ids []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	return ids
}

// Validator routes requests to the operations of the document and checks
// requests and answers against them.
type Validator struct {
	router routers.Router
}

// NewValidator returns a Validator for requests to apiBase, the Web API's
// base URL without a trailing slash (such as a fake's URL + "/v1"). doc is
// not changed, so one loaded document can serve several validators.
func NewValidator(doc *openapi3.T, apiBase string) (*Validator, error) {
	d := *doc
	d.Servers = openapi3.Servers{{URL: apiBase}}
	router, err := gorillamux.NewRouter(&d)
	if err != nil {
		return nil, fmt.Errorf("contract: router: %w", err)
	}
	return &Validator{router: router}, nil
}

// Checked is a request routed to its operation, ready to have its answer
// checked.
type Checked struct {
	Op string // the operation ID the request routes to
	in *openapi3filter.RequestValidationInput
}

// Request finds req's operation and checks req against it; body is req's
// body (req.Body is not read). The request is checked for its path,
// query, headers and body, not for its authentication, which the
// document describes only as OAuth 2.0. A request of no operation gives a
// nil Checked; a request that routes but does not validate gives both a
// Checked and an error.
func (v *Validator) Request(req *http.Request, body []byte) (*Checked, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: no operation: %w", req.Method, req.URL.Path, err)
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
		},
	}
	c := &Checked{Op: route.Operation.OperationID, in: in}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		return c, fmt.Errorf("%s: request %s %s: %w", c.Op, req.Method, req.URL.RequestURI(), err)
	}
	return c, nil
}

// Response checks an answer to the request c came from: its status must be
// one the operation declares, and its headers and body must match. It
// reports the first mismatch only: collecting every error of a body costs
// ten times as long, since each oneOf branch a playlist item does not take
// then builds a full error report.
func (v *Validator) Response(c *Checked, status int, header http.Header, body []byte) error {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: c.in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%s: answer %d: %w\n%.400s", c.Op, status, err, body)
	}
	return nil
}

// Exchange is one request and answer a [Transport] checked.
type Exchange struct {
	Op     string // the operation routed to; empty when none
	Method string
	Path   string
	Status int   // 0 when the request got no answer
	Err    error // what did not validate, nil when all did
}

// Transport is an http.RoundTripper that checks every request it carries,
// and every answer it gets from Base, against the document. It never
// changes what passes through; what did not validate is recorded in the
// exchanges, for the test to report.
type Transport struct {
	Base      http.RoundTripper // http.DefaultTransport when nil
	Validator *Validator

	mu        sync.Mutex
	exchanges []Exchange
}

// RoundTrip sends req through Base, checking both directions.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	ex := Exchange{Method: req.Method, Path: req.URL.Path}
	checked, err := t.Validator.Request(req, body)
	if checked != nil {
		ex.Op = checked.Op
	}
	errs := []error{err}

	out := req.Clone(req.Context())
	out.Body = http.NoBody
	if body != nil {
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, rerr := base.RoundTrip(out)
	if rerr != nil {
		t.record(ex, errs)
		return nil, rerr
	}
	answer, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	ex.Status = resp.StatusCode
	if rerr != nil {
		// Hand the caller the same failure it would have met reading.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(answer), errReader{rerr}))
		errs = append(errs, fmt.Errorf("reading the answer: %w", rerr))
	} else {
		resp.Body = io.NopCloser(bytes.NewReader(answer))
	}
	if rerr == nil && checked != nil {
		errs = append(errs, t.Validator.Response(checked, resp.StatusCode, resp.Header, answer))
	}
	t.record(ex, errs)
	return resp, nil
}

func (t *Transport) record(ex Exchange, errs []error) {
	ex.Err = errors.Join(errs...)
	t.mu.Lock()
	t.exchanges = append(t.exchanges, ex)
	t.mu.Unlock()
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// Take returns the exchanges checked since the last call and forgets them.
func (t *Transport) Take() []Exchange {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.exchanges
	t.exchanges = nil
	return out
}

// Endpoint is one row of endpoints.tsv: what the contract says of one
// operation, for checking the client's documentation against it.
type Endpoint struct {
	Op     string   // operation ID
	Method string   // HTTP method
	Path   string   // path below /v1, with the contract's parameter names
	Scopes []string // OAuth scopes; none when any token will do

	LimitDefault, LimitMax int // page size default and maximum; 0 when not paged
	IDsMax, URIsMax        int // most IDs or URIs per request; 0 when none are taken

	Deprecated      bool
	Replacement     string // the operation ID that replaces it, if any
	DeprecatedSince string // when the contract first marked it deprecated (YYYY-MM-DD)
}

// LoadEndpoints reads endpoints.tsv: the embedded facts, or the full one
// in $SPOTFLOW_SPEC_DIR when that is set.
func LoadEndpoints() ([]Endpoint, error) {
	path := "facts/" + FactsEndpointsFile
	var data []byte
	var err error
	if dir := os.Getenv(SpecDirEnv); dir != "" {
		path = filepath.Join(dir, UpstreamEndpoints)
		data, err = os.ReadFile(path)
	} else {
		data, err = Facts(FactsEndpointsFile)
	}
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("contract: %s has no rows", path)
	}
	col := map[string]int{}
	for i, name := range strings.Split(lines[0], "\t") {
		col[name] = i
	}
	for _, name := range []string{"operationId", "method", "path", "scopes", "limit_default", "limit_max",
		"ids_max", "uris_max", "deprecated", "replacement", "deprecated_first_seen"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("contract: %s has no column %s", path, name)
		}
	}
	var out []Endpoint
	for n, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != len(col) {
			return nil, fmt.Errorf("contract: %s:%d: %d fields, want %d", path, n+2, len(f), len(col))
		}
		get := func(name string) string { return f[col[name]] }
		num := func(name string) int {
			v, _ := strconv.Atoi(get(name)) // empty means none
			return v
		}
		e := Endpoint{
			Op: get("operationId"), Method: get("method"), Path: get("path"),
			LimitDefault: num("limit_default"), LimitMax: num("limit_max"),
			IDsMax: num("ids_max"), URIsMax: num("uris_max"),
			Deprecated: get("deprecated") == "yes", Replacement: get("replacement"),
			DeprecatedSince: get("deprecated_first_seen"),
		}
		if s := get("scopes"); s != "(any token)" && s != "" {
			e.Scopes = strings.Split(s, ",")
		}
		out = append(out, e)
	}
	return out, nil
}
