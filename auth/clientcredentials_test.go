package auth_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/spotflow/spotflow/auth"
)

func TestClientCredentialsOneFetchForConcurrentCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStub()
		cc, err := auth.NewClientCredentials(context.Background(), stubConfig(t, s))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 200 {
			wg.Go(func() {
				if _, err := cc.Token(); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := s.TokenRequests(); n != 1 {
			t.Errorf("%d token requests, want 1", n)
		}
	})
}

func TestClientCredentialsWithClock(t *testing.T) {
	s := newStub()
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	cc, err := auth.NewClientCredentials(context.Background(), stubConfig(t, s),
		auth.WithClock(clock), auth.WithSkew(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cc.Token()
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(time.Hour); !tok.Expiry.Equal(want) {
		t.Errorf("expiry %v, want %v on the source's clock", tok.Expiry, want)
	}
	mu.Lock()
	now = now.Add(54 * time.Minute) // inside neither skew nor expiry
	mu.Unlock()
	if _, err := cc.Token(); err != nil || s.TokenRequests() != 1 {
		t.Fatalf("refetched too early: %v, %d", err, s.TokenRequests())
	}
	mu.Lock()
	now = now.Add(2 * time.Minute) // 4 minutes left, skew is 5
	mu.Unlock()
	if _, err := cc.Token(); err != nil || s.TokenRequests() != 2 {
		t.Fatalf("not refetched inside the skew: %v, %d", err, s.TokenRequests())
	}
}

func TestClientCredentialsShortLifetime(t *testing.T) {
	// A lifetime below twice the skew must not make every call refetch.
	synctest.Test(t, func(t *testing.T) {
		s := newStub()
		s.Lifetime = 30 * time.Second
		cc, err := auth.NewClientCredentials(context.Background(), stubConfig(t, s))
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			if _, err := cc.Token(); err != nil {
				t.Fatal(err)
			}
		}
		if n := s.TokenRequests(); n != 1 {
			t.Errorf("%d token requests, want 1", n)
		}
		time.Sleep(16 * time.Second)
		if _, err := cc.Token(); err != nil || s.TokenRequests() != 2 {
			t.Errorf("not refetched after half the lifetime: %v, %d", err, s.TokenRequests())
		}
	})
}

func TestClientCredentialsBadSecret(t *testing.T) {
	s := newStub()
	cfg := stubConfig(t, s, auth.WithClientSecret("wrong-secret-123"))
	cc, err := auth.NewClientCredentials(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cc.Token()
	var ae *auth.Error
	if !errors.As(err, &ae) || !errors.Is(err, auth.ErrInvalidClient) {
		t.Fatalf("err = %v, want *auth.Error matching ErrInvalidClient", err)
	}
	if ae.Op != auth.OpClientCredentials || ae.Status != 400 || ae.Code != "invalid_client" {
		t.Errorf("error fields = %+v", ae)
	}
}

func TestClientCredentialsWaiterLeavesOnContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStub()
		gate := make(chan struct{})
		slow := &gatedHandler{gate: gate, h: s}
		cfg := stubConfig(t, s, auth.WithHTTPClient(httpClient(slow)))
		cc, err := auth.NewClientCredentials(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := cc.TokenContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the caller's deadline", err)
		}
		close(gate) // the fetch goes on and serves later callers
		if _, err := cc.Token(); err != nil {
			t.Fatal(err)
		}
		if n := s.TokenRequests(); n != 1 {
			t.Errorf("%d token requests, want 1", n)
		}
	})
}

func TestClientCredentialsRejectsStoreOptions(t *testing.T) {
	s := newStub()
	_, err := auth.NewClientCredentials(context.Background(), stubConfig(t, s), auth.WithStore(auth.NewMemoryStore(nil)))
	if err == nil {
		t.Error("WithStore accepted by client credentials")
	}
	_, err = auth.NewClientCredentials(context.Background(), stubConfig(t, s), auth.WithSkew(-time.Second))
	if err == nil {
		t.Error("negative skew accepted")
	}
}

// An accounts service that takes a token request and never answers must
// not wedge the source: every caller waits for the one fetch in flight,
// so that fetch ends after the accounts service's request timeout (30 s)
// even with a caller's http.Client that has no Timeout, and once the
// service is back the next caller gets a token.
func TestHungTokenRequestEndsWithoutClientTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStub()
		var hung atomic.Bool
		hung.Store(true)
		release := make(chan struct{})
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if hung.Load() {
				select {
				case <-r.Context().Done():
				case <-release:
				}
				return
			}
			s.ServeHTTP(w, r)
		})
		defer close(release)
		cfg := stubConfig(t, s, auth.WithHTTPClient(&http.Client{Transport: inMemory{h}})) // no Timeout
		cc, err := auth.NewClientCredentials(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := cc.TokenContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("hung service: %v, want the caller's deadline", err)
		}
		hung.Store(false)
		time.Sleep(time.Minute)
		ctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := cc.TokenContext(ctx); err != nil {
			t.Fatalf("a minute after the service came back: %v", err)
		}
	})
}
