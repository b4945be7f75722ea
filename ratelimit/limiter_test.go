package ratelimit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

// Cancelling the context during any wait returns at once with its error.
func TestCancelDuringEveryWait(t *testing.T) {
	tests := []struct {
		name  string
		opts  []Option
		setup func(t *testing.T, l *Limiter) // leaves the next admission waiting
		wait  func(ctx context.Context, t *testing.T, l *Limiter) error
	}{
		{
			name:  "gate",
			setup: func(t *testing.T, l *Limiter) { l.Throttle(t.Context(), 30*time.Second) },
		},
		{
			name:  "bucket",
			opts:  []Option{WithRate(0.1, 1)},
			setup: func(t *testing.T, l *Limiter) { mustAcquire(t, l) },
		},
		{
			name:  "in-flight slot",
			opts:  []Option{WithMaxInFlight(1)},
			setup: func(t *testing.T, l *Limiter) { mustAcquire(t, l) },
		},
		{
			name: "backoff",
			opts: []Option{WithBackoff(time.Minute, time.Minute), withJitter(1)},
			wait: func(ctx context.Context, t *testing.T, l *Limiter) error {
				f := newFake(statuses(503))
				_, err := roundTrip(t, NewTransport(f, l), newRequest(t, ctx, http.MethodGet, ""))
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := newLimiter(t, tt.opts...)
				if tt.setup != nil {
					tt.setup(t, l)
				}
				wait := tt.wait
				if wait == nil {
					wait = func(ctx context.Context, _ *testing.T, l *Limiter) error {
						release, err := l.Acquire(ctx)
						if err == nil {
							release()
						}
						return err
					}
				}
				ctx, cancel := context.WithCancel(t.Context())
				errc := make(chan error, 1)
				go func() { errc <- wait(ctx, t, l) }()
				synctest.Wait() // now blocked in its wait
				select {
				case err := <-errc:
					t.Fatalf("did not wait: %v", err)
				default:
				}
				start := time.Now()
				cancel()
				err := <-errc
				if !errors.Is(err, context.Canceled) || time.Since(start) != 0 {
					t.Fatalf("got %v after %s, want context.Canceled at once", err, time.Since(start))
				}
				if !strings.HasPrefix(err.Error(), "ratelimit: ") {
					t.Fatalf("error %q is not wrapped", err)
				}
			})
		})
	}
}

func mustAcquire(t *testing.T, l *Limiter) func() {
	t.Helper()
	release, err := l.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return release
}

// An already-ended context is refused before any wait.
func TestEndedContext(t *testing.T) {
	l := newLimiter(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

// The adaptive rate probes upward until the first 429; a 429 cuts it to
// 80% of the last 429's rate (once for 429s sent together) and never below
// the floor; successes regain ground fast up to near that rate, then
// creep; the rate stops at its ceiling, and does not grow while the bucket
// holds no caller back.
func TestAdaptiveRateDropsAndRecovers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(t, WithAdaptive(10, 1))
		limit := func() float64 { return float64(l.Stats().Limit) }
		near := func(what string, want float64) {
			t.Helper()
			if math.Abs(limit()-want) > 1e-9 {
				t.Fatalf("%s: limit %v, want %v", what, limit(), want)
			}
		}
		drain := func() { l.heldAt.Store(time.Now().UnixNano()) } // the bucket holds callers back
		ctx := t.Context()

		time.Sleep(time.Second) // the bucket has held no one back for long
		l.speedUp(ctx, time.Now())
		near("success while the bucket holds no one back", 10)
		drain()
		l.speedUp(ctx, time.Now())
		near("probing success", 12)

		// Two 429s to requests sent at the same instant cut once.
		sent := time.Now()
		time.Sleep(time.Millisecond)
		l.slowDown(ctx, sent, time.Now(), 0)
		l.slowDown(ctx, sent, time.Now(), 0)
		near("after concurrent 429s", 12*0.8)

		drain()
		l.speedUp(ctx, time.Now())
		near("regaining success", 12*0.8+0.5)

		for range 20 {
			time.Sleep(time.Second)
			now := time.Now()
			l.slowDown(ctx, now, now, 0)
		}
		near("after many 429s: the floor", 1)

		// A transport's answers reach the bucket too.
		f := newFake(func(int, *http.Request) (*http.Response, error) {
			return reply(http.StatusOK), nil
		})
		roundTrip(t, NewTransport(f, l), newRequest(t, ctx, http.MethodGet, ""))
		near("creeping after a success through the transport", 1.01)

		for range 10000 {
			drain()
			l.speedUp(ctx, time.Now())
		}
		near("after many successes: the ceiling", float64(DefaultMaxRate))
		if want := int(DefaultMaxRate) / 10; l.pace(ctx, time.Now()).Burst != want {
			t.Fatalf("burst %d, want %d", l.pace(ctx, time.Now()).Burst, want)
		}
	})
}

// A 429 cuts from the rate the server accepted in the last second when it
// answered enough requests to measure it.
func TestAdaptiveCutsFromServedRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(t, WithAdaptive(200, 1))
		for range 50 {
			l.adapt.mu.Lock()
			l.adapt.served.add(time.Now())
			l.adapt.mu.Unlock()
		}
		now := time.Now()
		l.slowDown(t.Context(), now, now, 0)
		if got := l.Stats().Limit; got != 50*0.8 {
			t.Fatalf("limit %v after a 429 with 50 served, want 40", got)
		}
	})
}

// A fixed rate does not adapt.
func TestFixedRateDoesNotAdapt(t *testing.T) {
	l := newLimiter(t, WithRate(7, 3))
	l.Throttle(t.Context(), 0)
	if got := l.Stats().Limit; got != 7 {
		t.Fatalf("limit %v after a 429, want 7", got)
	}
}

// WithWindow against a server that counts exactly over a rolling window:
// no 429, and at least 90% of n/window.
func TestWindowPacing(t *testing.T) {
	for _, tc := range []struct {
		n      int
		window time.Duration
	}{{1, 10 * time.Second}, {7, 30 * time.Second}, {100, 30 * time.Second}, {180, 30 * time.Second}, {1000, 30 * time.Second}} {
		t.Run(fmt.Sprintf("%d_per_%s", tc.n, tc.window), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := newLimiter(t, WithWindow(tc.n, tc.window), WithMaxInFlight(0), WithMaxWait(time.Hour))
				srv := &windowServer{n: tc.n, window: tc.window}
				tr := NewTransport(srv, l)
				run := 10 * tc.window
				stop := time.Now().Add(run)
				hammer(t, tr, 8, stop)
				got := float64(srv.sentBefore(stop)) / run.Seconds()
				want := float64(tc.n) / tc.window.Seconds()
				if srv.rejected > 0 || got < 0.9*want {
					t.Fatalf("%d rejected; pace %.3f/s is %.1f%% of %.3f/s", srv.rejected, got, 100*got/want, want)
				}
				t.Logf("pace %.1f%% of n/window", 100*got/want)
			})
		})
	}
}

// windowServer answers 429 when a request would make more than n in any
// closed interval of length window ending now.
type windowServer struct {
	n        int
	window   time.Duration
	mu       sync.Mutex
	times    []time.Time
	rejected int
}

// sentBefore counts the requests the server admitted before stop.
func (s *windowServer) sentBefore(stop time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, at := range s.times {
		if at.Before(stop) {
			n++
		}
	}
	return n
}

// hammer has workers send requests through tr, one after another, until
// stop; any answer but 200 fails t.
func hammer(t *testing.T, tr http.RoundTripper, workers int, stop time.Time) {
	t.Helper()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for time.Now().Before(stop) {
				if code, err := roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, "")); err != nil || code != 200 {
					t.Errorf("got %d, %v", code, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func (s *windowServer) RoundTrip(*http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	in := 0
	for i := len(s.times) - 1; i >= 0 && now.Sub(s.times[i]) <= s.window; i-- {
		in++
	}
	if in >= s.n {
		s.rejected++
		return reply(http.StatusTooManyRequests, "Retry-After", "1"), nil
	}
	s.times = append(s.times, now)
	return reply(http.StatusOK), nil
}

func TestOptionsRejectBadValues(t *testing.T) {
	bad := map[string]Option{
		"nil option":            nil,
		"rate zero":             WithRate(0, 1),
		"rate negative":         WithRate(-1, 1),
		"rate NaN":              WithRate(rate.Limit(math.NaN()), 1),
		"burst zero":            WithRate(5, 0),
		"window n zero":         WithWindow(0, time.Second),
		"window zero":           WithWindow(10, 0),
		"adaptive zero":         WithAdaptive(0, 0),
		"adaptive inf":          WithAdaptive(rate.Inf, 1),
		"adaptive min > init":   WithAdaptive(1, 2),
		"adaptive min zero":     WithAdaptive(1, 0),
		"in-flight negative":    WithMaxInFlight(-1),
		"max wait negative":     WithMaxWait(-time.Second),
		"attempts zero":         WithMaxAttempts(0),
		"backoff zero":          WithBackoff(0, time.Second),
		"backoff max < initial": WithBackoff(time.Second, time.Millisecond),
		"budget negative":       WithRetryBudget(-0.1, 0),
		"budget NaN":            WithRetryBudget(math.NaN(), 0),
		"budget inf":            WithRetryBudget(math.Inf(1), 0),
		"budget min negative":   WithRetryBudget(0.1, -1),
		"nil store":             WithStore(nil),
	}
	for name, opt := range bad {
		if l, err := New(opt); err == nil || l != nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
	good := []Option{WithRate(rate.Inf, 0), WithMaxInFlight(0), WithMaxWait(0), WithLogger(nil), WithRetryBudget(0, 0)}
	if _, err := New(good...); err != nil {
		t.Fatal(err)
	}
}

func TestUnlimitedRate(t *testing.T) {
	l := newLimiter(t, WithRate(rate.Inf, 0), WithMaxWait(0))
	for range 1000 {
		if err := l.Wait(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
}

// MaxWait 0 refuses any wait on the bucket.
func TestBucketWaitOverMaxWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(t, WithRate(1, 1), WithMaxWait(500*time.Millisecond))
		mustAcquire(t, l)()
		var ge *GateError
		if err := l.Wait(t.Context()); !errors.As(err, &ge) || ge.RetryAfter != time.Second {
			t.Fatalf("got %v, want a GateError after 1s", err)
		}
		// The refused caller did not spend the slot.
		time.Sleep(time.Second)
		start := time.Now()
		if err := l.Wait(t.Context()); err != nil || time.Since(start) != 0 {
			t.Fatalf("the refusal kept its slot: %v after %s", err, time.Since(start))
		}
	})
}

func TestAcquireReleaseAndInFlight(t *testing.T) {
	l := newLimiter(t, WithMaxInFlight(2))
	r1 := mustAcquire(t, l)
	r2 := mustAcquire(t, l)
	if got := l.Stats().InFlight; got != 2 {
		t.Fatalf("in flight %d", got)
	}
	r1()
	r1() // a second call does nothing
	if got := l.Stats().InFlight; got != 1 {
		t.Fatalf("in flight %d after release", got)
	}
	r3 := mustAcquire(t, l)
	r2()
	r3()
	if st := l.Stats(); st.InFlight != 0 || st.Requests != 3 || len(l.slots) != 0 {
		t.Fatalf("stats %+v, %d slots held", st, len(l.slots))
	}
}

// The Transport counts a request as in flight while it is out.
func TestTransportInFlightDuringRequest(t *testing.T) {
	l := newLimiter(t)
	var during int64
	f := newFake(func(int, *http.Request) (*http.Response, error) {
		during = l.Stats().InFlight
		return reply(200), nil
	})
	if _, err := roundTrip(t, NewTransport(f, l), newRequest(t, t.Context(), http.MethodGet, "")); err != nil {
		t.Fatal(err)
	}
	if during != 1 || l.Stats().InFlight != 0 {
		t.Fatalf("in flight %d during, %d after", during, l.Stats().InFlight)
	}
}

type closeCounter struct {
	strings.Reader
	closed bool
}

func (c *closeCounter) Close() error { c.closed = true; return nil }

func TestTransportWithoutLimiter(t *testing.T) {
	body := &closeCounter{}
	req := newRequest(t, t.Context(), http.MethodPost, "")
	req.Body = body
	if _, err := (&Transport{}).RoundTrip(req); err == nil || !body.closed {
		t.Fatalf("got %v, body closed %v", err, body.closed)
	}
}

// A refused request's body is closed, as a RoundTripper must.
func TestRefusedRequestBodyClosed(t *testing.T) {
	l := newLimiter(t, WithMaxWait(0))
	l.Throttle(t.Context(), time.Hour)
	body := &closeCounter{}
	req := newRequest(t, t.Context(), http.MethodPost, "")
	req.Body = body
	if _, err := NewTransport(newFake(statuses()), l).RoundTrip(req); !errors.Is(err, ErrRateLimited) || !body.closed {
		t.Fatalf("got %v, body closed %v", err, body.closed)
	}
}

// Neither errors nor log lines ever carry a request header, and the
// events are logged.
func TestNoHeadersInErrorsOrLogs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		l := newLimiter(t, WithLogger(log), WithRetryBudget(0, 1), WithMaxWait(time.Minute))
		var errs []error
		send := func(f *fake, method string) {
			_, err := roundTrip(t, NewTransport(f, l), newRequest(t, t.Context(), method, ""))
			if err != nil {
				errs = append(errs, err)
			}
		}
		send(newFake(statuses(503, 503)), http.MethodGet) // one retry, then budget
		send(newFake(func(int, *http.Request) (*http.Response, error) { return nil, errReset }), http.MethodGet)
		send(newFake(func(int, *http.Request) (*http.Response, error) {
			return reply(429, "Retry-After", "3600"), nil
		}), http.MethodGet)
		send(newFake(statuses()), http.MethodGet) // refused by the gate
		time.Sleep(time.Hour)
		send(newFake(statuses()), http.MethodGet) // opens the gate
		if len(errs) != 2 {
			t.Fatalf("errors %v", errs)
		}
		for _, err := range errs {
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "Authorization") {
				t.Fatalf("error shows a header: %v", err)
			}
		}
		out := buf.String()
		if strings.Contains(out, secret) || strings.Contains(out, "Authorization") || strings.Contains(out, "market=") {
			t.Fatalf("log shows a header or query:\n%s", out)
		}
		for _, want := range []string{"retry scheduled", "retry budget exhausted", "429 received", "gate closed", "gate opened", "rate lowered"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q event in the log:\n%s", want, out)
			}
		}
	})
}
