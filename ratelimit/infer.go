package ratelimit

import (
	"slices"
	"time"
)

// A rolling window of n requests per span W refuses a request once the
// requests it admitted in the last W reach n, and a server keeping one
// names in Retry-After the time until the oldest of them leaves the
// window, in whole seconds rounded up: Spotify's window is such a window
// (30 s), and so is the fake of spotifytest. The first 429 of an adaptive
// Limiter then says nearly everything about the window. With the sending
// times of the requests the server admitted, t the sending time of the
// refused one and R its Retry-After, a span W fits the 429 when the oldest
// admitted request a in (t−W, t] leaves the window between R−1 s and R
// after t:
//
//	R−1 s < a + W − t ≤ R
//
// and n is then the count of admitted requests in (t−W, t], provided no
// span W of the requests before held more than n (the server admitted
// them all). For a client that started sending at a₀ from idle, every W
// covering its history has a = a₀, so one whole number of seconds fits:
// W = ⌊t − a₀ + R⌋. inferWindow searches the spans of whole seconds up to
// maxInferSpan for those that fit and keeps the one giving the lowest rate
// n/W (a later, richer history can fit several: for R = 1 any span whose
// oldest request leaves within a second fits).

// maxInferSpan bounds the windows inferred: a Retry-After longer than
// this is taken for a penalty rather than the end of a window.
const maxInferSpan = time.Minute

// inferSlack widens the fit by the jitter between the client's sending
// times and the server's stamps.
const inferSlack = 50 * time.Millisecond

// minInferN is the fewest admitted requests a window is inferred from.
// The inference takes the server's window to hold only what this client
// sent; a few requests are weak evidence of that, as the window may hold
// requests the client never saw (a run before a restart, another client of
// the app), and a window inferred from them can be far too small: one
// request and a Retry-After of 7 s would pace at one request per 7 s. With
// fewer, the 429 cuts the rate as AIMD does.
const minInferN = 12

// history is the sending times (Unix ns) of the requests sent and not
// refused, oldest first, at most maxHistory of them. Not safe for
// concurrent use.
type history struct {
	at []int64
	// since is the earliest instant the history is complete from: when
	// it began, or the latest time it dropped.
	since int64
}

// maxHistory bounds the history: windows holding more requests than half
// of this may not be inferred (at the default ceiling, 250 requests a
// second, the history reaches 8 to 16 s back).
const maxHistory = 4096

// add records a request sent at t and admitted.
func (h *history) add(t int64) {
	if len(h.at) == maxHistory {
		// Drop the older half at once: one copy per maxHistory/2 answers.
		h.since = h.at[maxHistory/2-1]
		h.at = h.at[:copy(h.at, h.at[maxHistory/2:])]
	}
	// Answers come back nearly in sending order: the place is near the end.
	i := len(h.at)
	for i > 0 && h.at[i-1] > t {
		i--
	}
	h.at = slices.Insert(h.at, i, t)
}

// remove takes a request sent at t out of the history, if it is there.
func (h *history) remove(t int64) {
	if i, ok := slices.BinarySearch(h.at, t); ok {
		h.at = slices.Delete(h.at, i, i+1)
	}
}

// inferWindow returns the window, n requests per span, that fits a 429
// to a request sent at t with Retry-After ra, given the sending times of
// admitted requests in at (oldest first), complete from since on. prefer,
// when it fits, is kept over the others: it is the span learned before.
// ok is false when no span fits, when ra is not a whole number of seconds
// (an HTTP-date) or is longer than maxInferSpan; a span holding fewer than
// minInferN requests does not fit.
func inferWindow(at []int64, since, t int64, ra, prefer time.Duration) (n int, span time.Duration, ok bool) {
	if ra <= 0 || ra > maxInferSpan || ra%time.Second != 0 {
		return 0, 0, false
	}
	end, _ := slices.BinarySearch(at, t+1) // requests sent up to t
	at = at[:end]
	best := 0.0
	for w := time.Second; w <= maxInferSpan; w += time.Second {
		from := t - int64(w)
		if from < since {
			break // the history does not reach back that far
		}
		j, _ := slices.BinarySearch(at, from+1)
		count := len(at) - j
		if count < minInferN {
			continue
		}
		left := time.Duration(at[j] + int64(w) - t) // until the oldest leaves
		if left <= ra-time.Second-inferSlack || left > ra+inferSlack {
			continue
		}
		if mostWithin(at, w-2*inferSlack) > count {
			continue // the server would have refused a request before
		}
		if w == prefer {
			return count, w, true
		}
		if r := float64(count) / w.Seconds(); !ok || r < best {
			n, span, best, ok = count, w, r, true
		}
	}
	return n, span, ok
}

// mostWithin is the most requests of at (sorted) within any span of
// length d.
func mostWithin(at []int64, d time.Duration) int {
	most, j := 0, 0
	for i, t := range at {
		for t-at[j] >= int64(d) {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}
