// Acceptance tests against the accounts service and Web API of spotifytest:
// every flow goes over real HTTP to the fake, and API calls go through
// spotify.NewClient with the auth sources as they are.

package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// The sources plug into spotify.WithTokenSource with no adapter.
var (
	_ oauth2.TokenSource = (*auth.ClientCredentials)(nil)
	_ oauth2.TokenSource = (*auth.RefreshSource)(nil)
)

// fakeClock is a clock shared by a source and the fake, so a test moves
// time for both without waiting.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fakeConfig is a confidential client of fake's app.
func fakeConfig(t testing.TB, fake *spotifytest.Server, opts ...auth.Option) *auth.Config {
	t.Helper()
	base := []auth.Option{
		auth.WithClientID(fake.ClientID),
		auth.WithClientSecret(fake.ClientSecret),
		auth.WithAccountsURL(fake.URL),
	}
	cfg, err := auth.NewConfig(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// apiClient is a Web API client of fake authenticated by src. Its limiter
// does not pace, so a thousand calls are not spread over minutes; its
// connections are closed when the test ends.
func apiClient(t testing.TB, fake *spotifytest.Server, src oauth2.TokenSource) *spotify.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	t.Cleanup(tr.CloseIdleConnections)
	lim, err := ratelimit.New(ratelimit.WithRate(rate.Inf, 1), ratelimit.WithMaxInFlight(64))
	if err != nil {
		t.Fatal(err)
	}
	c, err := spotify.NewClient(
		spotify.WithTokenSource(src),
		spotify.WithBaseURL(fake.URL+"/v1/"),
		spotify.WithLimiter(lim),
		spotify.WithHTTPClient(&http.Client{Transport: tr}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// getTracksAtOnce makes n track lookups at once and fails the test unless
// every one succeeds.
func getTracksAtOnce(t *testing.T, api *spotify.Client, ids []string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	var failed atomic.Int32
	var firstErr atomic.Value
	for i := range n {
		wg.Go(func() {
			if _, err := api.Tracks.Get(context.Background(), ids[i%len(ids)], nil); err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err)
			}
		})
	}
	wg.Wait()
	if k := failed.Load(); k != 0 {
		t.Fatalf("%d of %d calls failed, first: %v", k, n, firstErr.Load())
	}
}

// approve plays the user at the fake's consent page and returns the query
// of the callback it redirects to, without visiting the callback.
func approve(t *testing.T, authURL string) url.Values {
	t.Helper()
	c := &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("/authorize answered %s", resp.Status)
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query()
}

// callback is the request the browser makes to the redirect URI.
func callback(q url.Values) *http.Request {
	return httptest.NewRequest(http.MethodGet, testRedirect+"?"+q.Encode(), nil)
}

// rawStatus is the status the fake gives a track request with tok.
func rawStatus(t *testing.T, fake *spotifytest.Server, tok string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fake.URL+"/v1/tracks/"+fake.IDs().Tracks[0], nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Acceptance 1: an app token is fetched once and reused, and replaced
// before it expires, so no API call ever goes out with a dead token.
func TestFakeClientCredentialsReusedAndReplacedBeforeExpiry(t *testing.T) {
	clock := newFakeClock()
	fake := spotifytest.NewServer(spotifytest.WithClock(clock.Now))
	defer fake.Close()
	ctx := context.Background()
	cc, err := auth.NewClientCredentials(ctx, fakeConfig(t, fake), auth.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	api := apiClient(t, fake, cc)
	call := func() {
		t.Helper()
		if _, err := api.Tracks.Get(ctx, fake.IDs().Tracks[0], nil); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		call()
	}
	if n := fake.Stats().TokenRequests; n != 1 {
		t.Fatalf("%d token requests for 5 calls, want 1", n)
	}
	first, _ := cc.Token()

	// 30 s before the hour is up: inside the skew, so a new token comes
	// while the old one still works.
	clock.Add(time.Hour - 30*time.Second)
	call()
	second, _ := cc.Token()
	if n := fake.Stats().TokenRequests; n != 2 || second.AccessToken == first.AccessToken {
		t.Fatalf("no new token before expiry (%d token requests)", n)
	}

	// Well past the second token's expiry: the old tokens are dead at the
	// fake, the source's next token is not.
	clock.Add(2 * time.Hour)
	if got := rawStatus(t, fake, second.AccessToken); got != http.StatusUnauthorized {
		t.Fatalf("expired token answered %d, want 401", got)
	}
	call()
	st := fake.Stats()
	if st.TokenRequests != 3 {
		t.Errorf("%d token requests, want 3", st.TokenRequests)
	}
	if n := st.ByStatus[http.StatusUnauthorized]; n != 1 {
		t.Errorf("%d answers of 401, want only the raw request's", n)
	}
}

// Acceptance 2: PKCE end to end through Login's real loopback listener;
// the test plays the browser, which follows the fake's 303 to the callback.
func TestFakeLoginPKCE(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		t.Run(host, func(t *testing.T) {
			fake := spotifytest.NewServer()
			defer fake.Close()
			ctx := context.Background()
			redirect := freeRedirect(t, host, "/callback")
			cfg, err := auth.NewConfig(
				auth.WithClientID(fake.ClientID), // public client: PKCE alone
				auth.WithRedirectURI(redirect),
				auth.WithScopes(auth.ScopeUserReadPrivate, auth.ScopeUserReadEmail),
				auth.WithAccountsURL(fake.URL))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "spotflow", "token.json")
			store, _ := auth.NewFileStore(path)
			b := &browser{}
			tok, err := auth.Login(ctx, cfg, auth.WithOpener(b.open), auth.WithStore(store),
				auth.WithTimeout(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken == "" || tok.RefreshToken == "" {
				t.Errorf("token lacks a value: access %t, refresh %t", tok.AccessToken != "", tok.RefreshToken != "")
			}
			if b.status != http.StatusOK || !strings.Contains(b.page, "Logged in") {
				t.Errorf("browser saw %d %q", b.status, b.page)
			}
			st := fake.Stats()
			if st.ByOp[spotifytest.OpAuthorize] != 1 || st.TokenRequests != 1 {
				t.Errorf("fake saw %d authorize and %d token requests, want 1 and 1",
					st.ByOp[spotifytest.OpAuthorize], st.TokenRequests)
			}
			for _, rq := range fake.Requests() {
				q, _ := url.ParseQuery(rq.Query)
				if rq.Op == spotifytest.OpAuthorize &&
					(q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "") {
					t.Errorf("authorize without an S256 challenge: %s", rq.Query)
				}
			}
			saved, err := store.Load(ctx)
			if err != nil || saved.RefreshToken != tok.RefreshToken {
				t.Errorf("file store: %v", err)
			}
			if _, err := get(redirect); err == nil {
				t.Error("callback listener still answers after Login")
			}

			// The stored token works against the Web API as the login user.
			src, err := auth.NewRefreshSource(ctx, cfg, auth.WithStore(store))
			if err != nil {
				t.Fatal(err)
			}
			me, err := apiClient(t, fake, src).Users.Me(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if me.ID != fake.IDs().User {
				t.Errorf("logged in as %q, want %q", me.ID, fake.IDs().User)
			}
		})
	}
}

// Acceptance 3: 1,000 goroutines call the Web API with an expired access
// token; the fake sees exactly one token request and every call succeeds.
func TestFakeThousandCallsOneRefresh(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	ctx := context.Background()
	stale := &oauth2.Token{
		AccessToken:  fake.UserToken(""),
		TokenType:    "Bearer",
		RefreshToken: fake.RefreshToken(""),
		Expiry:       time.Now().Add(-time.Minute),
	}
	fake.ExpireAccessTokens() // dead at the fake too
	src, err := auth.NewRefreshSource(ctx, fakeConfig(t, fake), auth.WithToken(stale))
	if err != nil {
		t.Fatal(err)
	}
	const calls = 1000
	getTracksAtOnce(t, apiClient(t, fake, src), fake.IDs().Tracks, calls)
	st := fake.Stats()
	if st.TokenRequests != 1 {
		t.Errorf("%d token requests, want exactly 1", st.TokenRequests)
	}
	if st.ByOp["get-track"] != calls || st.ByStatus[http.StatusUnauthorized] != 0 {
		t.Errorf("fake answered %d track requests and %d 401s, want %d and 0",
			st.ByOp["get-track"], st.ByStatus[http.StatusUnauthorized], calls)
	}
}

// A token the fake ends early (expired or revoked before its time) heals:
// 1,000 concurrent calls all succeed, each after at most one 401, with
// exactly 1 token request between them, for both kinds of source.
func TestFakeEarlyExpiryHealsWithOneTokenRequest(t *testing.T) {
	for _, tc := range []struct {
		name string
		user bool // a refresh source, else client credentials
		end  func(*spotifytest.Server, string) bool
	}{
		{"client credentials, expired", false, (*spotifytest.Server).ExpireToken},
		{"client credentials, revoked", false, (*spotifytest.Server).RevokeToken},
		{"refresh, expired", true, (*spotifytest.Server).ExpireToken},
		{"refresh, revoked", true, (*spotifytest.Server).RevokeToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := spotifytest.NewServer(spotifytest.WithRefreshRotation(true))
			defer fake.Close()
			ctx := context.Background()
			var src oauth2.TokenSource
			var err error
			if tc.user {
				src, err = auth.NewRefreshSource(ctx, fakeConfig(t, fake),
					auth.WithToken(&oauth2.Token{RefreshToken: fake.RefreshToken("")}))
			} else {
				src, err = auth.NewClientCredentials(ctx, fakeConfig(t, fake))
			}
			if err != nil {
				t.Fatal(err)
			}
			tok, err := src.Token()
			if err != nil {
				t.Fatal(err)
			}
			if !tc.end(fake, tok.AccessToken) {
				t.Fatal("the fake does not know the token")
			}
			before := fake.Stats()
			const calls = 1000
			getTracksAtOnce(t, apiClient(t, fake, src), fake.IDs().Tracks, calls)
			after := fake.Stats()
			if n := after.TokenRequests - before.TokenRequests; n != 1 {
				t.Errorf("%d token requests, want exactly 1", n)
			}
			refused := after.ByStatus[http.StatusUnauthorized] - before.ByStatus[http.StatusUnauthorized]
			if ok := after.ByStatus[http.StatusOK] - before.ByStatus[http.StatusOK]; ok != calls+1 || refused > calls {
				t.Errorf("fake answered %d 200s and %d 401s, want %d and at most %d", ok, refused, calls+1, calls)
			}
			t.Logf("%d calls met the dead token first", refused)
		})
	}
}

// Acceptance 4: a rotated refresh token lands in the file store (0600 in a
// 0700 directory), a source built from the file alone works, and a save
// whose rename fails leaves the previous file as it was.
func TestFakeRotatedRefreshTokenInFileStore(t *testing.T) {
	clock := newFakeClock()
	fake := spotifytest.NewServer(spotifytest.WithRefreshRotation(true), spotifytest.WithClock(clock.Now))
	defer fake.Close()
	ctx := context.Background()
	cfg := fakeConfig(t, fake)
	path := filepath.Join(t.TempDir(), "spotflow", "token.json")
	store, _ := auth.NewFileStore(path)
	first := fake.RefreshToken("", auth.ScopeUserReadPrivate)
	if err := store.Save(ctx, &oauth2.Token{RefreshToken: first}); err != nil {
		t.Fatal(err)
	}

	src, err := auth.NewRefreshSource(ctx, cfg, auth.WithStore(store), auth.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || tok.RefreshToken == first {
		t.Fatal("refresh token not rotated")
	}
	saved, err := store.Load(ctx)
	if err != nil || saved.RefreshToken != tok.RefreshToken || saved.AccessToken != tok.AccessToken {
		t.Fatalf("file does not hold the rotated token: %v", err)
	}
	checkMode(t, path, 0o600)
	checkMode(t, filepath.Dir(path), 0o700|os.ModeDir)

	// A new process: a source from the file alone, with a stale access token.
	clock.Add(2 * time.Hour)
	store2, _ := auth.NewFileStore(path)
	src2, err := auth.NewRefreshSource(ctx, cfg, auth.WithStore(store2), auth.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apiClient(t, fake, src2).Users.Me(ctx); err != nil {
		t.Fatalf("source from the file alone: %v", err)
	}
	again, err := store2.Load(ctx)
	if err != nil || again.RefreshToken == tok.RefreshToken {
		t.Fatalf("second rotation not saved: %v", err)
	}
	checkMode(t, path, 0o600)

	// A save whose rename fails: the token still serves, the file is untouched.
	before, _ := os.ReadFile(path)
	errRename := errors.New("rename refused")
	auth.SetFileStoreRename(store2, func(string, string) error { return errRename })
	clock.Add(2 * time.Hour)
	if _, err := src2.Token(); err != nil {
		t.Fatalf("a failed save failed the token: %v", err)
	}
	if !errors.Is(src2.LastSaveError(), errRename) {
		t.Errorf("LastSaveError = %v, want the rename's", src2.LastSaveError())
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("previous file changed by a failed save")
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 2 { // the token and its lock file
		t.Errorf("temporary file left behind: %d entries", len(entries))
	}
}

// Acceptance 5a: a grant the service no longer honours is
// ErrReauthRequired, with a message that says what to do.
func TestFakeInvalidGrantIsReauthRequired(t *testing.T) {
	ctx := context.Background()
	t.Run("revoked refresh token", func(t *testing.T) {
		fake := spotifytest.NewServer()
		defer fake.Close()
		rt := fake.RefreshToken("")
		fake.RevokeRefreshToken(rt)
		src, err := auth.NewRefreshSource(ctx, fakeConfig(t, fake), auth.WithToken(expiredToken(rt)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = src.Token()
		checkReauth(t, err, auth.OpRefresh, rt)
	})
	t.Run("refresh token past its lifetime", func(t *testing.T) {
		clock := newFakeClock()
		fake := spotifytest.NewServer(spotifytest.WithClock(clock.Now),
			spotifytest.WithRefreshLifetime(24*time.Hour))
		defer fake.Close()
		rt := fake.RefreshToken("")
		src, err := auth.NewRefreshSource(ctx, fakeConfig(t, fake),
			auth.WithToken(&oauth2.Token{RefreshToken: rt}), auth.WithClock(clock.Now))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := src.Token(); err != nil {
			t.Fatal(err)
		}
		clock.Add(25 * time.Hour)
		_, err = src.Token()
		checkReauth(t, err, auth.OpRefresh, rt)
	})
	t.Run("unknown and replayed code", func(t *testing.T) {
		fake := spotifytest.NewServer()
		defer fake.Close()
		cfg := fakeConfig(t, fake, auth.WithRedirectURI(testRedirect))
		a, _ := cfg.Authorize()
		_, err := cfg.Exchange(ctx, a, "AQnot-a-code")
		checkReauth(t, err, auth.OpExchange, "AQnot-a-code")
		code := approve(t, a.URL).Get("code")
		if _, err := cfg.Exchange(ctx, a, code); err != nil {
			t.Fatal(err)
		}
		_, err = cfg.Exchange(ctx, a, code)
		checkReauth(t, err, auth.OpExchange, code)
	})
}

func checkReauth(t *testing.T, err error, op, secret string) {
	t.Helper()
	var ae *auth.Error
	if !errors.Is(err, auth.ErrReauthRequired) || !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an *auth.Error matching ErrReauthRequired", err)
	}
	if ae.Op != op || ae.Code != "invalid_grant" || ae.Status != http.StatusBadRequest {
		t.Errorf("error fields: op %q, code %q, status %d", ae.Op, ae.Code, ae.Status)
	}
	if !strings.Contains(err.Error(), "authorize the app again") {
		t.Errorf("error %q does not say what to do", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error shows the grant: %v", err)
	}
}

// Acceptance 5b: a callback whose state does not match fails, and no token
// request reaches the service (for Login's listener, see
// TestFakeLoginIgnoresForgedCallbacks).
func TestFakeStateMismatchMakesNoTokenRequest(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	ctx := context.Background()
	cfg := fakeConfig(t, fake, auth.WithRedirectURI(testRedirect))
	a, err := cfg.Authorize()
	if err != nil {
		t.Fatal(err)
	}
	cb := approve(t, a.URL) // a real code, with the right state
	code := cb.Get("code")
	for name, q := range map[string]url.Values{
		"wrong state":   {"code": {code}, "state": {"forged"}},
		"no state":      {"code": {code}},
		"denied forged": {"error": {"access_denied"}, "state": {"forged"}},
	} {
		tok, err := cfg.ExchangeCallback(ctx, a, callback(q))
		if !errors.Is(err, auth.ErrStateMismatch) || tok != nil {
			t.Errorf("%s: %v, want ErrStateMismatch", name, err)
		}
	}
	if n := fake.Stats().TokenRequests; n != 0 {
		t.Fatalf("%d token requests after state mismatches, want 0", n)
	}
	// The code itself was good: the genuine callback exchanges it.
	if _, err := cfg.ExchangeCallback(ctx, a, callback(cb)); err != nil {
		t.Fatalf("genuine callback: %v", err)
	}

}

// Login waits for the right callback: 50 that are not it (a wrong state, no
// state, the right state under a foreign Host, as a page reaching the port
// through a DNS name of its own would send) each get a 400 and change
// nothing; then the browser's real one logs in, with exactly 1 code
// exchange.
func TestFakeLoginIgnoresForgedCallbacks(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	redirect := freeRedirect(t, "127.0.0.1", "/cb")
	u, _ := url.Parse(redirect)
	cfg, err := auth.NewConfig(auth.WithClientID(fake.ClientID), auth.WithRedirectURI(redirect),
		auth.WithAccountsURL(fake.URL))
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{}
	var refused, other int
	forger := func(authURL string) error {
		// A real code and state, taken from the consent page without
		// visiting the callback: only a foreign Host is wrong with them.
		real := approve(t, authURL)
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		for i := range 50 {
			q := url.Values{"code": {real.Get("code")}}
			host := u.Host
			switch i % 5 {
			case 0, 1:
				q.Set("state", fmt.Sprintf("forged-%d", i))
			case 2:
				// no state at all
			case 3:
				q.Set("state", real.Get("state"))
				host = "rebound.example:" + u.Port()
			case 4:
				q.Set("state", real.Get("state"))
				host = "localhost:" + u.Port()
			}
			req, _ := http.NewRequest(http.MethodGet, redirect+"?"+q.Encode(), nil)
			req.Host = host
			resp, err := c.Do(req)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusBadRequest {
				refused++
			} else {
				other++
			}
		}
		return b.open(authURL) // the real browser comes last
	}
	tok, err := auth.Login(context.Background(), cfg, auth.WithOpener(forger), auth.WithTimeout(time.Minute))
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if tok.AccessToken == "" || b.status != http.StatusOK {
		t.Errorf("no token, or the browser saw %d", b.status)
	}
	if refused != 50 || other != 0 {
		t.Errorf("%d forged callbacks answered 400 and %d otherwise, want 50 and 0", refused, other)
	}
	if n := fake.Stats().TokenRequests; n != 1 {
		t.Errorf("%d code exchanges, want exactly 1", n)
	}
}

// Acceptance 5c: a localhost redirect URI is refused before anything is
// sent, with the reason and the URI to register instead, which the fake
// accepts.
func TestFakeLocalhostRedirectRefused(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	fromEnv := auth.FromLookup(lookup(map[string]string{auth.EnvRedirectURI: "http://localhost:8080/callback"}))
	for _, c := range []struct {
		opt  auth.Option
		also string
	}{
		{auth.WithRedirectURI("http://localhost:8080/callback"), ""},
		{auth.WithRedirectURI("http://LocalHost.:8080/callback"), ""},
		{fromEnv, auth.EnvRedirectURI},
	} {
		_, err := auth.NewConfig(auth.WithClientID(fake.ClientID), auth.WithAccountsURL(fake.URL), c.opt)
		if err == nil {
			t.Fatal("localhost accepted")
		}
		for _, want := range []string{"localhost", "refuses", "November 2025", "http://127.0.0.1:8080/callback", c.also} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
	}
	if n := fake.Stats().Requests; n != 0 {
		t.Errorf("%d requests reached the fake", n)
	}

	// The suggested URI is one the service accepts.
	cfg := fakeConfig(t, fake, auth.WithRedirectURI("http://127.0.0.1:8080/callback"))
	a, err := cfg.Authorize()
	if err != nil {
		t.Fatal(err)
	}
	if cb := approve(t, a.URL); cb.Get("code") == "" {
		t.Errorf("loopback redirect refused: %v", cb)
	}
}

// fakeSecret matches any token or code the fake issues, even cut short:
// "AQ" or "BQ" then base32.
var fakeSecret = regexp.MustCompile(`[AB]Q[A-Z2-7]{16,}`)

// Acceptance 6: every failing flow, with debug logging on, and no error
// text, log line or browser page shows the secret, a token or a code.
func TestFakeNoSecretInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer // each flow has finished logging when it returns
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()

	fake := spotifytest.NewServer(spotifytest.WithRefreshRotation(true))
	defer fake.Close()
	reset := spotifytest.NewServer(spotifytest.WithFaults(
		spotifytest.Fault{Op: spotifytest.OpToken, Kind: spotifytest.KindReset, Rate: 1}))
	defer reset.Close()
	truncated := spotifytest.NewServer(spotifytest.WithFaults(
		spotifytest.Fault{Op: spotifytest.OpToken, Kind: spotifytest.KindTruncate, Rate: 1}))
	defer truncated.Close()
	gone := spotifytest.NewServer()
	gone.Close() // connection refused from now on

	const badSecret = "bad-SECRET-77aa"
	secrets := []string{fake.ClientSecret, badSecret}
	cfgAt := func(srv *spotifytest.Server, secret, redirect string) *auth.Config {
		opts := []auth.Option{auth.WithClientID(srv.ClientID), auth.WithAccountsURL(srv.URL),
			auth.WithRedirectURI(redirect), auth.WithLogger(logger)}
		if secret != "" {
			opts = append(opts, auth.WithClientSecret(secret))
		}
		cfg, err := auth.NewConfig(opts...)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	good := cfgAt(fake, fake.ClientSecret, testRedirect)
	bad := cfgAt(fake, badSecret, testRedirect)

	type failure struct {
		name string
		err  error
	}
	var failures []failure
	fail := func(name string, err error) {
		if err == nil {
			t.Errorf("%s: no error", name)
			return
		}
		failures = append(failures, failure{name, err})
	}

	// Successful flows first, so that their tokens are in the logs' reach.
	cc, _ := auth.NewClientCredentials(ctx, good)
	appTok, err := cc.Token()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := good.Authorize()
	code := approve(t, a.URL).Get("code")
	userTok, err := good.Exchange(ctx, a, code)
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := auth.NewFileStore(filepath.Join(t.TempDir(), "token.json"))
	rs, _ := auth.NewRefreshSource(ctx, good, auth.WithToken(expiredToken(userTok.RefreshToken)), auth.WithStore(fs))
	rotated, err := rs.Token()
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, appTok.AccessToken, userTok.AccessToken, userTok.RefreshToken,
		rotated.AccessToken, rotated.RefreshToken, code, a.Verifier)

	// Bad secret, in every flow that sends it.
	cc, _ = auth.NewClientCredentials(ctx, bad)
	_, err = cc.Token()
	fail("client credentials, bad secret", err)
	a2, _ := bad.Authorize()
	code2 := approve(t, a2.URL).Get("code")
	_, err = bad.Exchange(ctx, a2, code2)
	fail("exchange, bad secret", err)
	rt := fake.RefreshToken("")
	rs, _ = auth.NewRefreshSource(ctx, bad, auth.WithToken(expiredToken(rt)))
	_, err = rs.Token()
	fail("refresh, bad secret", err)
	secrets = append(secrets, a2.Verifier, code2, rt)

	// Login with a bad secret: the error reaches the browser page too.
	badLogin := cfgAt(fake, badSecret, freeRedirect(t, "127.0.0.1", "/cb"))
	b := &browser{}
	_, err = auth.Login(ctx, badLogin, auth.WithOpener(b.open), auth.WithTimeout(time.Minute))
	fail("login, bad secret", err)
	if b.status != http.StatusBadRequest {
		t.Errorf("browser saw %d after a failed login, want 400", b.status)
	}

	// Bad codes: unknown, wrong verifier, replayed.
	a3, _ := good.Authorize()
	_, err = good.Exchange(ctx, a3, "AQNOSUCHCODE234567ABCDEFGH")
	fail("exchange, unknown code", err)
	a4, _ := good.Authorize()
	code4 := approve(t, a4.URL).Get("code")
	a4.Verifier = a3.Verifier
	_, err = good.Exchange(ctx, a4, code4)
	fail("exchange, wrong verifier", err)
	_, err = good.Exchange(ctx, a, code)
	fail("exchange, replayed code", err)
	secrets = append(secrets, a3.Verifier, "AQNOSUCHCODE234567ABCDEFGH", code4)

	// Revoked refresh tokens: by the user, and by rotation.
	revoked := fake.RefreshToken("")
	fake.RevokeRefreshToken(revoked)
	rs, _ = auth.NewRefreshSource(ctx, good, auth.WithToken(expiredToken(revoked)))
	_, err = rs.Token()
	fail("refresh, revoked token", err)
	rs, _ = auth.NewRefreshSource(ctx, good, auth.WithToken(expiredToken(userTok.RefreshToken)))
	_, err = rs.Token()
	fail("refresh, token revoked by rotation", err)
	secrets = append(secrets, revoked)

	// Network errors: connection reset, body cut short, nobody listening.
	for _, n := range []struct {
		what string
		srv  *spotifytest.Server
	}{{"connection reset", reset}, {"body cut short", truncated}, {"connection refused", gone}} {
		cfg := cfgAt(n.srv, n.srv.ClientSecret, testRedirect)
		cc, _ := auth.NewClientCredentials(ctx, cfg)
		_, err = cc.Token()
		fail("client credentials, "+n.what, err)
		rs, _ := auth.NewRefreshSource(ctx, cfg, auth.WithToken(expiredToken(rt)))
		_, err = rs.Token()
		fail("refresh, "+n.what, err)
		an, _ := cfg.Authorize()
		_, err = cfg.Exchange(ctx, an, "AQNETWORKCODE234567ABCDEFG")
		fail("exchange, "+n.what, err)
		secrets = append(secrets, an.Verifier)
	}
	secrets = append(secrets, "AQNETWORKCODE234567ABCDEFG", "old-access")

	leaks := func(what, text string) {
		t.Helper()
		if s, ok := containsAny(text, secrets...); ok {
			t.Errorf("%s contains %q: %s", what, s, text)
		} else if m := fakeSecret.FindString(text); m != "" {
			t.Errorf("%s contains a token of the fake %q: %s", what, m, text)
		}
	}
	for _, f := range failures {
		t.Logf("%s: %v", f.name, f.err)
		for _, text := range []string{f.err.Error(), fmt.Sprintf("%+v", f.err), fmt.Sprintf("%#v", f.err)} {
			leaks("error of "+f.name, text)
		}
	}
	leaks("browser page", b.page)
	out := logs.String()
	for _, line := range strings.Split(out, "\n") {
		leaks("log line", line)
	}
	for _, want := range []string{"token fetched", "refreshed", "rotated", "saved", "failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("no log event %q in:\n%s", want, out)
		}
	}
	if len(failures) != 18 {
		t.Errorf("%d failing flows ran, want 18", len(failures))
	}
}
