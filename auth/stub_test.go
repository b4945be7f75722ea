package auth_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// stub is a small accounts service for the tests that need what the fake
// in spotifytest does not offer: an in-memory handler for synctest bubbles,
// failure injection and inspection of every request.
type stub struct {
	ClientID     string
	ClientSecret string
	Lifetime     time.Duration
	Rotate       bool // answer refreshes with a new refresh token
	Deny         bool // /authorize answers error=access_denied

	mu       sync.Mutex
	requests int
	seq      int
	codes    map[string]grant
	refresh  map[string]bool // live refresh tokens
	issued   []string        // every token value handed out
	forms    []url.Values    // the token requests' forms
}

// grant is what an authorization code stands for.
type grant struct {
	redirect, challenge, scope string
}

func newStub() *stub {
	return &stub{
		ClientID:     "stub-client-id",
		ClientSecret: "stub-SECRET-4f1c9e",
		Lifetime:     time.Hour,
		codes:        map[string]grant{},
		refresh:      map[string]bool{},
	}
}

// TokenRequests counts the requests to /api/token.
func (s *stub) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Issued returns every token value the stub handed out.
func (s *stub) Issued() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// RefreshToken mints a refresh token as if the user had logged in earlier.
func (s *stub) RefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.mintLocked("rt")
	s.refresh[rt] = true
	return rt
}

// Revoke invalidates a refresh token.
func (s *stub) Revoke(rt string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.refresh, rt)
}

func (s *stub) mintLocked(kind string) string {
	s.seq++
	v := fmt.Sprintf("%s-%04d-XyZ%08x", kind, s.seq, s.seq*2654435761)
	s.issued = append(s.issued, v)
	return v
}

// ServeHTTP serves /authorize and /api/token.
func (s *stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/authorize":
		s.authorize(w, r)
	case "/api/token":
		s.token(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *stub) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.ClientID || q.Get("response_type") != "code" || q.Get("redirect_uri") == "" {
		http.Error(w, "INVALID_CLIENT", http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}}
	if s.Deny {
		back.Set("error", "access_denied")
	} else {
		s.mu.Lock()
		code := s.mintLocked("code")
		s.codes[code] = grant{redirect: q.Get("redirect_uri"), challenge: q.Get("code_challenge"), scope: q.Get("scope")}
		s.mu.Unlock()
		back.Set("code", code)
	}
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusSeeOther)
}

func (s *stub) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	s.forms = append(s.forms, r.PostForm)
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
		if id != s.ClientID || secret != s.ClientSecret {
			// Spotify does not echo secrets; a careless server might, and
			// the client must not pass it on.
			oauthError(w, http.StatusBadRequest, "invalid_client", "Invalid client secret "+secret)
			return
		}
	} else if r.PostForm.Get("client_id") != s.ClientID {
		oauthError(w, http.StatusBadRequest, "invalid_client", "Invalid client")
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
		if !basic {
			oauthError(w, http.StatusBadRequest, "invalid_client", "client credentials need a secret")
			return
		}
		s.answerLocked(w, "", "")
	case "authorization_code":
		s.exchangeLocked(w, r.PostForm, basic)
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !s.refresh[rt] {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "Refresh token revoked: "+rt)
			return
		}
		next := ""
		if s.Rotate {
			delete(s.refresh, rt)
			next = s.mintLocked("rt")
			s.refresh[next] = true
		}
		s.answerLocked(w, next, "user-read-private")
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type")
	}
}

func (s *stub) exchangeLocked(w http.ResponseWriter, f url.Values, basic bool) {
	code := f.Get("code")
	g, ok := s.codes[code]
	delete(s.codes, code)
	switch {
	case !ok:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code "+code)
	case g.redirect != f.Get("redirect_uri"):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid redirect URI")
	case g.challenge == "" && !basic:
		oauthError(w, http.StatusBadRequest, "invalid_request", "code_verifier required")
	case g.challenge != "" && s256(f.Get("code_verifier")) != g.challenge:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier was incorrect: "+f.Get("code_verifier"))
	default:
		rt := s.mintLocked("rt")
		s.refresh[rt] = true
		s.answerLocked(w, rt, g.scope)
	}
}

func (s *stub) answerLocked(w http.ResponseWriter, refresh, scope string) {
	body := map[string]any{
		"access_token": s.mintLocked("at"),
		"token_type":   "Bearer",
		"expires_in":   int(s.Lifetime / time.Second),
	}
	if refresh != "" {
		body["refresh_token"] = refresh
	}
	if scope != "" {
		body["scope"] = scope
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// inMemory is an http.RoundTripper that calls a handler directly, so
// requests stay inside a synctest bubble.
type inMemory struct{ h http.Handler }

func (t inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	if r.Body != nil {
		r.Body.Close()
	}
	return rec.Result(), nil
}

// failing is a transport whose every request fails as a network error would.
type failing struct{}

func (failing) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return nil, fmt.Errorf("dial tcp 10.0.0.1:443: connect: connection refused")
}

// contains reports whether s contains any of the needles.
func containsAny(s string, needles ...string) (string, bool) {
	for _, n := range needles {
		if n != "" && strings.Contains(s, n) {
			return n, true
		}
	}
	return "", false
}

// gatedHandler holds every request until gate is closed.
type gatedHandler struct {
	gate chan struct{}
	h    http.Handler
}

func (g *gatedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	<-g.gate
	g.h.ServeHTTP(w, r)
}

// httpClient returns a client that serves every request with h in memory.
func httpClient(h http.Handler) *http.Client {
	return &http.Client{Transport: inMemory{h}}
}
