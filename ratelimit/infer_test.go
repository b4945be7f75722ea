package ratelimit

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// rollingWindow is the ground truth of the inference: a server admitting
// n requests per span, counting only what it admits, and naming in
// Retry-After the whole seconds, rounded up, until its oldest admitted
// request leaves the window (at least 1), as Spotify and spotifytest do.
type rollingWindow struct {
	n    int
	span int64 // ns
	at   []int64
}

// admit counts a request stamped at t, or refuses it with Retry-After.
func (w *rollingWindow) admit(t int64) (bool, time.Duration) {
	i, _ := slices.BinarySearch(w.at, t-w.span+1)
	if len(w.at)-i < w.n {
		w.at = append(w.at, t)
		return true, 0
	}
	left := time.Duration(w.at[i] + w.span - t)
	return false, max(time.Second, (left+time.Second-1)/time.Second*time.Second)
}

// Against rolling windows of whole seconds, with random ways of sending
// (steady, bursty, starting from idle or after a long run) and up to 20 ms
// between the client's sending time and the server's stamp, the window
// inferred at the first 429 never allows more than the server's rate, and
// it is the server's when the history began at least a second less than a
// window before the 429 (a client probing from idle): n exactly, and the
// span or, when the 429 came within the slack of a whole second, a second
// more. (A 429 coming later than that says Retry-After 1, which a shorter
// span may fit as well: the lower rate is kept.)
func TestInferWindowAgainstRollingWindows(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	exact, fromIdle, total := 0, 0, 0
	for i := range 3000 {
		span := time.Duration(1+rnd.IntN(40)) * time.Second
		n := 1 + rnd.IntN(400)
		srv := &rollingWindow{n: n, span: int64(span)}
		var h history
		jitter := time.Duration(rnd.Int64N(int64(20 * time.Millisecond)))
		// A mean gap between 0.1 and 0.95 times the server's interval,
		// with now and then an idle spell of up to two windows.
		gap := float64(span) / float64(n) * (0.1 + 0.85*rnd.Float64())
		start := int64(time.Hour)
		t0 := start
		var sent, ra time.Duration
		for k := 0; ; k++ {
			d := rnd.ExpFloat64() * gap
			switch {
			case rnd.IntN(25) == 0:
				d = 0 // a burst
			case rnd.IntN(3*n) == 0:
				d = rnd.Float64() * 2 * float64(span)
			}
			t0 += int64(d)
			stamp := t0 + rnd.Int64N(int64(jitter)+1)
			ok, r := srv.admit(stamp)
			if !ok {
				sent, ra = time.Duration(t0), r
				break
			}
			h.add(t0)
			if k > 200000 {
				t.Fatalf("case %d: no 429 after %d requests", i, k)
			}
		}
		gotN, gotSpan, ok := inferWindow(h.at, h.since, int64(sent), ra, 0)
		name := fmt.Sprintf("case %d: %d per %s, first 429 after %s, Retry-After %s", i, n, span,
			time.Duration(int64(sent)-start), ra)
		if ra > maxInferSpan {
			continue
		}
		if n < minInferN {
			// Too few to infer from, unless a longer span holds enough:
			// never a higher rate than the server's.
			if ok && float64(gotN)/gotSpan.Seconds() > float64(n)/span.Seconds()*1.0001 {
				t.Fatalf("%s: inferred %d per %s, a higher rate", name, gotN, gotSpan)
			}
			continue
		}
		if !ok {
			t.Fatalf("%s: nothing inferred", name)
		}
		total++
		if got, want := float64(gotN)/gotSpan.Seconds(), float64(n)/span.Seconds(); got > want*1.0001 {
			t.Fatalf("%s: inferred %d per %s, a higher rate", name, gotN, gotSpan)
		}
		if elapsed := time.Duration(int64(sent) - h.at[0]); elapsed < span {
			fromIdle++
			if gotN == n && (gotSpan == span || gotSpan == span+time.Second) {
				exact++
			} else if r := float64(gotN) / gotSpan.Seconds() / (float64(n) / span.Seconds()); elapsed <= span-time.Second && r < 0.9 {
				t.Fatalf("%s, from idle: inferred %d per %s", name, gotN, gotSpan)
			} else {
				t.Logf("%s, from idle: inferred %d per %s (%.2f of the rate)", name, gotN, gotSpan, r)
			}
		}
	}
	t.Logf("%d inferred; %d from idle, %d of them exactly", total, fromIdle, exact)

}

// What cannot be a window's end is not inferred from: a Retry-After given
// as a date (not whole seconds), one longer than maxInferSpan (a
// penalty), none, or one that no span fits.
func TestInferWindowRefuses(t *testing.T) {
	const h = int64(time.Hour)
	var at []int64
	for i := range minInferN {
		at = append(at, h+int64(i)*3e7) // minInferN requests within 0.4 s
	}
	t0 := h + 4e8
	for _, ra := range []time.Duration{0, 1500 * time.Millisecond, maxInferSpan + time.Second, time.Hour} {
		if n, span, ok := inferWindow(at, 0, t0, ra, 0); ok {
			t.Errorf("Retry-After %s: inferred %d per %s", ra, n, span)
		}
	}
	// Sent 0.4 s ago from idle, yet "come back in 5 s" fits only a 5 s
	// window: minInferN per 5 s.
	if n, span, ok := inferWindow(at, 0, t0, 5*time.Second, 0); !ok || n != minInferN || span != 5*time.Second {
		t.Errorf("got %d per %s, %v; want %d per 5s", n, span, ok, minInferN)
	}
	// Fewer requests than that say too little: the window may hold
	// requests this client never saw.
	if n, span, ok := inferWindow(at[:minInferN-1], 0, t0, 5*time.Second, 0); ok {
		t.Errorf("%d requests: inferred %d per %s", minInferN-1, n, span)
	}
	// A history that does not reach back far enough fits nothing.
	if n, span, ok := inferWindow(at, h-1, t0, time.Second, 0); ok {
		t.Errorf("history from just before the first request: inferred %d per %s", n, span)
	}
}

// The history keeps the sending order whatever the order of the answers,
// and drops its older half when full, moving since.
func TestHistory(t *testing.T) {
	var h history
	for _, v := range []int64{1, 3, 2, 5, 4} {
		h.add(v)
	}
	if !slices.Equal(h.at, []int64{1, 2, 3, 4, 5}) {
		t.Fatalf("history %v", h.at)
	}
	for i := range maxHistory {
		h.add(int64(10 + i))
	}
	if len(h.at) > maxHistory || !slices.IsSorted(h.at) || h.since < 5 || h.at[0] <= h.since {
		t.Fatalf("after %d adds: %d kept from %d, since %d", maxHistory+5, len(h.at), h.at[0], h.since)
	}
}

// windowFake is a server keeping a rolling window as rollingWindow does,
// behind a network adding rtt/2 each way, with a closure it keeps: a
// request before the Retry-After it named is refused again, uncounted.
type windowFake struct {
	mu      sync.Mutex
	w       rollingWindow
	rtt     time.Duration
	blocked time.Time
	// firstBlocked is when the first closure ended; firstRetryAfter its
	// length.
	firstBlocked    time.Time
	firstRetryAfter time.Duration
	admitted        []time.Time
	refused         int
}

func (s *windowFake) RoundTrip(*http.Request) (*http.Response, error) {
	time.Sleep(s.rtt / 2)
	defer time.Sleep(s.rtt / 2)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if now.Before(s.blocked) {
		s.refused++
		left := (s.blocked.Sub(now) + time.Second - 1) / time.Second
		return reply(http.StatusTooManyRequests, "Retry-After", strconv.Itoa(int(left))), nil
	}
	ok, ra := s.w.admit(now.UnixNano())
	if !ok {
		s.refused++
		s.blocked = now.Add(ra)
		if s.firstBlocked.IsZero() {
			s.firstBlocked, s.firstRetryAfter = s.blocked, ra
		}
		return reply(http.StatusTooManyRequests, "Retry-After", strconv.Itoa(int(ra/time.Second))), nil
	}
	s.admitted = append(s.admitted, now)
	return reply(http.StatusOK), nil
}

// between counts the requests admitted in [from, to).
func (s *windowFake) between(from, to time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, at := range s.admitted {
		if !at.Before(from) && at.Before(to) {
			n++
		}
	}
	return n
}

// On the defaults, a Limiter finds a rolling window from its first 429
// and keeps within it: against 100 per second (a millisecond away) and
// Spotify's 30-second window (100 ms away), it meets one round of 429s,
// early, and then uses nearly all of the window; later 429s are those of
// its creep, one a minute, each a request over.
func TestAdaptiveFindsTheWindow(t *testing.T) {
	for _, tc := range []struct {
		n       int
		span    time.Duration
		rtt     time.Duration
		workers int
		run     time.Duration
		min     float64 // utilization after the first 429's closure
	}{
		{100, time.Second, time.Millisecond, 8, 10 * time.Second, 0.97},
		{180, 30 * time.Second, 100 * time.Millisecond, 8, 5 * time.Minute, 0.97},
		{3000, 30 * time.Second, 100 * time.Millisecond, 32, 5 * time.Minute, 0.97},
	} {
		t.Run(fmt.Sprintf("%d_per_%s", tc.n, tc.span), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				l := newLimiter(t, WithMaxWait(time.Hour))
				srv := &windowFake{w: rollingWindow{n: tc.n, span: int64(tc.span)}, rtt: tc.rtt}
				hammer429(t, NewTransport(srv, l), tc.workers, start.Add(tc.run))
				st := l.adapt.view
				// Requests sent at the same instant as the refused one may
				// count among those sent before it.
				if st.WindowN < tc.n || st.WindowN > tc.n+tc.workers || st.Window != tc.span {
					t.Fatalf("inferred %d per %s", st.WindowN, st.Window)
				}
				first := srv.firstBlocked
				got := float64(srv.between(first, start.Add(tc.run))) /
					(start.Add(tc.run).Sub(first).Seconds() * float64(tc.n) / tc.span.Seconds())
				t.Logf("inferred %d per %s; %d refused; gate open again %s in; %.3f of the window used after",
					st.WindowN, st.Window, srv.refused, first.Sub(start), got)
				// The probe grows by a request per round trip: the first
				// 429 comes once the window is full at the ceiling's pace
				// (or the workers'), not seconds later.
				probe := time.Duration(float64(tc.n)/min(float64(DefaultMaxRate),
					float64(tc.workers)/tc.rtt.Seconds())*float64(time.Second)) + tc.rtt
				if refusedAt := first.Add(-srv.firstRetryAfter); refusedAt.Sub(start) > probe*5/4 {
					t.Fatalf("first 429 after %s, want about %s", refusedAt.Sub(start), probe)
				}
				if srv.refused > tc.workers || got < tc.min {
					t.Fatalf("%d refused; %.3f of the window used after the first 429", srv.refused, got)
				}
			})
		})
	}
}

// hammer429 is hammer letting 429s through (the Transport retries them).
func hammer429(t *testing.T, tr http.RoundTripper, workers int, stop time.Time) {
	t.Helper()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for time.Now().Before(stop) {
				if _, err := roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, "")); err != nil {
					t.Errorf("request failed: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}
