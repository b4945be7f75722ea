package ratelimit

import (
	"net/http"
	"strings"
	"time"
)

// MaxRetryAfter caps what [ParseRetryAfter] returns. Longer values are
// clamped to it: a server asking for more than a month is, for a client,
// asking to stop, and the cap keeps instants computed from it representable.
const MaxRetryAfter = 30 * 24 * time.Hour

// ParseRetryAfter reads a Retry-After header value: a number of seconds
// (digits only) or an HTTP-date, taken relative to now. A date in the past
// gives 0. Values over [MaxRetryAfter], including ones that overflow, are
// clamped to it. Anything else (empty, negative, fractional, garbage) gives
// ok false. It never panics.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		return parseSeconds(v), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d = t.Sub(now)
	switch {
	case d < 0:
		return 0, true
	case d > MaxRetryAfter:
		return MaxRetryAfter, true
	}
	return d, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseSeconds reads a run of digits, stopping at the cap so that no length
// of input overflows.
func parseSeconds(s string) time.Duration {
	const capSec = int64(MaxRetryAfter / time.Second)
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
		if n >= capSec {
			return MaxRetryAfter
		}
	}
	return time.Duration(n) * time.Second
}
