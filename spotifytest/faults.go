package spotifytest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind is what an injected fault does to a request.
type FaultKind int

// The kinds of fault. The zero FaultKind means no fault, as in [Request].
const (
	Kind500      FaultKind = iota + 1 // 500 with Spotify's error body
	Kind502                           // 502 with Spotify's error body
	Kind503                           // 503 with Spotify's error body
	Kind429                           // 429 with Retry-After (Fault.RetryAfter, at least 1 s)
	KindReset                         // the connection is reset (RST) before any answer
	KindTruncate                      // the real answer, cut: full Content-Length, half the body, then close
	KindStall                         // no answer until the client gives up or the server closes
)

var faultNames = [...]string{
	Kind500: "500", Kind502: "502", Kind503: "503", Kind429: "429",
	KindReset: "reset", KindTruncate: "truncate", KindStall: "stall",
}

// String returns the kind as [ParseFaults] spells it.
func (k FaultKind) String() string {
	if k >= Kind500 && k <= KindStall {
		return faultNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault injects failures into a share of the requests.
//
// Which requests fail is decided by a hash of the seed, the operation and
// the request's number within that operation, so the same seed and the same
// sequence of requests to an operation give the same faults, however the
// requests to different operations interleave. When several faults match a
// request, the first one drawn (in the order given) wins.
type Fault struct {
	// Op is the operationId the fault applies to, or "" for every Web API
	// operation. The accounts service fails only when named: OpToken or
	// OpAuthorize.
	Op string
	// Kind is what happens.
	Kind FaultKind
	// Rate is the share of the requests that fail, from 0 to 1.
	Rate float64
	// RetryAfter is the Retry-After of a Kind429 fault (1 s when zero).
	RetryAfter time.Duration
}

// faultState numbers the requests of each operation.
type faultState struct {
	mu      sync.Mutex
	counts  map[string]uint64
	onStall func() // test hook: called when a request starts stalling
}

func (f *faultState) init() { f.counts = map[string]uint64{} }

// next returns the number of this request within op, from 1.
func (f *faultState) next(op string) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[op]++
	return f.counts[op]
}

// front runs the layer in front of an operation: the latency, then a fault
// or next. api is false for the accounts service, which global faults skip.
func (s *Server) front(ex *exchange, op string, api bool, next func(http.ResponseWriter)) {
	n := s.faults.next(op)
	if !s.delay(ex, op, n) {
		return
	}
	if f, ok := s.pickFault(op, api, n); ok {
		s.inject(ex, f, next)
		return
	}
	next(ex.w)
}

// delay waits the configured latency. It reports false when the client
// gave up or the server is closing meanwhile.
func (s *Server) delay(ex *exchange, op string, n uint64) bool {
	d := s.cfg.latency
	if s.cfg.jitter > 0 {
		d += time.Duration(draw(s.cfg.seed, op, n, 0) * float64(s.cfg.jitter))
	}
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ex.r.Context().Done():
		return false
	case <-s.closing:
		hangUp(ex, false)
		return false
	}
}

// pickFault draws the faults that apply to the n-th request of op.
func (s *Server) pickFault(op string, api bool, n uint64) (Fault, bool) {
	for i, f := range s.cfg.faults {
		if f.Op == "" && !api || f.Op != "" && f.Op != op {
			continue
		}
		if draw(s.cfg.seed, op, n, uint64(i)+1) < f.Rate {
			return f, true
		}
	}
	return Fault{}, false
}

// inject answers with fault f; next serves the real answer, which
// KindTruncate cuts.
func (s *Server) inject(ex *exchange, f Fault, next func(http.ResponseWriter)) {
	ex.fault = f.Kind
	switch f.Kind {
	case Kind500:
		writeError(ex.w, http.StatusInternalServerError, "Server error")
	case Kind502:
		writeError(ex.w, http.StatusBadGateway, "Bad gateway")
	case Kind503:
		writeError(ex.w, http.StatusServiceUnavailable, "Service unavailable")
	case Kind429:
		write429(ex.w, max(f.RetryAfter, time.Second))
	case KindReset:
		if !hangUp(ex, true) {
			writeError(ex.w, http.StatusBadGateway, "Bad gateway")
		}
	case KindTruncate:
		s.truncate(ex, next)
	case KindStall:
		s.stall(ex)
	}
}

// hangUp closes the request's connection without an answer; with reset it
// sends a TCP RST instead of a FIN. It reports false when the connection
// cannot be taken over (the handler is served in-process).
func hangUp(ex *exchange, reset bool) bool {
	conn, _, err := http.NewResponseController(ex.w).Hijack()
	if err != nil {
		return false
	}
	ex.record()
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
	return true
}

// truncate serves the real answer into a buffer, then sends its status,
// its headers with the full Content-Length and half its body, and closes
// the connection. An answer without a body is cut after the status line.
func (s *Server) truncate(ex *exchange, next func(http.ResponseWriter)) {
	rec := httptest.NewRecorder()
	next(rec)
	body := rec.Body.Bytes()
	h := rec.Header().Clone()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	conn, buf, err := http.NewResponseController(ex.w).Hijack()
	if err != nil {
		// In-process: the best available is a short body under a full length.
		ex.w.status = rec.Code
		for k, vs := range h {
			ex.w.Header()[k] = vs
		}
		ex.w.WriteHeader(rec.Code)
		_, _ = ex.w.Write(body[:len(body)/2])
		return
	}
	ex.w.status = rec.Code
	writeCut(buf.Writer, rec.Code, h, body)
	ex.record()
	_ = conn.Close()
}

// writeCut writes the cut answer of truncate.
func writeCut(w *bufio.Writer, code int, h http.Header, body []byte) {
	fmt.Fprintf(w, "HTTP/1.1 %d %s\r\n", code, http.StatusText(code))
	if len(body) > 0 {
		_ = h.Write(w)
		_, _ = w.WriteString("\r\n")
		_, _ = w.Write(body[:len(body)/2])
	}
	_ = w.Flush()
}

// stall holds the request until the client gives up or the server closes.
func (s *Server) stall(ex *exchange) {
	s.faults.mu.Lock()
	hook := s.faults.onStall
	s.faults.mu.Unlock()
	if hook != nil {
		hook()
	}
	select {
	case <-ex.r.Context().Done():
	case <-s.closing:
		hangUp(ex, false)
	}
}

// draw returns a number in [0, 1) fixed by its arguments.
func draw(seed int64, op string, n, salt uint64) float64 {
	h := uint64(14695981039346656037) // FNV-1a of op
	for i := 0; i < len(op); i++ {
		h ^= uint64(op[i])
		h *= 1099511628211
	}
	x := mixBits(uint64(seed) ^ mixBits(h^mixBits(n^mixBits(salt+0x9e3779b97f4a7c15))))
	return float64(x>>11) / (1 << 53)
}

// mixBits is the splitmix64 finalizer.
func mixBits(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// ParseFaults reads a list of faults as the command line gives it:
// comma-separated items [OP=]KIND:RATE[@RETRY], where KIND is 500, 502,
// 503, 429, reset, truncate or stall, RATE a share (0.1) or a percentage
// (10%), and RETRY the Retry-After of a 429 (a Go duration such as 1s or
// 24h). For example "500:0.1,reset:0.02,429:0.02@1s,get-track=stall:1%".
// An empty spec is no faults.
func ParseFaults(spec string) ([]Fault, error) {
	var out []Fault
	for item := range strings.SplitSeq(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		f, err := parseFault(item)
		if err != nil {
			return nil, fmt.Errorf("%w: fault %q: %w", ErrInvalidOption, item, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func parseFault(item string) (Fault, error) {
	var f Fault
	if op, rest, ok := strings.Cut(item, "="); ok {
		f.Op, item = strings.TrimSpace(op), rest
	}
	kind, rest, ok := strings.Cut(item, ":")
	if !ok {
		return f, errors.New("want KIND:RATE")
	}
	f.Kind = kindByName(strings.TrimSpace(kind))
	if f.Kind == 0 {
		return f, errors.New("unknown kind")
	}
	rate, retry, hasRetry := strings.Cut(rest, "@")
	r, err := parseShare(strings.TrimSpace(rate))
	if err != nil {
		return f, err
	}
	f.Rate = r
	if hasRetry {
		if f.Kind != Kind429 {
			return f, errors.New("@RETRY is for 429 only")
		}
		d, err := time.ParseDuration(strings.TrimSpace(retry))
		if err != nil || d < 0 {
			return f, errors.New("bad Retry-After")
		}
		f.RetryAfter = d
	}
	return f, nil
}

func kindByName(name string) FaultKind {
	for k, n := range faultNames {
		if n != "" && strings.EqualFold(n, name) {
			return FaultKind(k)
		}
	}
	return 0
}

// parseShare reads 0.1 or 10% as 0.1.
func parseShare(s string) (float64, error) {
	scale := 1.0
	if p, ok := strings.CutSuffix(s, "%"); ok {
		s, scale = p, 100
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v || v < 0 || v/scale > 1 {
		return 0, errors.New("rate must be from 0 to 1 (or 0% to 100%)")
	}
	return v / scale, nil
}

// ParseRate reads a rate window as the command line gives it: N/WINDOW,
// such as "100/30s", "5/1m" or "10/s" (a bare unit means one of it). "" and
// "off" turn the window off (n = 0).
func ParseRate(spec string) (n int, window time.Duration, err error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || strings.EqualFold(spec, "off") {
		return 0, 0, nil
	}
	count, span, ok := strings.Cut(spec, "/")
	if !ok {
		return 0, 0, fmt.Errorf("%w: rate %q: want N/WINDOW, such as 100/30s", ErrInvalidOption, spec)
	}
	n, err = strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n <= 0 {
		return 0, 0, fmt.Errorf("%w: rate %q: N must be a positive integer", ErrInvalidOption, spec)
	}
	span = strings.TrimSpace(span)
	if span != "" && (span[0] < '0' || span[0] > '9') && span[0] != '.' {
		span = "1" + span
	}
	window, err = time.ParseDuration(span)
	if err != nil || window < time.Millisecond {
		return 0, 0, fmt.Errorf("%w: rate %q: WINDOW must be a duration of at least 1ms", ErrInvalidOption, spec)
	}
	return n, window, nil
}
