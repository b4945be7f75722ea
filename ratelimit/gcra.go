package ratelimit

import (
	"time"
)

// Pace is how a Limiter asks a store's bucket to space its requests.
type Pace struct {
	// Interval is the time between two requests, 1/rate. Zero or less
	// means no pacing: every slot is granted at once.
	Interval time.Duration
	// Burst is how many requests may go at once after an idle spell; at
	// least 1.
	Burst int
	// Epoch is the [RateState.Epoch] the pace was computed from. A bucket
	// that sees a higher epoch than it has seen forgets its reservations
	// and starts empty at EpochStart: the rate moved enough that slots
	// granted at the old one must not be used.
	Epoch      uint64
	EpochStart time.Time
	// Late is how much later than due the Limiter used a slot of its
	// leases since it last took one. The bucket pushes its schedule back
	// by as much: a slot used late crowds toward the slots granted after
	// it, and the window a server counts over sees them closer than the
	// pace.
	Late time.Duration
}

// Lease is a run of consecutive request slots granted by a store's bucket.
// Slot i (from 0) may be used from [Lease.Slot](i) on, and should be used
// soon after: a slot used late lets the requests of two slots arrive
// closer together than the pace allows.
type Lease struct {
	N         int           // slots granted
	Start     time.Time     // when they were granted, on the Limiter's clock
	Base      time.Time     // the bucket's schedule: slot i is due at Base + i×Interval − Tolerance
	Interval  time.Duration // between two slots
	Tolerance time.Duration // (Burst−1)×Interval: how early a slot may be used after an idle spell
	Epoch     uint64        // the pace's epoch
}

// Slot returns when slot i may be used.
func (l Lease) Slot(i int) time.Time {
	s := l.Base.Add(time.Duration(i)*l.Interval - l.Tolerance)
	if s.Before(l.Start) {
		return l.Start
	}
	return s
}

// gcra is a token bucket kept as one instant, the theoretical arrival time
// of the next request (the generic cell rate algorithm): a request at now
// may go at max(now, tat − tolerance), after which tat moves to
// max(tat, now) + interval. It is the same arithmetic as the Lua script of
// a Redis store, so that one process and many pace alike. Not safe for
// concurrent use.
type gcra struct {
	tat   time.Time
	epoch uint64
}

// take grants n slots paced by p at now.
func (g *gcra) take(now time.Time, n int, p Pace) Lease {
	if p.Epoch > g.epoch {
		// Start empty when the epoch began: its next slot was one
		// interval away.
		g.epoch = p.Epoch
		from := p.EpochStart
		if from.IsZero() || from.After(now) {
			from = now
		}
		g.tat = from.Add(time.Duration(max(p.Burst, 1)) * p.Interval)
	}
	if p.Interval <= 0 {
		return Lease{N: n, Start: now, Base: now, Epoch: p.Epoch}
	}
	if p.Late > 0 {
		if g.tat.Before(now) {
			g.tat = now
		}
		g.tat = g.tat.Add(p.Late)
	}
	base := g.tat
	if base.Before(now) {
		base = now
	}
	g.tat = base.Add(time.Duration(n) * p.Interval)
	return Lease{
		N: n, Start: now, Base: base, Interval: p.Interval,
		Tolerance: time.Duration(max(p.Burst, 1)-1) * p.Interval, Epoch: p.Epoch,
	}
}

// giveBack undoes the grant of l, one slot taken by take, if no slot was
// granted after it.
func (g *gcra) giveBack(l Lease) {
	if l.N == 1 && l.Interval > 0 && l.Epoch == g.epoch && g.tat.Equal(l.Base.Add(l.Interval)) {
		g.tat = l.Base
	}
}
