package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// DefaultRetryAfter is how long the gate closes for a 429 that carries no
// usable Retry-After header.
const DefaultRetryAfter = time.Second

// Limiter is the request budget of one Spotify app: the Retry-After gate,
// the token bucket, the in-flight cap and the retry budget. Make one per app
// with [New] and share it between every client and goroutine of that app; it
// is safe for concurrent use.
type Limiter struct {
	cfg    config
	store  Store
	bucket atomic.Pointer[rate.Limiter] // an adaptive bucket replaces it on big moves
	slots  chan struct{}                // nil when in-flight requests are not capped
	adapt  *adaptive                    // nil when the pace is fixed
	budget *budget
	log    *slog.Logger

	// wake is closed, and replaced, each time this Limiter closes the gate
	// or an adaptive bucket speeds up,
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
	Limit           rate.Limit    // the bucket's current rate, in requests per second
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
	}
	l.bucket.Store(rate.NewLimiter(cfg.limit, cfg.burst))
	if l.store == nil {
		l.store = NewMemoryStore()
	}
	if cfg.maxInFlight > 0 {
		l.slots = make(chan struct{}, cfg.maxInFlight)
	}
	if cfg.adaptive {
		l.adapt = &adaptive{bucket: &l.bucket, ceil: max(cfg.limit, DefaultMaxRate), floor: cfg.minLimit,
			wake: l.wakeWaiters, lastWake: cfg.limit}
		l.adapt.atCeil.Store(cfg.limit >= l.adapt.ceil)
	}
	wake := make(chan struct{})
	l.wake.Store(&wake)
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
		Limit:           l.bucket.Load().Limit(),
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
// retryAfter (at most [MaxRetryAfter]) and slows an adaptive bucket.
func (l *Limiter) Throttle(ctx context.Context, retryAfter time.Duration) {
	now := time.Now()
	retryAfter = min(max(retryAfter, 0), MaxRetryAfter)
	l.rateLimited.Add(1)
	l.closeGate(ctx, now, retryAfter)
	l.slowDown(ctx, now, now)
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
		w, err := l.passGate(ctx, start)
		waited = waited || w
		if err != nil {
			return nil, time.Time{}, err
		}
		again, w, err := l.takeToken(ctx, start)
		waited = waited || w
		if err != nil {
			return nil, time.Time{}, err
		}
		if again {
			continue
		}
		if holdSlot {
			w, err := l.takeSlot(ctx)
			waited = waited || w
			if err != nil {
				return nil, time.Time{}, err
			}
		}
		// at is read before the gate: a 429 that cut the adaptive rate
		// after it cannot be this request's doing.
		at := time.Now()
		if l.gateClosed(ctx, at) {
			// It closed while this caller waited: the token is spent,
			// but the request must not go.
			l.freeSlot(holdSlot)
			continue
		}
		l.requests.Add(1)
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
				l.freeSlot(true)
			}
		}, at, nil
	}
}

func (l *Limiter) gateClosed(ctx context.Context, now time.Time) bool {
	return now.Before(l.store.GateUntil(ctx))
}

// passGate returns once the gate is open. waited reports whether it slept.
func (l *Limiter) passGate(ctx context.Context, start time.Time) (waited bool, err error) {
	for {
		wake := *l.wake.Load() // before reading the store, so no closure is missed
		now := time.Now()
		until := l.store.GateUntil(ctx)
		if !now.Before(until) {
			l.noteOpen(ctx)
			return waited, nil
		}
		wait := until.Sub(now)
		if err := l.canWait(ctx, start, now, wait); err != nil {
			return waited, err
		}
		waited = true
		slept := time.Now()
		_, err := sleep(ctx, wait, wake)
		traceWait(ctx, StageGate, slept)
		if err != nil {
			return waited, fmt.Errorf("ratelimit: waiting for the gate to open: %w", err)
		}
	}
}

// takeToken takes a token from the bucket. again reports that the gate
// closed during the wait, so the caller must go back to it; the token is
// then returned.
func (l *Limiter) takeToken(ctx context.Context, start time.Time) (again, waited bool, err error) {
	wake := *l.wake.Load() // before the bucket, so no replacement is missed
	bucket := l.bucket.Load()
	now := time.Now()
	r := bucket.ReserveN(now, 1)
	if !r.OK() {
		return false, false, fmt.Errorf("ratelimit: the bucket grants no request (burst %d)", bucket.Burst())
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return false, false, nil
	}
	if err := l.canWait(ctx, start, now, d); err != nil {
		r.CancelAt(now)
		return false, false, err
	}
	woken, err := sleep(ctx, d, wake)
	traceWait(ctx, StageBucket, now)
	if err != nil || woken {
		r.Cancel()
	}
	if err != nil {
		return false, true, fmt.Errorf("ratelimit: waiting for the bucket: %w", err)
	}
	return woken, true, nil
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

// slowDown cuts an adaptive bucket after a 429 to a request sent at sent.
func (l *Limiter) slowDown(ctx context.Context, sent, now time.Time) {
	if l.adapt == nil {
		return
	}
	if from, to, ok := l.adapt.cut(sent, now); ok {
		l.logAttrs(ctx, slog.LevelInfo, "ratelimit: rate lowered",
			slog.Float64("from", float64(from)), slog.Float64("to", float64(to)))
	}
}

func (l *Limiter) speedUp(now time.Time) {
	if l.adapt != nil {
		l.adapt.grow(now)
	}
}

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
