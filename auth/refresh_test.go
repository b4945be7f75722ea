package auth_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
)

// expiredToken is a user token whose access token expired a minute ago.
func expiredToken(rt string) *oauth2.Token {
	return &oauth2.Token{AccessToken: "old-access", TokenType: "Bearer", RefreshToken: rt,
		Expiry: time.Now().Add(-time.Minute)}
}

func TestRefreshOnceForThousandCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStub()
		store := auth.NewMemoryStore(nil)
		src, err := auth.NewRefreshSource(context.Background(), stubConfig(t, s),
			auth.WithToken(expiredToken(s.RefreshToken())), auth.WithStore(store))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var failed atomic.Int32
		tokens := make([]string, 1000)
		for i := range tokens {
			wg.Go(func() {
				tok, err := src.Token()
				if err != nil {
					failed.Add(1)
					return
				}
				tokens[i] = tok.AccessToken
			})
		}
		wg.Wait()
		if failed.Load() != 0 {
			t.Fatalf("%d callers failed", failed.Load())
		}
		if n := s.TokenRequests(); n != 1 {
			t.Fatalf("%d token requests, want exactly 1", n)
		}
		for _, tok := range tokens {
			if tok != tokens[0] || tok == "old-access" {
				t.Fatalf("callers got different or stale tokens: %q vs %q", tok, tokens[0])
			}
		}
	})
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

func TestRotatedRefreshTokenLandsInFileStore(t *testing.T) {
	s := newStub()
	s.Rotate = true
	path := filepath.Join(t.TempDir(), "cfg", "token.json")
	fs, err := auth.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	first := s.RefreshToken()
	if err := fs.Save(context.Background(), expiredToken(first)); err != nil {
		t.Fatal(err)
	}

	src, err := auth.NewRefreshSource(context.Background(), stubConfig(t, s), auth.WithStore(fs))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == first {
		t.Fatal("refresh token not rotated")
	}
	if err := src.LastSaveError(); err != nil {
		t.Fatal(err)
	}
	saved, err := fs.Load(context.Background())
	if err != nil || saved.RefreshToken != tok.RefreshToken {
		t.Fatalf("file holds %v, %v; want the rotated token", saved, err)
	}
	checkMode(t, path, 0o600)
	checkMode(t, filepath.Dir(path), 0o700|os.ModeDir)

	// A new source built from the file alone works, with the rotated token.
	s.Revoke(first) // rotation revoked it already; make sure
	fs2, _ := auth.NewFileStore(path)
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	src2, err := auth.NewRefreshSource(context.Background(), stubConfig(t, s), auth.WithStore(fs2), auth.WithClock(later))
	if err != nil {
		t.Fatal(err)
	}
	tok2, err := src2.Token()
	if err != nil {
		t.Fatalf("source from the file: %v", err)
	}
	if tok2.AccessToken == tok.AccessToken || s.TokenRequests() != 2 {
		t.Errorf("second source did not refresh (%d requests)", s.TokenRequests())
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != want {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
	}
}

func TestInvalidGrantIsReauthRequired(t *testing.T) {
	s := newStub()
	rt := s.RefreshToken()
	s.Revoke(rt)
	src, err := auth.NewRefreshSource(context.Background(), stubConfig(t, s), auth.WithToken(expiredToken(rt)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token()
	if !errors.Is(err, auth.ErrReauthRequired) {
		t.Fatalf("err = %v, want ErrReauthRequired", err)
	}
	var ae *auth.Error
	if !errors.As(err, &ae) || ae.Op != auth.OpRefresh || ae.Code != "invalid_grant" || ae.Status != 400 {
		t.Errorf("error = %#v", ae)
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
