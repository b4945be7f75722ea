package ratelimit

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// A 429 closes the gate for every caller: nothing is sent until Retry-After
// has passed, and then everyone completes.
func TestGateHoldsEveryCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t)
		f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
			if n == 0 {
				return reply(http.StatusTooManyRequests, "Retry-After", "7"), nil
			}
			return reply(http.StatusOK), nil
		})
		tr := NewTransport(f, lim)
		start := time.Now()
		const callers = 50
		var wg sync.WaitGroup
		done := make([]time.Duration, callers)
		errs := make([]error, callers)
		for i := range callers {
			wg.Go(func() {
				var code int
				code, errs[i] = roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, ""))
				if errs[i] == nil && code != http.StatusOK {
					errs[i] = errors.New(http.StatusText(code))
				}
				done[i] = time.Since(start)
			})
		}
		wg.Wait()

		for i, err := range errs {
			if err != nil {
				t.Fatalf("caller %d: %v", i, err)
			}
		}
		calls := f.seen()
		if len(calls) != callers+1 {
			t.Fatalf("server saw %d requests, want %d (one retried 429)", len(calls), callers+1)
		}
		atZero := 0
		for _, c := range calls {
			switch {
			case c.at == 0:
				atZero++ // sent with the 429's request, before it came back
			case c.at < 7*time.Second:
				t.Fatalf("a request was sent at %s, while the gate was closed", c.at)
			}
		}
		if atZero > adaptiveBurst(DefaultRate) {
			t.Fatalf("%d requests at t=0, more than the burst", atZero)
		}
		late := 0
		for _, d := range done {
			if d >= 7*time.Second {
				late++
			}
		}
		if late != callers-atZero+1 {
			t.Fatalf("only %d callers finished after the gate opened", late)
		}
		st := lim.Stats()
		if st.RateLimited != 1 || st.Retries != 1 || st.Requests != callers+1 || st.InFlight != 0 {
			t.Fatalf("stats %+v", st)
		}
	})
}

// A Retry-After longer than MaxWait: the caller that got the 429 gets it
// back, everyone else a GateError, all at once; the server saw one request.
func TestLongRetryAfterRefusesAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithMaxWait(time.Minute), WithMaxInFlight(1))
		f := newFake(func(int, *http.Request) (*http.Response, error) {
			return reply(http.StatusTooManyRequests, "Retry-After", "86400"), nil
		})
		client := &http.Client{Transport: NewTransport(f, lim)}
		start := time.Now()
		const callers = 20
		var wg sync.WaitGroup
		var mu sync.Mutex
		var got429, gateErrs int
		for range callers {
			wg.Go(func() {
				req := newRequest(t, t.Context(), http.MethodGet, "")
				resp, err := client.Do(req)
				mu.Lock()
				defer mu.Unlock()
				var ge *GateError
				switch {
				case err == nil:
					resp.Body.Close()
					d, _ := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
					if resp.StatusCode != http.StatusTooManyRequests || d != 24*time.Hour {
						t.Errorf("answer %d, Retry-After %s", resp.StatusCode, d)
					}
					got429++
				case errors.Is(err, ErrRateLimited) && errors.As(err, &ge):
					if ge.RetryAfter < 24*time.Hour-time.Second || ge.RetryAfter > 24*time.Hour {
						t.Errorf("RetryAfter %s, want about 24h", ge.RetryAfter)
					}
					gateErrs++
				default:
					t.Errorf("unexpected error %v", err)
				}
			})
		}
		wg.Wait()
		if el := time.Since(start); el > 5*time.Millisecond {
			t.Fatalf("callers slept: %s of fake time passed", el)
		}
		if n := len(f.seen()); n != 1 {
			t.Fatalf("server saw %d requests, want 1", n)
		}
		if got429 != 1 || gateErrs != callers-1 {
			t.Fatalf("%d got the 429 and %d a GateError", got429, gateErrs)
		}
		if st := lim.Stats(); st.GateRefusals != callers-1 || st.RateLimited != 1 {
			t.Fatalf("stats %+v", st)
		}
	})
}

// A deadline before the gate opens refuses at once, even within MaxWait.
func TestDeadlineBeforeGateOpensRefusesAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithMaxWait(time.Hour))
		lim.Throttle(t.Context(), 10*time.Minute)
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		start := time.Now()
		err := lim.Wait(ctx)
		var ge *GateError
		if !errors.As(err, &ge) || !errors.Is(err, ErrRateLimited) || ge.RetryAfter != 10*time.Minute {
			t.Fatalf("got %v, want GateError after 10m", err)
		}
		if time.Since(start) != 0 {
			t.Fatal("the caller slept")
		}
		// With a later deadline it waits, and goes when the gate opens.
		ctx2, cancel2 := context.WithTimeout(t.Context(), 11*time.Minute)
		defer cancel2()
		if err := lim.Wait(ctx2); err != nil {
			t.Fatal(err)
		}
		if el := time.Since(start); el != 10*time.Minute {
			t.Fatalf("went after %s, want 10m", el)
		}
	})
}

// A 429 within MaxWait is retried, for POST too, once the gate opens.
func TestRateLimitedRetriedAfterRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t)
		f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
			if n == 0 {
				return reply(http.StatusTooManyRequests, "Retry-After", "3"), nil
			}
			return reply(http.StatusCreated), nil
		})
		code, err := roundTrip(t, NewTransport(f, lim), newRequest(t, t.Context(), http.MethodPost, `{"name":"x"}`))
		if err != nil || code != http.StatusCreated {
			t.Fatalf("got %d, %v", code, err)
		}
		calls := f.seen()
		if len(calls) != 2 || calls[1].at != 3*time.Second || calls[1].body != `{"name":"x"}` {
			t.Fatalf("calls %+v", calls)
		}
	})
}

// A 429 without a usable Retry-After closes the gate for DefaultRetryAfter.
func TestRateLimitedWithoutRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t)
		f := newFake(statuses(http.StatusTooManyRequests))
		if code, err := roundTrip(t, NewTransport(f, lim), newRequest(t, t.Context(), http.MethodGet, "")); err != nil || code != 200 {
			t.Fatalf("got %d, %v", code, err)
		}
		if calls := f.seen(); calls[1].at != DefaultRetryAfter {
			t.Fatalf("retried after %s", calls[1].at)
		}
	})
}

// The gate lives in the Store: two Limiters sharing one honour each other's 429s.
func TestSharedStore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := NewMemoryStore()
		a := newLimiter(t, WithStore(store))
		b := newLimiter(t, WithStore(store), WithMaxWait(0))
		a.Throttle(t.Context(), 5*time.Second)
		var ge *GateError
		if err := b.Wait(t.Context()); !errors.As(err, &ge) || ge.RetryAfter != 5*time.Second {
			t.Fatalf("b: %v", err)
		}
		store.CloseGate(t.Context(), time.Now().Add(time.Second)) // never shortens
		if got := store.GateUntil(t.Context()); got.Sub(time.Now()) != 5*time.Second {
			t.Fatalf("gate shortened to %s", got.Sub(time.Now()))
		}
		time.Sleep(5 * time.Second) // fake time
		if err := b.Wait(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
}

// A caller already waiting for a short closure learns at once when the gate
// is closed for longer than it may wait.
func TestGateExtendedWakesWaiters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithMaxWait(time.Minute))
		lim.Throttle(t.Context(), 5*time.Second)
		errc := make(chan error, 1)
		go func() { errc <- lim.Wait(t.Context()) }()
		synctest.Wait()
		start := time.Now()
		lim.Throttle(t.Context(), time.Hour)
		err := <-errc
		var ge *GateError
		if !errors.As(err, &ge) || ge.RetryAfter != time.Hour || time.Since(start) != 0 {
			t.Fatalf("got %v after %s", err, time.Since(start))
		}
	})
}

// 429s spend neither attempts nor the retry budget: a request with one
// attempt allowed follows several 429s to success, and stops after
// MaxRateLimitedRetries of them.
func TestRateLimitedRetriesSpendNoAttempts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithMaxAttempts(1), WithRetryBudget(0, 0))
		f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
			if n < 3 {
				return reply(http.StatusTooManyRequests, "Retry-After", "1"), nil
			}
			return reply(http.StatusOK), nil
		})
		if code, err := roundTrip(t, NewTransport(f, lim), newRequest(t, t.Context(), http.MethodGet, "")); err != nil || code != 200 {
			t.Fatalf("got %d, %v", code, err)
		}
		if n := len(f.seen()); n != 4 {
			t.Fatalf("%d attempts, want 4", n)
		}

		always := newFake(func(int, *http.Request) (*http.Response, error) {
			return reply(http.StatusTooManyRequests, "Retry-After", "1"), nil
		})
		if code, _ := roundTrip(t, NewTransport(always, lim), newRequest(t, t.Context(), http.MethodGet, "")); code != http.StatusTooManyRequests {
			t.Fatalf("got %d, want the last 429", code)
		}
		if n := len(always.seen()); n != MaxRateLimitedRetries+1 {
			t.Fatalf("%d attempts, want %d", n, MaxRateLimitedRetries+1)
		}
	})
}
