package ratelimit

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Store holds the state that every process speaking for one Spotify app must
// agree on: until when the gate is closed. A Limiter reads it before every
// request, so GateUntil must be cheap; an implementation backed by a remote
// service (Redis, a database) should answer from a short-lived local copy,
// and should fail open (report the gate open) when the service cannot be
// reached, since refusing all traffic is worse than a few extra 429s.
//
// The bucket, the in-flight cap and the retry budget stay per process.
type Store interface {
	// GateUntil returns the instant before which no request may be sent.
	// The zero time, or any past instant, means the gate is open.
	GateUntil(ctx context.Context) time.Time
	// CloseGate keeps the gate closed until at least until. It never
	// shortens a closure already recorded.
	CloseGate(ctx context.Context, until time.Time)
	// CloseGateFloor closes the gate after a 429 that named no usable wait
	// (Retry-After missing, zero, negative or past), answered at now to a
	// request sent at sent, and returns when the gate opens. The closure
	// is the floor: [DefaultRetryAfter] at first, twice the previous floor
	// (at most [MaxGateFloor]) when the previous floor closure ended less
	// than its own length before now. A 429 to a request sent no later
	// than the start of the previous floor closure belongs to the round
	// that closure answered: it changes nothing. After a floor closure
	// the gate opens to one probe at a time ([Store.Probing]) until
	// [Store.EndProbe].
	CloseGateFloor(ctx context.Context, sent, now time.Time) (until time.Time)
	// Probing reports whether the last closure was a floor closure that
	// no answer has ended yet: the server named no wait, so an open gate
	// lets one request at a time through, a probe, until one is not
	// refused. A Limiter asks it before every request: it must be cheap.
	Probing(ctx context.Context) bool
	// TryProbe takes the probe if no other caller holds it.
	TryProbe(ctx context.Context) bool
	// EndProbe gives the probe back; ok reports that its request was not
	// refused, which ends probing.
	EndProbe(ctx context.Context, ok bool)
}

// MaxGateFloor bounds the floor closure of the gate, which doubles on each
// 429 that names no usable wait (see [Store.CloseGateFloor]).
const MaxGateFloor = time.Minute

// nextFloor is the floor closure for a 429 answered at now, after a previous
// floor closure of length prev that ended at prevUntil (prev 0: none).
func nextFloor(now, prevUntil time.Time, prev time.Duration) time.Duration {
	if prev > 0 && now.Before(prevUntil.Add(prev)) {
		return min(2*prev, MaxGateFloor)
	}
	return DefaultRetryAfter
}

// MemoryStore is the in-process [Store], safe for concurrent use. The zero
// value is an open gate.
type MemoryStore struct {
	until    atomic.Int64 // Unix nanoseconds; 0 when never closed
	probing  atomic.Bool
	probeOut atomic.Bool

	mu         sync.Mutex // guards the last floor closure
	floorStart time.Time
	floorUntil time.Time
	floorLen   time.Duration
}

// NewMemoryStore returns an empty in-process store.
func NewMemoryStore() *MemoryStore { return new(MemoryStore) }

// GateUntil implements [Store].
func (s *MemoryStore) GateUntil(context.Context) time.Time {
	n := s.until.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// CloseGate implements [Store].
func (s *MemoryStore) CloseGate(_ context.Context, until time.Time) {
	n := until.UnixNano()
	for {
		cur := s.until.Load()
		if n <= cur || s.until.CompareAndSwap(cur, n) {
			return
		}
	}
}

// CloseGateFloor implements [Store].
func (s *MemoryStore) CloseGateFloor(ctx context.Context, sent, now time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.floorLen > 0 && !sent.After(s.floorStart) {
		return s.GateUntil(ctx)
	}
	d := nextFloor(now, s.floorUntil, s.floorLen)
	s.floorStart, s.floorUntil, s.floorLen = now, now.Add(d), d
	s.probing.Store(true)
	s.CloseGate(ctx, s.floorUntil)
	return s.GateUntil(ctx)
}

// Probing implements [Store].
func (s *MemoryStore) Probing(context.Context) bool { return s.probing.Load() }

// TryProbe implements [Store].
func (s *MemoryStore) TryProbe(context.Context) bool {
	return s.probeOut.CompareAndSwap(false, true)
}

// EndProbe implements [Store].
func (s *MemoryStore) EndProbe(_ context.Context, ok bool) {
	if ok {
		s.probing.Store(false)
	}
	s.probeOut.Store(false)
}
