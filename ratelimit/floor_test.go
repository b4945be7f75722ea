package ratelimit

import (
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

// 200 callers behind a server answering 429 with "Retry-After: 0" (as a
// server whose clock runs behind does) for its first 10 seconds: after the
// first 429, at most 2 requests reach the server per floor period, the
// floor grows (1 s, 2 s, 4 s, 8 s), and every caller completes once the
// server takes requests again. Without the floor they sent 1,800 requests
// in 56 ms.
func TestGateFloorHoldsCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithRate(rate.Inf, 0))
		start := time.Now()
		f := newFake(func(int, *http.Request) (*http.Response, error) {
			if time.Since(start) < 10*time.Second {
				return reply(http.StatusTooManyRequests, "Retry-After", "0"), nil
			}
			return reply(http.StatusOK), nil
		})
		tr := NewTransport(f, lim)
		const callers = 200
		var wg sync.WaitGroup
		errs := make([]error, callers)
		for i := range callers {
			wg.Go(func() {
				code, err := roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, ""))
				if err == nil && code != http.StatusOK {
					err = errors.New(http.StatusText(code))
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("caller %d: %v", i, err)
			}
		}
		// Floor periods after the first 429 at t=0: [0,1) [1,3) [3,7)
		// [7,15); the probe at 15 s succeeds and everyone goes.
		bounds := []time.Duration{0, time.Second, 3 * time.Second, 7 * time.Second, 15 * time.Second}
		calls := f.seen()
		burst := 0
		perPeriod := make([]int, len(bounds))
		for _, c := range calls {
			if c.at == 0 {
				burst++ // sent before the first 429 came back
				continue
			}
			for i := len(bounds) - 1; i >= 0; i-- {
				if c.at >= bounds[i] {
					perPeriod[i]++
					break
				}
			}
		}
		if burst > DefaultMaxInFlight {
			t.Errorf("%d requests at t=0, more than the in-flight cap", burst)
		}
		for i, n := range perPeriod[:len(perPeriod)-1] {
			if n > 2 {
				t.Errorf("floor period from %s: %d requests reached the server, want at most 2", bounds[i], n)
			}
			if i > 0 && n == 0 {
				t.Errorf("floor period from %s: no probe", bounds[i])
			}
		}
		if last := perPeriod[len(perPeriod)-1]; last != callers {
			t.Errorf("%d requests from 15 s on, want %d (one per caller)", last, callers)
		}
		t.Logf("t=0 burst %d; per floor period %v; %d requests in all", burst, perPeriod, len(calls))
	})
}

// Every form of a Retry-After that names no wait closes the gate for the
// floor, for every caller.
func TestGateFloorForms(t *testing.T) {
	past := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	for _, ra := range []string{"", "0", "-1", "-86400", past, "soon", "1.5"} {
		t.Run("Retry-After="+ra, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				lim := newLimiter(t)
				f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
					if n == 0 {
						kv := []string{}
						if ra != "" {
							kv = append(kv, "Retry-After", ra)
						}
						return reply(http.StatusTooManyRequests, kv...), nil
					}
					return reply(http.StatusOK), nil
				})
				if code, err := roundTrip(t, NewTransport(f, lim), newRequest(t, t.Context(), http.MethodGet, "")); err != nil || code != 200 {
					t.Fatalf("got %d, %v", code, err)
				}
				calls := f.seen()
				if len(calls) != 2 || calls[1].at != DefaultRetryAfter {
					t.Fatalf("calls %+v, want the retry after %s", calls, DefaultRetryAfter)
				}
				if lim.store.Probing(t.Context()) {
					t.Fatal("still probing after a success")
				}
			})
		})
	}
}

// The floor doubles when a 429 without a wait follows the previous floor
// closure within its length, up to MaxGateFloor; a 429 to a request sent
// before that closure began changes nothing; after a quiet spell it starts
// again from DefaultRetryAfter.
func TestGateFloorGrowsAndResets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewMemoryStore()
		ctx := t.Context()
		floor := func(sent time.Time) time.Duration {
			now := time.Now()
			return s.CloseGateFloor(ctx, sent, now).Sub(now)
		}
		now := time.Now()
		if d := floor(now); d != time.Second {
			t.Fatalf("first floor %s", d)
		}
		if d := floor(now); d != time.Second {
			t.Fatalf("a 429 of the same round: gate until %s from now, want unchanged", d)
		}
		want := time.Second
		for range 8 {
			time.Sleep(s.GateUntil(ctx).Sub(time.Now()))
			want = min(2*want, MaxGateFloor)
			if d := floor(time.Now()); d != want {
				t.Fatalf("repeat floor %s, want %s", d, want)
			}
		}
		if want != MaxGateFloor {
			t.Fatalf("floor stopped at %s", want)
		}
		time.Sleep(s.GateUntil(ctx).Sub(time.Now()) + 2*MaxGateFloor)
		if d := floor(time.Now()); d != DefaultRetryAfter {
			t.Fatalf("after a quiet spell the floor is %s", d)
		}
		if !s.Probing(ctx) {
			t.Fatal("not probing after a floor closure")
		}
		if !s.TryProbe(ctx) || s.TryProbe(ctx) {
			t.Fatal("the probe is not one caller's")
		}
		s.EndProbe(ctx, false)
		if !s.Probing(ctx) || !s.TryProbe(ctx) {
			t.Fatal("a refused probe ended probing or kept the probe")
		}
		s.EndProbe(ctx, true)
		if s.Probing(ctx) {
			t.Fatal("probing after a probe that was not refused")
		}
	})
}

// Limiters sharing a store share the floor: a 429 without a wait seen by
// one holds the other, and the other's probe goes when it opens.
func TestGateFloorShared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := NewMemoryStore()
		a := newLimiter(t, WithStore(store))
		b := newLimiter(t, WithStore(store))
		a.Throttle(t.Context(), 0)
		start := time.Now()
		release := mustAcquire(t, b)
		if el := time.Since(start); el != DefaultRetryAfter {
			t.Fatalf("b went after %s, want %s", el, DefaultRetryAfter)
		}
		// b holds the probe: a's next admission waits for it.
		errc := make(chan error, 1)
		go func() {
			r, err := a.Acquire(t.Context())
			if err == nil {
				r()
			}
			errc <- err
		}()
		synctest.Wait()
		select {
		case err := <-errc:
			t.Fatalf("a went while b's probe was out: %v", err)
		default:
		}
		time.Sleep(time.Second)
		release() // no 429 reported: the probe succeeded
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		if store.Probing(t.Context()) {
			t.Fatal("still probing")
		}
	})
}

// A caller waiting for another's probe gives up at its MaxWait with a
// GateError, and at once when its context ends.
func TestGateFloorProbeWaitBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithMaxWait(3*time.Second))
		lim.Throttle(t.Context(), 0)
		release := mustAcquire(t, lim) // the probe, at 1 s
		start := time.Now()
		err := lim.Wait(t.Context()) // Wait holds no slot: it does not probe
		if err != nil || time.Since(start) != 0 {
			t.Fatalf("Wait: %v after %s", err, time.Since(start))
		}
		_, err = lim.Acquire(t.Context())
		var ge *GateError
		if !errors.As(err, &ge) || time.Since(start) != 3*time.Second {
			t.Fatalf("Acquire behind the probe: %v after %s", err, time.Since(start))
		}
		release()
	})
}
