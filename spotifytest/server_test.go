package spotifytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// tinySize keeps the catalog small where a test does not look at it.
var tinySize = Size{Artists: 3, AlbumsPerArtist: 1, TracksPerAlbum: 2, Playlists: 1, Shows: 1,
	EpisodesPerShow: 1, Audiobooks: 1, ChaptersPerBook: 1, Users: 2}

// testRoutes are a few operations that exercise every middleware rule
// without depending on the catalog's handlers.
func testRoutes() []route {
	echo := func(w http.ResponseWriter, r *http.Request, c *call) {
		writeJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("id"), "user": c.UserID, "mode": int(c.Mode)})
	}
	return []route{
		{Op: "get-thing", Method: "GET", Path: "/v1/things/{id}", Handle: echo},
		{Op: "put-thing", Method: "PUT", Path: "/v1/things/{id}", Handle: func(w http.ResponseWriter, _ *http.Request, _ *call) {
			w.WriteHeader(http.StatusNoContent)
		}},
		{Op: "get-my-thing", Method: "GET", Path: "/v1/me/thing", Scopes: []string{"user-library-read", "user-top-read"}, User: true, Handle: echo},
		{Op: "get-scoped-thing", Method: "GET", Path: "/v1/scoped/{id}", Scopes: []string{"user-read-playback-position"}, Handle: echo},
		{Op: "get-old-thing", Method: "GET", Path: "/v1/old", DevRemoved: true, Handle: echo},
	}
}

// newTest starts a fake on the test routes and closes it after the test.
func newTest(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := NewServer(append([]Option{WithSize(tinySize), withRoutes(testRoutes()...)}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

// answer is a response with its body read.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// errorBody decodes Spotify's Web API error object.
func (a answer) errorBody(t *testing.T) (status int, message, reason string) {
	t.Helper()
	var e struct {
		Error struct {
			Status  int    `json:"status"`
			Message string `json:"message"`
			Reason  string `json:"reason"`
		} `json:"error"`
	}
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatalf("error body %q: %v", a.body, err)
	}
	return e.Error.Status, e.Error.Message, e.Error.Reason
}

// send makes a request with an optional bearer token ("" for none).
func send(t *testing.T, s *Server, method, path, token string) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, s, req)
}

func do(t *testing.T, s *Server, req *http.Request) answer {
	t.Helper()
	resp, err := s.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

// wantError checks a Web API error answer.
func wantError(t *testing.T, a answer, status int, message string) {
	t.Helper()
	st, msg, _ := a.errorBody(t)
	if a.status != status || st != status || msg != message {
		t.Fatalf("got %d %s, want %d %q", a.status, a.body, status, message)
	}
}

func TestTokenChecks(t *testing.T) {
	s := newTest(t)
	live := s.ClientToken()
	tests := []struct {
		name, auth string
		status     int
		message    string
	}{
		{"missing", "", 401, "No token provided"},
		{"unknown", "Bearer nope", 401, "Invalid access token"},
		{"basic", "Basic " + live, 400, "Only valid bearer authentication supported"},
		{"lowercase scheme", "bearer " + live, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", s.URL+"/v1/things/x", nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			a := do(t, s, req)
			if tc.status == 200 {
				if a.status != 200 {
					t.Fatalf("status %d %s", a.status, a.body)
				}
				return
			}
			wantError(t, a, tc.status, tc.message)
			if tc.status == 401 && !strings.Contains(a.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("no WWW-Authenticate: %v", a.header)
			}
		})
	}
}

func TestExpiredToken(t *testing.T) {
	clock := newClock()
	s := newTest(t, WithClock(clock.Now), WithTokenLifetime(time.Hour))
	tok := s.UserToken("")
	if a := send(t, s, "GET", "/v1/things/x", tok); a.status != 200 {
		t.Fatalf("live token: %d %s", a.status, a.body)
	}
	clock.Add(time.Hour - time.Nanosecond)
	if a := send(t, s, "GET", "/v1/things/x", tok); a.status != 200 {
		t.Fatalf("a nanosecond before expiry: %d", a.status)
	}
	clock.Add(time.Nanosecond)
	wantError(t, send(t, s, "GET", "/v1/things/x", tok), 401, "The access token expired")

	fresh := s.ClientToken()
	s.ExpireAccessTokens()
	wantError(t, send(t, s, "GET", "/v1/things/x", fresh), 401, "The access token expired")
	if a := send(t, s, "GET", "/v1/things/x", s.ClientToken()); a.status != 200 {
		t.Fatalf("token issued after ExpireAccessTokens: %d", a.status)
	}
}

func TestExpireAndRevokeOneToken(t *testing.T) {
	s := newTest(t)
	a, b, c := s.UserToken(""), s.UserToken(""), s.ClientToken()
	if !s.ExpireToken(a) || !s.RevokeToken(b) {
		t.Fatal("tokens the fake issued not found")
	}
	wantError(t, send(t, s, "GET", "/v1/things/x", a), 401, "The access token expired")
	wantError(t, send(t, s, "GET", "/v1/things/x", b), 401, "Invalid access token")
	if got := send(t, s, "GET", "/v1/things/x", c); got.status != 200 {
		t.Fatalf("another token answered %d after one expired and one was revoked", got.status)
	}
	if s.ExpireToken("BQnot-issued") || s.RevokeToken("BQnot-issued") {
		t.Error("a token the fake never issued was found")
	}
	rt := s.RefreshToken("")
	if !s.RevokeToken(rt) {
		t.Fatal("refresh token not found")
	}
	wantOAuthError(t, tokenRequest(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, true),
		400, "invalid_grant", "Refresh token revoked")
}

func TestUserOperations(t *testing.T) {
	s := newTest(t)
	wantError(t, send(t, s, "GET", "/v1/me/thing", s.ClientToken()), 403, "Insufficient client scope")
	wantError(t, send(t, s, "GET", "/v1/me/thing", s.UserToken("ann", "user-read-email")), 403, "Insufficient client scope")

	a := send(t, s, "GET", "/v1/me/thing", s.UserToken("ann", "user-top-read"))
	if a.status != 200 || !strings.Contains(string(a.body), `"user":"ann"`) {
		t.Fatalf("one of the scopes: %d %s", a.status, a.body)
	}
	a = send(t, s, "GET", "/v1/me/thing", s.UserToken(""))
	if a.status != 200 || !strings.Contains(string(a.body), `"user":"`+DefaultUser+`"`) {
		t.Fatalf("default user with every scope: %d %s", a.status, a.body)
	}
	// A catalog operation listing a scope serves client tokens.
	if a := send(t, s, "GET", "/v1/scoped/x", s.ClientToken()); a.status != 200 {
		t.Fatalf("catalog operation with a scope: %d %s", a.status, a.body)
	}
	if a := send(t, s, "GET", "/v1/things/x", s.ClientToken()); !strings.Contains(string(a.body), `"user":""`) {
		t.Fatalf("client token user: %s", a.body)
	}
}

func TestDevelopmentMode(t *testing.T) {
	ext := newTest(t)
	if a := send(t, ext, "GET", "/v1/old", ext.ClientToken()); a.status != 200 || !strings.Contains(string(a.body), `"mode":0`) {
		t.Fatalf("extended quota: %d %s", a.status, a.body)
	}
	dev := newTest(t, WithMode(DevelopmentMode))
	wantError(t, send(t, dev, "GET", "/v1/old", dev.ClientToken()), 403, "Forbidden")
	if a := send(t, dev, "GET", "/v1/things/x", dev.ClientToken()); !strings.Contains(string(a.body), `"mode":1`) {
		t.Fatalf("mode not passed: %s", a.body)
	}
	// The token is checked before the mode.
	wantError(t, send(t, dev, "GET", "/v1/old", ""), 401, "No token provided")
}

func TestUnknownPathAndMethod(t *testing.T) {
	s := newTest(t)
	tok := s.ClientToken()
	wantError(t, send(t, s, "GET", "/v1/nothing/here", tok), 404, "Service not found")
	wantError(t, send(t, s, "GET", "/elsewhere", ""), 404, "Service not found")
	a := send(t, s, "POST", "/v1/things/x", tok)
	wantError(t, a, 405, "Method not allowed")
	if got := a.header.Get("Allow"); got != "GET, PUT" {
		t.Errorf("Allow = %q", got)
	}
	if a := send(t, s, "PUT", "/v1/things/x", tok); a.status != 204 {
		t.Errorf("PUT: %d", a.status)
	}
}

func TestStatsAndRequests(t *testing.T) {
	clock := newClock()
	s := newTest(t, WithClock(clock.Now))
	tok := s.UserToken("bob")
	send(t, s, "GET", "/v1/things/a?market=SE", tok)
	send(t, s, "GET", "/v1/things/b", tok)
	send(t, s, "GET", "/v1/me/thing", s.ClientToken())
	send(t, s, "GET", "/v1/nothing", tok)
	postForm(t, s, url.Values{"grant_type": {"client_credentials"}}, true)

	st := s.Stats()
	if st.Requests != 5 || st.ByOp["get-thing"] != 2 || st.ByOp["get-my-thing"] != 1 || st.ByOp[OpToken] != 1 ||
		st.TokenRequests != 1 || st.ByStatus[200] != 3 || st.ByStatus[403] != 1 || st.ByStatus[404] != 1 || len(st.ByOp) != 3 {
		t.Fatalf("stats %+v", st)
	}
	rs := s.Requests()
	want := Request{Method: "GET", Path: "/v1/things/a", Query: "market=SE", Op: "get-thing", Status: 200, User: "bob", Time: clock.Now()}
	got := rs[0]
	got.Duration = 0
	if len(rs) != 5 || got != want {
		t.Fatalf("first request %+v, want %+v", got, want)
	}
	if rs[3].Op != "" || rs[3].Status != 404 || rs[4].Op != OpToken {
		t.Fatalf("log %+v", rs)
	}
	st.ByOp["get-thing"] = 99 // the snapshot is the caller's
	if s.Stats().ByOp["get-thing"] != 2 {
		t.Fatal("Stats shares its maps")
	}
	s.ResetStats()
	if st := s.Stats(); st.Requests != 0 || len(st.ByOp) != 0 || len(s.Requests()) != 0 {
		t.Fatalf("after reset: %+v", st)
	}
}

func TestRequestLogLimit(t *testing.T) {
	s := newTest(t, WithRequestLog(3))
	tok := s.ClientToken()
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		send(t, s, "GET", "/v1/things/"+id, tok)
	}
	var paths []string
	for _, r := range s.Requests() {
		paths = append(paths, r.Path)
	}
	if strings.Join(paths, " ") != "/v1/things/c /v1/things/d /v1/things/e" || s.Stats().Requests != 5 {
		t.Fatalf("log %v", paths)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

func TestLoggerHidesSecrets(t *testing.T) {
	var buf syncBuffer
	s := newTest(t, WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	tok := s.UserToken("carol")
	send(t, s, "GET", "/v1/things/x", tok)
	body := postForm(t, s, url.Values{"grant_type": {"client_credentials"}}, true)
	out := buf.String()
	for _, secret := range []string{tok, s.ClientSecret, body["access_token"].(string)} {
		if strings.Contains(out, secret) {
			t.Fatalf("log shows a secret: %s", out)
		}
	}
	if !strings.Contains(out, "op=get-thing") || !strings.Contains(out, "user=carol") || !strings.Contains(out, "status=200") {
		t.Fatalf("log lacks fields: %s", out)
	}
}

func TestStart(t *testing.T) {
	s, err := Start("127.0.0.1:0", WithSize(tinySize), withRoutes(testRoutes()...))
	if err != nil {
		t.Fatal(err)
	}
	if a := send(t, s, "GET", "/v1/things/x", s.ClientToken()); a.status != 200 {
		t.Fatalf("status %d", a.status)
	}
	s.Close()
	s.Close() // twice is fine

	if _, err := Start("127.0.0.1:0", WithTokenLifetime(0), WithRateLimit(5, 0)); !errors.Is(err, ErrInvalidOption) {
		t.Fatalf("bad options: %v", err)
	}
	if _, err := Start("256.0.0.1:bad"); err == nil {
		t.Fatal("bad address accepted")
	}
}

func TestOptionsClamp(t *testing.T) {
	s := newTest(t, WithTokenLifetime(-time.Hour), WithClock(nil), WithMode(Mode(7)),
		WithFaults(Fault{Kind: Kind500, Rate: 7}, Fault{Kind: 99, Rate: 1}), WithCredentials("", ""))
	if s.cfg.tokenLifetime != time.Second || s.cfg.now == nil || s.cfg.mode != ExtendedQuota ||
		len(s.cfg.faults) != 1 || s.cfg.faults[0].Rate != 1 || s.ClientID != DefaultClientID {
		t.Fatalf("not clamped: %+v", s.cfg)
	}
}

func TestDefaultUserIsCatalogs(t *testing.T) {
	s := NewServer(WithSize(tinySize))
	defer s.Close()
	if got := s.IDs().User; got != DefaultUser {
		t.Fatalf("catalog's first user %q, DefaultUser %q", got, DefaultUser)
	}
}

// TestContractRoutes runs the real operations behind the middleware.
func TestContractRoutes(t *testing.T) {
	s := NewServer(WithSize(tinySize), WithMode(DevelopmentMode))
	defer s.Close()
	ids := s.IDs()
	if a := send(t, s, "GET", "/v1/tracks/"+ids.Tracks[0], s.ClientToken()); a.status != 200 {
		t.Fatalf("get track: %d %s", a.status, a.body)
	}
	wantError(t, send(t, s, "GET", "/v1/tracks?ids="+ids.Tracks[0], s.ClientToken()), 403, "Forbidden")
	wantError(t, send(t, s, "GET", "/v1/me", s.ClientToken()), 403, "Insufficient client scope")
	a := send(t, s, "GET", "/v1/me", s.UserToken("", "user-read-private"))
	if a.status != 200 || !strings.Contains(string(a.body), DefaultUser) {
		t.Fatalf("get me: %d %s", a.status, a.body)
	}
}

// clock is a settable clock for the server.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"extended": ExtendedQuota, "": ExtendedQuota, "Development": DevelopmentMode, "dev": DevelopmentMode} {
		if m, err := ParseMode(in); err != nil || m != want {
			t.Errorf("%q: %v %v", in, m, err)
		}
		if m, _ := ParseMode(want.String()); m != want {
			t.Errorf("%v does not round-trip", want)
		}
	}
	if _, err := ParseMode("premium"); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("bad mode: %v", err)
	}
}

// BenchmarkMiddleware measures what the middleware adds to a trivial
// operation, in-process: log, fault draw, rate window, token lookup.
func BenchmarkMiddleware(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []Option
	}{
		{"plain", nil},
		{"window+faults", []Option{WithRateLimit(1<<30, 30*time.Second), WithFaults(Fault{Kind: Kind500, Rate: 0.0001})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := NewServer(append([]Option{WithSize(tinySize), withRoutes(testRoutes()...), WithRequestLog(0)}, bc.opts...)...)
			defer s.Close()
			h, auth := s.Handler(), "Bearer "+s.UserToken("")
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest("GET", "/v1/things/x", nil)
					req.Header.Set("Authorization", auth)
					h.ServeHTTP(httptest.NewRecorder(), req)
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
