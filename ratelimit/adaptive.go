package ratelimit

import (
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
	probeStep  = 2.0
	regainStep = 0.5
	nearStep   = 0.01
	nearMax    = 0.9 // "near the last 429": above this share of its rate
	cutFactor  = 0.8 // what a 429 leaves of the rate
	minServed  = 12  // answers in the last second that make a measure
	// wakeFactor: when the rate has grown by this much since the bucket
	// was last replaced, it is replaced again (see set).
	wakeFactor = 1.2
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
type adaptive struct {
	bucket      *atomic.Pointer[rate.Limiter]
	ceil, floor rate.Limit
	wake        func() // wakes callers waiting on the bucket
	atCeil      atomic.Bool

	mu       sync.Mutex
	lastCut  time.Time  // zero while probing
	lastMax  rate.Limit // the send rate the last 429 cut
	lastWake rate.Limit // the rate of the bucket when it was last replaced
	served   meter      // answers that were not a 429 or a 5xx
}

// cut lowers the rate after a 429 to a request sent at sent. 429s to
// requests sent before the previous cut say nothing new (they were sent at
// the old rate), so they do not cut again: a burst of concurrent 429s cuts
// the rate once.
func (a *adaptive) cut(sent, now time.Time) (from, to rate.Limit, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.lastCut.IsZero() && !sent.After(a.lastCut) {
		return 0, 0, false
	}
	a.lastCut = now
	from = a.bucket.Load().Limit()
	// The rate the server accepted in the last second, if lower than the
	// setting, is the better guess at the limit; but a few answers say
	// little (the gate may just have held everyone), so it takes a dozen.
	a.lastMax = from
	if n := a.served.rate(now); n >= minServed && n < from {
		a.lastMax = n
	}
	to = max(a.floor, a.lastMax*cutFactor)
	a.set(now, to)
	return from, to, to != from
}

// grow adds one step after an answer that was not a 429 or a 5xx.
func (a *adaptive) grow(now time.Time) {
	if a.atCeil.Load() {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.served.add(now)
	b := a.bucket.Load()
	if b.TokensAt(now) >= 1 {
		return // callers ask for less than the bucket allows: it holds no one back
	}
	r := b.Limit()
	var step rate.Limit
	switch {
	case a.lastCut.IsZero():
		step = probeStep
	case r < nearMax*a.lastMax:
		step = min(regainStep, nearMax*a.lastMax-r)
	case r < a.lastMax/nearMax:
		step = nearStep
	default:
		step = regainStep // well past the last 429: the limit has moved
	}
	a.set(now, min(a.ceil, r+step))
}

// set changes the rate. A small step adjusts the bucket in place. A cut,
// or growth by wakeFactor since the last replacement, replaces the bucket
// and wakes the callers waiting on the old one: a rate.Reservation keeps
// the time it was given at the old rate, and cancelling many of them gives
// back only part of their tokens, so adjusting in place would leave
// callers queued at the old pace or the bucket in debt.
func (a *adaptive) set(now time.Time, r rate.Limit) {
	a.atCeil.Store(r >= a.ceil)
	if r >= a.lastWake && r < wakeFactor*a.lastWake {
		b := a.bucket.Load()
		b.SetLimitAt(now, r)
		b.SetBurstAt(now, adaptiveBurst(r))
		return
	}
	a.lastWake = r
	b := rate.NewLimiter(r, adaptiveBurst(r))
	b.AllowN(now, b.Burst()) // starts empty: a replacement is no reason to burst
	a.bucket.Store(b)
	a.wake()
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
