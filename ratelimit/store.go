package ratelimit

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Store holds the state that every Limiter speaking for one Spotify app must
// share, within a process or across many: the gate, the bucket and the
// adaptive rate. [MemoryStore], the default, keeps them in the process; a
// store backed by a shared service (such as the Redis store of
// ratelimit/redisstore) lets every replica of an app pace itself on one
// budget and honour the others' 429s.
//
// The in-flight cap and the retry budget stay per Limiter: the first
// bounds one process's connections; the second is a share of the requests
// each Limiter sends, which summed over the replicas bounds the retries of
// the fleet the same way.
//
// A Limiter consults the store on every request, so the methods that say
// "cheap" must answer from memory; a remote store keeps a local copy. No
// method returns an error: a store whose backend cannot be reached must
// degrade (a remote store to a local share of the last known rate), since
// refusing traffic is worse than a few extra 429s. The context bounds any
// remote call.
type Store interface {
	GateStore
	BucketStore
	RateStore
}

// GateStore keeps the gate that a 429 closes.
type GateStore interface {
	// GateUntil returns the instant before which no request may be sent.
	// The zero time, or any past instant, means the gate is open. It must
	// be cheap.
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
	// the gate opens to one probe at a time ([GateStore.Probing]) until
	// a probe is not refused.
	CloseGateFloor(ctx context.Context, sent, now time.Time) (until time.Time)
	// Probing reports whether the last closure was a floor closure that
	// no answer has ended yet: the server named no wait, so an open gate
	// lets one request at a time through, a probe, until one is not
	// refused. It must be cheap.
	Probing(ctx context.Context) bool
	// TryProbe takes the probe if no other caller holds it.
	TryProbe(ctx context.Context) bool
	// EndProbe gives the probe back; ok reports that its request was not
	// refused, which ends probing.
	EndProbe(ctx context.Context, ok bool)
}

// BucketStore keeps the token bucket that paces the requests.
type BucketStore interface {
	// Take grants n (at least 1) consecutive slots of the bucket, paced
	// by p, to the caller. Slots are never given back: a Limiter asks for
	// as many as it has callers waiting.
	Take(ctx context.Context, n int, p Pace) Lease
}

// RateStore keeps the rate an adaptive Limiter learned, so that a cut made
// by one Limiter slows them all and a restarted process starts from it.
type RateStore interface {
	// Rate returns the shared adaptive rate; its Limit is 0 while no
	// Limiter has stored one. It must be cheap.
	Rate(ctx context.Context) RateState
	// SwapRate stores next if the shared rate is still the one at
	// old.Version (compare and swap), with Version set to old.Version+1.
	// It returns the state stored when it returns and whether next was
	// stored.
	SwapRate(ctx context.Context, old, next RateState) (RateState, bool)
	// Sent returns the requests per second the app sent over the last
	// second (the slots of its bucket that fell due), and whether the store
	// keeps that count. A 429 cuts from it: until the first 429, what was
	// sent was served, and a rolling window refuses once what it served in
	// the window reaches the limit. An in-process store keeps none: the
	// Limiter counts the answers it was served itself.
	Sent(ctx context.Context) (rate.Limit, bool)
	// RecordSend notes a request of the app sent at at, for Sends. It
	// must be cheap: a remote store batches.
	RecordSend(at time.Time)
	// Sends returns when the app's requests of the last minute or so were
	// sent (Unix ns, oldest first), the instant from which that list is
	// complete, and whether the store keeps one. An adaptive Limiter reads
	// it after a 429 to infer the server's window (see [WithAdaptive]); an
	// in-process store keeps none, and the Limiter uses the requests it
	// sent itself. It may take a moment: a remote store waits for the
	// other processes to add what they sent.
	Sends(ctx context.Context) (at []int64, since int64, ok bool)
}

// RateState is the adaptive rate shared through a [RateStore].
type RateState struct {
	Limit   rate.Limit // requests per second
	LastCut time.Time  // when the last 429 cut it; zero while probing upward
	LastMax rate.Limit // the send rate that 429 cut
	// WindowN and Window are the window inferred from a 429, n requests
	// per span (zero: none): a Limiter pacing at an inferred window keeps
	// within it as if told it ([WithWindow]) and no longer probes.
	WindowN int
	Window  time.Duration
	// Epoch grows when the rate moves enough that slots granted at the
	// old one must not be used (see [Pace]); EpochStart is when it last
	// did.
	Epoch      uint64
	EpochStart time.Time
	// Version is set by the store: it grows with each swap.
	Version uint64
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
// value is an open gate, an empty bucket and no learned rate.
type MemoryStore struct {
	until    atomic.Int64 // Unix nanoseconds; 0 when never closed
	probing  atomic.Bool
	probeOut atomic.Bool

	mu         sync.Mutex // guards the last floor closure
	floorStart time.Time
	floorUntil time.Time
	floorLen   time.Duration

	bucketMu sync.Mutex
	bucket   gcra

	rateMu sync.Mutex
	rate   RateState
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

// Take implements [Store].
func (s *MemoryStore) Take(_ context.Context, n int, p Pace) Lease {
	now := time.Now()
	s.bucketMu.Lock()
	defer s.bucketMu.Unlock()
	return s.bucket.take(now, max(n, 1), p)
}

// giveBack returns a slot of l, a lease of one slot, when no other slot was
// granted since.
func (s *MemoryStore) giveBack(l Lease) {
	s.bucketMu.Lock()
	defer s.bucketMu.Unlock()
	s.bucket.giveBack(l)
}

// Rate implements [Store].
func (s *MemoryStore) Rate(context.Context) RateState {
	s.rateMu.Lock()
	defer s.rateMu.Unlock()
	return s.rate
}

// SwapRate implements [Store].
func (s *MemoryStore) SwapRate(_ context.Context, old, next RateState) (RateState, bool) {
	s.rateMu.Lock()
	defer s.rateMu.Unlock()
	if s.rate.Version != old.Version {
		return s.rate, false
	}
	next.Version = old.Version + 1
	s.rate = next
	return s.rate, true
}

// Sent implements [Store]: a Limiter's own count is the app's.
func (s *MemoryStore) Sent(context.Context) (rate.Limit, bool) { return 0, false }

// RecordSend implements [Store]: a Limiter's own record is the app's.
func (s *MemoryStore) RecordSend(time.Time) {}

// Sends implements [Store]: a Limiter's own record is the app's.
func (s *MemoryStore) Sends(context.Context) ([]int64, int64, bool) { return nil, 0, false }
