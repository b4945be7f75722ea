package ratelimit

import (
	"context"
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
}

// MemoryStore is the in-process [Store], safe for concurrent use. The zero
// value is an open gate.
type MemoryStore struct {
	until atomic.Int64 // Unix nanoseconds; 0 when never closed
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
