package spotify_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"testing/iotest"
	"testing/synctest"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/internal/contract"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// A failure that leaves a request's effect unknown. Each is injected
// after the fake applied the request: the worst case for a repeat.
type unsureFault struct {
	name string
	fail func(rec *httptest.ResponseRecorder) (*http.Response, error)
}

var unsureFaults = []unsureFault{
	{"502", func(*httptest.ResponseRecorder) (*http.Response, error) {
		body := `{"error":{"status":502,"message":"Bad gateway"}}`
		return &http.Response{StatusCode: http.StatusBadGateway, Header: http.Header{"Content-Type": {"application/json"}},
			ContentLength: int64(len(body)), Body: io.NopCloser(bytes.NewReader([]byte(body)))}, nil
	}},
	{"reset before headers", func(*httptest.ResponseRecorder) (*http.Response, error) {
		return nil, connReset()
	}},
	{"reset after headers", func(rec *httptest.ResponseRecorder) (*http.Response, error) {
		resp := rec.Result()
		resp.Body = io.NopCloser(iotest.ErrReader(connReset()))
		return resp, nil
	}},
	{"cut body", func(rec *httptest.ResponseRecorder) (*http.Response, error) {
		resp := rec.Result()
		body := rec.Body.Bytes()
		resp.ContentLength = int64(max(len(body), 2))
		resp.Header.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body[:len(body)/2]), iotest.ErrReader(io.ErrUnexpectedEOF)))
		return resp, nil
	}},
}

func connReset() error {
	return &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}

// TestRepeatFollowsDeclaration is the repeat table: every row of the
// contract walk whose operation is a POST, PUT or DELETE calls its real
// client method while the first request of the call meets each unsure
// failure, after the fake applied it. What the fake received is counted
// against the operation's declared class: a request not safe to repeat is
// received once and the call's error matches ErrMaybeApplied; one safe to
// repeat is received again and the call succeeds. Backoff runs on
// synctest's clock.
func TestRepeatFollowsDeclaration(t *testing.T) {
	decls, err := spotify.ParseOperations(".")
	if err != nil {
		t.Fatal(err)
	}
	safe := map[string]bool{}
	for _, d := range decls.Ops {
		safe[d.ID] = d.RepeatSafe()
	}
	endpoints, err := contract.LoadEndpoints()
	if err != nil {
		t.Fatal(err)
	}
	mutating := map[string]bool{}
	for _, e := range endpoints {
		mutating[e.Op] = e.Method != http.MethodGet
	}
	for _, fault := range unsureFaults {
		t.Run(fault.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { repeatWalk(t, fault, safe, mutating) })
		})
	}
}

func repeatWalk(t *testing.T, fault unsureFault, safe, mutating map[string]bool) {
	srv := spotifytest.NewInProcess()
	defer srv.Close()
	tr := &faultTransport{h: srv.Handler()}
	c := faultClient(t, tr, srv.UserToken(""))
	f := &contractFixture{c: c, ids: srv.IDs()}
	// The rows that change a playlist need one even when its creation
	// fails as not safe to repeat.
	p, err := c.Playlists.Create(t.Context(), "Repeats", nil)
	if err != nil {
		t.Fatal(err)
	}
	f.playlist = p.ID

	walked, unsafe, ops := 0, 0, map[string]bool{}
	for _, row := range contractRows {
		if !mutating[row.op] {
			if err := row.call(t.Context(), f); err != nil {
				t.Errorf("%s (not faulted): %v", row.op, err)
			}
			continue
		}
		walked++
		ops[row.op] = true
		tr.arm(fault)
		err := row.call(t.Context(), f)
		faulted, received := tr.disarm()
		if faulted == "" {
			t.Errorf("%s: no request met the fault", row.op)
			continue
		}
		if safe[row.op] {
			if err != nil || received != 2 {
				t.Errorf("%s (safe to repeat): %.120s received %d times, error %v; want 2 and success", row.op, faulted, received, err)
			}
			continue
		}
		unsafe++
		if !errors.Is(err, spotify.ErrMaybeApplied) || received != 1 {
			t.Errorf("%s (not safe to repeat): %.120s received %d times, error %v; want once and ErrMaybeApplied", row.op, faulted, received, err)
		}
	}
	for op, m := range mutating {
		if m && !ops[op] {
			t.Errorf("%s was not walked", op)
		}
	}
	t.Logf("%d calls of mutating operations, %d of them not safe to repeat", walked, unsafe)
}

// faultClient is a client whose requests reach tr, with a limiter that
// retries every time a retry is allowed, so that retries depend on the
// class alone.
func faultClient(t *testing.T, tr http.RoundTripper, token string) *spotify.Client {
	t.Helper()
	lim, err := ratelimit.New(ratelimit.WithRetryBudget(1, 1000))
	if err != nil {
		t.Fatal(err)
	}
	c, err := spotify.NewClient(
		spotify.WithBaseURL("http://api.spotify.test/v1/"),
		spotify.WithHTTPClient(&http.Client{Transport: tr}),
		spotify.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})),
		spotify.WithLimiter(lim),
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// faultTransport serves requests with a handler in the calling goroutine
// (so they stay in a synctest bubble). Once armed, the first request that
// is not a GET is applied by the handler and then fails with the fault;
// every request identical to it (method, URL, body) is counted.
type faultTransport struct {
	h http.Handler

	mu       sync.Mutex
	fault    *unsureFault
	faulted  string // the faulted request, "METHOD URL body"
	received int    // requests identical to it, the faulted one included
}

func (t *faultTransport) arm(f unsureFault) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fault, t.faulted, t.received = &f, "", 0
}

func (t *faultTransport) disarm() (faulted string, received int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	faulted, received = t.faulted, t.received
	t.fault, t.faulted, t.received = nil, "", 0
	return faulted, received
}

func (t *faultTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	key := fmt.Sprintf("%s %s %s", req.Method, req.URL, body)
	t.mu.Lock()
	var fault *unsureFault
	switch {
	case t.fault != nil && t.faulted == "" && req.Method != http.MethodGet:
		fault, t.faulted, t.received = t.fault, key, 1
	case t.faulted == key:
		t.received++
	}
	t.mu.Unlock()

	in := req.Clone(req.Context())
	in.RequestURI, in.Host = req.URL.RequestURI(), req.URL.Host
	in.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	if fault != nil {
		return fault.fail(rec)
	}
	return rec.Result(), nil
}

// TestReorderNotRepeated is the case that moved a range twice: a reorder
// whose answer is lost after Spotify applied it is received once and
// fails with ErrMaybeApplied, with or without a snapshot ID; the range has
// moved once. When the failure came before Spotify applied it and the
// caller gave the snapshot ID, the client finds the playlist unchanged and
// sends the reorder again.
func TestReorderNotRepeated(t *testing.T) {
	for _, tt := range []struct {
		name         string
		applied      bool // the fake applied the reorder before the failure
		withSnapshot bool
		wantErr      bool
		wantSent     int
	}{
		{"applied, no snapshot", true, false, true, 1},
		{"applied, snapshot", true, true, true, 1},
		{"not applied, no snapshot", false, false, true, 1},
		{"not applied, snapshot", false, true, false, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := spotifytest.NewInProcess()
				defer srv.Close()
				tr := &faultTransport{h: srv.Handler()}
				c := faultClient(t, tr, srv.UserToken(""))
				ctx := t.Context()
				ids := srv.IDs()
				p, err := c.Playlists.Create(ctx, "Order", nil)
				if err != nil {
					t.Fatal(err)
				}
				uris := []string{"spotify:track:" + ids.Tracks[0], "spotify:track:" + ids.Tracks[1], "spotify:track:" + ids.Tracks[2]}
				snap, err := c.Playlists.AddItems(ctx, p.ID, uris, nil)
				if err != nil {
					t.Fatal(err)
				}
				opts := &spotify.PlaylistReorderOptions{}
				if tt.withSnapshot {
					opts.SnapshotID = snap
				}
				fault := unsureFaults[0] // a 502
				if !tt.applied {
					tr.h = notApplied(srv.Handler(), http.MethodPut)
				}
				tr.arm(fault)
				_, err = c.Playlists.ReorderItems(ctx, p.ID, 0, 3, opts) // the first item to the end
				_, sent := tr.disarm()
				if (err != nil) != tt.wantErr || tt.wantErr && !errors.Is(err, spotify.ErrMaybeApplied) || sent != tt.wantSent {
					t.Fatalf("sent %d times, error %v; want %d, error: %v (ErrMaybeApplied)", sent, err, tt.wantSent, tt.wantErr)
				}
				tr.h = srv.Handler()
				var got []string
				for it, err := range c.Playlists.ItemsAll(ctx, p.ID, nil) {
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, it.Content().URI())
				}
				want := []string{uris[1], uris[2], uris[0]}
				if !tt.applied && tt.wantErr {
					want = uris
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("order %v, want %v", got, want)
				}
			})
		})
	}
}

// notApplied answers the first request of method without passing it to h,
// as a proxy failing before the server did anything would.
func notApplied(h http.Handler, method string) http.Handler {
	var once sync.Once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		skip := false
		if r.Method == method {
			once.Do(func() { skip = true })
		}
		if skip {
			return // the fault replaces whatever is written here
		}
		h.ServeHTTP(w, r)
	})
}
