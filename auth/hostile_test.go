package auth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/internal/redact"
)

// Values shaped like the real ones, with characters that every encoding
// changes ('/', '+', '=', '~').
const (
	hostileID       = "hostile-client-id"
	hostileSecret   = "9f8e7d6c/5b4a+3f2e1d0c9b8a7f6e5d"
	hostileRefresh  = "AQDr3fr/esh+T0k_en-v4lue~x=="
	hostileAccess   = "BQAcc3ss/T0k+en_in-PLAY~y=="
	hostileVerifier = "v3rifier-Secret_value-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEF"
	hostileCode     = "AQcode/SECRET+value_42=="
)

// hostileBasic is the Authorization header x/oauth2 sends for the hostile
// client: the pair form-encoded, then base64.
var hostileBasic = "Basic " + base64.StdEncoding.EncodeToString(
	[]byte(url.QueryEscape(hostileID)+":"+url.QueryEscape(hostileSecret)))

// hostileSecrets is everything that must never show; from index 5 on,
// those of the app, which every flow holds.
var hostileSecrets = []string{hostileRefresh, hostileAccess, hostileVerifier, hostileCode, hostileSecret,
	hostileSecret, hostileBasic, strings.TrimPrefix(hostileBasic, "Basic "), hostileID + ":" + hostileSecret,
	url.QueryEscape(hostileID) + ":" + url.QueryEscape(hostileSecret)}

// echo is an accounts service that answers every token request with a
// text made from what the request carried: the answer's place decides
// where the text goes.
type echo struct {
	pick  func(r *http.Request) string // which secret it echoes
	form  func(string) string          // in which encoding
	place place
	hits  atomic.Int32
}

// place writes an answer carrying v.
type place struct {
	name  string
	write func(w http.ResponseWriter, v string)
}

func jsonAnswer(status int, fields map[string]any) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(fields)
	}
}

// places are every place an answer of the accounts service can carry text.
var places = []place{
	{"error_description", func(w http.ResponseWriter, v string) {
		jsonAnswer(400, map[string]any{"error": "invalid_grant", "error_description": "Invalid refresh token: " + v})(w)
	}},
	{"error code", func(w http.ResponseWriter, v string) {
		jsonAnswer(400, map[string]any{"error": v, "error_description": "bad"})(w)
	}},
	{"error_uri and 401", func(w http.ResponseWriter, v string) {
		jsonAnswer(401, map[string]any{"error_description": v, "error_uri": "https://x.test/?" + v})(w)
	}},
	{"error in a 200", func(w http.ResponseWriter, v string) {
		jsonAnswer(200, map[string]any{"error": "invalid_client", "error_description": v, "access_token": "BQok"})(w)
	}},
	{"form-encoded error", func(w http.ResponseWriter, v string) {
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		w.WriteHeader(400)
		fmt.Fprintf(w, "error=invalid_grant&error_description=%s", url.QueryEscape(v))
	}},
	{"raw text in a form answer", func(w http.ResponseWriter, v string) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(400)
		fmt.Fprintf(w, "error=invalid_client&error_description=%s", v)
	}},
	{"HTML page", func(w http.ResponseWriter, v string) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		fmt.Fprintf(w, "<html><body><h1>Error</h1><p>%s</p></body></html>", v)
	}},
	{"bad expires_in", func(w http.ResponseWriter, v string) {
		jsonAnswer(200, map[string]any{"access_token": "BQok", "token_type": "Bearer", "expires_in": v})(w)
	}},
	{"bad expires_in, raw", func(w http.ResponseWriter, v string) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"BQok","token_type":"Bearer","expires_in":%s}`, v)
	}},
	{"bad access_token", func(w http.ResponseWriter, v string) {
		jsonAnswer(200, map[string]any{"access_token": v + " \r\nX: y", "token_type": "Bearer", "expires_in": 3600})(w)
	}},
	{"bad token_type", func(w http.ResponseWriter, v string) {
		jsonAnswer(200, map[string]any{"access_token": "BQok", "token_type": v, "expires_in": 3600})(w)
	}},
	{"malformed JSON", func(w http.ResponseWriter, v string) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token": %s`, v)
	}},
	{"long description", func(w http.ResponseWriter, v string) {
		jsonAnswer(400, map[string]any{"error": "invalid_grant", "error_description": strings.Repeat("x", 100<<10) + v})(w)
	}},
	{"control characters", func(w http.ResponseWriter, v string) {
		jsonAnswer(400, map[string]any{"error": "invalid_grant", "error_description": "\x1b[2J\nlevel=ERROR " + v + "\u202e"})(w)
	}},
	{"307 redirect", func(w http.ResponseWriter, v string) {
		w.Header().Set("Location", "https://evil.test/steal?v="+url.QueryEscape(v))
		w.WriteHeader(http.StatusTemporaryRedirect)
		fmt.Fprint(w, v)
	}},
	{"302 redirect", func(w http.ResponseWriter, v string) {
		w.Header().Set("Location", "/other/"+v)
		w.WriteHeader(http.StatusFound)
	}},
}

func (e *echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.hits.Add(1)
	_ = r.ParseForm()
	v := e.pick(r)
	if v == "" {
		v = "none" // the request did not carry it
	}
	e.place.write(w, e.form(v))
}

// pick is a secret an echo can repeat, from the request itself, and the
// flows that send it (or, for the access token, hold it).
type pick struct {
	name  string
	from  func(r *http.Request) string
	flows []string
}

var (
	allFlows = []string{"client credentials", "refresh", "code exchange"}
	picks    = []pick{
		{"Basic header", func(r *http.Request) string { return r.Header.Get("Authorization") }, allFlows},
		{"client secret", func(r *http.Request) string {
			_, secret, _ := r.BasicAuth()
			s, _ := url.QueryUnescape(secret)
			return s
		}, allFlows},
		{"refresh token", func(r *http.Request) string { return r.PostForm.Get("refresh_token") }, []string{"refresh"}},
		{"access token in play", func(*http.Request) string { return hostileAccess }, []string{"refresh"}},
		{"code", func(r *http.Request) string { return r.PostForm.Get("code") }, []string{"code exchange"}},
		{"verifier", func(r *http.Request) string { return r.PostForm.Get("code_verifier") }, []string{"code exchange"}},
	}
)

// hostileFlows runs each flow that sends a secret against the accounts
// service h and returns their errors.
func hostileFlows(t testing.TB, h http.Handler, logger *slog.Logger, flows ...string) map[string]error {
	t.Helper()
	cfg, err := auth.NewConfig(auth.WithClientID(hostileID), auth.WithClientSecret(hostileSecret),
		auth.WithAccountsURL("https://accounts.test"), auth.WithRedirectURI("http://127.0.0.1:8888/cb"),
		auth.WithHTTPClient(httpClient(h)), auth.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	errs := map[string]error{}
	for _, flow := range flows {
		switch flow {
		case "refresh":
			rs, _ := auth.NewRefreshSource(ctx, cfg, auth.WithToken(&oauth2.Token{AccessToken: hostileAccess,
				RefreshToken: hostileRefresh, Expiry: time.Now().Add(-time.Minute)}))
			_, errs[flow] = rs.Token()
		case "client credentials":
			cc, _ := auth.NewClientCredentials(ctx, cfg)
			_, errs[flow] = cc.Token()
		case "code exchange":
			a := &auth.Authorization{State: "st", Verifier: hostileVerifier, RedirectURI: "http://127.0.0.1:8888/cb"}
			_, errs[flow] = cfg.Exchange(ctx, a, hostileCode)
		}
	}
	return errs
}

// Acceptance: an accounts service that echoes the Basic header, the client
// secret, the refresh token, the code, the verifier or the access token in
// play, in every encoding and every place an answer can carry text, gets
// none of them into an error or a Debug log line.
func TestHostileAccountsServiceLeaksNothing(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	runs := 0
	for _, pl := range places {
		for _, pk := range picks {
			// Every encoding in the OAuth fields; in the other places the
			// value as is, its base64 and its lowercase %xx form, which
			// exercise the same scrubbing at a fraction of the time.
			forms := []func(string) string{
				func(s string) string { return s },
				func(s string) string { return strings.ToLower(escapeEvery(s)) },
			}
			if pl.name == "error_description" {
				forms = nil
				for i := range len(redact.Forms(hostileSecret)) { // raw, URL-, path-, JSON-escaped, HTML entities, base64
					forms = append(forms, func(s string) string {
						if fs := redact.Forms(s); i < len(fs) {
							return fs[i]
						}
						return s // a value the request did not carry ("")
					})
				}
			}
			for _, form := range forms {
				e := &echo{pick: pk.from, form: form, place: pl}
				for flow, err := range hostileFlows(t, e, logger, pk.flows...) {
					runs++
					if err == nil {
						t.Errorf("%s, %s, %s: no error", pl.name, pk.name, flow)
						continue
					}
					for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
						if redact.Contains(text, hostileSecrets...) {
							t.Fatalf("%s echoing the %s: the %s error shows it: %s", pl.name, pk.name, flow, text)
						}
					}
					if len(err.Error()) > 2*redact.MaxText || strings.ContainsAny(err.Error(), "\r\n\x1b\u202e") {
						t.Errorf("%s: %s error not capped or escaped: %q", pl.name, flow, err.Error())
					}
				}
				if n := e.hits.Load(); int(n) != len(pk.flows) {
					t.Fatalf("%s: the accounts service saw %d requests for %d flows (a redirect followed?)", pl.name, n, len(pk.flows))
				}
			}
		}
	}
	for line := range strings.Lines(logs.String()) {
		if redact.Contains(line, hostileSecrets...) {
			t.Fatalf("log line shows a secret: %s", line)
		}
	}
	if !strings.Contains(logs.String(), "failed") {
		t.Error("failures not logged")
	}
	t.Logf("%d failing flows checked", runs)
}

// The token endpoint is never redirected to: a 301, 302, 307 or 308 to
// another host, or to the same host over plain http, is an error matching
// ErrRedirected, and the target receives nothing.
func TestAccountsRedirectsRefused(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		jsonAnswer(200, map[string]any{"access_token": "BQstolen", "token_type": "Bearer", "expires_in": 3600})(w)
	}))
	defer other.Close()
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, target := range []string{other.URL + "/api/token", "http://accounts.test/api/token"} {
			var hits atomic.Int32
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				http.Redirect(w, r, target, status)
			})
			// A client of the caller's own that follows redirects to the
			// in-memory service and to the other host alike.
			hc := &http.Client{Transport: routeByHost{"accounts.test": h}}
			cfg, err := auth.NewConfig(auth.WithClientID(hostileID), auth.WithClientSecret(hostileSecret),
				auth.WithAccountsURL("https://accounts.test"), auth.WithHTTPClient(hc))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			cc, _ := auth.NewClientCredentials(ctx, cfg)
			_, errCC := cc.Token()
			rs, _ := auth.NewRefreshSource(ctx, cfg, auth.WithToken(expiredToken(hostileRefresh)))
			_, errRS := rs.Token()
			for _, err := range []error{errCC, errRS} {
				var ae *auth.Error
				if !errors.Is(err, auth.ErrRedirected) || !errors.As(err, &ae) || ae.Status != status {
					t.Errorf("%d to %s: %v, want ErrRedirected with the status", status, target, err)
				}
				if err != nil && strings.Contains(err.Error(), target) {
					t.Errorf("error quotes the redirect's target: %v", err)
				}
			}
			if n := hits.Load(); n != 2 {
				t.Errorf("%d to %s: the accounts service saw %d requests, want 2", status, target, n)
			}
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
}

// escapeEvery percent-escapes every byte of s.
func escapeEvery(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// routeByHost serves the named hosts in memory and sends the rest to the
// network (the loopback httptest server).
type routeByHost map[string]http.Handler

func (m routeByHost) RoundTrip(r *http.Request) (*http.Response, error) {
	if h, ok := m[r.URL.Host]; ok {
		return inMemory{h}.RoundTrip(r)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A token the client could not send (a character that breaks the header,
// a length past 8 KiB) or of another type than Bearer is refused; a
// negative lifetime does not make every call fetch again.
func TestUnusableTokenAnswersRefused(t *testing.T) {
	answer := func(fields map[string]any) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { jsonAnswer(200, fields)(w) })
	}
	for name, fields := range map[string]map[string]any{
		"newline in the access token": {"access_token": "BQ\r\nX-Evil: 1", "token_type": "Bearer", "expires_in": 3600},
		"space in the access token":   {"access_token": "BQ a", "token_type": "Bearer", "expires_in": 3600},
		"huge access token":           {"access_token": strings.Repeat("A", 9<<10), "token_type": "Bearer", "expires_in": 3600},
		"bad refresh token":           {"access_token": "BQok", "refresh_token": "AQ\x00", "token_type": "Bearer"},
		"MAC token":                   {"access_token": "BQok", "token_type": "mac", "expires_in": 3600},
	} {
		for flow, err := range hostileFlows(t, answer(fields), slog.New(slog.DiscardHandler), allFlows...) {
			if !errors.Is(err, auth.ErrInvalidReply) {
				t.Errorf("%s, %s: %v, want ErrInvalidReply", name, flow, err)
			}
		}
	}

	negative := jsonAnswer(200, map[string]any{"access_token": "BQok", "token_type": "Bearer", "expires_in": -30})
	if n := tokenRequestsFor10Calls(t, negative); n != 1 {
		t.Errorf("%d token requests for 10 calls with a negative expires_in, want 1", n)
	}
}

// tokenRequestsFor10Calls counts the token requests that 10 calls of a
// client credentials source make when each is answered by answer.
func tokenRequestsFor10Calls(t *testing.T, answer func(http.ResponseWriter)) int32 {
	t.Helper()
	var hits atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		answer(w)
	})
	cfg, _ := auth.NewConfig(auth.WithClientID(hostileID), auth.WithClientSecret(hostileSecret),
		auth.WithAccountsURL("https://accounts.test"), auth.WithHTTPClient(httpClient(h)))
	cc, _ := auth.NewClientCredentials(context.Background(), cfg)
	for range 10 {
		if _, err := cc.Token(); err != nil {
			t.Fatal(err)
		}
	}
	return hits.Load()
}

// An answer may come form-encoded (x/oauth2 reads application/x-www-form-
// urlencoded and text/plain as a query string). Its expires_in is checked
// as a JSON one is: a negative lifetime, or one so large that it wraps
// around when made a time.Duration, must not make the token stale on
// arrival and every call fetch again.
func TestFormEncodedLifetimeChecked(t *testing.T) {
	for _, expiresIn := range []string{"-30", "9300000000", "99999999999999999"} {
		n := tokenRequestsFor10Calls(t, func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			fmt.Fprintf(w, "access_token=BQok&token_type=Bearer&expires_in=%s", expiresIn)
		})
		if n != 1 {
			t.Errorf("expires_in=%s: %d token requests for 10 calls, want 1", expiresIn, n)
		}
	}
}
