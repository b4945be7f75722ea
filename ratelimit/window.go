package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// windowGuard keeps a Limiter told the window ([WithWindow]) exactly
// within it, whatever the network and the scheduler do to the timing of
// the requests: request k is sent only once the window has passed since
// requests k−n and every one before them came back.
//
// A server counting over a rolling window stamps a request somewhere
// between its sending and the arrival of its answer. So when request k
// leaves at least one window after the answer to request k−n arrived, its
// stamp is at least one window after that of k−n and of every request
// before it: however late or early each was stamped, no span of one window
// holds more than n of them. A bucket alone spaces the sending times; the
// server's stamps can still crowd together (a request held up in a queue
// and the next one not), and the slack a bucket keeps for that costs a
// share of the window for good.
//
// Requests pass the guard in order, one at a time. It costs a request
// nothing while the bucket's pace keeps it below the window, which is the
// usual case: it holds a request back only when the timing crowded.
type windowGuard struct {
	n    int
	span time.Duration

	turn chan struct{} // held by the request passing the guard

	mu      sync.Mutex
	done    []int64 // by k mod n: when request k's answer came (Unix ns), 0 while out
	maxDone []int64 // by k mod n: the latest answer of requests up to k, once all are in
	next    int64   // the number of the next request to pass
	settled int64   // requests below this number have all come back
	latest  int64   // the latest answer of the settled requests
	changed chan struct{}
}

// windowMargin is added to the window the guard waits out, for servers
// that count a request still in the window at exactly one window's age.
const windowMargin = time.Millisecond

func newWindowGuard(n int, span time.Duration) *windowGuard {
	return &windowGuard{
		n: n, span: span, turn: make(chan struct{}, 1),
		done: make([]int64, n), maxDone: make([]int64, n), changed: make(chan struct{}),
	}
}

// pass waits until one more request may be sent and returns its number,
// for [windowGuard.finish]. wait bounds the wait (see [Limiter.canWait]).
func (g *windowGuard) pass(ctx context.Context, canWait func(time.Duration) error, wake <-chan struct{}) (k int64, woken bool, err error) {
	select {
	case g.turn <- struct{}{}:
	case <-ctx.Done():
		return 0, false, fmt.Errorf("ratelimit: waiting for the window: %w", ctx.Err())
	}
	defer func() { <-g.turn }()
	for {
		g.mu.Lock()
		k = g.next
		if k < int64(g.n) {
			g.admitLocked(k)
			g.mu.Unlock()
			return k, false, nil
		}
		if g.settled > k-int64(g.n) {
			ready := time.Unix(0, g.maxDone[(k-int64(g.n))%int64(g.n)]).Add(g.span + windowMargin)
			now := time.Now()
			if !now.Before(ready) {
				g.admitLocked(k)
				g.mu.Unlock()
				return k, false, nil
			}
			g.mu.Unlock()
			if err := canWait(ready.Sub(now)); err != nil {
				return 0, false, err
			}
			w, err := sleep(ctx, ready.Sub(now), wake)
			if err != nil {
				return 0, false, fmt.Errorf("ratelimit: waiting for the window: %w", err)
			}
			if w {
				return 0, true, nil
			}
			continue
		}
		// Request k−n is still out: wait for answers.
		changed := g.changed
		g.mu.Unlock()
		select {
		case <-changed:
		case <-wake:
			return 0, true, nil
		case <-ctx.Done():
			return 0, false, fmt.Errorf("ratelimit: waiting for the window: %w", ctx.Err())
		}
	}
}

func (g *windowGuard) admitLocked(k int64) {
	g.done[k%int64(g.n)] = 0
	g.next = k + 1
}

// finish records that request k came back (or was never sent) at now.
func (g *windowGuard) finish(k int64, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.done[k%int64(g.n)] = max(now.UnixNano(), 1)
	for g.settled < g.next {
		i := g.settled % int64(g.n)
		if g.done[i] == 0 {
			break
		}
		g.latest = max(g.latest, g.done[i])
		g.maxDone[i] = g.latest
		g.settled++
	}
	close(g.changed)
	g.changed = make(chan struct{})
}
