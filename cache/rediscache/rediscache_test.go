package rediscache_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/cache/rediscache"
	"github.com/spotflow/spotflow/internal/redistest"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

func newStore(t *testing.T, opts ...rediscache.Option) (*rediscache.Store, *redis.Client, *redistest.Server) {
	t.Helper()
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr(), MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	s, err := rediscache.New(rdb, "test:", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s, rdb, srv
}

func TestStore(t *testing.T) {
	s, rdb, _ := newStore(t, rediscache.WithMaxValueBytes(1000))
	ctx := t.Context()
	if _, ok := s.Get(ctx, "k"); ok {
		t.Fatal("hit on an empty store")
	}
	s.Set(ctx, "k", []byte("value"), time.Minute)
	if v, ok := s.Get(ctx, "k"); !ok || string(v) != "value" {
		t.Fatalf("got %q, %v", v, ok)
	}
	if ttl := rdb.PTTL(ctx, "test:k").Val(); ttl <= 59*time.Second || ttl > time.Minute {
		t.Errorf("TTL in Redis %v, want a minute", ttl)
	}
	s.Set(ctx, "big", make([]byte, 1001), time.Minute)
	if _, ok := s.Get(ctx, "big"); ok {
		t.Error("a value over the cap was kept")
	}
	if n := rdb.Exists(ctx, "k").Val(); n != 0 {
		t.Error("a key was written without its prefix")
	}
}

// With Redis gone, the store answers misses within its timeout and drops
// writes; it never fails or hangs a call.
func TestStoreFailsOpen(t *testing.T) {
	s, _, srv := newStore(t)
	ctx := t.Context()
	s.Set(ctx, "k", []byte("value"), time.Minute)
	srv.Kill()
	start := time.Now()
	if _, ok := s.Get(ctx, "k"); ok {
		t.Error("a hit from a dead Redis")
	}
	s.Set(ctx, "k2", []byte("x"), time.Minute)
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("calls to a dead Redis took %v", el)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	s.Set(ctx, "k3", []byte("back"), time.Minute)
	if v, ok := s.Get(ctx, "k3"); !ok || string(v) != "back" {
		t.Errorf("after the restart: %q, %v", v, ok)
	}
}

// The auth package's app tokens are shared between replicas.
var _ spotify.AppTokenSource = (*auth.ClientCredentials)(nil)

// appTokens marks a token source as issuing app tokens only.
type appTokens struct{ oauth2.TokenSource }

func (appTokens) AppOnly() bool { return true }

// counting counts the requests that reach the fake.
type counting struct {
	h http.Handler
	n atomic.Int32
}

func (c *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h.ServeHTTP(w, r)
}

// TestReplicasShare: two clients, standing for two replicas, share a Redis
// store. A catalog read made with the app's token by one is served to the
// other; a user's answers are shared only between replicas given the same
// identity key, and never with another user.
func TestReplicasShare(t *testing.T) {
	s, rdb, _ := newStore(t)
	fake := spotifytest.NewInProcess()
	defer fake.Close()
	hits := &counting{h: fake.Handler()}
	api := httptest.NewServer(hits)
	defer api.Close()
	ids := fake.IDs()
	ctx := context.Background()
	client := func(ts oauth2.TokenSource, opts ...spotify.Option) *spotify.Client {
		t.Helper()
		c, err := spotify.NewClient(append([]spotify.Option{spotify.WithBaseURL(api.URL + "/v1/"),
			spotify.WithTokenSource(ts), spotify.WithCache(s)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	app := func() oauth2.TokenSource {
		return appTokens{oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fake.ClientToken()})}
	}
	a, b := client(app()), client(app()) // each replica has its own app token
	if _, err := a.Tracks.Get(ctx, ids.Tracks[0], nil); err != nil {
		t.Fatal(err)
	}
	before := hits.n.Load()
	if _, err := b.Tracks.Get(ctx, ids.Tracks[0], nil); err != nil {
		t.Fatal(err)
	}
	if hits.n.Load() != before {
		t.Error("the second replica's catalog read reached the API")
	}

	key := []byte("a shared secret of the whole fleet")
	user := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fake.UserToken(ids.Users[0])})
	other := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fake.UserToken(ids.Users[1])})
	u1, u2 := client(user, spotify.WithIdentityKey(key)), client(user, spotify.WithIdentityKey(key))
	o := client(other, spotify.WithIdentityKey(key))
	me, err := u1.Users.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before = hits.n.Load()
	me2, err := u2.Users.Me(ctx)
	if err != nil || me2.ID != me.ID {
		t.Fatalf("second replica: %v, %v", me2, err)
	}
	if hits.n.Load() != before+1 {
		t.Errorf("%d requests for a revalidated profile, want 1", hits.n.Load()-before)
	}
	if them, err := o.Users.Me(ctx); err != nil || them.ID != ids.Users[1] {
		t.Errorf("the other user got %v, %v", them, err)
	}

	// Redis holds no token anywhere, and no ID or path in its keys.
	tok, _ := user.Token()
	secrets := []string{tok.AccessToken, fake.ClientToken(), ids.Users[0], ids.Tracks[0], "/me", "tracks"}
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys %v, %v", keys, err)
	}
	for _, k := range keys {
		v, _ := rdb.Get(ctx, k).Result()
		for _, s := range secrets {
			if strings.Contains(k, s) {
				t.Errorf("key %q holds %q", k, s)
			}
		}
		if strings.Contains(v, tok.AccessToken) || strings.Contains(v, fake.ClientToken()) {
			t.Errorf("the value of %q holds a token", k)
		}
	}
}
