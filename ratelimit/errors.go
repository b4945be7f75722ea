package ratelimit

import (
	"errors"
	"fmt"
	"time"
)

// ErrRateLimited matches every refusal caused by the rate limit: a
// [*GateError] from the Limiter. A 429 answer returned by the Transport is a
// response, not an error; callers map it themselves.
var ErrRateLimited = errors.New("ratelimit: rate limited")

// GateError reports that a request was not sent because the gate (closed by a
// 429) or the bucket would hold it longer than the caller can wait: longer
// than [WithMaxWait] or past its context's deadline. It matches
// [ErrRateLimited].
type GateError struct {
	// RetryAfter is how long from the refusal until the request could go:
	// until the gate opens, or until the bucket has a token for it.
	RetryAfter time.Duration
}

// Error says how long until the request could go; it names no request.
func (e *GateError) Error() string {
	return fmt.Sprintf("ratelimit: rate limited: retry after %s", e.RetryAfter)
}

// Is reports whether target is [ErrRateLimited].
func (e *GateError) Is(target error) bool { return target == ErrRateLimited }
