package ratelimit

import (
	"context"
	"time"
)

// Stage names a place where a request can wait on its way through a
// [Transport].
type Stage string

const (
	StageGate    Stage = "gate"    // the gate, closed by a 429
	StageBucket  Stage = "bucket"  // the token bucket's pace
	StageSlot    Stage = "slot"    // the in-flight cap
	StageBackoff Stage = "backoff" // the backoff before a retry
)

// Trace is a set of hooks run at the stages of one request's way through a
// [Transport], in the manner of net/http/httptrace: install it in the
// request's context with [WithTrace]. Telemetry uses it to put one event per
// wait, 429 and retry on the request's span. Any field may be nil.
//
// Hooks run on the request's goroutine, after the event, and must not
// block. A request with no Trace pays nothing: the Transport looks for one
// only when something worth reporting happens.
type Trace struct {
	// Waited is called after the request waited at stage for d, whether
	// the wait ended well or not.
	Waited func(stage Stage, d time.Duration)
	// RateLimited is called for each 429 answer, with the Retry-After it
	// asked for (DefaultRetryAfter when it carried none).
	RateLimited func(retryAfter time.Duration)
	// Retrying is called when another attempt is about to be sent: attempt
	// is its number (2 for the first retry), reason why the last one
	// failed ("429", "503", "reset", ...), and wait the backoff it waited
	// first (0 after a 429, whose wait is the gate's).
	Retrying func(attempt int, reason string, wait time.Duration)
}

type traceKey struct{}

// WithTrace returns a copy of ctx in which requests report to tr.
func WithTrace(ctx context.Context, tr *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, tr)
}

// ContextTrace returns the Trace installed in ctx, or nil.
func ContextTrace(ctx context.Context) *Trace {
	tr, _ := ctx.Value(traceKey{}).(*Trace)
	return tr
}

// traceWait reports a wait at stage that started at start.
func traceWait(ctx context.Context, stage Stage, start time.Time) {
	if tr := ContextTrace(ctx); tr != nil && tr.Waited != nil {
		tr.Waited(stage, time.Since(start))
	}
}
