package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// leaseHorizon bounds how far ahead one lease reaches: a Limiter asks its
// store for as many slots as it has callers waiting, but no more than
// cover this much time, so that what it holds and might not use stays
// small. With a remote store this is what keeps the calls to it below one
// per request: eight callers waiting take one call between them.
const (
	leaseHorizon = 100 * time.Millisecond
	maxLease     = 32
)

// leaser hands a Limiter's callers the slots of leases taken from the
// store's bucket, in order, taking a new lease when the current one is used
// up. One caller at a time takes a lease; the others wait for it.
type leaser struct {
	waiting atomic.Int32 // callers inside take

	mu    sync.Mutex
	lease Lease
	next  int           // the next slot of lease to hand out
	busy  chan struct{} // closed when the lease being taken is in
}

// take returns the time of a slot for one request paced by p. A slot that
// is already too old to be used without crowding the next is skipped:
// slots are meant to be used on time.
func (q *leaser) take(ctx context.Context, s BucketStore, p Pace) (time.Time, error) {
	q.waiting.Add(1)
	defer q.waiting.Add(-1)
	for {
		q.mu.Lock()
		if slot, ok := q.popLocked(p, time.Now()); ok {
			q.mu.Unlock()
			return slot, nil
		}
		if busy := q.busy; busy != nil {
			q.mu.Unlock()
			select {
			case <-busy:
				continue
			case <-ctx.Done():
				return time.Time{}, fmt.Errorf("ratelimit: waiting for the bucket: %w", ctx.Err())
			}
		}
		busy := make(chan struct{})
		q.busy = busy
		q.mu.Unlock()

		n := int(q.waiting.Load())
		if p.Interval > 0 {
			n = min(n, max(1, int(leaseHorizon/p.Interval)))
		}
		l := s.Take(ctx, min(max(n, 1), maxLease), p)

		q.mu.Lock()
		q.lease, q.next, q.busy = l, 0, nil
		q.mu.Unlock()
		close(busy)
	}
}

func (q *leaser) popLocked(p Pace, now time.Time) (time.Time, bool) {
	if q.lease.Epoch != p.Epoch {
		return time.Time{}, false // granted at a rate since abandoned
	}
	grace := q.lease.Interval / 2
	for q.next < q.lease.N {
		slot := q.lease.Slot(q.next)
		q.next++
		if !slot.Add(grace).Before(now) {
			return slot, true
		}
	}
	return time.Time{}, false
}

// giveBack returns a slot just taken but not used, when it is still the
// last one handed out, so that the next caller uses it.
func (q *leaser) giveBack(slot time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.next > 0 && q.lease.Slot(q.next-1).Equal(slot) {
		q.next--
	}
}
