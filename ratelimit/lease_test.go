package ratelimit

import (
	"context"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// Any sequence of grants from the bucket keeps to its pace: in any span of
// length d, at most Burst + d/Interval slots, the ground truth of a token
// bucket.
func TestGCRAKeepsPace(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	for range 200 {
		p := Pace{Interval: time.Duration(1+rnd.IntN(50)) * time.Millisecond, Burst: 1 + rnd.IntN(5)}
		var g gcra
		now := time.Unix(1000, 0)
		var slots []time.Time
		for range 100 {
			now = now.Add(time.Duration(rnd.Int64N(int64(3 * p.Interval))))
			l := g.take(now, 1+rnd.IntN(4), p)
			for i := range l.N {
				if s := l.Slot(i); s.Before(now) {
					t.Fatalf("slot %s before the grant", s.Sub(now))
				} else {
					slots = append(slots, s)
				}
			}
		}
		slices.SortFunc(slots, func(a, b time.Time) int { return a.Compare(b) })
		for i := range slots {
			for j := i; j < len(slots); j++ {
				span := slots[j].Sub(slots[i])
				if allowed := p.Burst + int(span/p.Interval); j-i+1 > allowed {
					t.Fatalf("pace %+v: %d slots within %s, at most %d allowed", p, j-i+1, span, allowed)
				}
			}
		}
	}
}

// countingStore is a MemoryStore whose Take takes a while, as a remote
// one's does, and is counted.
type countingStore struct {
	*MemoryStore
	takes, slots atomic.Int64
}

func (s *countingStore) Take(ctx context.Context, n int, p Pace) Lease {
	s.takes.Add(1)
	s.slots.Add(int64(n))
	time.Sleep(time.Millisecond)
	return s.MemoryStore.Take(ctx, n, p)
}

// Callers waiting together share a lease: far fewer calls to a remote
// store than requests, and still the store's pace.
func TestLeasesBatchCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &countingStore{MemoryStore: NewMemoryStore()}
		lim := newLimiter(t, WithStore(store), WithRate(100, 1))
		f := newFake(statuses())
		tr := NewTransport(f, lim)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 50 {
					roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, ""))
				}
			})
		}
		wg.Wait()
		calls := f.seen()
		if len(calls) != 400 {
			t.Fatalf("%d requests", len(calls))
		}
		if per := float64(store.takes.Load()) / 400; per > 0.5 {
			t.Fatalf("%.2f calls to the store per request", per)
		}
		for i := 1; i < len(calls); i++ {
			if gap := calls[i].at - calls[i-1].at; gap < 10*time.Millisecond-minGrace {
				t.Fatalf("requests %d and %d %s apart", i-1, i, gap)
			}
		}
		t.Logf("%d takes for 400 requests (%d slots)", store.takes.Load(), store.slots.Load())
	})
}

// A coalesced wait ends on a tick shared by every waiter, never before the
// slot is due and at most a tick after. Told the window, a whole number of
// ticks make the stretched window, so that requests n apart, whose slots
// are one stretched window apart, are sent that far apart.
func TestCoalesce(t *testing.T) {
	now := time.Unix(1000, 123456789)
	for _, d := range []time.Duration{time.Microsecond, 7 * time.Millisecond, 39 * time.Millisecond, 40 * time.Millisecond, time.Second} {
		got := coalesce(now, d, 40*time.Millisecond)
		end := now.Add(got)
		if got < d || got >= d+40*time.Millisecond || end.UnixNano()%int64(40*time.Millisecond) != 0 {
			t.Errorf("coalesce(%s) = %s, ending at %d", d, got, end.UnixNano())
		}
	}
	if got := coalesce(now, 3*time.Millisecond, time.Millisecond); got != 3*time.Millisecond {
		t.Errorf("a tick of 1ms coalesces: %s", got)
	}
	for _, tc := range []struct {
		n    int
		span time.Duration
	}{{100, time.Second}, {180, 30 * time.Second}, {7, 30 * time.Second}, {1000, time.Second}} {
		lim := newLimiter(t, WithWindow(tc.n, tc.span))
		iv := lim.fixed.Interval
		tick := lim.tick(iv)
		stretched := time.Duration(tc.n) * iv
		if tick > min(coalesceSlots*iv, maxTick) || tick <= 0 {
			t.Errorf("%d per %s: tick %s", tc.n, tc.span, tick)
		}
		for _, d := range []time.Duration{0, 3 * time.Millisecond, iv / 3, 5 * iv} {
			a := now.Add(coalesce(now, d, tick))
			b := now.Add(coalesce(now, d+stretched, tick))
			if gap := b.Sub(a) - stretched; gap < -time.Microsecond || gap > time.Microsecond {
				t.Errorf("%d per %s: slots %s apart sent %s apart", tc.n, tc.span, stretched, b.Sub(a))
			}
		}
	}
	lim := newLimiter(t, WithRate(100, 1))
	if tick := lim.tick(lim.fixed.Interval); tick != coalesceSlots*10*time.Millisecond {
		t.Errorf("at 100/s, tick %s", tick)
	}
	lim = newLimiter(t) // probing
	if tick := lim.tick(lim.pace(t.Context(), time.Now()).Interval); tick != 0 {
		t.Errorf("probing, tick %s", tick)
	}
}
