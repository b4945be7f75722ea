package spotifytest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// window is the rolling rate window, one per client ID.
//
// It counts admitted requests only. A refused request does not count: the
// Retry-After the fake sends is then a promise it keeps, so a client that
// waits it out is served, and a client that comes back early is refused
// again (with the remaining wait) without pushing its own ban further.
// Stats.RateLimited tells a test how often a client came back early.
type window struct {
	mu         sync.Mutex
	n          int
	span       time.Duration
	retryAfter time.Duration // 0: until the window has room
	clients    map[string]*clientWindow
}

// clientWindow is one client's admitted requests within the span, oldest
// first, and the end of its current refusal.
type clientWindow struct {
	times        []time.Time
	blockedUntil time.Time
}

func (wd *window) init(n int, span, retryAfter time.Duration) {
	wd.n, wd.span, wd.retryAfter = n, span, retryAfter
	wd.clients = map[string]*clientWindow{}
}

// admit counts a request of key at now, or refuses it and returns how long
// the client must wait.
func (wd *window) admit(key string, now time.Time) (bool, time.Duration) {
	if wd.n <= 0 {
		return true, 0
	}
	wd.mu.Lock()
	defer wd.mu.Unlock()
	c := wd.clients[key]
	if c == nil {
		c = &clientWindow{}
		wd.clients[key] = c
	}
	if now.Before(c.blockedUntil) {
		return false, c.blockedUntil.Sub(now)
	}
	// A request leaves the window when span has passed since it, exactly.
	i := 0
	for i < len(c.times) && !c.times[i].Add(wd.span).After(now) {
		i++
	}
	c.times = c.times[i:]
	if len(c.times) < wd.n {
		c.times = append(c.times, now)
		return true, 0
	}
	c.blockedUntil = c.times[0].Add(wd.span)
	if wd.retryAfter > 0 {
		c.blockedUntil = now.Add(wd.retryAfter)
	}
	return false, c.blockedUntil.Sub(now)
}

// admit applies the rate window to the client of a request; over it, it
// answers 429 and reports false.
func (s *Server) admit(w http.ResponseWriter, ex *exchange, clientID string) bool {
	ok, wait := s.win.admit(clientID, s.now())
	if !ok {
		ex.rateLimited = true
		write429(w, wait)
	}
	return ok
}

// write429 answers Spotify's quota 429 with Retry-After in whole seconds,
// rounded up and at least 1.
func write429(w http.ResponseWriter, wait time.Duration) {
	secs := max(int64((wait+time.Second-1)/time.Second), 1)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": map[string]any{
		"status": http.StatusTooManyRequests, "message": "Too many requests", "reason": "QUOTA_EXCEEDED",
	}})
}
