package cache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// control is what a Cache-Control header says, of the directives this
// cache acts on.
type control struct {
	noStore, noCache, private bool
	maxAge, sMaxAge           time.Duration
	hasMaxAge, hasSMaxAge     bool
}

// parseControl reads every Cache-Control value of h. Unknown directives are
// ignored; a malformed max-age counts as max-age=0, the safe reading.
func parseControl(h http.Header) control {
	var c control
	for _, v := range h.Values("Cache-Control") {
		for d := range strings.SplitSeq(v, ",") {
			name, arg, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(name) {
			case "no-store":
				c.noStore = true
			case "no-cache":
				c.noCache = true
			case "private":
				c.private = true
			case "max-age":
				c.maxAge, c.hasMaxAge = seconds(arg), true
			case "s-maxage":
				c.sMaxAge, c.hasSMaxAge = seconds(arg), true
			}
		}
	}
	return c
}

// seconds parses a delta-seconds argument; anything unusable is 0 and a
// huge value is clamped to a year.
func seconds(arg string) time.Duration {
	n, err := strconv.ParseInt(strings.Trim(arg, `"`), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	const year = 365 * 24 * 3600
	return time.Duration(min(n, year)) * time.Second
}

// lifetime is how long an answer with headers h stays fresh for a cache
// that is shared (s-maxage applies) or not, counted from its arrival: its
// max-age less the Age it already had. no-cache makes it 0: kept only to
// be revalidated.
func lifetime(c control, h http.Header, shared bool) time.Duration {
	if c.noCache {
		return 0
	}
	d := c.maxAge
	if shared && c.hasSMaxAge {
		d = c.sMaxAge
	}
	if age := seconds(h.Get("Age")); age > 0 {
		d -= age
	}
	return max(d, 0)
}

// varyOK reports whether this cache can honour h's Vary: it keys answers on
// the headers named here, and on the caller's identity for Authorization.
func varyOK(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for name := range strings.SplitSeq(v, ",") {
			switch http.CanonicalHeaderKey(strings.TrimSpace(name)) {
			case "", "Accept", "Accept-Language", "Accept-Encoding", "Authorization":
			default:
				return false
			}
		}
	}
	return true
}

// varyAuthorization reports whether h's Vary names Authorization: the
// answer depends on who asked.
func varyAuthorization(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for name := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(name), "Authorization") {
				return true
			}
		}
	}
	return false
}
