package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
)

// expiredToken is a user token whose access token expired a minute ago.
func expiredToken(rt string) *oauth2.Token {
	return &oauth2.Token{AccessToken: "old-access", TokenType: "Bearer", RefreshToken: rt,
		Expiry: time.Now().Add(-time.Minute)}
}

func TestRefreshKeepsRefreshTokenWhenNotRotated(t *testing.T) {
	s := newStub() // Rotate is off: answers carry no refresh_token
	rt := s.RefreshToken()
	store := auth.NewMemoryStore(nil)
	src, err := auth.NewRefreshSource(context.Background(), stubConfig(t, s),
		auth.WithToken(expiredToken(rt)), auth.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != rt {
		t.Errorf("refresh token lost: got %q", tok.RefreshToken)
	}
	saved, err := store.Load(context.Background())
	if err != nil || saved.RefreshToken != rt || saved.AccessToken != tok.AccessToken {
		t.Errorf("store holds %v, %v", saved, err)
	}
}

func TestRefreshUsesTokenRotatedByAnotherProcess(t *testing.T) {
	s := newStub()
	s.Rotate = true
	store := auth.NewMemoryStore(nil)
	first := s.RefreshToken()
	cfg := stubConfig(t, s)
	a, err := auth.NewRefreshSource(context.Background(), cfg, auth.WithToken(expiredToken(first)), auth.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	b, err := auth.NewRefreshSource(context.Background(), cfg, auth.WithToken(expiredToken(first)), auth.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	ta, err := a.Token() // rotates: first is now revoked
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.Token() // invalid_grant with first, then the stored token
	if err != nil {
		t.Fatalf("second process: %v", err)
	}
	if tb.AccessToken != ta.AccessToken {
		t.Errorf("second process did not adopt the stored, still valid token")
	}
}

func TestNewRefreshSourceNeedsAToken(t *testing.T) {
	s := newStub()
	cfg := stubConfig(t, s)
	if _, err := auth.NewRefreshSource(context.Background(), cfg); err == nil {
		t.Error("no token and no store accepted")
	}
	_, err := auth.NewRefreshSource(context.Background(), cfg, auth.WithStore(auth.NewMemoryStore(nil)))
	if !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("empty store: %v, want ErrNoToken", err)
	}
	_, err = auth.NewRefreshSource(context.Background(), cfg, auth.WithToken(&oauth2.Token{AccessToken: "a"}))
	if !errors.Is(err, auth.ErrReauthRequired) {
		t.Errorf("token without refresh token: %v, want ErrReauthRequired", err)
	}
}

// brokenStore saves nothing.
type brokenStore struct{ auth.MemoryStore }

var errDiskFull = errors.New("disk full")

func (*brokenStore) Save(context.Context, *oauth2.Token) error { return errDiskFull }

func TestSaveFailureKeepsTokenInMemory(t *testing.T) {
	s := newStub()
	s.Rotate = true
	var reported []error
	src, err := auth.NewRefreshSource(context.Background(), stubConfig(t, s),
		auth.WithToken(expiredToken(s.RefreshToken())), auth.WithStore(&brokenStore{}),
		auth.OnSaveError(func(err error) { reported = append(reported, err) }))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token()
	if err != nil {
		t.Fatalf("a failed save failed the request: %v", err)
	}
	if !errors.Is(src.LastSaveError(), errDiskFull) || len(reported) != 1 {
		t.Errorf("save error not reported: %v, %v", src.LastSaveError(), reported)
	}
	again, err := src.Token()
	if err != nil || again.AccessToken != tok.AccessToken || again.RefreshToken != tok.RefreshToken {
		t.Errorf("token not kept in memory: %v", err)
	}
	if n := s.TokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}

func TestRefreshPublicClientSendsClientID(t *testing.T) {
	s := newStub()
	cfg, err := auth.NewConfig(auth.WithClientID(s.ClientID), auth.WithAccountsURL("https://accounts.test"),
		auth.WithHTTPClient(httpClient(s)))
	if err != nil {
		t.Fatal(err)
	}
	src, err := auth.NewRefreshSource(context.Background(), cfg, auth.WithToken(expiredToken(s.RefreshToken())))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Token(); err != nil {
		t.Fatal(err)
	}
	if f := s.forms[0]; f.Get("client_id") != s.ClientID || f.Get("client_secret") != "" {
		t.Errorf("public refresh form = %v", f)
	}
}
