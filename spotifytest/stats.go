package spotifytest

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Operation names of the accounts service in [Stats.ByOp], [Request.Op]
// and [Fault.Op]. Web API operations use their operationId.
const (
	OpToken     = "token"     // POST /api/token
	OpAuthorize = "authorize" // GET /authorize
)

// Stats counts what the fake answered since it started or since
// [Server.ResetStats].
type Stats struct {
	Requests      int            // every request, the accounts service's included
	ByOp          map[string]int // by operationId, OpToken or OpAuthorize; unknown paths are left out
	ByStatus      map[int]int    // by status code sent; 0 for a connection reset or a stall
	TokenRequests int            // requests to /api/token, whatever their answer
	RateLimited   int            // 429 answers of the rate window (injected 429s count as Faults)
	Faults        int            // injected faults of every kind
}

// Request is one entry of the request log. It never holds a token, a
// secret or a request body.
type Request struct {
	Method   string
	Path     string
	Query    string        // the raw query, without "?"
	Op       string        // operationId, OpToken, OpAuthorize, or "" for an unknown path
	Status   int           // status sent; 0 when the connection was reset or stalled
	User     string        // the token's user; "" for client credentials or no valid token
	Fault    FaultKind     // the injected fault, or 0 for none
	Time     time.Time     // when it arrived, on the server's clock
	Duration time.Duration // from its arrival until its status was sent (or the connection ended)
}

// statsState holds the counters and the log.
type statsState struct {
	mu    sync.Mutex
	s     Stats
	log   []Request // a ring once full
	next  int       // where the next entry goes once the ring is full
	limit int
}

func (st *statsState) init(limit int) {
	st.limit = limit
	st.resetLocked()
}

func (st *statsState) resetLocked() {
	st.s = Stats{ByOp: map[string]int{}, ByStatus: map[int]int{}}
	st.log, st.next = nil, 0
}

// add records one finished request.
func (st *statsState) add(rq Request, rateLimited bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s.Requests++
	if rq.Op != "" {
		st.s.ByOp[rq.Op]++
	}
	st.s.ByStatus[rq.Status]++
	if rq.Op == OpToken {
		st.s.TokenRequests++
	}
	if rateLimited {
		st.s.RateLimited++
	}
	if rq.Fault != 0 {
		st.s.Faults++
	}
	switch {
	case st.limit == 0:
	case len(st.log) < st.limit:
		st.log = append(st.log, rq)
	default:
		st.log[st.next] = rq
		st.next = (st.next + 1) % st.limit
	}
}

// Stats returns a snapshot of the counters; the maps are the caller's.
func (s *Server) Stats() Stats {
	st := &s.stats
	st.mu.Lock()
	defer st.mu.Unlock()
	out := st.s
	out.ByOp = maps.Clone(st.s.ByOp)
	out.ByStatus = maps.Clone(st.s.ByStatus)
	return out
}

// Requests returns the request log, oldest first (at most the
// [WithRequestLog] limit of the latest requests).
func (s *Server) Requests() []Request {
	st := &s.stats
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]Request, 0, len(st.log))
	out = append(out, st.log[st.next:]...)
	return append(out, st.log[:st.next]...)
}

// ResetStats zeroes the counters and empties the request log. The rate
// window, the fault sequence and the tokens are left as they are.
func (s *Server) ResetStats() {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	s.stats.resetLocked()
}

// exchange is one request on its way through the middleware.
type exchange struct {
	s           *Server
	w           *statusWriter
	r           *http.Request // as served: a trailing slash is removed
	sent        *http.Request // as the client sent it, for the log
	op          string
	user        string
	fault       FaultKind
	rateLimited bool

	start, began time.Time // on the server's clock, and on the real one
	recorded     bool
}

// exchange runs serve for one request and records it: in the counters, the
// log and, when set, the slog logger.
func (s *Server) exchange(w http.ResponseWriter, r *http.Request, op string, serve func(*exchange)) {
	ex := &exchange{s: s, w: &statusWriter{ResponseWriter: w}, r: r, sent: r, op: op, start: s.now(), began: time.Now()}
	ex.w.sending = ex.record
	defer ex.record()
	serve(ex)
}

// record logs the request once: when its status is sent, before the
// client can read a byte of the answer, so that a caller who has read an
// answer finds it in [Server.Stats]. Faults that take the connection over
// call it before they close it, and an answer never sent is recorded when
// its handler returns.
func (ex *exchange) record() {
	if ex.recorded {
		return
	}
	ex.recorded = true
	r := ex.sent
	rq := Request{
		Method: r.Method, Path: r.URL.Path, Query: loggedQuery(r.URL.RawQuery), Op: ex.op,
		Status: ex.w.status, User: ex.user, Fault: ex.fault,
		Time: ex.start, Duration: time.Since(ex.began),
	}
	ex.s.stats.add(rq, ex.rateLimited)
	ex.s.logRequest(r.Context(), rq)
}

// secretParams are the query parameters that carry secrets: the token
// endpoint's, which clients may send in the query string, and RFC 6750's
// access_token. A client may send them on any path (one that misses the
// token endpoint by a slash or a letter, an API call), and the log keeps
// the query of every request.
var secretParams = []string{"client_secret", "refresh_token", "code", "code_verifier", "access_token"}

// loggedQuery is the query the log keeps: the raw query, with the values
// of secret parameters withheld. It splits the raw query itself, at '&'
// and ';', so that a pair url.ParseQuery would drop (a bad escape, a
// semicolon) cannot carry a secret past it.
func loggedQuery(raw string) string {
	if raw == "" {
		return raw
	}
	var b strings.Builder
	changed := false
	for i := 0; i <= len(raw); {
		j := i + strings.IndexAny(raw[i:], "&;")
		if j < i {
			j = len(raw)
		}
		pair := raw[i:j]
		key, _, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if slices.Contains(secretParams, key) {
			pair, changed = url.QueryEscape(key)+"=[withheld]", true
		}
		b.WriteString(pair)
		if j < len(raw) {
			b.WriteByte(raw[j])
		}
		i = j + 1
	}
	if !changed {
		return raw
	}
	return b.String()
}

// logRequest writes one line per request when a logger is set.
func (s *Server) logRequest(ctx context.Context, rq Request) {
	l := s.cfg.logger
	if l == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", rq.Method), slog.String("path", rq.Path),
		slog.String("op", rq.Op), slog.Int("status", rq.Status),
		slog.String("user", rq.User), slog.Duration("duration", rq.Duration),
	}
	if rq.Fault != 0 {
		attrs = append(attrs, slog.String("fault", rq.Fault.String()))
	}
	l.LogAttrs(ctx, slog.LevelInfo, "spotifytest request", attrs...)
}

// statusWriter remembers the status a handler sent and calls sending once,
// just before the status goes out. It unwraps for http.ResponseController,
// so faults can hijack the connection through it.
type statusWriter struct {
	http.ResponseWriter
	status  int
	sending func()
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.sent()
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.sent()
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) sent() {
	if f := w.sending; f != nil {
		w.sending = nil
		f()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
