package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Outcome is how the cache answered one request, for [Transport.Observe].
type Outcome int

const (
	Miss        Outcome = iota // sent to the server, answered in full
	Hit                        // served from the cache without a request
	Revalidated                // the server answered 304: served from the cache
)

func (o Outcome) String() string {
	switch o {
	case Hit:
		return "hit"
	case Revalidated:
		return "revalidated"
	default:
		return "miss"
	}
}

// DefaultMaxEntryBytes bounds the body of one kept answer.
const DefaultMaxEntryBytes = 8 << 20

// DefaultKeepStale is how long an answer with an ETag is kept past its
// freshness, to be revalidated rather than fetched again.
const DefaultKeepStale = 24 * time.Hour

// Transport is an [http.RoundTripper] that answers GET requests from a
// [Store] when it may, as the package documentation describes.
//
// What it changes about a request: a GET whose kept answer is fresh is not
// sent at all; one whose kept answer is stale but has an ETag is sent with
// If-None-Match added. Nothing else: it never adds or reads credentials,
// never sends a request that was not asked for, and passes every other
// method, and every GET it cannot cache (a Range, the caller's own
// conditional headers, Cache-Control: no-store), through untouched.
type Transport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Store keeps the answers; it must not be nil.
	Store Store
	// Scope returns whose answer req gets: an opaque identity of the caller
	// (a keyed hash of its token, never the token) for an answer that
	// belongs to that caller, or "" for one that is the same for every
	// caller. ok false keeps req out of the cache. Nil means every request
	// is shared: right only for a client whose callers all see the same
	// answers.
	Scope func(req *http.Request) (identity string, ok bool)
	// Observe, when set, is called once per GET the cache handled, with
	// how it answered. It runs on the caller's goroutine.
	Observe func(req *http.Request, o Outcome)
	// MaxEntryBytes bounds a kept body; 0 means DefaultMaxEntryBytes.
	MaxEntryBytes int64
	// KeepStale is how long an answer with an ETag is kept past its
	// freshness; 0 means DefaultKeepStale.
	KeepStale time.Duration
}

var errNoStore = errors.New("cache: Transport has no Store")

// RoundTrip implements [http.RoundTripper].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Store == nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, errNoStore
	}
	if !cacheable(req) {
		return t.base().RoundTrip(req)
	}
	identity, ok := "", true
	if t.Scope != nil {
		identity, ok = t.Scope(req)
	}
	if !ok {
		return t.base().RoundTrip(req)
	}
	ctx := req.Context()
	key := t.key(req, identity)
	reqCC := parseControl(req.Header)
	var kept *entry
	if v, ok := t.Store.Get(ctx, key); ok {
		kept, _ = decode(v) // a corrupt entry is a miss
	}
	now := time.Now()
	if kept != nil && kept.fresh(now) && !reqCC.noCache && !(reqCC.hasMaxAge && reqCC.maxAge == 0) {
		t.observe(req, Hit)
		return kept.response(req), nil
	}
	send := req
	if kept != nil && kept.header[hETag] != "" {
		send = req.Clone(ctx)
		send.Header.Set("If-None-Match", kept.header[hETag])
	}
	resp, err := t.base().RoundTrip(send)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotModified && send != req {
		discard(resp)
		t.refresh(req, key, kept, resp.Header, identity == "")
		t.observe(req, Revalidated)
		return kept.response(req), nil
	}
	t.observe(req, Miss)
	return t.store(req, key, resp, identity == "")
}

func (t *Transport) base() http.RoundTripper {
	if t.Base == nil {
		return http.DefaultTransport
	}
	return t.Base
}

func (t *Transport) observe(req *http.Request, o Outcome) {
	if t.Observe != nil {
		t.Observe(req, o)
	}
}

// cacheable reports whether req is a GET this cache may answer or keep.
func cacheable(req *http.Request) bool {
	if req.Method != http.MethodGet {
		return false
	}
	h := req.Header
	for _, name := range []string{"Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"} {
		if h.Get(name) != "" {
			return false
		}
	}
	return !parseControl(h).noStore
}

// key is the store key of req for identity: a hash, so that no identity,
// ID or query is kept in clear, of everything the answer depends on.
func (t *Transport) key(req *http.Request, identity string) string {
	h := sha256.New()
	for _, s := range []string{identity, req.URL.String(), req.Header.Get("Accept"), req.Header.Get("Accept-Language")} {
		io.WriteString(h, strconv.Itoa(len(s)))
		h.Write([]byte{':'})
		io.WriteString(h, s)
	}
	var sum [sha256.Size]byte
	return "c1:" + base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0]))
}

// admit decides whether an answer with headers h may be kept and for how
// long it is fresh. shared is true when the answer would be served to every
// caller.
func admit(status int, h http.Header, shared bool) (fresh time.Duration, ok bool) {
	if status != http.StatusOK || !varyOK(h) {
		return 0, false
	}
	c := parseControl(h)
	if c.noStore || (shared && (c.private || varyAuthorization(h))) {
		return 0, false
	}
	fresh = lifetime(c, h, shared)
	// With neither freshness nor a validator, a kept copy could never be
	// used: no heuristic freshness here, since API answers change.
	return fresh, fresh > 0 || h.Get("ETag") != ""
}

// store keeps resp's answer when it may and returns resp, its body read
// into memory when it was kept.
func (t *Transport) store(req *http.Request, key string, resp *http.Response, shared bool) (*http.Response, error) {
	fresh, ok := admit(resp.StatusCode, resp.Header, shared)
	if !ok {
		return resp, nil
	}
	max := t.MaxEntryBytes
	if max <= 0 {
		max = DefaultMaxEntryBytes
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		resp.Body.Close()
		return nil, err
	}
	if int64(len(body)) > max {
		// Too large to keep: hand the answer on whole.
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
		return resp, nil
	}
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	e := &entry{stored: time.Now(), lifetime: fresh, status: resp.StatusCode, body: body}
	for i, name := range keptHeaders {
		e.header[i] = resp.Header.Get(name)
	}
	t.put(req, key, e)
	return resp, nil
}

// refresh updates a kept entry after a 304, whose headers say how long it
// is fresh now (and may carry a new ETag).
func (t *Transport) refresh(req *http.Request, key string, kept *entry, h http.Header, shared bool) {
	merged := kept.header
	for i, name := range keptHeaders {
		if v := h.Get(name); v != "" && i != hContentType {
			merged[i] = v
		}
	}
	mh := http.Header{}
	for i, name := range keptHeaders {
		if merged[i] != "" {
			mh.Set(name, merged[i])
		}
	}
	mh["Vary"] = h["Vary"]
	mh["Age"] = h["Age"]
	fresh, ok := admit(http.StatusOK, mh, shared)
	if !ok {
		return
	}
	if fresh == 0 && merged == kept.header {
		return // still only good for revalidation, and nothing changed
	}
	t.put(req, key, &entry{stored: time.Now(), lifetime: fresh, status: kept.status, header: merged, body: kept.body})
}

func (t *Transport) put(req *http.Request, key string, e *entry) {
	ttl := e.lifetime
	if e.header[hETag] != "" {
		keep := t.KeepStale
		if keep <= 0 {
			keep = DefaultKeepStale
		}
		ttl += keep
	}
	t.Store.Set(req.Context(), key, e.encode(), ttl)
}

// maxDrain bounds what is read of a discarded body so its connection can be
// reused.
const maxDrain = 64 << 10

func discard(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	_ = resp.Body.Close()
}

func newResponse(req *http.Request, status int, h http.Header, body []byte) *http.Response {
	return &http.Response{
		Status:        strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// CloseIdleConnections closes the idle connections of Base when it can.
func (t *Transport) CloseIdleConnections() {
	if c, ok := t.base().(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
