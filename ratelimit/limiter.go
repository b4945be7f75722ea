package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// DefaultRetryAfter is how long the gate first closes for a 429 whose
// Retry-After is missing, zero, negative or past: the floor, which doubles
// on repeats up to [MaxGateFloor] (see [Store.CloseGateFloor]).
const DefaultRetryAfter = time.Second

// Limiter is the request budget of one Spotify app: the Retry-After gate,
// the token bucket, the in-flight cap and the retry budget. Make one per app
// with [New] and share it between every client and goroutine of that app; it
// is safe for concurrent use.
type Limiter struct {
	cfg    config
	store  Store
	leases leaser
	local  bool                        // the store is a MemoryStore: slots are taken one at a time
	fixed  Pace                        // the pace when it is not adaptive
	window atomic.Pointer[windowGuard] // nil unless told the window or one was inferred
	slots  chan struct{}               // nil when in-flight requests are not capped
	adapt  *adaptive                   // nil when the pace is fixed
	budget *budget
	log    *slog.Logger
	// heldAt is when the bucket last held a caller back (Unix ns): an
	// adaptive bucket grows only while it does.
	heldAt atomic.Int64

	// wake is closed, and replaced, each time this Limiter closes the gate
	// or an adaptive bucket's epoch moves,
	// so that callers waiting on the bucket or on a shorter closure look at
	// the gate again.
	wake atomic.Pointer[chan struct{}]
	// closedLogged is the closure (Unix ns) last logged as "gate closed", or
	// 0 once "gate opened" was logged, so each closure logs each once.
	closedLogged atomic.Int64

	requests, retries, rateLimited, gateRefusals, budgetExhausted atomic.Int64
	waited, inFlight                                              atomic.Int64
}

// Stats is a snapshot of a Limiter's counters.
type Stats struct {
	Requests        int64         // admissions: attempts let through to be sent, retries included
	Retries         int64         // admissions that were retries
	RateLimited     int64         // 429 answers seen
	GateRefusals    int64         // callers refused with *GateError
	BudgetExhausted int64         // retries not made because the retry budget was spent
	Waited          time.Duration // total time callers spent waiting: gate, bucket, slot, backoff
	InFlight        int64         // admissions not yet released
	Limit           rate.Limit    // the bucket's current rate, in requests per second (rate.Inf: unpaced)
	GateUntil       time.Time     // when the gate opens; zero or past when it is open
}

// New returns a Limiter configured by opts. Without options it paces
// adaptively from [DefaultRate], caps in-flight requests at
// [DefaultMaxInFlight], waits at most [DefaultMaxWait] and makes at most
// [DefaultMaxAttempts] attempts per request.
func New(opts ...Option) (*Limiter, error) {
	cfg := defaultConfig()
	for i, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("ratelimit: option %d is nil", i)
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	l := &Limiter{
		cfg:    cfg,
		store:  cfg.store,
		budget: &budget{ratio: cfg.retryRatio, min: cfg.retryMin},
		log:    cfg.logger,
		fixed:  Pace{Interval: interval(cfg.limit), Burst: cfg.burst},
	}
	if l.store == nil {
		l.store = NewMemoryStore()
	}
	_, l.local = l.store.(*MemoryStore)
	if cfg.maxInFlight > 0 {
		l.slots = make(chan struct{}, cfg.maxInFlight)
	}
	if cfg.windowN > 0 {
		l.window.Store(newWindowGuard(cfg.windowN, cfg.windowSpan))
	}
	wake := make(chan struct{})
	l.wake.Store(&wake)
	if cfg.adaptive {
		l.adapt = newAdaptive(context.Background(), l.store, !l.local, cfg.limit, max(cfg.limit, DefaultMaxRate),
			cfg.minLimit, l.wakeWaiters, l.setWindow)
	}
	return l, nil
}

// Stats returns a snapshot of the counters.
func (l *Limiter) Stats() Stats {
	return Stats{
		Requests:        l.requests.Load(),
		Retries:         l.retries.Load(),
		RateLimited:     l.rateLimited.Load(),
		GateRefusals:    l.gateRefusals.Load(),
		BudgetExhausted: l.budgetExhausted.Load(),
		Waited:          time.Duration(l.waited.Load()),
		InFlight:        l.inFlight.Load(),
		Limit:           l.limit(),
		GateUntil:       l.store.GateUntil(context.Background()),
	}
}

// Acquire admits one request: it waits for the gate to be open, for a token
// from the bucket and for an in-flight slot. The caller sends the request
// and then calls release (more calls do nothing). Use it to send requests
// that do not go through [Transport]; report their 429s with [Limiter.Throttle].
//
// It fails with a [*GateError] at once when the gate or the bucket would
// hold the request past [WithMaxWait] or past ctx's deadline, and with ctx's
// error (wrapped) as soon as ctx ends during a wait.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	release, _, err = l.admit(ctx, true, false)
	return release, err
}

// Wait admits one request through the gate and the bucket, like
// [Limiter.Acquire], but holds no in-flight slot, so there is nothing to
// release. It suits callers that only need the pace.
func (l *Limiter) Wait(ctx context.Context) error {
	_, _, err := l.admit(ctx, false, false)
	return err
}

// Throttle records a 429 seen outside [Transport]: it closes the gate for
// retryAfter (at most [MaxRetryAfter]) and slows an adaptive bucket. A
// retryAfter of zero or less closes it for the floor instead, as a 429
// without a usable Retry-After does (see [Store.CloseGateFloor]).
func (l *Limiter) Throttle(ctx context.Context, retryAfter time.Duration) {
	now := time.Now()
	l.rateLimited.Add(1)
	if retryAfter <= 0 {
		l.closeFloor(ctx, now, now)
	} else {
		l.closeGate(ctx, now, min(retryAfter, MaxRetryAfter))
	}
	l.slowDown(ctx, now, now, retryAfter)
}

func nop() {}

// admit runs the stages of admission, looping while the gate closes under
// a waiting caller. retry marks the admission of a retry, for the counters.
// It returns the release function and the time of admission.
func (l *Limiter) admit(ctx context.Context, holdSlot, retry bool) (func(), time.Time, error) {
	if err := ctx.Err(); err != nil {
		return nil, time.Time{}, fmt.Errorf("ratelimit: %w", err)
	}
	start := time.Now()
	waited := false
	defer func() {
		if waited {
			l.waited.Add(int64(time.Since(start)))
		}
	}()
	for {
		w, probe, err := l.passGate(ctx, start, holdSlot)
		waited = waited || w
		if err != nil {
			return nil, time.Time{}, err
		}
		tk, again, w, err := l.pass(ctx, start, holdSlot)
		waited = waited || w
		if err != nil || again {
			l.endProbe(ctx, probe, time.Time{})
			if err != nil {
				return nil, time.Time{}, err
			}
			continue
		}
		// at is read before the gate: a 429 that cut the adaptive rate
		// after it cannot be this request's doing.
		at := time.Now()
		if l.gateClosed(ctx, at) {
			// It closed while this caller waited: the token is spent,
			// but the request must not go.
			l.unpass(holdSlot, tk, at)
			l.endProbe(ctx, probe, time.Time{})
			continue
		}
		l.requests.Add(1)
		if l.adapt != nil {
			l.adapt.record(at)
		}
		if retry {
			l.retries.Add(1)
		} else {
			l.budget.request(at)
		}
		if !holdSlot {
			return nop, at, nil
		}
		l.inFlight.Add(1)
		var done atomic.Bool
		return func() {
			if done.CompareAndSwap(false, true) {
				l.inFlight.Add(-1)
				l.unpass(true, tk, time.Now())
				l.endProbe(ctx, probe, at)
			}
		}, at, nil
	}
}

// ticket is a request's place in a window guard: request k of g; g is
// nil when there is no guard.
type ticket struct {
	g *windowGuard
	k int64
}

// pass takes a slot of the bucket and, for admissions that hold one, an
// in-flight slot and a place in the window. again reports that the gate
// closed or the pace moved during a wait: nothing is held then.
func (l *Limiter) pass(ctx context.Context, start time.Time, holdSlot bool) (tk ticket, again, waited bool, err error) {
	again, waited, err = l.takeToken(ctx, start)
	if err != nil || again || !holdSlot {
		return tk, again, waited, err
	}
	w, err := l.takeSlot(ctx)
	waited = waited || w
	g := l.window.Load()
	if err != nil || g == nil {
		return tk, false, waited, err
	}
	wake := *l.wake.Load()
	k, again, err := g.pass(ctx, func(d time.Duration) error {
		return l.canWait(ctx, start, time.Now(), d)
	}, wake)
	waited = waited || again // a wait ended it
	if err != nil || again {
		l.freeSlot(true)
		return ticket{}, again, waited, err
	}
	return ticket{g, k}, false, waited, nil
}

// unpass gives back what pass took once its request came back at now (or
// was never sent).
func (l *Limiter) unpass(holdSlot bool, tk ticket, now time.Time) {
	if tk.g != nil {
		tk.g.finish(tk.k, now)
	}
	l.freeSlot(holdSlot)
}

// setWindow installs a guard for the window an adaptive rate inferred (n
// 0: none), unless the Limiter was told one.
func (l *Limiter) setWindow(n int, span time.Duration) {
	if l.cfg.windowN > 0 {
		return
	}
	var g *windowGuard
	if n > 0 {
		g = newWindowGuard(n, span)
	}
	l.window.Store(g)
}

func (l *Limiter) gateClosed(ctx context.Context, now time.Time) bool {
	return now.Before(l.store.GateUntil(ctx))
}

// passGate returns once the gate is open. waited reports whether it slept.
// After a floor closure the gate lets one request at a time through, a
// probe, to admissions that hold a slot (whose release says how the probe
// went): probe reports that this caller is the one; the others wait for
// its answer.
func (l *Limiter) passGate(ctx context.Context, start time.Time, holdSlot bool) (waited, probe bool, err error) {
	for {
		wake := *l.wake.Load() // before reading the store, so no closure is missed
		now := time.Now()
		until := l.store.GateUntil(ctx)
		if !now.Before(until) {
			if !holdSlot || !l.store.Probing(ctx) {
				l.noteOpen(ctx)
				return waited, false, nil
			}
			if l.store.TryProbe(ctx) {
				return waited, true, nil
			}
			// Another caller's probe is out: wait for its answer, which
			// wakes this Limiter's waiters; a probe of another Limiter
			// sharing the store does not, so look again now and then.
			wait := l.cfg.maxWait - now.Sub(start)
			if dl, ok := ctx.Deadline(); ok {
				wait = min(wait, dl.Sub(now))
			}
			if wait <= 0 {
				l.gateRefusals.Add(1)
				return waited, false, &GateError{RetryAfter: DefaultRetryAfter}
			}
			waited = true
			if _, err := sleep(ctx, min(wait, probePoll), wake); err != nil {
				return waited, false, fmt.Errorf("ratelimit: waiting for the gate to open: %w", err)
			}
			continue
		}
		wait := until.Sub(now)
		if err := l.canWait(ctx, start, now, wait); err != nil {
			return waited, false, err
		}
		waited = true
		slept := time.Now()
		_, err := sleep(ctx, wait, wake)
		traceWait(ctx, StageGate, slept)
		if err != nil {
			return waited, false, fmt.Errorf("ratelimit: waiting for the gate to open: %w", err)
		}
	}
}

// endProbe hands the probe on once the request that held it is done. The
// probe ends probing unless the gate closed again after it was sent at
// sent (zero: it was not sent), which a 429 to it does.
func (l *Limiter) endProbe(ctx context.Context, probe bool, sent time.Time) {
	if !probe {
		return
	}
	ok := !sent.IsZero() && !l.store.GateUntil(ctx).After(sent)
	l.store.EndProbe(context.WithoutCancel(ctx), ok)
	l.wakeWaiters()
}

// probePoll is how often a caller waiting for a probe of another Limiter
// sharing the store looks at the gate again.
const probePoll = 50 * time.Millisecond

// takeToken takes a slot of the bucket and waits for its time. again
// reports that the gate closed or the pace moved during the wait, so the
// caller must go back to the gate; the slot is then lost.
func (l *Limiter) takeToken(ctx context.Context, start time.Time) (again, waited bool, err error) {
	wake := *l.wake.Load() // before the pace, so no move is missed
	now := time.Now()
	p := l.pace(ctx, now)
	if p.Interval <= 0 {
		return false, false, nil
	}
	if l.gateClosed(ctx, now) {
		// It closed after the caller passed it, before wake was read:
		// its wake-up is spent; back to the gate.
		return true, false, nil
	}
	l.leases.demand.Add(1)
	defer l.leases.demand.Add(-1)
	var slot time.Time
	var lease Lease
	if l.local {
		// An in-process bucket answers at once: no need to batch.
		lease = l.store.Take(ctx, 1, p)
		slot = lease.Slot(0)
	} else {
		var err error
		if slot, err = l.leases.take(ctx, l.store, p, l.adapt == nil || !l.adapt.probing()); err != nil {
			return false, true, err
		}
	}
	now = time.Now()
	d := slot.Sub(now)
	if d <= 0 {
		if !l.local {
			l.leases.used(slot, now)
		}
		return false, false, nil
	}
	if l.local {
		d = coalesce(now, d, l.tick(p.Interval))
	}
	l.heldAt.Store(now.UnixNano())
	if err := l.canWait(ctx, start, now, d); err != nil {
		if l.local {
			l.store.(*MemoryStore).giveBack(lease)
		} else {
			l.leases.giveBack(slot)
		}
		return false, false, err
	}
	woken, err := l.sleepSlot(ctx, d, wake, p)
	traceWait(ctx, StageBucket, now)
	if err != nil {
		return false, true, fmt.Errorf("ratelimit: waiting for the bucket: %w", err)
	}
	if !woken && !l.local {
		l.leases.used(slot, time.Now())
	}
	return woken, true, nil
}

// sleepSlot waits d for a slot paced by p, like sleep. An adaptive
// Limiter sharing its store learns that the app's rate moved only when it
// looks at the store, which its callers do when they take a slot: callers
// all asleep on slots a slow guess granted far ahead would look only when
// those came due. So each looks every refreshEvery, and goes back for a
// new slot (woken) once the pace's epoch moved.
func (l *Limiter) sleepSlot(ctx context.Context, d time.Duration, wake <-chan struct{}, p Pace) (bool, error) {
	if l.local || l.adapt == nil {
		return sleep(ctx, d, wake)
	}
	end := time.Now().Add(d)
	for {
		left := time.Until(end)
		if left <= refreshEvery {
			return sleep(ctx, left, wake)
		}
		if woken, err := sleep(ctx, refreshEvery, wake); woken || err != nil {
			return woken, err
		}
		if l.adapt.pace(ctx, time.Now()).Epoch != p.Epoch {
			return true, nil
		}
	}
}

// coalesce rounds a wait of d from now up to the next tick of a clock
// shared by every waiter of the process, ticking every few intervals of
// the pace (at most maxTick): callers whose slots fall due within one tick
// wake together. Each wake of a sleeping process costs its threads far more
// than the request it lets go, so waking once for several requests is what
// makes pacing cheap. A slot is never used before it is due, only up to a
// tick after; the bucket's schedule does not move.
func coalesce(now time.Time, d, tick time.Duration) time.Duration {
	if tick <= time.Millisecond {
		return d
	}
	due := now.Add(d).UnixNano()
	t := int64(tick)
	return time.Duration((due+t-1)/t*t - now.UnixNano())
}

// tick is the tick waits for the bucket are coalesced to at a pace of
// interval: a few intervals, at most maxTick. Within a window (told, or
// inferred), it is the stretched window (n intervals) divided by a whole
// number, so that a request and the one n after it, whose slots are one
// stretched window apart, are sent exactly that far apart: the window's
// 1% of slack stays between them however the batches fall, and the guard
// never has to hold a request a window after another (its delays would
// add up). While an adaptive rate probes, no coalescing: requests let go
// together after the window filled would all be refused.
func (l *Limiter) tick(interval time.Duration) time.Duration {
	if l.adapt != nil && l.adapt.probing() {
		return 0
	}
	t := min(coalesceSlots*interval, maxTick)
	if g := l.window.Load(); g != nil && t > 0 {
		span := time.Duration(g.n) * interval
		t = span / ((span + t - 1) / t)
	}
	return t
}

// Coalescing of waits (see coalesce).
const (
	coalesceSlots = 8
	maxTick       = 100 * time.Millisecond
)

// pace is how the bucket spaces requests now.
func (l *Limiter) pace(ctx context.Context, now time.Time) Pace {
	if l.adapt != nil {
		return l.adapt.pace(ctx, now)
	}
	return l.fixed
}

// limit is the bucket's rate now.
func (l *Limiter) limit() rate.Limit {
	if l.adapt != nil {
		return l.adapt.current()
	}
	return l.cfg.limit
}

func (l *Limiter) takeSlot(ctx context.Context) (waited bool, err error) {
	if l.slots == nil {
		return false, nil
	}
	select {
	case l.slots <- struct{}{}:
		return false, nil
	default:
	}
	start := time.Now()
	defer traceWait(ctx, StageSlot, start)
	select {
	case l.slots <- struct{}{}:
		return true, nil
	case <-ctx.Done():
		return true, fmt.Errorf("ratelimit: waiting for an in-flight slot: %w", ctx.Err())
	}
}

func (l *Limiter) freeSlot(held bool) {
	if held && l.slots != nil {
		<-l.slots
	}
}

// canWait refuses a wait that would end past MaxWait (counted from the
// start of the admission) or past ctx's deadline: such a caller is told at
// once instead of sleeping for nothing.
func (l *Limiter) canWait(ctx context.Context, start, now time.Time, wait time.Duration) error {
	tooLong := now.Sub(start)+wait > l.cfg.maxWait
	if dl, ok := ctx.Deadline(); ok && !now.Add(wait).Before(dl) {
		tooLong = true
	}
	if !tooLong {
		return nil
	}
	l.gateRefusals.Add(1)
	return &GateError{RetryAfter: wait}
}

// closeGate closes the gate for d from now and, when that extends the
// closure, wakes the waiters so they look again.
func (l *Limiter) closeGate(ctx context.Context, now time.Time, d time.Duration) {
	ctx = context.WithoutCancel(ctx) // record the 429 even if the caller gave up
	until := now.Add(d)
	prev := l.store.GateUntil(ctx)
	l.store.CloseGate(ctx, until)
	if !until.After(prev) || d <= 0 {
		return
	}
	l.wakeWaiters()
	l.closedLogged.Store(until.UnixNano())
	l.logAttrs(ctx, slog.LevelInfo, "ratelimit: gate closed",
		slog.Time("until", until), slog.Duration("for", d))
}

// closeFloor closes the gate for the floor after a 429 that named no usable
// wait (see [Store.CloseGateFloor]).
func (l *Limiter) closeFloor(ctx context.Context, sent, now time.Time) {
	ctx = context.WithoutCancel(ctx)
	prev := l.store.GateUntil(ctx)
	until := l.store.CloseGateFloor(ctx, sent, now)
	if !until.After(prev) || !until.After(now) {
		return
	}
	l.wakeWaiters()
	l.closedLogged.Store(until.UnixNano())
	l.logAttrs(ctx, slog.LevelInfo, "ratelimit: gate closed",
		slog.Time("until", until), slog.Duration("for", until.Sub(now)), slog.Bool("floor", true))
}

// wakeWaiters makes every caller waiting on the gate or the bucket look
// again.
func (l *Limiter) wakeWaiters() {
	next := make(chan struct{})
	close(*l.wake.Swap(&next))
}

// noteOpen logs the first passage through the gate after a closure.
func (l *Limiter) noteOpen(ctx context.Context) {
	v := l.closedLogged.Load()
	if v != 0 && l.closedLogged.CompareAndSwap(v, 0) {
		l.logAttrs(ctx, slog.LevelInfo, "ratelimit: gate opened")
	}
}

// slowDown cuts an adaptive bucket after a 429 to a request sent at sent,
// with Retry-After ra (0: none usable).
func (l *Limiter) slowDown(ctx context.Context, sent, now time.Time, ra time.Duration) {
	if l.adapt == nil {
		return
	}
	l.adapt.unrecord(sent)
	if from, to, ok := l.adapt.cut(context.WithoutCancel(ctx), sent, now, ra); ok {
		l.logAttrs(ctx, slog.LevelInfo, "ratelimit: rate lowered",
			slog.Float64("from", float64(from)), slog.Float64("to", float64(to)))
	}
}

// speedUp grows an adaptive bucket after an answer that was neither a 429
// nor a 5xx, if the bucket held callers back lately.
func (l *Limiter) speedUp(ctx context.Context, now time.Time) {
	if l.adapt == nil {
		return
	}
	held := now.UnixNano()-l.heldAt.Load() <= int64(2*l.adapt.pace(ctx, now).Interval+heldSlack)
	l.adapt.grow(context.WithoutCancel(ctx), now, held)
}

// answered tells an adaptive bucket how long the answer to a request sent
// at sent took, for its probe.
func (l *Limiter) answered(sent, now time.Time) {
	if l.adapt != nil {
		l.adapt.noteRTT(now.Sub(sent))
	}
}

// heldSlack is how long after the bucket last held a caller back it still
// counts as holding callers back, beyond two intervals of the pace.
const heldSlack = 10 * time.Millisecond

func (l *Limiter) logAttrs(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if l.log != nil {
		l.log.LogAttrs(ctx, level, msg, attrs...)
	}
}

// sleep waits for d, for wake to close, or for ctx to end, whichever comes
// first; woken reports the second.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) (woken bool, err error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return false, nil
	case <-wake:
		return true, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}
