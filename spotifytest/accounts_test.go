package spotifytest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenRequest posts form to /api/token, with the client's credentials in
// HTTP Basic when basic is set.
func tokenRequest(t *testing.T, s *Server, form url.Values, basic bool) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", s.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(s.ClientID, s.ClientSecret)
	}
	return do(t, s, req)
}

// postForm is tokenRequest that must succeed; it returns the decoded body.
func postForm(t *testing.T, s *Server, form url.Values, basic bool) map[string]any {
	t.Helper()
	a := tokenRequest(t, s, form, basic)
	if a.status != 200 {
		t.Fatalf("token request: %d %s", a.status, a.body)
	}
	if a.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", a.header.Get("Cache-Control"))
	}
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// wantOAuthError checks an accounts service error answer.
func wantOAuthError(t *testing.T, a answer, status int, code, description string) {
	t.Helper()
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(a.body, &e)
	if a.status != status || e.Error != code || e.Description != description {
		t.Fatalf("got %d %s, want %d %s %q", a.status, a.body, status, code, description)
	}
}

func TestClientCredentials(t *testing.T) {
	s := newTest(t, WithTokenLifetime(30*time.Minute))
	cc := url.Values{"grant_type": {"client_credentials"}}
	m := postForm(t, s, cc, true)
	if m["token_type"] != "Bearer" || m["expires_in"] != 1800.0 || m["refresh_token"] != nil || m["scope"] != nil {
		t.Fatalf("answer %v", m)
	}
	if a := send(t, s, "GET", "/v1/things/x", m["access_token"].(string)); a.status != 200 {
		t.Fatalf("token refused: %d", a.status)
	}
	inForm := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID}, "client_secret": {s.ClientSecret}}
	postForm(t, s, inForm, false)

	wantOAuthError(t, tokenRequest(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID}}, false),
		401, "invalid_client", "Invalid client secret")
	wantOAuthError(t, tokenRequest(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID}, "client_secret": {"wrong"}}, false),
		401, "invalid_client", "Invalid client secret")
	wantOAuthError(t, tokenRequest(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {"who"}, "client_secret": {"x"}}, false),
		401, "invalid_client", "Invalid client")
	wantOAuthError(t, tokenRequest(t, s, url.Values{}, true), 400, "unsupported_grant_type", "grant_type parameter is missing")
	wantOAuthError(t, tokenRequest(t, s, url.Values{"grant_type": {"password"}}, true), 400, "unsupported_grant_type", "grant_type parameter is invalid")
	if n := s.Stats().TokenRequests; n != 7 {
		t.Fatalf("TokenRequests = %d, want 7", n)
	}
}

// authorize sends the browser to /authorize and returns the 303's target.
func authorize(t *testing.T, s *Server, q url.Values) *url.URL {
	t.Helper()
	c := s.ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(s.AuthURL() + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("authorize: %d", resp.StatusCode)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

const redirect = "http://127.0.0.1:8123/callback"

func authQuery(s *Server, extra ...string) url.Values {
	q := url.Values{"response_type": {"code"}, "client_id": {s.ClientID}, "redirect_uri": {redirect},
		"state": {"st-42"}, "scope": {"user-read-private user-top-read"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

func TestAuthorizationCodePKCE(t *testing.T) {
	s := newTest(t)
	verifier := oauth2.GenerateVerifier()
	back := authorize(t, s, authQuery(s, "code_challenge", oauth2.S256ChallengeFromVerifier(verifier), "code_challenge_method", "S256", "show_dialog", "true"))
	if back.Host != "127.0.0.1:8123" || back.Path != "/callback" || back.Query().Get("state") != "st-42" || back.Query().Get("code") == "" {
		t.Fatalf("redirect %s", back)
	}
	code := back.Query().Get("code")
	exchange := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "client_id": {s.ClientID}}

	wrong := url.Values{"code_verifier": {oauth2.GenerateVerifier()}}
	for k, v := range exchange {
		wrong[k] = v
	}
	wantOAuthError(t, tokenRequest(t, s, wrong, false), 400, "invalid_grant", "code_verifier was incorrect")

	// The code was spent by the failed attempt: get another.
	code = authorize(t, s, authQuery(s, "code_challenge", oauth2.S256ChallengeFromVerifier(verifier), "code_challenge_method", "S256")).Query().Get("code")
	exchange.Set("code", code)
	exchange.Set("code_verifier", verifier)
	m := postForm(t, s, exchange, false)
	if m["scope"] != "user-read-private user-top-read" || m["refresh_token"] == nil {
		t.Fatalf("answer %v", m)
	}
	a := send(t, s, "GET", "/v1/me/thing", m["access_token"].(string))
	if a.status != 200 || !strings.Contains(string(a.body), DefaultUser) {
		t.Fatalf("user token: %d %s", a.status, a.body)
	}
	wantOAuthError(t, tokenRequest(t, s, exchange, false), 400, "invalid_grant", "Invalid authorization code")

	// PKCE refresh tokens refresh without a secret.
	m = postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}, "client_id": {s.ClientID}}, false)
	if m["access_token"] == nil {
		t.Fatalf("refresh %v", m)
	}
}

func TestAuthorizationCodeWithSecret(t *testing.T) {
	s := newTest(t, WithLoginUser("dave"))
	code := authorize(t, s, authQuery(s)).Query().Get("code")
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "client_id": {s.ClientID}}
	wantOAuthError(t, tokenRequest(t, s, form, false), 401, "invalid_client", "Invalid client secret")

	code = authorize(t, s, authQuery(s)).Query().Get("code")
	form = url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"http://127.0.0.1:9/other"}}
	wantOAuthError(t, tokenRequest(t, s, form, true), 400, "invalid_grant", "Invalid redirect URI")

	code = authorize(t, s, authQuery(s)).Query().Get("code")
	form.Set("code", code)
	form.Set("redirect_uri", redirect)
	m := postForm(t, s, form, true)
	if a := send(t, s, "GET", "/v1/me/thing", m["access_token"].(string)); !strings.Contains(string(a.body), `"user":"dave"`) {
		t.Fatalf("login user: %s", a.body)
	}
	// A confidential refresh token needs the secret.
	rt := m["refresh_token"].(string)
	wantOAuthError(t, tokenRequest(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {s.ClientID}}, false),
		401, "invalid_client", "Invalid client secret")
	postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, true)
}

func TestAuthorizeErrors(t *testing.T) {
	s := newTest(t)
	page := func(q url.Values) answer {
		req, _ := http.NewRequest("GET", s.AuthURL()+"?"+q.Encode(), nil)
		return do(t, s, req)
	}
	for name, q := range map[string]url.Values{
		"client":    authQuery(s, "client_id", "who"),
		"localhost": authQuery(s, "redirect_uri", "http://localhost:8123/callback"),
		"http":      authQuery(s, "redirect_uri", "http://example.com/callback"),
		"relative":  authQuery(s, "redirect_uri", "/callback"),
		"missing":   authQuery(s, "redirect_uri", ""),
	} {
		if a := page(q); a.status != 400 || !strings.HasPrefix(string(a.body), "INVALID_CLIENT") {
			t.Errorf("%s: %d %s", name, a.status, a.body)
		}
	}
	for _, ok := range []string{"http://[::1]:9000/cb", "https://app.example/cb", "http://127.0.0.1/cb"} {
		if u := authorize(t, s, authQuery(s, "redirect_uri", ok)); u.Query().Get("code") == "" {
			t.Errorf("%s refused: %s", ok, u)
		}
	}
	for want, q := range map[string]url.Values{
		"unsupported_response_type": authQuery(s, "response_type", "token"),
		"invalid_scope":             authQuery(s, "scope", "user-read-private no-such-scope"),
		"invalid_request":           authQuery(s, "code_challenge", "short", "code_challenge_method", "S256"),
	} {
		u := authorize(t, s, q)
		if u.Query().Get("error") != want || u.Query().Get("code") != "" || u.Query().Get("state") != "st-42" {
			t.Errorf("want %s: %s", want, u)
		}
	}
	plain := authQuery(s, "code_challenge", oauth2.S256ChallengeFromVerifier("v"), "code_challenge_method", "plain")
	if u := authorize(t, s, plain); u.Query().Get("error") != "invalid_request" {
		t.Errorf("plain challenge: %s", u)
	}

	denied := newTest(t, WithLoginDenied())
	if u := authorize(t, denied, authQuery(denied)); u.Query().Get("error") != "access_denied" || u.Query().Get("state") != "st-42" {
		t.Errorf("denied: %s", u)
	}
	fixed := newTest(t, WithRedirectURIs("https://app.example/cb"))
	if a := func() answer {
		req, _ := http.NewRequest("GET", fixed.AuthURL()+"?"+authQuery(fixed).Encode(), nil)
		return do(t, fixed, req)
	}(); a.status != 400 {
		t.Errorf("unregistered redirect: %d", a.status)
	}
	if u := authorize(t, fixed, authQuery(fixed, "redirect_uri", "https://app.example/cb")); u.Query().Get("code") == "" {
		t.Errorf("registered redirect: %s", u)
	}
}

func TestRefresh(t *testing.T) {
	clock := newClock()
	s := newTest(t, WithClock(clock.Now), WithRefreshLifetime(48*time.Hour))
	rt := s.RefreshToken("erin", "user-top-read")
	refresh := func(rt string) answer {
		return tokenRequest(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, true)
	}
	for range 2 { // without rotation the same token works again
		a := refresh(rt)
		if a.status != 200 || strings.Contains(string(a.body), "refresh_token") || !strings.Contains(string(a.body), `"scope":"user-top-read"`) {
			t.Fatalf("refresh: %d %s", a.status, a.body)
		}
	}
	wantOAuthError(t, refresh("nope"), 400, "invalid_grant", "Invalid refresh token")
	clock.Add(48 * time.Hour)
	wantOAuthError(t, refresh(rt), 400, "invalid_grant", "Refresh token expired")

	rt = s.RefreshToken("")
	s.RevokeRefreshToken(rt)
	wantOAuthError(t, refresh(rt), 400, "invalid_grant", "Refresh token revoked")
}

func TestRefreshRotation(t *testing.T) {
	clock := newClock()
	s := newTest(t, WithClock(clock.Now), WithRefreshRotation(true), WithRefreshLifetime(48*time.Hour))
	first := s.RefreshToken("frank")
	m := postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first}}, true)
	second, _ := m["refresh_token"].(string)
	if second == "" || second == first {
		t.Fatalf("not rotated: %v", m)
	}
	wantOAuthError(t, tokenRequest(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first}}, true),
		400, "invalid_grant", "Refresh token revoked")
	// Rotation does not extend the six months (here two days).
	clock.Add(47 * time.Hour)
	m = postForm(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {second}}, true)
	clock.Add(time.Hour)
	wantOAuthError(t, tokenRequest(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}}, true),
		400, "invalid_grant", "Refresh token expired")
}

func TestTokenMethod(t *testing.T) {
	s := newTest(t)
	req, _ := http.NewRequest("GET", s.TokenURL(), nil)
	wantOAuthError(t, do(t, s, req), 405, "invalid_request", "Method not allowed")
}

// TestOAuth2Library runs golang.org/x/oauth2's own flows against the fake.
func TestOAuth2Library(t *testing.T) {
	s := newTest(t)
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, s.ts.Client())
	cc := clientcredentials.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, TokenURL: s.TokenURL()}
	tok, err := cc.Token(ctx)
	if err != nil || !tok.Valid() {
		t.Fatalf("client credentials: %v", err)
	}

	conf := oauth2.Config{ClientID: s.ClientID, RedirectURL: redirect, Scopes: []string{"user-library-read"},
		Endpoint: oauth2.Endpoint{AuthURL: s.AuthURL(), TokenURL: s.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}}
	verifier := oauth2.GenerateVerifier()
	u, _ := url.Parse(conf.AuthCodeURL("xyz", oauth2.S256ChallengeOption(verifier)))
	back := authorize(t, s, u.Query())
	tok, err = conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("exchange: %v", err)
	}
	if a := send(t, s, "GET", "/v1/me/thing", tok.AccessToken); a.status != 200 {
		t.Fatalf("user token: %d %s", a.status, a.body)
	}
}
