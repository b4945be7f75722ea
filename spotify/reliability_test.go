package spotify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/iotest"
	"testing/synctest"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotifytest"
)

// This file holds the reliability and security tests that go across the
// client: the shared gate end to end, bad input and bad replies, secret
// hygiene in failing flows and redirects.

// TestSharedGateThroughFake: 200 goroutines call a fake that answers
// everything 429 with Retry-After 3600. One request reaches it; every
// caller gets ErrRateLimited with RetryAfter 1h at once, and no fake time
// passes.
//
// The limiter allows one request in flight: with the default cap, the
// requests admitted before the first 429 came back (up to the bucket's
// burst) would reach the server too; ratelimit's TestGateHoldsEveryCaller
// covers that case.
func TestSharedGateThroughFake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := spotifytest.NewInProcess(spotifytest.WithFaults(
			spotifytest.Fault{Kind: spotifytest.Kind429, Rate: 1, RetryAfter: time.Hour}))
		defer srv.Close()
		lim, err := ratelimit.New(ratelimit.WithMaxInFlight(1))
		if err != nil {
			t.Fatal(err)
		}
		// Without coalescing: the callers that would join the first
		// request's answer would not reach the gate, and this test counts
		// what the gate does.
		c := memClient(t, &memTransport{h: srv.Handler()}, srv.UserToken(""), WithLimiter(lim), WithoutCoalescing())
		id := srv.IDs().Tracks[0]

		start := time.Now()
		errs := make([]error, 200)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { _, errs[i] = c.Tracks.Get(t.Context(), id, nil) })
		}
		wg.Wait()
		if el := time.Since(start); el != 0 {
			t.Fatalf("callers waited %s of fake time; want none", el)
		}
		for i, err := range errs {
			var se *Error
			if !errors.Is(err, ErrRateLimited) || !errors.Is(err, ratelimit.ErrRateLimited) || !errors.As(err, &se) || se.RetryAfter != time.Hour {
				t.Fatalf("caller %d: %v; want both ErrRateLimited sentinels with RetryAfter 1h", i, err)
			}
			if !strings.Contains(err.Error(), "retry after 1h0m0s") {
				t.Fatalf("caller %d: message %q does not say when to retry", i, err)
			}
		}
		if n := srv.Stats().Requests; n != 1 {
			t.Fatalf("the fake saw %d requests; want 1", n)
		}
		st := lim.Stats()
		if st.Requests != 1 || st.RateLimited != 1 || st.GateRefusals != 199 || st.InFlight != 0 {
			t.Fatalf("limiter stats %+v; want 1 request, one 429 and 199 refusals", st)
		}
	})
}

// TestBadInputTable: malformed IDs, out-of-range limits and empty lists
// fail with a typed, readable error, and nothing is sent.
func TestBadInputTable(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, func(http.ResponseWriter, *http.Request) { calls.Add(1) })
	const pl = "37i9dQZF1DXcBWIGoYBM5M"
	tests := []struct {
		name string
		call func(context.Context) error
		want error
		msg  string // the message names the problem
	}{
		{"empty ID", getTrack(c, ""), models.ErrInvalidID, "empty"},
		{"ID too short", getTrack(c, trackID[:21]), models.ErrInvalidID, trackID[:21]},
		{"ID too long", getTrack(c, trackID+"x"), models.ErrInvalidID, trackID + "x"},
		{"ID outside base62", getTrack(c, trackID[:21]+"!"), models.ErrInvalidID, trackID[:21] + "!"},
		{"ID with a dash", getTrack(c, trackID[:21]+"-"), models.ErrInvalidID, trackID[:21] + "-"},
		{"ID with a space", getTrack(c, trackID[:10]+" "+trackID[11:]), models.ErrInvalidID, "invalid"},
		{"album URI to Tracks.Get", getTrack(c, "spotify:album:"+trackID), models.ErrInvalidID, "album"},
		{"album URL to Tracks.Get", getTrack(c, "https://open.spotify.com/album/"+trackID), models.ErrInvalidID, "album"},
		{"path traversal", getTrack(c, "../../me"), models.ErrInvalidID, "../../me"},
		{"traversal in a URI", getTrack(c, "spotify:track:../me"), models.ErrInvalidID, "../me"},
		{"escaped slash", getTrack(c, "..%2F..%2Fme"), models.ErrInvalidID, "%2F"},
		{"escaped slash in a URL", getTrack(c, "https://open.spotify.com/track/..%2Fme"), models.ErrInvalidID, "%2F"},
		{"user ID with a slash", func(ctx context.Context) error { _, err := c.Users.Get(ctx, "a/../me"); return err },
			models.ErrInvalidID, "a/../me"},
		{"bad ID in a batch", func(ctx context.Context) error {
			_, err := c.Tracks.GetMany(ctx, []string{trackID, "nope"}, nil)
			return err
		}, models.ErrInvalidID, "nope"},
		{"bare ID to Library.Save", func(ctx context.Context) error { return c.Library.Save(ctx, []string{trackID}) },
			models.ErrInvalidID, "bare ID"},
		{"limit over the maximum", func(ctx context.Context) error {
			_, err := c.Playlists.Items(ctx, pl, &PlaylistItemsOptions{ListOptions: ListOptions{Limit: 51}})
			return err
		}, ErrInvalidInput, "limit 51 is outside 1..50"},
		{"negative limit", func(ctx context.Context) error {
			_, err := c.Albums.Tracks(ctx, trackID, &AlbumTracksOptions{ListOptions: ListOptions{Limit: -1}})
			return err
		}, ErrInvalidInput, "limit -1"},
		{"negative offset", func(ctx context.Context) error {
			_, err := c.Playlists.Items(ctx, pl, &PlaylistItemsOptions{ListOptions: ListOptions{Offset: -5}})
			return err
		}, ErrInvalidInput, "offset -5 is negative"},
		{"search limit over 10", func(ctx context.Context) error {
			_, err := c.Search.Tracks(ctx, "doxy", &SearchOptions{ListOptions: ListOptions{Limit: 11}})
			return err
		}, ErrInvalidInput, "limit 11"},
		{"search offset over 1000", func(ctx context.Context) error {
			_, err := c.Search.Tracks(ctx, "doxy", &SearchOptions{ListOptions: ListOptions{Offset: 1001}})
			return err
		}, ErrInvalidInput, "1001"},
		{"empty search query", func(ctx context.Context) error { _, err := c.Search.Tracks(ctx, " ", nil); return err },
			ErrInvalidInput, "empty search query"},
		{"no IDs to GetMany", func(ctx context.Context) error { _, err := c.Tracks.GetMany(ctx, nil, nil); return err },
			ErrInvalidInput, "no track IDs"},
		{"no IDs to Save", func(ctx context.Context) error { return c.Tracks.Save(ctx, []string{}) },
			ErrInvalidInput, "no track IDs"},
		{"no URIs to Library.Save", func(ctx context.Context) error { return c.Library.Save(ctx, nil) },
			ErrInvalidInput, "no URIs"},
		{"no URIs to Library.Contains", func(ctx context.Context) error { _, err := c.Library.Contains(ctx, nil); return err },
			ErrInvalidInput, "no uris"},
		{"no URIs to AddItems", func(ctx context.Context) error { _, err := c.Playlists.AddItems(ctx, pl, nil, nil); return err },
			ErrInvalidInput, "no URIs"},
		{"market not a country code", func(ctx context.Context) error {
			_, err := c.Tracks.Get(ctx, trackID, &MarketOptions{Market: "sweden"})
			return err
		}, ErrInvalidInput, `"sweden"`},
	}
	for _, tt := range tests {
		err := tt.call(t.Context())
		if !errors.Is(err, tt.want) || !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: got %v; want %v, matching ErrInvalidInput too", tt.name, err, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: message %q does not mention %q", tt.name, err, tt.msg)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d requests were sent for invalid input", n)
	}
}

func getTrack(c *Client, id string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := c.Tracks.Get(ctx, id, nil)
		return err
	}
}

// TestBadRepliesTable: answers a proxy or a broken server may give become
// typed errors whose message says what was wrong with the answer.
func TestBadRepliesTable(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		want   error
		msg    []string
	}{
		{"502 HTML page of a proxy", 502, "text/html; charset=utf-8",
			"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
			ErrServer, []string{"502 Bad Gateway", "text/html body"}},
		{"404 plain text", 404, "text/plain", "no such thing", ErrNotFound, []string{"404 Not Found", "text/plain"}},
		{"204 on a GET", 204, "", "", ErrInvalidReply, []string{"204", "empty body"}},
		{"200 with an empty body", 200, "application/json", "", ErrInvalidReply, []string{"200", "empty body"}},
		{"200 with only whitespace", 200, "application/json", " \r\n ", ErrInvalidReply, []string{"empty body"}},
		{"malformed JSON", 200, "application/json", `{"id":"abc",`, ErrInvalidReply, []string{"malformed JSON"}},
		{"JSON of the wrong shape", 200, "application/json", `[1,2,3]`, ErrInvalidReply, []string{"malformed JSON"}},
		{"HTML on a 200", 200, "text/html", "<html>captive portal</html>", ErrInvalidReply, []string{"text/html body where JSON was expected"}},
	}
	for _, tt := range tests {
		c := newTestClient(t, answer(tt.status, tt.ctype, tt.body))
		_, err := c.Tracks.Get(t.Context(), trackID, nil)
		var se *Error
		if !errors.Is(err, tt.want) || !errors.As(err, &se) || se.Status != tt.status {
			t.Errorf("%s: got %v; want %v with status %d", tt.name, err, tt.want, tt.status)
			continue
		}
		for _, m := range tt.msg {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("%s: message %q does not mention %q", tt.name, err, m)
			}
		}
	}
}

// TestHugeBodyStopsAtCap: a 100 MB answer against a 1 MB cap fails with
// ErrTooLarge after about 1 MB was read: the server could not write the
// rest, and the client's allocations stay a few megabytes.
func TestHugeBodyStopsAtCap(t *testing.T) {
	const total, limit = 100 << 20, 1 << 20
	written := make(chan int64, 1)
	chunk := bytes.Repeat([]byte(" "), 64<<10)
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(total))
		var n int64
		for n < total {
			k, err := w.Write(chunk)
			n += int64(k)
			if err != nil {
				break
			}
		}
		written <- n
	}, WithMaxResponseSize(limit))

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.Tracks.Get(t.Context(), trackID, nil)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1048576-byte cap") {
		t.Fatalf("got %v; want ErrTooLarge naming the cap", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Fatalf("the call allocated %d MB for a 1 MB cap", alloc>>20)
	}
	if n := <-written; n >= total {
		t.Fatalf("the server wrote all %d bytes: the client read past its cap", n)
	}
}

// TestNoSecretsInFailingFlows runs failing calls with the client's and
// the limiter's logs at debug level and checks that neither the errors
// nor the logs carry the token or the Authorization header.
func TestNoSecretsInFailingFlows(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		flows := []struct {
			name string
			h    http.HandlerFunc // nil: the connection is reset
			call func(context.Context, *Client) error
			want error
		}{
			{"5xx until the attempts run out", status(503, ""), getTrackCall, ErrServer},
			{"429, then the answer", sequence(status(429, "1"), trackOK), getTrackCall, nil},
			{"429 for an hour", status(429, "3600"), getTrackCall, ErrRateLimited},
			{"401", status(401, ""), getTrackCall, ErrUnauthorized},
			{"reset", nil, getTrackCall, syscall.ECONNRESET},
			{"truncated body", truncated, getTrackCall, io.ErrUnexpectedEOF},
			{"POST refused", status(500, ""), addItemCall, ErrMaybeApplied},
			{"POST reset", nil, addItemCall, ErrMaybeApplied},
		}
		for _, f := range flows {
			lim, err := ratelimit.New(ratelimit.WithLogger(logger))
			if err != nil {
				t.Fatal(err)
			}
			tr := &memTransport{}
			if f.h != nil {
				tr.h = f.h
			}
			c := memClient(t, tr, secretToken, WithLimiter(lim), WithLogger(logger))
			err = f.call(t.Context(), c)
			if f.want == nil && err != nil || f.want != nil && !errors.Is(err, f.want) {
				t.Errorf("%s: got %v; want %v", f.name, err, f.want)
			}
			if err != nil {
				checkNoSecret(t, f.name+": error", err.Error())
			}
		}
		out := logs.String()
		for _, want := range []string{"spotify call", "ratelimit: retry scheduled", "ratelimit: gate closed"} {
			if !strings.Contains(out, want) {
				t.Errorf("the debug log lacks %q; was it on?\n%s", want, out)
			}
		}
		checkNoSecret(t, "debug log", out)
	})
}

func checkNoSecret(t *testing.T, where, s string) {
	t.Helper()
	for _, bad := range []string{secretToken, "Bearer", "Authorization"} {
		if strings.Contains(s, bad) {
			t.Errorf("%s contains %q:\n%s", where, bad, s)
		}
	}
}

func getTrackCall(ctx context.Context, c *Client) error {
	_, err := c.Tracks.Get(ctx, trackID, nil)
	return err
}

func addItemCall(ctx context.Context, c *Client) error {
	_, err := c.Playlists.AddItems(ctx, "37i9dQZF1DXcBWIGoYBM5M", []string{"spotify:track:" + trackID}, nil)
	return err
}

// status answers code with Spotify's error body, and Retry-After when
// retryAfter is set.
func status(code int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, `{"error":{"status":`+strconv.Itoa(code)+`,"message":"`+http.StatusText(code)+`"}}`)
	}
}

func trackOK(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"id":"`+trackID+`","type":"track","name":"Song"}`)
}

// truncated announces a longer body than it sends; memTransport turns
// the shortfall into io.ErrUnexpectedEOF, as a dropped connection would.
func truncated(w http.ResponseWriter, r *http.Request) {
	body := `{"id":"` + trackID + `","type":"track","name":"Song"}`
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	io.WriteString(w, body[:len(body)/2])
}

// sequence answers the n-th request with hs[n], the last one repeating.
func sequence(hs ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		hs[min(int(n.Add(1))-1, len(hs)-1)](w, r)
	}
}

// TestTokenNeverLeavesAPIHost: redirects anywhere but the API's own scheme
// and host carry no Authorization header: another port, plain http on the
// same host (the token would cross the network in clear), a user-info
// trick and a look-alike subdomain. The API host itself gets the token.
func TestTokenNeverLeavesAPIHost(t *testing.T) {
	synctest.Test(t, tokenNeverLeavesAPIHost) // the limiter's pacing costs no real time
}

func tokenNeverLeavesAPIHost(t *testing.T) {
	targets := []string{
		"https://api.spotify.test:8443/v1/tracks/x",
		"http://api.spotify.test/v1/tracks/x",
		"https://api.spotify.test@evil.test/v1/tracks/x",
		"https://evil.api.spotify.test/v1/tracks/x",
		"https://evil.test/v1/tracks/x",
	}
	for _, target := range targets {
		tr := &memTransport{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/tracks/"+trackID {
				http.Redirect(w, r, target, http.StatusFound)
				return
			}
			trackOK(w, r)
		})}
		c := memClient(t, tr, secretToken, WithBaseURL("https://api.spotify.test/v1/"))
		if _, err := c.Tracks.Get(t.Context(), trackID, nil); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		seen := tr.requests()
		if len(seen) != 2 {
			t.Fatalf("%s: %d requests; want the call and its redirect", target, len(seen))
		}
		if seen[0].auth != "Bearer "+secretToken {
			t.Errorf("the API host got Authorization %q", seen[0].auth)
		}
		// A user-info URL makes net/http send its own Basic header, which
		// is not ours to judge; the token must not be in any header.
		if a := seen[1].auth; strings.Contains(a, secretToken) || strings.HasPrefix(a, "Bearer") {
			t.Errorf("the redirect to %s carried Authorization %q", seen[1].url, a)
		}
	}
}

// TestNoTokenNoRequest: when the token source fails, nothing is sent, and
// a POST's error does not claim it may have applied.
func TestNoTokenNoRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		down := errors.New("accounts service unreachable")
		tr := &memTransport{h: http.HandlerFunc(trackOK)}
		c := memClient(t, tr, secretToken, WithTokenSource(failingTokens{down}))
		errGet := getTrackCall(t.Context(), c)
		errPost := addItemCall(t.Context(), c)
		for _, err := range []error{errGet, errPost} {
			if !errors.Is(err, down) || !strings.Contains(err.Error(), "getting a token") || errors.Is(err, ErrMaybeApplied) {
				t.Errorf("got %v; want the token source's error, not ErrMaybeApplied", err)
			}
		}
		if n := len(tr.requests()); n != 0 {
			t.Fatalf("%d requests went out without a token", n)
		}
	})
}

type failingTokens struct{ err error }

func (f failingTokens) Token() (*oauth2.Token, error) { return nil, f.err }

// TestDefaultTransportVerifiesTLS: without WithHTTPClient the client
// checks the server's certificate, so a server it cannot verify (here one
// with a self-signed certificate) gets no request and no token; the same
// server is reached once its certificate is trusted.
func TestDefaultTransportVerifiesTLS(t *testing.T) {
	var reached atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		trackOK(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	lim, err := ratelimit.New(ratelimit.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	opts := []Option{
		WithBaseURL(srv.URL + "/v1/"),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken})),
		WithLimiter(lim),
	}
	c, err := NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer c.http.CloseIdleConnections()
	_, err = c.Tracks.Get(t.Context(), trackID, nil)
	if err == nil || !strings.Contains(err.Error(), "certificate") || reached.Load() != 0 {
		t.Fatalf("untrusted certificate: got %v after %d requests; want a certificate error and none", err, reached.Load())
	}
	checkNoSecret(t, "TLS error", err.Error())

	trusted, err := NewClient(append(opts, WithHTTPClient(srv.Client()))...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := trusted.Tracks.Get(t.Context(), trackID, nil); err != nil || reached.Load() != 1 {
		t.Fatalf("trusted certificate: %v after %d requests", err, reached.Load())
	}
}

// memClient is a client whose requests go through tr, with a static
// token; opts come after the defaults, so they may replace them.
func memClient(t *testing.T, tr *memTransport, token string, opts ...Option) *Client {
	t.Helper()
	lim, err := ratelimit.New()
	if err != nil {
		t.Fatal(err)
	}
	base := []Option{
		WithBaseURL("http://api.spotify.test/v1/"),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})),
		WithHTTPClient(&http.Client{Transport: tr}),
		WithLimiter(lim),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// memTransport serves requests with a handler in the calling goroutine,
// so that they stay in a synctest bubble, and records each one's URL and
// Authorization header. A nil handler resets every connection; a body
// shorter than its Content-Length ends in io.ErrUnexpectedEOF.
type memTransport struct {
	h http.Handler

	mu   sync.Mutex
	seen []memRequest
}

type memRequest struct{ url, auth string }

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.seen = append(t.seen, memRequest{req.URL.String(), req.Header.Get("Authorization")})
	t.mu.Unlock()
	in := req.Clone(req.Context())
	in.RequestURI, in.Host = req.URL.RequestURI(), req.URL.Host
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		in.Body = io.NopCloser(bytes.NewReader(b))
	}
	if t.h == nil {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	resp := rec.Result()
	if n := int64(rec.Body.Len()); resp.ContentLength > n {
		resp.Body = io.NopCloser(io.MultiReader(resp.Body, iotest.ErrReader(io.ErrUnexpectedEOF)))
	}
	return resp, nil
}

func (t *memTransport) requests() []memRequest {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]memRequest(nil), t.seen...)
}
