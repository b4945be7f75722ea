package ratelimit

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// call is one request the fake saw.
type call struct {
	at     time.Duration // since the fake was made (fake time under synctest)
	method string
	body   string
}

// fake is an in-memory RoundTripper: no sockets, so it runs inside a
// synctest bubble. answer decides the reply to the n-th request (from 0).
type fake struct {
	start  time.Time
	answer func(n int, req *http.Request) (*http.Response, error)

	mu    sync.Mutex
	calls []call
}

func newFake(answer func(n int, req *http.Request) (*http.Response, error)) *fake {
	return &fake{start: time.Now(), answer: answer}
}

func (f *fake) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, call{at: time.Since(f.start), method: req.Method, body: string(body)})
	f.mu.Unlock()
	return f.answer(n, req)
}

func (f *fake) seen() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// trackedBody records how much of it was read and whether it was closed.
type trackedBody struct {
	r      *strings.Reader
	read   atomic.Int64
	closed atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}

func (b *trackedBody) Close() error { b.closed.Store(true); return nil }

// reply builds an answer; kv are header name/value pairs.
func reply(status int, kv ...string) *http.Response {
	resp, _ := replyTracked(status, kv...)
	return resp
}

func replyTracked(status int, kv ...string) (*http.Response, *trackedBody) {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	b := &trackedBody{r: strings.NewReader(`{"status":` + http.StatusText(status) + `}`)}
	return &http.Response{StatusCode: status, Header: h, Body: b}, b
}

// statuses answers the listed statuses in turn, then 200.
func statuses(codes ...int) func(int, *http.Request) (*http.Response, error) {
	return func(n int, _ *http.Request) (*http.Response, error) {
		if n < len(codes) {
			return reply(codes[n]), nil
		}
		return reply(http.StatusOK), nil
	}
}

func newLimiter(t *testing.T, opts ...Option) *Limiter {
	t.Helper()
	l, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// withJitter pins the backoff draw: frac of the bound, in [0, 1].
func withJitter(frac float64) Option {
	return func(c *config) error {
		c.jitter = func(n int64) int64 { return int64(float64(n-1) * frac) }
		return nil
	}
}

func newRequest(t *testing.T, ctx context.Context, method, body string) *http.Request {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = bytes.NewReader([]byte(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, "https://api.spotify.com/v1/me?market=SE", r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	return req
}

const secret = "sekrit-token-never-shown"

// roundTrip sends one request and closes the answer's body.
func roundTrip(t *testing.T, tr http.RoundTripper, req *http.Request) (int, error) {
	t.Helper()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
