package ratelimit

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Steps of the adaptive bucket, per answer that was not a 429 or a 5xx.
// Answers arrive at about the bucket's rate r, so a step of s per answer
// grows the rate by s×r per second: probing triples it every second until
// the first 429; after a cut the rate regains ground at a quarter of that
// pace up to 90% of the rate of the last 429, creeps by 1% a second while
// near it, and speeds up again once well past it (the limit has moved, or
// the last 429 came from a burst rather than the rate).
const (
	probeStep  = 2.0 // the least step while probing; see [adaptive.noteRTT]
	regainStep = 0.5
	nearStep   = 0.01
	nearMax    = 0.9 // "near the last 429": above this share of its rate
	cutFactor  = 0.8 // what a 429 leaves of the rate
	minServed  = 12  // answers in the last second that make a measure
	// wakeFactor: when the rate has grown by this much since the epoch
	// last moved, it moves again (see [Pace.Epoch]).
	wakeFactor = 1.2
	// pushEvery is how often at most a Limiter adds its growth to the
	// shared rate, once it comes to pushShare of it; its own pace follows
	// each step at once.
	pushEvery = 100 * time.Millisecond
	pushShare = 0.01
	// refreshEvery is how often a Limiter looks at the shared rate (its
	// store's copy) for the changes of others.
	refreshEvery = 50 * time.Millisecond
)

// adaptive steers the bucket's rate: additive increase, multiplicative
// decrease, as TCP does. Spotify does not publish an app's limit, so the
// bucket starts at a guess and probes upward fast until the first 429 says
// where the limit is. Each 429 cuts the rate the server accepted and
// remembers it (as TCP CUBIC does): the bucket regains the ground quickly up to just
// under that rate and then creeps, so it spends most of its time close to
// the limit and meets few 429s, each of which stops every caller for its
// Retry-After. The rate that counts is what the server accepted, measured,
// not the bucket's setting, which says nothing about the server's limit
// when callers ask for less than it allows or when a burst of 429s answers
// requests sent at a rate the server never took.
//
// The rate lives in the store, shared by every Limiter of the app: a cut
// is stored at once (compare and swap, so that a burst of 429s seen by
// several replicas cuts once), growth is added every pushEvery, and in
// between each Limiter paces at the shared rate plus its own steps.
type adaptive struct {
	store       RateStore
	shared      bool // the store is not this process's alone
	initial     rate.Limit
	ceil, floor rate.Limit
	wake        func() // wakes callers waiting on the bucket when the epoch moves
	// onWindow is told the window the rate keeps within (n 0: none) each
	// time it changes.
	onWindow func(n int, span time.Duration)

	atCeil   atomic.Bool
	windowed atomic.Bool // view.WindowN > 0
	probe    atomic.Bool // view.LastCut.IsZero()
	// rttStep is the step per answer while probing (float64 bits): one
	// request per round trip more, as TCP's slow start does.
	rttStep     atomic.Uint64
	limit       atomic.Uint64 // math.Float64bits(view.Limit)
	epoch       atomic.Uint64 // view.Epoch
	epochStart  atomic.Int64  // view.EpochStart, Unix ns
	lastRefresh atomic.Int64  // Unix ns

	mu       sync.Mutex
	base     RateState  // the store's state as last seen
	view     RateState  // base plus the pending steps: what this Limiter paces at
	pending  int        // steps not yet in the store
	lastPush time.Time  // when steps were last added to the store
	pushing  bool       // a push is under way
	lastWake rate.Limit // view.Limit when the epoch last moved
	served   meter      // answers that were not a 429 or a 5xx
	sends    history    // the requests the server admitted, for inferring its window
}

// maxPending bounds the steps kept for a push, so that a store that never
// takes them costs no more than this.
const maxPending = 10000

// newAdaptive returns the adaptive rate of a Limiter. Its record of sent
// requests starts complete: a new Limiter takes it that the app sent
// nothing before it (a store shared with others keeps its own record).
func newAdaptive(ctx context.Context, s RateStore, shared bool, initial, ceil, floor rate.Limit,
	wake func(), onWindow func(int, time.Duration)) *adaptive {
	a := &adaptive{store: s, shared: shared, initial: initial, ceil: ceil, floor: floor, wake: wake, onWindow: onWindow}
	a.adopt(s.Rate(ctx), time.Now())
	a.lastWake = a.view.Limit
	return a
}

// effective is s with the starting rate when no Limiter stored one yet.
func (a *adaptive) effective(s RateState) RateState {
	if s.Limit <= 0 || math.IsNaN(float64(s.Limit)) {
		s.Limit = a.initial
	}
	s.Limit = min(max(s.Limit, a.floor), a.ceil)
	return s
}

// adopt takes s as the store's state; the pending steps are kept on top
// of it. Called with mu held, or before a is shared.
func (a *adaptive) adopt(s RateState, now time.Time) {
	a.base = s
	v := a.effective(s)
	for range a.pending {
		v = a.step(v)
	}
	if a.view.Epoch > v.Epoch && a.pending > 0 {
		v.Epoch, v.EpochStart = a.view.Epoch, a.view.EpochStart // a local move not yet pushed
	}
	a.setView(v)
	a.lastRefresh.Store(now.UnixNano())
}

// setView makes v the pace of this Limiter, waking the waiters when its
// epoch moved.
func (a *adaptive) setView(v RateState) {
	moved := v.Epoch != a.view.Epoch
	if v.WindowN != a.view.WindowN || v.Window != a.view.Window {
		a.onWindow(v.WindowN, v.Window)
	}
	a.view = v
	a.atCeil.Store(v.Limit >= a.ceil)
	a.windowed.Store(v.WindowN > 0)
	a.probe.Store(v.LastCut.IsZero())
	a.limit.Store(math.Float64bits(float64(v.Limit)))
	a.epoch.Store(v.Epoch)
	a.epochStart.Store(v.EpochStart.UnixNano())
	if moved {
		a.lastWake = v.Limit
		a.wake()
	}
}

// step is one growth step from s.
func (a *adaptive) step(s RateState) RateState {
	r := s.Limit
	var st rate.Limit
	switch {
	case s.WindowN > 0:
		return s // kept within an inferred window; see creep
	case s.LastCut.IsZero():
		st = max(probeStep, rate.Limit(math.Float64frombits(a.rttStep.Load())))
	case r < nearMax*s.LastMax:
		st = min(regainStep, nearMax*s.LastMax-r)
	case r < s.LastMax/nearMax:
		st = nearStep
	default:
		st = regainStep // well past the last 429: the limit has moved
	}
	s.Limit = min(a.ceil, r+st)
	return s
}

// pace is the pace this Limiter keeps now. It looks at the shared rate
// every refreshEvery.
func (a *adaptive) pace(ctx context.Context, now time.Time) Pace {
	if now.UnixNano()-a.lastRefresh.Load() >= int64(refreshEvery) {
		a.refresh(ctx, now)
	}
	r := rate.Limit(math.Float64frombits(a.limit.Load()))
	burst := adaptiveBurst(r)
	if a.windowed.Load() {
		burst = 1 // as told the window: see WithWindow
	}
	return Pace{Interval: interval(r), Burst: burst, Epoch: a.epoch.Load(),
		EpochStart: time.Unix(0, a.epochStart.Load())}
}

func (a *adaptive) refresh(ctx context.Context, now time.Time) {
	s := a.store.Rate(ctx)
	a.mu.Lock()
	defer a.mu.Unlock()
	if s.Version != a.base.Version {
		a.adopt(s, now)
	}
	a.lastRefresh.Store(now.UnixNano())
}

// cut lowers the rate after a 429 to a request sent at sent, answered at
// now with Retry-After ra (0: none usable). 429s to requests sent before
// the previous cut, by this Limiter or another, say nothing new (they were
// sent at the old rate), so they do not cut again: a burst of concurrent
// 429s cuts the rate once.
//
// When the requests sent so far and ra fit a rolling window (see
// inferWindow), the rate keeps within that window from then on; otherwise
// it is cut as AIMD does.
func (a *adaptive) cut(ctx context.Context, sent, now time.Time, ra time.Duration) (from, to rate.Limit, ok bool) {
	stale := func() bool { return !a.view.LastCut.IsZero() && !sent.After(a.view.LastCut) }
	a.mu.Lock()
	if stale() {
		a.mu.Unlock()
		return 0, 0, false
	}
	a.mu.Unlock()
	// A shared store's record is read outside the lock: it is a call away.
	at, since, shared := a.store.Sends(ctx)
	a.mu.Lock()
	if stale() {
		a.mu.Unlock()
		return 0, 0, false
	}
	if !shared {
		at, since = a.sends.at, a.sends.since
	} else {
		// The store's record holds the refused request, mapped through
		// the estimate of Redis's clock: the one sent nearest to it.
		t := sent.UnixNano()
		i, _ := slices.BinarySearch(at, t)
		if i == len(at) || (i > 0 && t-at[i-1] < at[i]-t) {
			i--
		}
		if i >= 0 {
			at = slices.Delete(at, i, i+1)
		}
	}
	from = a.view.Limit
	next, inferred := a.inferLocked(at, since, sent, now, ra)
	if !inferred {
		next = a.aimdLocked(ctx, from, now)
	}
	to = next.Limit
	old := a.base
	a.mu.Unlock()

	for range 3 {
		next.Epoch, next.EpochStart = max(old.Epoch, a.epoch.Load())+1, now
		stored, swapped := a.store.SwapRate(ctx, old, next)
		a.mu.Lock()
		if swapped {
			a.pending = 0
			a.lastPush = now
		}
		a.adopt(stored, now)
		a.mu.Unlock()
		if swapped {
			return from, to, true
		}
		if !stored.LastCut.IsZero() && !sent.After(stored.LastCut) {
			return from, a.effective(stored).Limit, false // another Limiter cut for this round
		}
		old = stored
	}
	return from, from, false
}

// inferLocked returns the rate that keeps within the window the 429 to a
// request sent at sent, with Retry-After ra, says the server keeps, and
// whether there is one; at and since are the record of requests sent (see
// inferWindow).
func (a *adaptive) inferLocked(at []int64, since int64, sent, now time.Time, ra time.Duration) (RateState, bool) {
	n, span, ok := inferWindow(at, since, sent.UnixNano(), ra, a.view.Window)
	if !ok {
		return RateState{}, false
	}
	return a.windowState(n, span, now), true
}

// windowState is the rate keeping within n requests per span, as
// WithWindow paces.
func (a *adaptive) windowState(n int, span time.Duration, now time.Time) RateState {
	r := rate.Limit(float64(n) / (windowSlack * span.Seconds()))
	return RateState{Limit: min(max(r, a.floor), a.ceil), LastCut: now,
		LastMax: rate.Limit(float64(n) / span.Seconds()), WindowN: n, Window: span}
}

// aimdLocked is the rate after a 429 that fits no window: a cut to
// cutFactor of the rate the server served lately.
func (a *adaptive) aimdLocked(ctx context.Context, from rate.Limit, now time.Time) RateState {
	// The rate the app was served in the last second, if lower than the
	// setting, is the better guess at the limit; but a few answers say
	// little (the gate may just have held everyone), so it takes a dozen.
	// A shared store counts what the whole app sent instead: the answers
	// of other processes reach this one late, if at all.
	lastMax := from
	n := a.served.rate(now)
	if app, ok := a.store.Sent(ctx); ok {
		n = app
	}
	if n >= minServed && n < from {
		lastMax = n
	}
	return RateState{Limit: max(a.floor, lastMax*cutFactor), LastCut: now, LastMax: lastMax}
}

// Creeping within an inferred window: after creepAfter windows (and at
// least minCreep) without a 429, the window's n grows by a hundredth (at
// least 1), so that a window inferred too small is not kept for good. An
// exact one meets one 429 per creep, which infers it again.
const (
	creepAfter = 10
	minCreep   = time.Minute
)

// creep grows an inferred window's n when it is due (see creepAfter).
func (a *adaptive) creep(ctx context.Context, now time.Time) {
	a.mu.Lock()
	v := a.view
	if v.WindowN == 0 || now.Sub(v.LastCut) < max(creepAfter*v.Window, minCreep) || a.pushing {
		a.mu.Unlock()
		return
	}
	a.pushing = true
	old := a.base
	a.mu.Unlock()

	next := a.windowState(v.WindowN+max(1, v.WindowN/100), v.Window, now)
	next.Epoch, next.EpochStart = v.Epoch, v.EpochStart
	stored, _ := a.store.SwapRate(ctx, old, next)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pushing = false
	a.adopt(stored, now)
}

// noteRTT sets the step of the probe from the round trip of an answer:
// one request per round trip more per answer, so the rate doubles each
// round trip as TCP's congestion window does in slow start, and reaches
// its ceiling within a few round trips rather than a second or more.
func (a *adaptive) noteRTT(rtt time.Duration) {
	st := min(float64(a.ceil), float64(time.Second)/float64(max(rtt, time.Millisecond)))
	a.rttStep.Store(math.Float64bits(st))
}

// record notes a request sent at sent, for inferring the server's window;
// unrecord takes it back when it is answered 429 (the server did not
// count it). Requests still out when a 429 comes back count as admitted:
// they were sent before the refused one.
func (a *adaptive) record(sent time.Time) {
	if a.shared {
		a.store.RecordSend(sent)
		return
	}
	a.mu.Lock()
	a.sends.add(sent.UnixNano())
	a.mu.Unlock()
}

func (a *adaptive) unrecord(sent time.Time) {
	a.mu.Lock()
	a.sends.remove(sent.UnixNano())
	a.mu.Unlock()
}

// grow adds one step after an answer that was not a 429 or a 5xx. held
// reports that the bucket held callers back lately: while it does not,
// callers ask for less than it allows and a step would say nothing.
func (a *adaptive) grow(ctx context.Context, now time.Time, held bool) {
	if a.windowed.Load() {
		a.mu.Lock()
		a.served.add(now)
		a.mu.Unlock()
		a.creep(ctx, now)
		return
	}
	if a.atCeil.Load() && !held {
		return
	}
	a.mu.Lock()
	a.served.add(now)
	if !held || a.atCeil.Load() {
		a.mu.Unlock()
		return
	}
	a.pending = min(a.pending+1, maxPending)
	v := a.step(a.view)
	if v.Limit >= wakeFactor*a.lastWake && (!a.shared || v.LastCut.IsZero()) {
		// Slots queued at the old rate are too slow: retake them. A
		// shared store's slots are leased for a tenth of a second at a
		// time, and moving the epoch empties the bucket of every
		// process: after a cut, its slots are left to run out; while
		// probing from a guess, the queue the guess made (every caller
		// of every process, at the starting rate) would hold the
		// probe back for a second or more.
		v.Epoch++
		v.EpochStart = now
	}
	a.setView(v)
	push := !a.pushing && now.Sub(a.lastPush) >= pushEvery && v.Limit-a.effective(a.base).Limit >= pushShare*v.Limit
	if push {
		a.pushing = true
		a.lastPush = now
	}
	old, steps := a.base, a.pending
	a.mu.Unlock()
	if push {
		a.push(ctx, now, old, steps)
	}
}

// push adds steps growth steps, taken on top of old, to the store. When
// another Limiter swapped first, it tries again on top of theirs: growth
// made by each is growth of the app.
func (a *adaptive) push(ctx context.Context, now time.Time, old RateState, steps int) {
	var stored RateState
	swapped := false
	for range 3 {
		next := a.effective(old)
		for range steps {
			next = a.step(next)
		}
		if e := a.epoch.Load(); e > next.Epoch && (!a.shared || next.LastCut.IsZero()) {
			next.Epoch, next.EpochStart = e, time.Unix(0, a.epochStart.Load())
		}
		if stored, swapped = a.store.SwapRate(ctx, old, next); swapped {
			break
		}
		if !stored.LastCut.Equal(old.LastCut) {
			break // a cut came between: the steps were taken at a rate since abandoned
		}
		old = stored
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pushing = false
	if swapped {
		a.pending = max(0, a.pending-steps)
	}
	a.adopt(stored, now)
}

// probing reports whether the rate probes upward for a first 429.
func (a *adaptive) probing() bool { return a.probe.Load() }

// current returns the rate this Limiter paces at.
func (a *adaptive) current() rate.Limit {
	return rate.Limit(math.Float64frombits(a.limit.Load()))
}

// interval is the time between two requests at r; 0 for rate.Inf.
func interval(r rate.Limit) time.Duration {
	if r == rate.Inf || r <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / float64(r))
}

// meter counts events over the last second in ten slots of 100 ms.
type meter struct {
	slots [10]int
	epoch [10]int64 // the 100 ms period each slot counts
}

const meterSlot = int64(100 * time.Millisecond)

func (m *meter) add(now time.Time) {
	p := now.UnixNano() / meterSlot
	i := p % int64(len(m.slots))
	if m.epoch[i] != p {
		m.epoch[i], m.slots[i] = p, 0
	}
	m.slots[i]++
}

// rate returns the events per second over the last second.
func (m *meter) rate(now time.Time) rate.Limit {
	p := now.UnixNano() / meterSlot
	n := 0
	for i, e := range m.epoch {
		if p-e < int64(len(m.slots)) {
			n += m.slots[i]
		}
	}
	return rate.Limit(n)
}
