package ratelimit

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// safeToRepeat reports whether req may be sent again after an attempt that
// may have reached the server: its method is safe (GET, HEAD, OPTIONS,
// TRACE), or it carries an Idempotency-Key or X-Idempotency-Key header,
// which marks it safe as net/http's Transport reads the same header for its
// own retries (a nil value marks the request without sending the header).
// PUT and DELETE are not safe by their method alone: RFC 9110 calls them
// idempotent, but an API's PUT may move a range or its DELETE remove by
// position, and only the caller knows which.
func safeToRepeat(req *http.Request) bool {
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	if req.Header == nil {
		return false
	}
	_, key := req.Header["Idempotency-Key"]
	_, xkey := req.Header["X-Idempotency-Key"]
	return key || xkey
}

// retryableStatus reports answers that say "try again later" without
// saying the request was wrong.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// transient reports whether err is a network failure that another attempt
// may not meet: resets, early EOFs, timeouts, failed dials. A context's own
// end and a name that does not resolve are not.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTimeout || dns.IsTemporary
	}
	for _, e := range []error{io.EOF, io.ErrUnexpectedEOF, syscall.ECONNRESET,
		syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE, syscall.ETIMEDOUT,
		syscall.EHOSTUNREACH, syscall.ENETUNREACH} {
		if errors.Is(err, e) {
			return true
		}
	}
	if dialFailed(err) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// dialFailed reports whether err shows that no connection was made, so the
// server cannot have seen the request.
func dialFailed(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// errKind names a network error for logs without quoting it: an error's
// text is not ours to vet.
func errKind(err error) string {
	switch {
	case dialFailed(err):
		return "dial"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return "network"
}

// fullJitter draws each wait uniformly from [0, bound], where bound grows
// exponentially (backoff.ExponentialBackOff without its own randomization).
// Full jitter spreads the retries of clients that failed together better
// than jitter around the bound does.
type fullJitter struct {
	exp    backoff.ExponentialBackOff
	jitter func(n int64) int64
}

var _ backoff.BackOff = (*fullJitter)(nil)

func newFullJitter(initial, max time.Duration, jitter func(int64) int64) *fullJitter {
	f := &fullJitter{jitter: jitter}
	f.exp = backoff.ExponentialBackOff{
		InitialInterval: initial,
		Multiplier:      2,
		MaxInterval:     max,
		Stop:            backoff.Stop,
		Clock:           backoff.SystemClock,
		// No RandomizationFactor and no MaxElapsedTime: we jitter
		// ourselves, and attempts are bounded by count.
	}
	f.exp.Reset()
	return f
}

// NextBackOff implements backoff.BackOff.
func (f *fullJitter) NextBackOff() time.Duration {
	bound := f.exp.NextBackOff()
	if bound == backoff.Stop || bound <= 0 {
		return bound
	}
	return time.Duration(f.jitter(int64(bound) + 1))
}

// Reset implements backoff.BackOff.
func (f *fullJitter) Reset() { f.exp.Reset() }

// budget counts first requests and retries over the last BudgetWindow in
// one-second slots, and grants a retry only while retries stay within
// min + ratio × requests. A server that fails everything then sees at most
// ratio more load, not maxAttempts times as much.
type budget struct {
	ratio float64
	min   int

	mu    sync.Mutex
	slots [budgetSlots]budgetSlot
}

const budgetSlots = int64(BudgetWindow / time.Second)

type budgetSlot struct {
	sec               int64
	requests, retries int
}

func (b *budget) slot(now time.Time) *budgetSlot {
	sec := now.Unix()
	s := &b.slots[(sec%budgetSlots+budgetSlots)%budgetSlots]
	if s.sec != sec {
		*s = budgetSlot{sec: sec}
	}
	return s
}

func (b *budget) request(now time.Time) {
	b.mu.Lock()
	b.slot(now).requests++
	b.mu.Unlock()
}

// tryRetry spends one retry if the budget allows it.
func (b *budget) tryRetry(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	cur := b.slot(now)
	var requests, retries int
	for i := range b.slots {
		if s := &b.slots[i]; s.sec > cur.sec-budgetSlots {
			requests += s.requests
			retries += s.retries
		}
	}
	if float64(retries) >= float64(b.min)+b.ratio*float64(requests) {
		return false
	}
	cur.retries++
	return true
}
