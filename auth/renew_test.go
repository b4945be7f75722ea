package auth_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
)

// renewer is what spotify.Client asks of a source on a 401.
type renewer interface {
	oauth2.TokenSource
	RenewToken(ctx context.Context, refused *oauth2.Token) (*oauth2.Token, error)
}

var (
	_ renewer = (*auth.ClientCredentials)(nil)
	_ renewer = (*auth.RefreshSource)(nil)
)

// A refused token is replaced once however many callers report it, and a
// caller reporting a token already replaced gets the replacement.
func TestRenewTokenOnceForARefusedToken(t *testing.T) {
	s := newStub()
	ctx := context.Background()
	cc, err := auth.NewClientCredentials(ctx, stubConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := auth.NewRefreshSource(ctx, stubConfig(t, s), auth.WithToken(&oauth2.Token{
		AccessToken: "live-but-refused", RefreshToken: s.RefreshToken(), Expiry: time.Now().Add(time.Hour)}))
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]renewer{"client credentials": cc, "refresh": rs} {
		t.Run(name, func(t *testing.T) {
			old, err := src.Token()
			if err != nil {
				t.Fatal(err)
			}
			before := s.TokenRequests()
			var wg sync.WaitGroup
			got := make([]string, 100)
			for i := range got {
				wg.Go(func() {
					tok, err := src.RenewToken(ctx, old)
					if err != nil {
						t.Error(err)
						return
					}
					got[i] = tok.AccessToken
				})
			}
			wg.Wait()
			if n := s.TokenRequests() - before; n != 1 {
				t.Errorf("%d token requests for 100 renewals of one token, want 1", n)
			}
			for _, at := range got {
				if at == old.AccessToken || at != got[0] {
					t.Fatalf("renewed to %q, want one new token for all", at)
				}
			}
			// Reported again later: the replacement, no request.
			tok, err := src.RenewToken(ctx, old)
			if err != nil || tok.AccessToken != got[0] || s.TokenRequests()-before != 1 {
				t.Errorf("late renewal: %v, %d requests", err, s.TokenRequests()-before)
			}
		})
	}
}

// Two sources sharing a locking store refresh once between them: the one
// that waited for the lock reads what the other saved.
func TestRefreshUnderStoreLockOnceForTwoSources(t *testing.T) {
	s := newStub()
	s.Rotate = true
	store := auth.NewMemoryStore(expiredToken(s.RefreshToken()))
	gate := &gatedHandler{gate: make(chan struct{}), h: s}
	cfg := stubConfig(t, s, auth.WithHTTPClient(httpClient(gate)))
	ctx := context.Background()
	var srcs []*auth.RefreshSource
	for range 2 {
		src, err := auth.NewRefreshSource(ctx, cfg, auth.WithStore(store))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	toks := make([]*oauth2.Token, 2)
	var wg sync.WaitGroup
	for i, src := range srcs {
		wg.Go(func() {
			var err error
			if toks[i], err = src.Token(); err != nil {
				t.Error(err)
			}
		})
	}
	close(gate.gate)
	wg.Wait()
	if t.Failed() {
		return
	}
	if n := s.TokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
	saved, _ := store.Load(ctx)
	if toks[0].AccessToken != toks[1].AccessToken || saved.AccessToken != toks[0].AccessToken ||
		saved.RefreshToken != toks[0].RefreshToken {
		t.Error("the sources and the store disagree on the token")
	}
}

// A stored refresh token older than the source's (a save of the source's
// failed) is tried, refused, and the source's own one still works.
func TestRefreshFallsBackToOwnTokenWhenStoredIsStale(t *testing.T) {
	s := newStub()
	s.Rotate = true
	stale, own := s.RefreshToken(), s.RefreshToken()
	s.Revoke(stale)
	store := auth.NewMemoryStore(expiredToken(stale))
	src, err := auth.NewRefreshSource(context.Background(), stubConfig(t, s),
		auth.WithToken(expiredToken(own)), auth.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	saved, _ := store.Load(context.Background())
	if saved.RefreshToken != tok.RefreshToken || tok.RefreshToken == own {
		t.Error("rotated token not saved")
	}
}

// A lock whose holder died is waited for no longer than its lease.
func TestRefreshWaitsOutADeadHoldersLease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStub()
		store := auth.NewMemoryStore(expiredToken(s.RefreshToken()))
		if _, err := store.Lock(context.Background(), 20*time.Second); err != nil { // never unlocked
			t.Fatal(err)
		}
		src, err := auth.NewRefreshSource(context.Background(), stubConfig(t, s), auth.WithStore(store))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := src.Token(); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited != 20*time.Second {
			t.Errorf("refresh waited %v, want the dead holder's 20 s lease", waited)
		}
	})
}
