package redistoken

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/internal/redistest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/redis/go-redis/v9/internal/pool.(*ConnPool).reaper"))
}

func newStore(t *testing.T, srv *redistest.Server, name string) (*Store, *redis.Client) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr(), ContextTimeoutEnabled: true})
	t.Cleanup(func() { rdb.Close() })
	s, err := New(rdb, "app1", name)
	if err != nil {
		t.Fatal(err)
	}
	return s, rdb
}

func TestSaveLoad(t *testing.T) {
	srv := redistest.Start(t)
	a, _ := newStore(t, srv, "user:u1")
	b, _ := newStore(t, srv, "user:u1")
	other, _ := newStore(t, srv, "user:u2")
	ctx := t.Context()
	if _, err := a.Load(ctx); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("empty: %v", err)
	}
	exp := time.Now().Add(time.Hour).Round(time.Second)
	tok := (&oauth2.Token{AccessToken: "at", TokenType: "Bearer", RefreshToken: "rt", Expiry: exp}).
		WithExtra(map[string]any{"scope": "user-read-private"})
	if err := a.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := b.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != "at" || got.RefreshToken != "rt" || !got.Expiry.Equal(exp) || got.Extra("scope") != "user-read-private" {
		t.Fatalf("loaded %+v", got)
	}
	if _, err := other.Load(ctx); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("another user's key: %v", err)
	}
}

// A corrupt or empty value is an error that quotes nothing of it.
func TestCorruptValue(t *testing.T) {
	srv := redistest.Start(t)
	s, rdb := newStore(t, srv, "app")
	ctx := t.Context()
	rdb.Set(ctx, s.key, `{"access_token": "sekrit-value-never-shown", "expiry": "garbage"}`, 0)
	if _, err := s.Load(ctx); err == nil || strings.Contains(err.Error(), "sekrit") {
		t.Fatalf("corrupt: %v", err)
	}
	rdb.Set(ctx, s.key, `{}`, 0)
	if _, err := s.Load(ctx); !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("empty: %v", err)
	}
}

// Processes holding the lock never overlap, a release wakes a waiter at
// once, a dead holder's lease lapses, and a lapsed holder's unlock frees
// nothing of the next holder's.
func TestLock(t *testing.T) {
	srv := redistest.Start(t)
	ctx := t.Context()
	var stores []*Store
	for range 4 {
		s, _ := newStore(t, srv, "user:u1")
		stores = append(stores, s)
	}
	var inside, maxInside, total atomic.Int32
	var wg sync.WaitGroup
	for _, s := range stores {
		wg.Go(func() {
			for range 5 {
				unlock, err := s.Lock(ctx, 5*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				n := inside.Add(1)
				for cur := maxInside.Load(); n > cur && !maxInside.CompareAndSwap(cur, n); cur = maxInside.Load() {
				}
				time.Sleep(time.Millisecond)
				inside.Add(-1)
				total.Add(1)
				unlock()
			}
		})
	}
	wg.Wait()
	if maxInside.Load() != 1 || total.Load() != 20 {
		t.Fatalf("%d holders at once, %d locks", maxInside.Load(), total.Load())
	}

	// A holder that never unlocks: the lease lapses.
	if _, err := stores[0].Lock(ctx, 200*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	unlock, err := stores[1].Lock(ctx, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 100*time.Millisecond {
		t.Fatalf("took a held lock after %s", el)
	}
	// A waiter gives up when its context ends.
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := stores[2].Lock(cctx, time.Second); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting past the context: %v", err)
	}
	unlock()
	unlock() // twice is fine
	next, err := stores[2].Lock(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	next()
}

func TestNewRejectsBadInput(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	for _, c := range [][2]string{{"", "app"}, {"a{", "app"}, {"app", ""}, {"app", "a b"}} {
		if _, err := New(rdb, c[0], c[1]); err == nil {
			t.Errorf("New(%q, %q) accepted", c[0], c[1])
		}
	}
	if _, err := New(nil, "a", "b"); err == nil {
		t.Error("nil client accepted")
	}
}

// countingSource hands out numbered tokens valid for an hour.
type countingSource struct{ n atomic.Int32 }

func (c *countingSource) Token() (*oauth2.Token, error) {
	n := c.n.Add(1)
	return &oauth2.Token{AccessToken: "tok-" + string(rune('0'+n)), Expiry: time.Now().Add(time.Hour)}, nil
}

// Sources of four processes sharing a key fetch one token between them,
// however many callers ask at once.
func TestSourceShares(t *testing.T) {
	srv := redistest.Start(t)
	fetch := &countingSource{}
	var wg sync.WaitGroup
	for range 4 {
		s, _ := newStore(t, srv, "app")
		src := s.Source(fetch)
		for range 50 {
			wg.Go(func() {
				if _, err := src.Token(); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if n := fetch.n.Load(); n != 1 {
		t.Fatalf("%d fetches, want 1", n)
	}
}
