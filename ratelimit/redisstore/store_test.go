package redisstore

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/internal/redistest"
	"github.com/spotflow/spotflow/ratelimit"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/redis/go-redis/v9/internal/pool.(*ConnPool).reaper"))
}

// newClient connects to srv with the settings of NewClient.
func newClient(t *testing.T, srv *redistest.Server) *redis.Client {
	t.Helper()
	rdb, err := NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func newStore(t *testing.T, rdb redis.UniversalClient, opts ...Option) *Store {
	t.Helper()
	s, err := New(t.Context(), rdb, "app1", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// eventually polls cond for up to 2 s: what one store wrote reaches
// another through Redis's channel, in another goroutine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 2 s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Slots granted to four stores of one app form one schedule on Redis's
// clock: no two are closer than the interval, whoever took them.
func TestBucketSharedByProcesses(t *testing.T) {
	srv := redistest.Start(t)
	var stores []*Store
	for range 4 {
		stores = append(stores, newStore(t, newClient(t, srv)))
	}
	p := ratelimit.Pace{Interval: 10 * time.Millisecond, Burst: 1}
	var mu sync.Mutex
	var slots []int64 // Redis's clock, µs
	var wg sync.WaitGroup
	for _, s := range stores {
		wg.Go(func() {
			for range 10 {
				v, err := s.call(t.Context(), takeScript, s.takeArgs(5, p)...)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for i := range int64(5) {
					slots = append(slots, v.base+i*p.Interval.Microseconds())
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(slots)
	if len(slots) != 200 {
		t.Fatalf("%d slots", len(slots))
	}
	for i := 1; i < len(slots); i++ {
		if gap := slots[i] - slots[i-1]; gap < p.Interval.Microseconds() {
			t.Fatalf("slots %d and %d are %d µs apart, want at least %s", i-1, i, gap, p.Interval)
		}
	}
	// Through Take, each store maps the schedule onto its own clock.
	l := stores[0].Take(t.Context(), 3, p)
	if l.N != 3 || l.Interval != p.Interval || l.Slot(2).Sub(l.Slot(0)) != 2*p.Interval {
		t.Fatalf("lease %+v", l)
	}
	for _, s := range stores {
		if st := s.Stats(); st.Fallbacks != 0 || !st.Healthy || st.Replicas != 4 {
			t.Fatalf("stats %+v", st)
		}
	}
}

// A 429 seen by one process closes the gate of the others at once, through
// the channel; a shorter closure never shortens it.
func TestGateShared(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newStore(t, newClient(t, srv)), newStore(t, newClient(t, srv))
	until := time.Now().Add(5 * time.Second)
	a.CloseGate(t.Context(), until)
	// Each store maps Redis's clock onto its own within half a round trip.
	const skew = 50 * time.Millisecond
	eventually(t, "b sees the gate", func() bool { return b.GateUntil(t.Context()).After(until.Add(-skew)) })
	b.CloseGate(t.Context(), time.Now().Add(time.Second))
	if got := a.GateUntil(t.Context()); got.Before(until.Add(-skew)) {
		t.Fatalf("gate shortened to %s", time.Until(got))
	}
	// A process started later reads it at once.
	c := newStore(t, newClient(t, srv))
	if got := c.GateUntil(t.Context()); got.Before(until.Add(-skew)) {
		t.Fatalf("a new process sees the gate until %s", time.Until(got))
	}
}

// The floor and its probe are the app's: a floor closure by one process
// holds the other, only one process holds the probe, and a probe that was
// not refused ends probing for all.
func TestFloorAndProbeShared(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newStore(t, newClient(t, srv)), newStore(t, newClient(t, srv))
	ctx := t.Context()
	now := time.Now()
	until := a.CloseGateFloor(ctx, now, now)
	if d, late := until.Sub(now), time.Until(until); d < 900*time.Millisecond || late > 1100*time.Millisecond {
		t.Fatalf("first floor %s", d)
	}
	eventually(t, "b sees the floor", func() bool { return b.Probing(ctx) && b.GateUntil(ctx).After(now) })
	// A second 429 to a request of the same round, while the floor holds,
	// leaves it as it is. (On a machine so loaded that the floor has
	// passed by now, the 429 opens a round of its own: nothing to check.)
	if time.Until(until) > 100*time.Millisecond {
		if again := b.CloseGateFloor(ctx, now, time.Now()); again.Sub(until).Abs() > 50*time.Millisecond {
			t.Fatalf("a 429 of the same round moved the gate by %s", again.Sub(until))
		}
	} else {
		t.Logf("the floor passed before b's 429 (%s late): the same-round check is left out", -time.Until(until))
	}
	if !a.TryProbe(ctx) {
		t.Fatal("a did not get the probe")
	}
	if b.TryProbe(ctx) {
		t.Fatal("b got the probe a holds")
	}
	a.EndProbe(ctx, false)
	if !b.TryProbe(ctx) {
		t.Fatal("b did not get the probe a gave back")
	}
	b.EndProbe(ctx, true)
	eventually(t, "a sees probing end", func() bool { return !a.Probing(ctx) })
}

// The adaptive rate is the app's: a swap by one process is seen by the
// other, whose swap from the old version fails; a process started later
// begins at the learned rate.
func TestRateShared(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newStore(t, newClient(t, srv)), newStore(t, newClient(t, srv))
	ctx := t.Context()
	old := a.Rate(ctx)
	cut := time.Now()
	next := ratelimit.RateState{Limit: 42.5, LastCut: cut, LastMax: 53.125, Epoch: 3, EpochStart: cut}
	got, ok := a.SwapRate(ctx, old, next)
	if !ok || got.Limit != 42.5 || got.LastMax != 53.125 || got.Epoch != 3 || got.LastCut.Sub(cut).Abs() > 50*time.Millisecond {
		t.Fatalf("swap: %+v, %v", got, ok)
	}
	eventually(t, "b sees the cut", func() bool { return b.Rate(ctx).Limit == 42.5 })
	if _, ok := b.SwapRate(ctx, old, ratelimit.RateState{Limit: 99}); ok {
		t.Fatal("a swap from a stale version succeeded")
	}
	a.Close()
	b.Close()
	c := newStore(t, newClient(t, srv))
	if got := c.Rate(ctx); got.Limit != 42.5 {
		t.Fatalf("a new process starts at %v", got.Limit)
	}

	// Through Limiters: the learned rate is where a new Limiter starts.
	lim, err := ratelimit.New(ratelimit.WithStore(c))
	if err != nil {
		t.Fatal(err)
	}
	if got := lim.Stats().Limit; got != 42.5 {
		t.Fatalf("a new Limiter starts at %v, want the learned 42.5", got)
	}
}

// With Redis gone, every call returns within the timeout, leases come from
// a local bucket at the process's share of the rate, and nothing fails;
// when Redis is back the store rejoins and hands it what it learned.
func TestFallbackAndRejoin(t *testing.T) {
	srv := redistest.Start(t)
	rdb := newClient(t, srv)
	a := newStore(t, rdb, WithRetry(50*time.Millisecond))
	b := newStore(t, newClient(t, srv))
	ctx := t.Context()
	if _, ok := a.SwapRate(ctx, a.Rate(ctx), ratelimit.RateState{Limit: 80}); !ok {
		t.Fatal("swap")
	}
	a.Take(ctx, 1, ratelimit.Pace{Interval: time.Millisecond, Burst: 1})
	b.Take(ctx, 1, ratelimit.Pace{Interval: time.Millisecond, Burst: 1})
	if n := a.Replicas(); n != 2 {
		t.Fatalf("replicas %d", n)
	}

	srv.Kill()
	p := ratelimit.Pace{Interval: 10 * time.Millisecond, Burst: 1}
	start := time.Now()
	l := a.Take(ctx, 4, p)
	if el := time.Since(start); el > time.Second {
		t.Fatalf("Take took %s with Redis gone", el)
	}
	l = a.Take(ctx, 4, p) // certainly local now
	if l.Interval != 2*p.Interval {
		t.Fatalf("local lease interval %s, want the share of 2 replicas: %s", l.Interval, 2*p.Interval)
	}
	a.CloseGate(ctx, time.Now().Add(time.Hour))
	if got := a.GateUntil(ctx); time.Until(got) < 59*time.Minute {
		t.Fatalf("gate closed locally until %s", time.Until(got))
	}
	if _, ok := a.SwapRate(ctx, a.Rate(ctx), ratelimit.RateState{Limit: 64}); !ok {
		t.Fatal("a local swap failed")
	}
	if st := a.Stats(); st.Healthy || st.Fallbacks == 0 || st.LostAt.IsZero() {
		t.Fatalf("stats while Redis is gone %+v", st)
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	eventually(t, "a rejoins", func() bool { return a.Stats().Healthy })
	st := a.Stats()
	t.Logf("rejoined %s after the restart", st.RejoinedAt.Sub(restarted))
	if st.Rejoins != 1 {
		t.Fatalf("stats %+v", st)
	}
	// Redis came back empty: it now holds what a learned meanwhile.
	fresh := newStore(t, newClient(t, srv))
	if got := fresh.Rate(ctx); got.Limit != 64 {
		t.Fatalf("Redis holds rate %v after the rejoin, want 64", got.Limit)
	}
	if got := fresh.GateUntil(ctx); time.Until(got) < 59*time.Minute {
		t.Fatalf("Redis holds the gate until %s after the rejoin", time.Until(got))
	}
}

// A Redis that never answered at the start is no error either.
func TestNewWithoutRedis(t *testing.T) {
	srv := redistest.Start(t)
	srv.Kill()
	rdb := newClient(t, srv)
	s := newStore(t, rdb)
	if s.Stats().Healthy {
		t.Fatal("healthy without Redis")
	}
	lim, err := ratelimit.New(ratelimit.WithStore(s), ratelimit.WithRate(rate.Inf, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := lim.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	for _, id := range []string{"", "a{b", "a b", strings.Repeat("x", 257)} {
		if _, err := New(context.Background(), rdb, id); err == nil {
			t.Errorf("client ID %q accepted", id)
		}
	}
	if _, err := New(context.Background(), nil, "app"); err == nil {
		t.Error("nil client accepted")
	}
	if _, err := New(context.Background(), rdb, "app", WithTimeout(0)); err == nil {
		t.Error("zero timeout accepted")
	}
	if _, err := NewClient("redis://user:hunter2@[::1"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad URL: %v", err)
	}
}

// The slots every process takes make the app's sent rate, which each
// process reads back; slots not yet due do not count.
func TestSentSharedByProcesses(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newStore(t, newClient(t, srv)), newStore(t, newClient(t, srv))
	ctx := t.Context()
	p := ratelimit.Pace{Interval: time.Millisecond, Burst: 1}
	a.Take(ctx, 20, p)
	b.Take(ctx, 10, p)
	time.Sleep(100 * time.Millisecond) // all due
	a.Take(ctx, 1, ratelimit.Pace{Interval: time.Hour, Burst: 1})
	if got, ok := a.Sent(ctx); !ok || got < 30 || got > 31 {
		t.Fatalf("sent %v, %v; want 30 or 31", got, ok)
	}
	if got, ok := ratelimit.NewMemoryStore().Sent(ctx); ok || got != 0 {
		t.Fatalf("the in-process store counts %v", got)
	}
}

// What every process sent reaches the log: with its next lease, or at once
// when the gate closes, so that the process that met the 429 reads them
// all.
func TestSendsSharedByProcesses(t *testing.T) {
	srv := redistest.Start(t)
	a, b, c := newStore(t, newClient(t, srv)), newStore(t, newClient(t, srv)), newStore(t, newClient(t, srv))
	ctx := t.Context()
	start := time.Now().Add(-time.Second)
	for i := range 30 {
		[]*Store{a, b, c}[i%3].RecordSend(start.Add(time.Duration(i) * 10 * time.Millisecond))
	}
	b.Take(ctx, 1, ratelimit.Pace{Interval: time.Millisecond, Burst: 1}) // b's go with its lease
	var at []int64
	eventually(t, "30 sends in the log", func() bool {
		// c's go on the message of a closing gate (once c listens: it
		// subscribes in the background); a's go first.
		a.CloseGate(ctx, time.Now().Add(time.Second))
		var since int64
		var ok bool
		at, since, ok = a.Sends(ctx)
		return ok && since == 0 && len(at) == 30
	})
	// Each store maps its clock onto Redis's within half a round trip,
	// which a loaded machine (CI under -race) stretches to milliseconds.
	const skew = 50 * time.Millisecond
	for i, got := range at {
		if want := start.Add(time.Duration(i) * 10 * time.Millisecond); got < want.Add(-skew).UnixNano() ||
			got > want.Add(skew).UnixNano() {
			t.Fatalf("send %d at %s from where it was sent", i, time.Unix(0, got).Sub(want))
		}
	}
	if _, _, ok := ratelimit.NewMemoryStore().Sends(ctx); ok {
		t.Fatal("the in-process store keeps a log")
	}
}

// A window inferred by one process's Limiter from what all of them sent
// is the app's: the others pace within it.
func TestWindowInferredForTheApp(t *testing.T) {
	srv := redistest.Start(t)
	a, b := newStore(t, newClient(t, srv)), newStore(t, newClient(t, srv))
	ctx := t.Context()
	lim, err := ratelimit.New(ratelimit.WithStore(a))
	if err != nil {
		t.Fatal(err)
	}
	// 100 requests from idle in the last 400 ms, half from each process,
	// then the one the server refused, with Retry-After 1.
	now := time.Now()
	for i := range 101 {
		[]*Store{a, b}[i%2].RecordSend(now.Add(-400*time.Millisecond + time.Duration(i)*4*time.Millisecond))
	}
	b.Take(ctx, 1, ratelimit.Pace{Interval: time.Millisecond, Burst: 1})
	lim.Throttle(ctx, time.Second)
	eventually(t, "the window reaches the other process", func() bool {
		st := b.Rate(ctx)
		return st.WindowN == 100 && st.Window == time.Second
	})
	if got, want := lim.Stats().Limit, rate.Limit(100/1.01); got < want-0.01 || got > want+0.01 {
		t.Fatalf("limit %v, want %v", got, want)
	}
}
