package ratelimit

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// adaptive steers the bucket's rate: additive increase, multiplicative
// decrease. Halving on a 429 backs off fast enough to stop a stream of 429s
// within a few rounds; small steps up on success probe back towards the
// ceiling without overshooting far, so the rate settles just under the
// app's real limit, which Spotify does not publish.
type adaptive struct {
	bucket            *rate.Limiter
	ceil, floor, step rate.Limit
	atCeil            atomic.Bool // lets successes at full speed skip the lock

	mu      sync.Mutex
	lastCut time.Time
}

// cut halves the rate after a 429 to a request sent at sent. 429s to
// requests sent before the previous cut say nothing new (they were sent at
// the old rate), so they do not cut again: a burst of concurrent 429s
// halves the rate once.
func (a *adaptive) cut(sent, now time.Time) (from, to rate.Limit, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.lastCut.IsZero() && !sent.After(a.lastCut) {
		return 0, 0, false
	}
	a.lastCut = now
	from = a.bucket.Limit()
	to = max(a.floor, from/2)
	a.set(now, to)
	return from, to, to != from
}

// grow adds one step after an answer that was not a 429.
func (a *adaptive) grow(now time.Time) {
	if a.atCeil.Load() {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.set(now, min(a.ceil, a.bucket.Limit()+a.step))
}

func (a *adaptive) set(now time.Time, r rate.Limit) {
	a.bucket.SetLimitAt(now, r)
	a.bucket.SetBurstAt(now, adaptiveBurst(r))
	a.atCeil.Store(r >= a.ceil)
}
