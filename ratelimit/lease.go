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
	// demand counts the callers between asking for a slot and using it:
	// in steady use each of them asks again right after, so a lease of
	// that many slots serves the next round of them all.
	demand atomic.Int32
	// late is the most a slot was used after it was due since the last
	// lease (ns), for the next one (see [Pace.Late]).
	late atomic.Int64

	mu    sync.Mutex
	lease Lease
	next  int           // the next slot of lease to hand out
	busy  chan struct{} // closed when the lease being taken is in
}

// take returns the time of a slot for one request paced by p. A slot that
// is already too old to be used without crowding the next is skipped:
// slots are meant to be used on time. keepLate says whether slots used
// late push the bucket's schedule back (see [Pace.Late]): not while an
// adaptive rate probes for a limit it does not know, which crowding
// cannot break.
func (q *leaser) take(ctx context.Context, s BucketStore, p Pace, keepLate bool) (time.Time, error) {
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

		n := int(q.demand.Load())
		if p.Interval > 0 {
			n = min(n, max(1, int(leaseHorizon/p.Interval)))
		}
		p.Late = time.Duration(q.late.Swap(0))
		if !keepLate {
			p.Late = 0
		}
		l := s.Take(ctx, min(max(n, 1), maxLease), p)

		// The taker uses the first slot, however late it is by now, so
		// that every lease moves someone on.
		q.mu.Lock()
		q.lease, q.next, q.busy = l, 1, nil
		q.mu.Unlock()
		close(busy)
		return l.Slot(0), nil
	}
}

func (q *leaser) popLocked(p Pace, now time.Time) (time.Time, bool) {
	if q.lease.Epoch != p.Epoch {
		return time.Time{}, false // granted at a rate since abandoned
	}
	grace := max(q.lease.Interval/2, minGrace)
	for q.next < q.lease.N {
		slot := q.lease.Slot(q.next)
		q.next++
		if !slot.Add(grace).Before(now) {
			return slot, true
		}
	}
	return time.Time{}, false
}

// used records that a slot due at slot was used at now.
func (q *leaser) used(slot, now time.Time) {
	late := int64(now.Sub(slot))
	for {
		cur := q.late.Load()
		if late <= cur || q.late.CompareAndSwap(cur, late) {
			return
		}
	}
}

// minGrace is the least lateness a slot is allowed before it is skipped.
const minGrace = time.Millisecond

// giveBack returns a slot just taken but not used, when it is still the
// last one handed out, so that the next caller uses it.
func (q *leaser) giveBack(slot time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.next > 0 && q.lease.Slot(q.next-1).Equal(slot) {
		q.next--
	}
}
