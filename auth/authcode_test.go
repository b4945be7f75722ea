package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/auth"
)

const testRedirect = "http://127.0.0.1:8765/callback"

func TestAuthorizeURL(t *testing.T) {
	s := newStub()
	cfg := stubConfig(t, s, auth.WithRedirectURI(testRedirect),
		auth.WithScopes(auth.ScopeUserReadPrivate, auth.ScopePlaylistReadPrivate))
	a, err := cfg.Authorize(auth.ShowDialog())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	want := map[string]string{
		"client_id":             s.ClientID,
		"response_type":         "code",
		"redirect_uri":          testRedirect,
		"state":                 a.State,
		"scope":                 "playlist-read-private user-read-private",
		"show_dialog":           "true",
		"code_challenge_method": "S256",
		"code_challenge":        s256(a.Verifier),
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if u.Scheme+"://"+u.Host+u.Path != "https://accounts.test/authorize" {
		t.Errorf("authorize endpoint = %s", u)
	}
	if n := len(a.Verifier); n < 43 || n > 128 {
		t.Errorf("verifier length %d outside 43..128", n)
	}
	if len(a.State) < 32 {
		t.Errorf("state %q too short", a.State)
	}
	b, _ := cfg.Authorize()
	if b.State == a.State || b.Verifier == a.Verifier {
		t.Error("state or verifier repeats between attempts")
	}
	if b.URL == a.URL || strings.Contains(b.URL, "show_dialog") {
		t.Error("show_dialog set without the option")
	}
	if strings.Contains(a.String(), a.Verifier) {
		t.Error("String shows the verifier")
	}
}

func TestAuthorizeWithoutPKCE(t *testing.T) {
	s := newStub()
	cfg := stubConfig(t, s, auth.WithRedirectURI(testRedirect), auth.WithoutPKCE())
	a, err := cfg.Authorize()
	if err != nil {
		t.Fatal(err)
	}
	if a.Verifier != "" || strings.Contains(a.URL, "code_challenge") {
		t.Errorf("PKCE still on: %s", a.URL)
	}
	code := visitAuthorize(t, s, a.URL)
	if _, err := cfg.Exchange(context.Background(), a, code); err != nil {
		t.Fatalf("confidential exchange: %v", err)
	}
}

// visitAuthorize plays the browser at the stub's consent page and returns
// the code of its redirect.
func visitAuthorize(t *testing.T, s *stub, authURL string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, authURL, nil))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("authorize answered %d", rec.Code)
	}
	loc, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query().Get("code")
}

func TestCallbackAccessDenied(t *testing.T) {
	s := newStub()
	s.Deny = true
	cfg := stubConfig(t, s, auth.WithRedirectURI(testRedirect))
	a, _ := cfg.Authorize()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, a.URL, nil))
	r := httptest.NewRequest(http.MethodGet, rec.Header().Get("Location"), nil)
	_, err := cfg.ExchangeCallback(context.Background(), a, r)
	var ae *auth.Error
	if !errors.Is(err, auth.ErrAccessDenied) || !errors.As(err, &ae) || ae.Op != auth.OpCallback {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	if !strings.Contains(err.Error(), "declined") {
		t.Errorf("error %q does not say what happened", err)
	}
	if s.TokenRequests() != 0 {
		t.Error("token requested after a refusal")
	}
}

func TestCallbackWithoutCode(t *testing.T) {
	a := &auth.Authorization{State: "st"}
	if _, err := a.ParseCallbackValues(url.Values{"state": {"st"}}); err == nil {
		t.Error("callback without code accepted")
	}
	var none *auth.Authorization
	if _, err := none.ParseCallbackValues(url.Values{}); err == nil {
		t.Error("nil authorization accepted")
	}
}

func TestExchangePKCEPublicClient(t *testing.T) {
	s := newStub()
	cfg, err := auth.NewConfig(auth.WithClientID(s.ClientID), auth.WithRedirectURI(testRedirect),
		auth.WithAccountsURL("https://accounts.test"), auth.WithHTTPClient(httpClient(s)))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := cfg.Authorize()
	code := visitAuthorize(t, s, a.URL)
	tok, err := cfg.Exchange(context.Background(), a, code)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Errorf("token = %+v", tok)
	}
	f := s.forms[0]
	if f.Get("code_verifier") != a.Verifier || f.Get("client_id") != s.ClientID || f.Get("redirect_uri") != testRedirect {
		t.Errorf("exchange form = %v", f)
	}
	// The code is single-use: a replay is a re-authorization.
	if _, err := cfg.Exchange(context.Background(), a, code); !errors.Is(err, auth.ErrReauthRequired) {
		t.Errorf("replayed code: %v, want ErrReauthRequired", err)
	}
}

func TestExchangeWrongVerifier(t *testing.T) {
	s := newStub()
	cfg := stubConfig(t, s, auth.WithRedirectURI(testRedirect))
	a, _ := cfg.Authorize()
	code := visitAuthorize(t, s, a.URL)
	other, _ := cfg.Authorize()
	a.Verifier = other.Verifier
	_, err := cfg.Exchange(context.Background(), a, code)
	if err == nil || strings.Contains(err.Error(), a.Verifier) || strings.Contains(err.Error(), code) {
		t.Errorf("wrong verifier: %v", err)
	}
}
