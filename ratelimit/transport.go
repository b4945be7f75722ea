package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// Transport is an [http.RoundTripper] that sends each request through a
// [Limiter] and retries it as the package documentation describes. Many
// Transports (one per http.Client, say) may share one Limiter.
//
// It never logs a request header nor puts one in an error.
type Transport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Limiter paces the requests; it must not be nil.
	Limiter *Limiter
}

// NewTransport returns a Transport sending through base (nil for
// http.DefaultTransport) under lim.
func NewTransport(base http.RoundTripper, lim *Limiter) *Transport {
	return &Transport{Base: base, Limiter: lim}
}

var (
	errNoLimiter  = errors.New("ratelimit: Transport has no Limiter")
	errNoResponse = errors.New("ratelimit: base RoundTripper returned neither a response nor an error")
)

// ErrNotSent is matched (with errors.Is) by the errors [Transport] returns
// for a request the server cannot have acted on: the Limiter refused it, or
// its context ended while it waited for admission, before any attempt or
// after attempts the server surely did not act on (429s, failed dials).
// A caller may send such a request again whatever its method.
var ErrNotSent = errors.New("ratelimit: request not sent")

// notSentError keeps an error's text and types and adds [ErrNotSent].
type notSentError struct{ err error }

func (e *notSentError) Error() string   { return e.err.Error() }
func (e *notSentError) Unwrap() []error { return []error{e.err, ErrNotSent} }

// notSent marks err with ErrNotSent unless an attempt may have been acted on.
func notSent(err error, acted bool) error {
	if acted {
		return err
	}
	return &notSentError{err}
}

// untouched reports an attempt the server surely did not act on: a 429, or
// a failed dial (no connection, so nothing reached it).
func untouched(resp *http.Response, err error) bool {
	if err != nil {
		return dialFailed(err)
	}
	return resp.StatusCode == http.StatusTooManyRequests
}

// maxDrain bounds how much of a discarded body is read so that its
// connection can be reused; past that, closing it is cheaper.
const maxDrain = 64 << 10

// RoundTrip implements [http.RoundTripper]. It returns the last answer as
// is when it does not retry, a 429 included, so the caller sees its status
// and headers. It returns a [*GateError] when the Limiter refuses to wait,
// and the context's error (wrapped) when the context ends during a wait;
// both match [ErrNotSent] when no attempt can have been acted on.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	l := t.Limiter
	if l == nil {
		closeBody(req)
		return nil, errNoLimiter
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	ctx := req.Context()
	tries := tries{start: time.Now()}
	r := req
	acted := false // whether an attempt may have been acted on
	for first := true; ; first = false {
		release, sent, err := l.admit(ctx, true, !first)
		if err != nil {
			closeBody(r) // a RoundTripper closes the body on every path
			return nil, notSent(err, acted)
		}
		if tries.retrying {
			tries.retrying = false
			if tr := ContextTrace(ctx); tr != nil && tr.Retrying != nil {
				tr.Retrying(tries.failed+tries.throttled+1, tries.reason, tries.wait)
			}
		}
		resp, err := base.RoundTrip(r)
		if resp == nil && err == nil {
			err = errNoResponse
		}
		acted = acted || !untouched(resp, err)
		l.observe(ctx, req, resp, err, sent) // before release: the gate closes before anyone else goes
		release()

		wait, ok := l.retryWait(ctx, req, resp, err, &tries)
		if !ok {
			return resp, err
		}
		next, ok := rewind(req)
		if !ok {
			return resp, err
		}
		discard(resp)
		if err := l.pause(ctx, wait); err != nil {
			closeBody(next)
			return nil, notSent(fmt.Errorf("ratelimit: waiting to retry: %w", err), acted)
		}
		r = next
		tries.retrying = true
	}
}

// CloseIdleConnections closes the idle connections of Base when it can.
func (t *Transport) CloseIdleConnections() {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if c, ok := base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// observe feeds an answer to the gate and the adaptive bucket.
func (l *Limiter) observe(ctx context.Context, req *http.Request, resp *http.Response, err error, sent time.Time) {
	if err != nil {
		return
	}
	now := time.Now()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		l.rateLimited.Add(1)
		d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now)
		l.logAttrs(ctx, slog.LevelInfo, "ratelimit: 429 received",
			slog.String("method", req.Method), slog.String("path", req.URL.Path),
			slog.Duration("retry_after", d), slog.Bool("usable", ok && d > 0))
		if ok && d > 0 {
			l.closeGate(ctx, now, d)
		} else {
			// No wait named, or one already over (a server clock
			// running behind): hold everyone for the floor anyway.
			l.closeFloor(ctx, sent, now)
		}
		if !ok || d <= 0 {
			d = 0
		}
		l.slowDown(ctx, sent, now, d)
		if tr := ContextTrace(ctx); tr != nil && tr.RateLimited != nil {
			tr.RateLimited(d)
		}
	default:
		l.answered(sent, now)
		if resp.StatusCode < http.StatusInternalServerError {
			l.speedUp(ctx, now)
		}
	}
}

// MaxRateLimitedRetries bounds how many 429s one request follows with a
// retry, whatever their Retry-After, so a server that answers 429 with no
// wait cannot keep a caller busy.
const MaxRateLimitedRetries = 8

// tries is what one request has been through so far.
type tries struct {
	start     time.Time       // when the request reached the Transport
	failed    int             // attempts that ended in anything but a 429
	throttled int             // attempts answered 429
	bo        backoff.BackOff // made on the first retry that needs it

	// What the last retryWait decided, for a Trace's Retrying hook.
	retrying bool
	reason   string
	wait     time.Duration
}

// retryWait decides whether to try again after an attempt and how long to
// back off first. A 429's wait is the gate's, which the next admission
// serves, so it returns 0 for it; such a retry spends neither an attempt
// nor the retry budget (see the package documentation).
func (l *Limiter) retryWait(ctx context.Context, req *http.Request, resp *http.Response, err error,
	t *tries) (time.Duration, bool) {
	if ctx.Err() != nil || !replayable(req) {
		return 0, false
	}
	now := time.Now()
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		// Retrying is safe for any method: the server did nothing.
		t.throttled++
		until := l.store.GateUntil(ctx).Sub(now)
		if t.throttled > MaxRateLimitedRetries || now.Sub(t.start)+until > l.cfg.maxWait || !beforeDeadline(ctx, now, until) {
			return 0, false
		}
		l.logAttrs(ctx, slog.LevelDebug, "ratelimit: retry scheduled",
			slog.String("method", req.Method), slog.String("path", req.URL.Path), slog.String("reason", "429"),
			slog.Int("attempt", t.failed+t.throttled+1), slog.Duration("wait", until))
		t.reason, t.wait = "429", 0
		return 0, true
	}
	t.failed++
	if t.failed >= l.cfg.maxAttempts {
		return 0, false
	}
	var wait time.Duration
	var reason string
	switch {
	case err != nil:
		// A request not safe to repeat is retried only when it surely
		// never reached the server: no connection was made.
		if !transient(err) || (!safeToRepeat(req) && !dialFailed(err)) {
			return 0, false
		}
		wait, reason = l.nextBackOff(&t.bo), errKind(err)
	case retryableStatus(resp.StatusCode):
		if !safeToRepeat(req) { // the server may have acted before failing
			return 0, false
		}
		wait, reason = l.nextBackOff(&t.bo), strconv.Itoa(resp.StatusCode)
		if ra, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok && ra > wait {
			wait = ra
		}
		if wait > l.cfg.maxWait {
			return 0, false
		}
	default:
		return 0, false
	}
	if wait == backoff.Stop || wait < 0 || !beforeDeadline(ctx, now, wait) {
		return 0, false
	}
	if !l.budget.tryRetry(now) {
		l.budgetExhausted.Add(1)
		l.logAttrs(ctx, slog.LevelWarn, "ratelimit: retry budget exhausted",
			slog.String("method", req.Method), slog.String("path", req.URL.Path), slog.String("reason", reason))
		return 0, false
	}
	l.logAttrs(ctx, slog.LevelDebug, "ratelimit: retry scheduled",
		slog.String("method", req.Method), slog.String("path", req.URL.Path), slog.String("reason", reason),
		slog.Int("attempt", t.failed+t.throttled+1), slog.Duration("wait", wait))
	t.reason, t.wait = reason, wait
	return wait, true
}

// beforeDeadline reports whether a wait of d from now ends before ctx's
// deadline: a retry that would wake to a dead context is not worth making.
func beforeDeadline(ctx context.Context, now time.Time, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || now.Add(d).Before(dl)
}

func (l *Limiter) nextBackOff(bo *backoff.BackOff) time.Duration {
	if *bo == nil {
		*bo = newFullJitter(l.cfg.backoffInitial, l.cfg.backoffMax, l.cfg.jitter)
	}
	return (*bo).NextBackOff()
}

// pause waits d before a retry.
func (l *Limiter) pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	start := time.Now()
	_, err := sleep(ctx, d, nil)
	l.waited.Add(int64(time.Since(start)))
	traceWait(ctx, StageBackoff, start)
	return err
}

// replayable reports whether req's body can be sent again.
func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewind copies req with a fresh body for another attempt. The copy is
// shallow: a RoundTripper must not change the caller's request.
func rewind(req *http.Request) (*http.Request, bool) {
	r := req.WithContext(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return r, true
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	r.Body = body
	return r, true
}

// discard drains and closes a body we will not return, so the connection
// goes back to the pool.
func discard(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	_ = resp.Body.Close()
}

func closeBody(req *http.Request) {
	if req != nil && req.Body != nil {
		_ = req.Body.Close()
	}
}
