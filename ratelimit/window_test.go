package ratelimit

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// jitterServer is a windowServer behind a network that delays each request
// and each answer by a random time up to max: the server stamps a request
// anywhere between its sending and its answer, as a real one does.
type jitterServer struct {
	windowServer
	max time.Duration
	mu  sync.Mutex
	rnd *rand.Rand
}

func (s *jitterServer) delay() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Duration(s.rnd.Int64N(int64(s.max)))
}

func (s *jitterServer) RoundTrip(req *http.Request) (*http.Response, error) {
	time.Sleep(s.delay())
	resp, err := s.windowServer.RoundTrip(req)
	time.Sleep(s.delay())
	return resp, err
}

// Told the window, a Limiter keeps within it however the network delays
// requests and answers (the guard), and still uses most of it.
func TestWindowGuardUnderJitter(t *testing.T) {
	for _, jitter := range []time.Duration{time.Millisecond, 20 * time.Millisecond, 100 * time.Millisecond} {
		for seed := range uint64(3) {
			t.Run(fmt.Sprintf("jitter=%s/seed=%d", jitter, seed), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					const n, window, run = 100, time.Second, 20 * time.Second
					l := newLimiter(t, WithWindow(n, window), WithMaxWait(time.Hour))
					srv := &jitterServer{windowServer: windowServer{n: n, window: window}, max: jitter,
						rnd: rand.New(rand.NewPCG(seed, 16))}
					tr := NewTransport(srv, l)
					stop := time.Now().Add(run)
					hammer(t, tr, 16, stop)
					got := float64(srv.sentBefore(stop)) / (run.Seconds() * n / window.Seconds())
					if srv.rejected > 0 || got < 1/(windowSlack*(1+2*jitter.Seconds()))-0.01 {
						t.Fatalf("%d rejected; %.3f of the window used", srv.rejected, got)
					}
					t.Logf("%.3f of the window used", got)
				})
			})
		}
	}
}

// Without the guard, the same jitter crowds the server's stamps: the test
// above would catch a guard that does nothing.
func TestWindowBucketAloneCrowds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, window = 100, time.Second
		l := newLimiter(t, WithWindow(n, window), WithMaxWait(time.Hour))
		l.window.Store(nil)
		srv := &jitterServer{windowServer: windowServer{n: n, window: window}, max: 100 * time.Millisecond,
			rnd: rand.New(rand.NewPCG(1, 16))}
		tr := NewTransport(srv, l)
		stop := time.Now().Add(20 * time.Second)
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for time.Now().Before(stop) {
					roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, ""))
				}
			})
		}
		wg.Wait()
		if srv.rejected == 0 {
			t.Fatal("no request crowded the window: the guard test proves nothing")
		}
	})
}
