package cache

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// origin is a scripted server: each path answers with the headers and body
// set for it, and 304 when If-None-Match names its ETag. It records what it
// was sent.
type origin struct {
	mu     sync.Mutex
	header map[string]http.Header
	body   map[string]string
	got    []*http.Request
}

func newOrigin() *origin {
	return &origin{header: map[string]http.Header{}, body: map[string]string{}}
}

func (o *origin) set(path, body string, kv ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	o.header[path], o.body[path] = h, body
}

func (o *origin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.got = append(o.got, r.Clone(context.Background()))
	h, body := o.header[r.URL.Path], o.body[r.URL.Path]
	o.mu.Unlock()
	for k, v := range h {
		w.Header()[k] = v
	}
	if tag := h.Get("ETag"); tag != "" && r.Header.Get("If-None-Match") == tag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, body)
}

func (o *origin) requests() []*http.Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]*http.Request(nil), o.got...)
}

// handlerTransport serves requests from a handler in memory, so that tests
// can run in a synctest bubble.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

type harness struct {
	t      *testing.T
	origin *origin
	tr     *Transport
	seen   []Outcome
	mu     sync.Mutex
}

func newHarness(t *testing.T, scope func(*http.Request) (string, bool)) *harness {
	t.Helper()
	store, err := NewMemory(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, origin: newOrigin()}
	h.tr = &Transport{Base: handlerTransport{h.origin}, Store: store, Scope: scope,
		Observe: func(_ *http.Request, o Outcome) {
			h.mu.Lock()
			h.seen = append(h.seen, o)
			h.mu.Unlock()
		}}
	return h
}

// get fetches path as who (sent as a header the scope reads) and returns
// the body.
func (h *harness) get(path, who string) string {
	h.t.Helper()
	req := httptest.NewRequest("GET", "http://api.test"+path, nil)
	req.Header.Set("X-Who", who)
	resp, err := h.tr.RoundTrip(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		h.t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return string(b)
}

func (h *harness) outcomes() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var s []string
	for _, o := range h.seen {
		s = append(s, o.String())
	}
	h.seen = nil
	return strings.Join(s, " ")
}

// byHeader scopes requests by X-Who; paths under /me are the caller's.
func byHeader(req *http.Request) (string, bool) {
	if strings.HasPrefix(req.URL.Path, "/me") {
		return "id-" + req.Header.Get("X-Who"), true
	}
	return "", true
}

func TestMaxAgeServesUntilStale(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, byHeader)
		h.origin.set("/tracks/a", `{"v":1}`, "Cache-Control", "public, max-age=60")
		h.get("/tracks/a", "")
		time.Sleep(59 * time.Second)
		h.origin.set("/tracks/a", `{"v":2}`, "Cache-Control", "public, max-age=60")
		if got := h.get("/tracks/a", ""); got != `{"v":1}` {
			t.Errorf("fresh read got %s", got)
		}
		time.Sleep(2 * time.Second)
		if got := h.get("/tracks/a", ""); got != `{"v":2}` {
			t.Errorf("stale read got %s, want the new answer", got)
		}
		if got := h.outcomes(); got != "miss hit miss" {
			t.Errorf("outcomes %q", got)
		}
		if n := len(h.origin.requests()); n != 2 {
			t.Errorf("origin saw %d requests, want 2", n)
		}
	})
}

func TestAgeShortensFreshness(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, byHeader)
		h.origin.set("/tracks/a", `{}`, "Cache-Control", "max-age=60", "Age", "50")
		h.get("/tracks/a", "")
		time.Sleep(11 * time.Second)
		h.get("/tracks/a", "")
		if got := h.outcomes(); got != "miss miss" {
			t.Errorf("outcomes %q, want the second read sent (10 s of freshness left)", got)
		}
	})
}

func TestETagRevalidates(t *testing.T) {
	h := newHarness(t, byHeader)
	big := strings.Repeat("x", 10000)
	h.origin.set("/playlists/p", big, "Cache-Control", "private, max-age=0", "ETag", `"v1"`)
	for range 3 {
		if got := h.get("/playlists/p", ""); got != big {
			t.Fatalf("body of %d bytes", len(got))
		}
	}
	// Private answers are kept only for one caller: this one is shared
	// (not under /me), so it must not have been kept at all.
	if got := h.outcomes(); got != "miss miss miss" {
		t.Fatalf("shared private answer: outcomes %q", got)
	}
	h.origin.set("/me/playlists", big, "Cache-Control", "private, max-age=0", "ETag", `"v1"`)
	h.get("/me/playlists", "ann")
	h.get("/me/playlists", "ann")
	h.origin.set("/me/playlists", "changed", "Cache-Control", "private, max-age=0", "ETag", `"v2"`)
	if got := h.get("/me/playlists", "ann"); got != "changed" {
		t.Errorf("after a change got %q", got)
	}
	if got := h.outcomes(); got != "miss revalidated miss" {
		t.Errorf("outcomes %q", got)
	}
	reqs := h.origin.requests()
	if inm := reqs[len(reqs)-1].Header.Get("If-None-Match"); inm != `"v1"` {
		t.Errorf("revalidation sent If-None-Match %q", inm)
	}
}

func TestNeverAcrossIdentities(t *testing.T) {
	h := newHarness(t, byHeader)
	h.origin.set("/me", `{"id":"ann"}`, "Cache-Control", "public, max-age=3600", "ETag", `"a"`)
	h.get("/me", "ann")
	h.origin.set("/me", `{"id":"bob"}`, "Cache-Control", "public, max-age=3600", "ETag", `"b"`)
	if got := h.get("/me", "bob"); got != `{"id":"bob"}` {
		t.Fatalf("bob got %s", got)
	}
	if got := h.get("/me", "ann"); got != `{"id":"ann"}` {
		t.Fatalf("ann got %s", got)
	}
	if got := h.outcomes(); got != "miss miss hit" {
		t.Errorf("outcomes %q", got)
	}
}

func TestWhatIsNeverKept(t *testing.T) {
	cases := []struct {
		name string
		kv   []string
	}{
		{"no-store", []string{"Cache-Control", "no-store, max-age=60"}},
		{"no validator no freshness", []string{"Cache-Control", "max-age=0"}},
		{"no headers", nil},
		{"vary star", []string{"Cache-Control", "max-age=60", "Vary", "*"}},
		{"vary cookie", []string{"Cache-Control", "max-age=60", "Vary", "Cookie"}},
		{"private shared", []string{"Cache-Control", "private, max-age=60"}},
		{"vary authorization shared", []string{"Cache-Control", "max-age=60", "Vary", "Authorization"}},
		{"bad max-age", []string{"Cache-Control", "max-age=soon"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, byHeader)
			h.origin.set("/tracks/a", `{}`, c.kv...)
			h.get("/tracks/a", "")
			h.get("/tracks/a", "")
			if got := h.outcomes(); got != "miss miss" {
				t.Errorf("outcomes %q", got)
			}
		})
	}
}

func TestNoCacheRevalidatesEachTime(t *testing.T) {
	h := newHarness(t, byHeader)
	h.origin.set("/tracks/a", `{}`, "Cache-Control", "no-cache, max-age=600", "ETag", `"t"`)
	h.get("/tracks/a", "")
	h.get("/tracks/a", "")
	h.get("/tracks/a", "")
	if got := h.outcomes(); got != "miss revalidated revalidated" {
		t.Errorf("outcomes %q", got)
	}
}

func TestPassesThrough(t *testing.T) {
	h := newHarness(t, func(req *http.Request) (string, bool) { return "", req.URL.Path != "/skip" })
	h.origin.set("/tracks/a", `{}`, "Cache-Control", "max-age=600")
	h.origin.set("/skip", `{}`, "Cache-Control", "max-age=600")
	send := func(method, path string, kv ...string) {
		t.Helper()
		req := httptest.NewRequest(method, "http://api.test"+path, nil)
		for i := 0; i+1 < len(kv); i += 2 {
			req.Header.Set(kv[i], kv[i+1])
		}
		resp, err := h.tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		discard(resp)
	}
	send("GET", "/tracks/a") // kept
	send("PUT", "/tracks/a")
	send("GET", "/tracks/a", "Range", "bytes=0-1")
	send("GET", "/tracks/a", "If-None-Match", `"mine"`)
	send("GET", "/tracks/a", "Cache-Control", "no-store")
	send("GET", "/skip")
	send("GET", "/skip")
	if n := len(h.origin.requests()); n != 7 {
		t.Errorf("origin saw %d requests, want 7", n)
	}
	if got := h.origin.requests()[3].Header.Get("If-None-Match"); got != `"mine"` {
		t.Errorf("the caller's own If-None-Match became %q", got)
	}
	send("GET", "/tracks/a", "Cache-Control", "max-age=0") // the caller wants it checked
	if n := len(h.origin.requests()); n != 8 {
		t.Errorf("max-age=0 from the caller was served from the cache")
	}
}

func TestLargeAnswerPassesWhole(t *testing.T) {
	h := newHarness(t, byHeader)
	h.tr.MaxEntryBytes = 100
	big := strings.Repeat("y", 1000)
	h.origin.set("/tracks/a", big, "Cache-Control", "max-age=600")
	if got := h.get("/tracks/a", ""); got != big {
		t.Fatalf("got %d bytes, want %d", len(got), len(big))
	}
	h.get("/tracks/a", "")
	if got := h.outcomes(); got != "miss miss" {
		t.Errorf("outcomes %q", got)
	}
}

// A store's values may come from another process: a corrupt one is a miss.
func TestCorruptEntryIsAMiss(t *testing.T) {
	h := newHarness(t, byHeader)
	h.origin.set("/tracks/a", `{}`, "Cache-Control", "max-age=600")
	req := httptest.NewRequest("GET", "http://api.test/tracks/a", nil)
	h.tr.Store.Set(context.Background(), h.tr.key(req, ""), []byte{1, 2, 3}, time.Hour)
	h.get("/tracks/a", "")
	if got := h.outcomes(); got != "miss" {
		t.Errorf("outcomes %q", got)
	}
}

func TestEntryRoundTrip(t *testing.T) {
	e := &entry{stored: time.Unix(100, 5), lifetime: time.Minute, status: 200, body: []byte("body")}
	e.header[hETag] = `"x"`
	e.header[hContentType] = "application/json"
	got, err := decode(e.encode())
	if err != nil {
		t.Fatal(err)
	}
	if !got.stored.Equal(e.stored) || got.lifetime != e.lifetime || got.header != e.header || string(got.body) != "body" {
		t.Errorf("decoded %+v", got)
	}
}

func FuzzDecode(f *testing.F) {
	e := &entry{stored: time.Unix(100, 5), lifetime: time.Minute, status: 200, body: []byte("body")}
	e.header[hETag] = `"x"`
	f.Add(e.encode())
	f.Add([]byte{entryVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decode(b)
		if err != nil {
			return
		}
		if e.status != 200 || e.lifetime < 0 || len(e.body) > len(b) {
			t.Fatalf("accepted %+v", e)
		}
		if again, err := decode(e.encode()); err != nil || string(again.body) != string(e.body) {
			t.Fatalf("re-encoding failed: %v", err)
		}
	})
}
