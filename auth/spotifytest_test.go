//go:build spotifytest_accounts

// Acceptance tests against the accounts service of spotifytest. They are
// behind a build tag until spotifytest.NewServer exists; remove the tag
// line then (the stub-based tests cover the same ground meanwhile).

package auth_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/spotifytest"
)

// fakeClock is a clock shared by a source and the fake.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func fakeConfig(t *testing.T, fake *spotifytest.Server, opts ...auth.Option) *auth.Config {
	t.Helper()
	base := []auth.Option{
		auth.WithClientID(fake.ClientID),
		auth.WithClientSecret(fake.ClientSecret),
		auth.WithEndpoint(oauth2.Endpoint{AuthURL: fake.AuthURL(), TokenURL: fake.TokenURL()}),
	}
	cfg, err := auth.NewConfig(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// 1. Client credentials: fetched once, reused, replaced before expiry.
func TestFakeClientCredentials(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	fake := spotifytest.NewServer(spotifytest.WithClock(clock.Now), spotifytest.WithTokenLifetime(time.Hour))
	defer fake.Close()
	cc, err := auth.NewClientCredentials(context.Background(), fakeConfig(t, fake), auth.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	first, err := cc.Token()
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if tok, err := cc.Token(); err != nil || tok.AccessToken != first.AccessToken {
			t.Fatalf("not reused: %v", err)
		}
	}
	if n := fake.Stats().TokenRequests; n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
	clock.Add(time.Hour - 30*time.Second) // inside the skew, before expiry
	second, err := cc.Token()
	if err != nil || second.AccessToken == first.AccessToken || fake.Stats().TokenRequests != 2 {
		t.Fatalf("not replaced before expiry: %v (%d requests)", err, fake.Stats().TokenRequests)
	}
}

// 2. PKCE end to end through the real loopback listener.
func TestFakeLoginPKCE(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	cfg, err := auth.NewConfig(auth.WithClientID(fake.ClientID),
		auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/callback")),
		auth.WithScopes(auth.ScopeUserReadPrivate),
		auth.WithEndpoint(oauth2.Endpoint{AuthURL: fake.AuthURL(), TokenURL: fake.TokenURL()}))
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{}
	store := auth.NewMemoryStore(nil)
	tok, err := auth.Login(context.Background(), cfg, auth.WithOpener(b.open), auth.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || !strings.Contains(b.page, "Logged in") {
		t.Errorf("token %v, page %q", tok.Valid(), b.page)
	}
	if saved, err := store.Load(context.Background()); err != nil || saved.RefreshToken != tok.RefreshToken {
		t.Errorf("store: %v", err)
	}
}

// 3. 1,000 goroutines after expiry: one token request, all succeed.
func TestFakeRefreshStampede(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	src, err := auth.NewRefreshSource(context.Background(), fakeConfig(t, fake),
		auth.WithToken(expiredToken(fake.RefreshToken("user1", auth.ScopeUserReadPrivate))))
	if err != nil {
		t.Fatal(err)
	}
	before := fake.Stats().TokenRequests
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 1000 {
		wg.Go(func() {
			if _, err := src.Token(); err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if failed.Load() != 0 {
		t.Fatalf("%d callers failed", failed.Load())
	}
	if n := fake.Stats().TokenRequests - before; n != 1 {
		t.Fatalf("%d token requests, want exactly 1", n)
	}
}

// 4. A rotated refresh token lands in the file store; a source from the
// file alone works; the file is 0600.
func TestFakeRotationToFile(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	fake := spotifytest.NewServer(spotifytest.WithRefreshRotation(true), spotifytest.WithClock(clock.Now))
	defer fake.Close()
	path := filepath.Join(t.TempDir(), "token.json")
	fs, _ := auth.NewFileStore(path)
	first := fake.RefreshToken("user1", auth.ScopeUserReadPrivate)
	if err := fs.Save(context.Background(), expiredToken(first)); err != nil {
		t.Fatal(err)
	}
	src, err := auth.NewRefreshSource(context.Background(), fakeConfig(t, fake), auth.WithStore(fs), auth.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := fs.Load(context.Background())
	if err != nil || saved.RefreshToken == first || saved.RefreshToken != tok.RefreshToken {
		t.Fatalf("rotated token not in the file: %v", err)
	}
	checkMode(t, path, 0o600)

	clock.Add(2 * time.Hour)
	fs2, _ := auth.NewFileStore(path)
	src2, err := auth.NewRefreshSource(context.Background(), fakeConfig(t, fake), auth.WithStore(fs2), auth.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src2.Token(); err != nil {
		t.Fatalf("source from the file alone: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after the second save: %v", err)
	}
}

// 5. invalid_grant is ErrReauthRequired.
func TestFakeRevokedRefreshToken(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	rt := fake.RefreshToken("user1")
	fake.RevokeRefreshToken(rt)
	src, err := auth.NewRefreshSource(context.Background(), fakeConfig(t, fake), auth.WithToken(expiredToken(rt)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token()
	if !errors.Is(err, auth.ErrReauthRequired) {
		t.Fatalf("err = %v, want ErrReauthRequired", err)
	}
	if strings.Contains(err.Error(), rt) {
		t.Errorf("error shows the refresh token: %v", err)
	}
}
