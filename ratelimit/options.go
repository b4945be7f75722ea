package ratelimit

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"golang.org/x/time/rate"
)

// Defaults used by [New] when no option says otherwise.
const (
	// DefaultRate is the adaptive bucket's starting rate, in requests per
	// second. Spotify does not publish its limits, so this is a modest
	// guess: the bucket probes upward from it until the first 429.
	DefaultRate rate.Limit = 20
	// DefaultMaxRate is the highest rate the adaptive bucket climbs to when
	// no 429 stops it first: a bound on how hard a client pushes an API
	// whose limits are unknown. Apps that know their limit say so with
	// [WithWindow] or [WithRate].
	DefaultMaxRate rate.Limit = 250
	// DefaultMinRate is the adaptive bucket's floor.
	DefaultMinRate rate.Limit = 0.2
	// DefaultMaxInFlight caps outstanding requests.
	DefaultMaxInFlight = 32
	// DefaultMaxWait is how long a caller may wait for the gate or the bucket.
	DefaultMaxWait = time.Minute
	// DefaultMaxAttempts is the number of attempts per request, the first
	// included.
	DefaultMaxAttempts = 4
	// DefaultBackoffInitial and DefaultBackoffMax bound the retry backoff.
	DefaultBackoffInitial = 200 * time.Millisecond
	DefaultBackoffMax     = 10 * time.Second
	// DefaultRetryRatio and DefaultRetryMin make the default retry budget:
	// retries in the last [BudgetWindow] may be at most 10 plus 20% of the
	// requests in it.
	DefaultRetryRatio = 0.2
	DefaultRetryMin   = 10
)

// BudgetWindow is the span over which the retry budget compares retries with
// requests.
const BudgetWindow = 10 * time.Second

// Option configures a [Limiter]. Options return an error for invalid values;
// [New] reports the first one.
type Option func(*config) error

type config struct {
	limit    rate.Limit // bucket rate; the adaptive ceiling when adaptive
	burst    int
	adaptive bool
	minLimit rate.Limit

	windowN    int // > 0: told the window (WithWindow)
	windowSpan time.Duration

	maxInFlight int // 0: no cap
	maxWait     time.Duration
	maxAttempts int

	backoffInitial time.Duration
	backoffMax     time.Duration

	retryRatio float64
	retryMin   int

	logger *slog.Logger
	store  Store

	// jitter returns a value in [0, n); tests replace it to pin the
	// backoff waits.
	jitter func(n int64) int64
}

func defaultConfig() config {
	return config{
		limit:          DefaultRate,
		burst:          adaptiveBurst(DefaultRate),
		adaptive:       true,
		minLimit:       DefaultMinRate,
		maxInFlight:    DefaultMaxInFlight,
		maxWait:        DefaultMaxWait,
		maxAttempts:    DefaultMaxAttempts,
		backoffInitial: DefaultBackoffInitial,
		backoffMax:     DefaultBackoffMax,
		retryRatio:     DefaultRetryRatio,
		retryMin:       DefaultRetryMin,
		jitter:         rand.Int64N,
	}
}

// adaptiveBurst lets a tenth of a second's worth of requests go at once. A
// bucket that also let a full second's worth through would send twice its
// rate within one second after an idle spell, and the server's window,
// whose length is unknown, may be that short.
func adaptiveBurst(r rate.Limit) int {
	return max(1, int(math.Ceil(float64(r)/10)))
}

func badLimit(r rate.Limit) bool {
	return math.IsNaN(float64(r)) || r <= 0
}

// WithRate paces requests at a fixed r per second with bursts of up to burst,
// with no adaptation. rate.Inf turns pacing off (burst is then ignored).
func WithRate(r rate.Limit, burst int) Option {
	return func(c *config) error {
		if badLimit(r) {
			return fmt.Errorf("ratelimit: WithRate: rate must be positive, got %v", r)
		}
		if burst < 1 && r != rate.Inf {
			return fmt.Errorf("ratelimit: WithRate: burst must be at least 1, got %d", burst)
		}
		c.limit, c.burst, c.adaptive, c.windowN = r, max(burst, 1), false, 0
		return nil
	}
}

// WithWindow paces requests so that no span of length window holds more
// than n of them (retries included) as the server counts them, with no
// adaptation. With the in-process store the count is this Limiter's;
// Limiters sharing a store (a Redis store, say) share the n.
//
// Two mechanisms keep the count. The bucket spaces requests evenly at
// n per 1.01 × window, one at a time (a burst of 1): any window of sending
// times then holds at most 1 + floor(n/1.01) <= n requests, and a steady
// stream reaches 99% of n/window. And, for requests that hold an in-flight
// slot (every request of [Transport]), a guard sends request k only once
// one window has passed since the answers to request k−n and all before it
// came back: since the server stamps each request between its sending and
// its answer, no window of the server's stamps can hold n+1 of them,
// whatever delays the network or the scheduler add. The guard only acts
// when such delays crowd requests together.
func WithWindow(n int, window time.Duration) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("ratelimit: WithWindow: n must be at least 1, got %d", n)
		}
		if window <= 0 {
			return fmt.Errorf("ratelimit: WithWindow: window must be positive, got %s", window)
		}
		c.limit = rate.Limit(float64(n) / (windowSlack * window.Seconds()))
		c.burst, c.adaptive = 1, false
		c.windowN, c.windowSpan = n, window
		return nil
	}
}

// windowSlack stretches the window the bucket paces over (see WithWindow).
const windowSlack = 1.01

// WithAdaptive makes the bucket adaptive, which is the default: it starts at
// initial requests per second and, until the first 429, grows on each
// answer that is neither a 429 nor a 5xx by one request per round trip of
// that answer (at least two requests per second): the rate doubles every
// round trip, as TCP's slow start does.
//
// The first 429 then tells the server's window, when the server keeps a
// rolling window of whole seconds and names in Retry-After the seconds,
// rounded up, until its oldest request leaves it, as Spotify does: of the
// spans of whole seconds up to a minute that fit the requests sent and the
// Retry-After, the one giving the lowest rate is kept, and the bucket paces
// within it as [WithWindow] does. Every ten windows (at least a minute)
// without a 429 the window's n grows by 1%, so that a window inferred too
// small is not kept for good; a 429 infers it again.
//
// A 429 that fits no window (Retry-After missing, over a minute or a date)
// cuts the rate to 80% of the rate the server accepted in the last second
// (once per round of requests sent before the cut), never below min; after
// that it regains ground fast up to 90% of that rate and then creeps by
// about 1% a second. It does not grow while the bucket holds no caller
// back, and never exceeds the larger of initial and [DefaultMaxRate]. The
// burst follows the rate (a tenth of a second's worth; one within a
// window).
func WithAdaptive(initial rate.Limit, min rate.Limit) Option {
	return func(c *config) error {
		if badLimit(initial) || initial == rate.Inf {
			return fmt.Errorf("ratelimit: WithAdaptive: initial rate must be positive and finite, got %v", initial)
		}
		if badLimit(min) || min > initial {
			return fmt.Errorf("ratelimit: WithAdaptive: min rate must be positive and at most %v, got %v", initial, min)
		}
		c.limit, c.minLimit, c.burst, c.adaptive, c.windowN = initial, min, adaptiveBurst(initial), true, 0
		return nil
	}
}

// WithMaxInFlight caps the number of requests outstanding at once; 0 removes
// the cap. Waiting for a slot is bounded only by the caller's context.
func WithMaxInFlight(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("ratelimit: WithMaxInFlight: n must not be negative, got %d", n)
		}
		c.maxInFlight = n
		return nil
	}
}

// WithMaxWait bounds how long one admission may wait for the gate and the
// bucket together. A caller that would wait longer gets a [*GateError] at
// once. 0 means never wait: any closed gate or empty bucket refuses.
func WithMaxWait(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("ratelimit: WithMaxWait: must not be negative, got %s", d)
		}
		c.maxWait = d
		return nil
	}
}

// WithMaxAttempts sets the number of attempts per request, the first
// included; 1 turns retries off.
func WithMaxAttempts(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("ratelimit: WithMaxAttempts: n must be at least 1, got %d", n)
		}
		c.maxAttempts = n
		return nil
	}
}

// WithBackoff sets the retry backoff: the bound starts at initial, doubles on
// each retry up to max, and each wait is drawn uniformly from [0, bound].
func WithBackoff(initial, max time.Duration) Option {
	return func(c *config) error {
		if initial <= 0 || max < initial {
			return fmt.Errorf("ratelimit: WithBackoff: need 0 < initial <= max, got %s and %s", initial, max)
		}
		c.backoffInitial, c.backoffMax = initial, max
		return nil
	}
}

// WithRetryBudget limits retries across the whole Limiter: within any
// [BudgetWindow], retries may be at most min plus ratio times the requests
// first sent in it. A retry over budget is not made; the caller gets the
// last answer or error as is. ratio 0 with min 0 turns retries off.
func WithRetryBudget(ratio float64, min int) Option {
	return func(c *config) error {
		if math.IsNaN(ratio) || math.IsInf(ratio, 0) || ratio < 0 {
			return fmt.Errorf("ratelimit: WithRetryBudget: ratio must be finite and not negative, got %v", ratio)
		}
		if min < 0 {
			return fmt.Errorf("ratelimit: WithRetryBudget: min must not be negative, got %d", min)
		}
		c.retryRatio, c.retryMin = ratio, min
		return nil
	}
}

// WithLogger logs the Limiter's events to l: 429 received, gate closed and
// opened, rate lowered, retry scheduled (debug), retry budget exhausted
// (warn). Lines name
// the method and URL path; never a header or a query. nil turns logging off.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithStore keeps the state the Limiters of one app share (the gate, the
// bucket, the adaptive rate) in s instead of in a store of its own.
// Limiters of the same app, in one process or in many, share one store so
// that together they keep the app's budget.
func WithStore(s Store) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("ratelimit: WithStore: nil store")
		}
		c.store = s
		return nil
	}
}
