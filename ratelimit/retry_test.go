package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// 503, 503, 200: success on the third attempt after growing waits.
func TestRetry5xxWithGrowingBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithBackoff(100*time.Millisecond, time.Second), withJitter(1))
		f := newFake(statuses(503, 503))
		code, err := roundTrip(t, NewTransport(f, lim), newRequest(t, t.Context(), http.MethodGet, ""))
		if err != nil || code != 200 {
			t.Fatalf("got %d, %v", code, err)
		}
		calls := f.seen()
		if len(calls) != 3 {
			t.Fatalf("%d attempts, want 3", len(calls))
		}
		w1, w2 := calls[1].at-calls[0].at, calls[2].at-calls[1].at
		if w1 != 100*time.Millisecond || w2 != 200*time.Millisecond {
			t.Fatalf("waits %s, %s; want 100ms, 200ms", w1, w2)
		}
		if st := lim.Stats(); st.Retries != 2 || st.Requests != 3 || st.Waited != 300*time.Millisecond {
			t.Fatalf("stats %+v", st)
		}
	})
}

// With real jitter the waits are spread over [0, bound] and the bound grows.
func TestRetryWaitsAreFullyJittered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const runs = 40
		lim := newLimiter(t, WithBackoff(time.Second, time.Minute), WithMaxAttempts(4), WithRetryBudget(0, 1000))
		tr := NewTransport(newFake(statuses()), lim)
		var sums [3]time.Duration
		distinct := map[time.Duration]bool{}
		for range runs {
			f := newFake(statuses(500, 500, 500))
			tr.Base = f
			if code, err := roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, "")); err != nil || code != 200 {
				t.Fatalf("got %d, %v", code, err)
			}
			calls := f.seen()
			for i := range 3 {
				w := calls[i+1].at - calls[i].at
				if bound := time.Second << i; w < 0 || w > bound {
					t.Fatalf("wait %d is %s, outside [0, %s]", i+1, w, bound)
				}
				sums[i] += w
				distinct[w] = true
			}
		}
		if len(distinct) < runs {
			t.Fatalf("only %d distinct waits in %d: not jittered", len(distinct), 3*runs)
		}
		if !(sums[0] < sums[1] && sums[1] < sums[2]) {
			t.Fatalf("mean waits do not grow: %v", sums)
		}
	})
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var (
	errReset = &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	errDial  = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	errNXDom = &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}
)

// Which failures are retried, by method.
func TestRetryByMethodAndFailure(t *testing.T) {
	tests := []struct {
		name   string
		method string
		fail   any // an int status or an error, answered once
		want   int // attempts the server sees
	}{
		{"GET 500", http.MethodGet, 500, 2},
		{"GET 502", http.MethodGet, 502, 2},
		{"GET 503", http.MethodGet, 503, 2},
		{"GET 504", http.MethodGet, 504, 2},
		{"GET 501 is final", http.MethodGet, 501, 1},
		{"GET 404 is final", http.MethodGet, 404, 1},
		{"GET reset", http.MethodGet, errReset, 2},
		{"GET EOF", http.MethodGet, io.EOF, 2},
		{"GET unexpected EOF", http.MethodGet, io.ErrUnexpectedEOF, 2},
		{"GET timeout", http.MethodGet, timeoutErr{}, 2},
		{"GET dial", http.MethodGet, errDial, 2},
		{"GET unknown host is final", http.MethodGet, errNXDom, 1},
		{"GET other error is final", http.MethodGet, errors.New("x509: bad certificate"), 1},
		{"HEAD 504", http.MethodHead, 504, 2},
		{"DELETE 502 is final", http.MethodDelete, 502, 1},
		{"DELETE reset is final", http.MethodDelete, errReset, 1},
		{"DELETE dial", http.MethodDelete, errDial, 2},
		{"PUT 503 is final", http.MethodPut, 503, 1},
		{"PUT reset is final", http.MethodPut, errReset, 1},
		{"PUT timeout is final", http.MethodPut, timeoutErr{}, 1},
		{"PUT 429", http.MethodPut, 429, 2},
		{"PUT dial", http.MethodPut, errDial, 2},
		{"POST 500 is final", http.MethodPost, 500, 1},
		{"POST 503 is final", http.MethodPost, 503, 1},
		{"POST reset is final", http.MethodPost, errReset, 1},
		{"POST EOF is final", http.MethodPost, io.EOF, 1},
		{"POST timeout is final", http.MethodPost, timeoutErr{}, 1},
		{"POST dial", http.MethodPost, errDial, 2},
		{"POST 429", http.MethodPost, 429, 2},
		{"PATCH 500 is final", http.MethodPatch, 500, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkAttempts(t, tt.method, "", tt.fail, tt.want) })
	}
}

// Requests marked safe to repeat with the header net/http's Transport
// reads are retried like GETs, whatever their method.
func TestRetryMarkedSafe(t *testing.T) {
	tests := []struct {
		name   string
		method string
		// mark is the header the request carries: "Name" with a nil
		// value (the mark sends nothing), or "Name=value".
		mark string
		fail any
		want int
	}{
		{"PUT 503", http.MethodPut, "Idempotency-Key", 503, 2},
		{"PUT reset", http.MethodPut, "Idempotency-Key", errReset, 2},
		{"DELETE 502", http.MethodDelete, "X-Idempotency-Key", 502, 2},
		{"DELETE unexpected EOF", http.MethodDelete, "Idempotency-Key", io.ErrUnexpectedEOF, 2},
		{"POST 500", http.MethodPost, "X-Idempotency-Key", 500, 2},
		{"POST timeout", http.MethodPost, "Idempotency-Key", timeoutErr{}, 2},
		{"POST with a keyed Idempotency-Key", http.MethodPost, "Idempotency-Key=k1", errReset, 2},
		{"PUT 501 is final", http.MethodPut, "Idempotency-Key", 501, 1},
		{"another header is no mark", http.MethodPut, "Idempotency", 503, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkAttempts(t, tt.method, tt.mark, tt.fail, tt.want) })
	}
}

// checkAttempts sends one request whose first attempt fails with fail (an
// int status or an error) and checks the server saw want attempts, each
// with the whole body.
func checkAttempts(t *testing.T, method, mark string, fail any, want int) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t)
		f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
			if n > 0 {
				return reply(http.StatusOK), nil
			}
			if code, ok := fail.(int); ok {
				return reply(code, "Retry-After", "1"), nil
			}
			return nil, fail.(error)
		})
		body := ""
		if method == http.MethodPut || method == http.MethodPost || method == http.MethodPatch {
			body = `{"uris":["spotify:track:1"]}`
		}
		req := newRequest(t, t.Context(), method, body)
		if name, value, ok := strings.Cut(mark, "="); ok {
			req.Header.Set(name, value)
		} else if name != "" {
			req.Header[name] = nil
		}
		_, _ = roundTrip(t, NewTransport(f, lim), req)
		calls := f.seen()
		if len(calls) != want {
			t.Fatalf("server saw %d attempts, want %d", len(calls), want)
		}
		for i, c := range calls {
			if c.body != body {
				t.Fatalf("attempt %d sent body %q, want %q", i+1, c.body, body)
			}
		}
	})
}

// A body that cannot be replayed is sent once.
func TestNoRetryWithoutReplayableBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t)
		f := newFake(statuses(503))
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, "https://api.spotify.com/v1/me/tracks",
			io.MultiReader(strings.NewReader("once")))
		if err != nil {
			t.Fatal(err)
		}
		if req.GetBody != nil {
			t.Fatal("test needs a body without GetBody")
		}
		code, err := roundTrip(t, NewTransport(f, lim), req)
		if err != nil || code != 503 || len(f.seen()) != 1 {
			t.Fatalf("got %d, %v after %d attempts", code, err, len(f.seen()))
		}
	})
}

// Attempts are bounded; the last answer is returned as is, body unread.
func TestMaxAttempts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithMaxAttempts(3))
		var last *trackedBody
		f := newFake(func(int, *http.Request) (*http.Response, error) {
			resp, b := replyTracked(http.StatusBadGateway)
			last = b
			return resp, nil
		})
		resp, err := NewTransport(f, lim).RoundTrip(newRequest(t, t.Context(), http.MethodGet, ""))
		if err != nil || resp.StatusCode != 502 || len(f.seen()) != 3 {
			t.Fatalf("got %v, %v after %d attempts", resp, err, len(f.seen()))
		}
		if last.closed.Load() || last.read.Load() != 0 {
			t.Fatal("the returned body was consumed")
		}
		resp.Body.Close()
	})
}

// Bodies of answers the Transport discards are drained and closed, so the
// connection is reused.
func TestDiscardedBodiesDrainedAndClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t)
		var first *trackedBody
		f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
			if n == 0 {
				resp, b := replyTracked(http.StatusServiceUnavailable)
				first = b
				return resp, nil
			}
			return reply(http.StatusOK), nil
		})
		if code, err := roundTrip(t, NewTransport(f, lim), newRequest(t, t.Context(), http.MethodGet, "")); err != nil || code != 200 {
			t.Fatalf("got %d, %v", code, err)
		}
		if !first.closed.Load() || first.r.Len() != 0 {
			t.Fatalf("discarded body: closed %v, %d bytes left", first.closed.Load(), first.r.Len())
		}
	})
}

// A 503's Retry-After is honoured when longer than the backoff.
func TestServiceUnavailableRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t)
		f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
			if n == 0 {
				return reply(http.StatusServiceUnavailable, "Retry-After", "4"), nil
			}
			return reply(http.StatusOK), nil
		})
		if _, err := roundTrip(t, NewTransport(f, lim), newRequest(t, t.Context(), http.MethodGet, "")); err != nil {
			t.Fatal(err)
		}
		if calls := f.seen(); calls[1].at != 4*time.Second {
			t.Fatalf("retried after %s, want 4s", calls[1].at)
		}
		if lim.Stats().GateUntil.After(time.Now()) {
			t.Fatal("a 503 closed the gate")
		}
	})
}

// No retry is scheduled that would end after the deadline: the answer comes
// back at once.
func TestNoRetryPastDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithBackoff(10*time.Second, 10*time.Second), withJitter(1))
		f := newFake(statuses(503))
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		code, err := roundTrip(t, NewTransport(f, lim), newRequest(t, ctx, http.MethodGet, ""))
		if err != nil || code != 503 || time.Since(start) != 0 {
			t.Fatalf("got %d, %v after %s", code, err, time.Since(start))
		}
	})
}

// The retry budget is shared: once spent, failures come back unretried.
func TestRetryBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lim := newLimiter(t, WithRetryBudget(0, 2), WithMaxAttempts(4))
		f := newFake(func(int, *http.Request) (*http.Response, error) { return reply(503), nil })
		tr := NewTransport(f, lim)
		for range 5 {
			if code, err := roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, "")); err != nil || code != 503 {
				t.Fatalf("got %d, %v", code, err)
			}
		}
		if n := len(f.seen()); n != 7 {
			t.Fatalf("server saw %d attempts, want 5 + 2 retries", n)
		}
		if st := lim.Stats(); st.BudgetExhausted != 5 || st.Retries != 2 {
			t.Fatalf("stats %+v", st)
		}
		// The budget refills as old requests leave the window.
		time.Sleep(BudgetWindow)
		if _, err := roundTrip(t, tr, newRequest(t, t.Context(), http.MethodGet, "")); err != nil {
			t.Fatal(err)
		}
		if n := len(f.seen()); n != 7+3 {
			t.Fatalf("server saw %d attempts, want 10", n)
		}
	})
}

func TestRetryBudgetRatio(t *testing.T) {
	b := &budget{ratio: 0.5}
	now := time.Unix(1000, 0)
	for range 10 {
		b.request(now)
	}
	granted := 0
	for range 10 {
		if b.tryRetry(now) {
			granted++
		}
	}
	if granted != 5 {
		t.Fatalf("granted %d retries for 10 requests at ratio 0.5", granted)
	}
	if b.tryRetry(now.Add(BudgetWindow)) {
		t.Fatal("an empty window with min 0 granted a retry")
	}
}

// The nil-valued mark reaches no server: net/http writes no header line
// for a key without values, over HTTP/1.1 as over HTTP/2.
func TestRepeatMarkNotOnTheWire(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		var got atomic.Value
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Store(fmt.Sprint(r.Proto, " ", r.Header))
		}))
		srv.EnableHTTP2 = h2
		srv.StartTLS()
		lim := newLimiter(t)
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.URL, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header["Idempotency-Key"] = nil
		req.Header["X-Idempotency-Key"] = nil
		resp, err := NewTransport(srv.Client().Transport, lim).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		seen, _ := got.Load().(string)
		if strings.Contains(seen, "Idempotency") || (h2 && !strings.HasPrefix(seen, "HTTP/2")) {
			t.Errorf("HTTP/2 %v: the server saw %s", h2, seen)
		}
	}
}

// ErrNotSent marks the errors of requests the server cannot have acted
// on, and only those: a caller who gives up during the backoff after a 503
// leaves a request that may have been acted on.
func TestErrNotSent(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		fail    any // what every attempt meets: a status or an error
		notSent bool
	}{
		{"POST after failed dials", http.MethodPost, errDial, true},
		{"POST after 429s", http.MethodPost, 429, true},
		{"GET after 503s", http.MethodGet, 503, false},
		{"GET after resets", http.MethodGet, errReset, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				lim := newLimiter(t, WithMaxAttempts(100), WithBackoff(time.Second, time.Second), WithRetryBudget(1, 1000))
				f := newFake(func(int, *http.Request) (*http.Response, error) {
					if code, ok := tt.fail.(int); ok {
						return reply(code, "Retry-After", "1"), nil
					}
					return nil, tt.fail.(error)
				})
				ctx, cancel := context.WithCancel(t.Context())
				defer time.AfterFunc(2500*time.Millisecond, cancel).Stop()
				_, err := roundTrip(t, NewTransport(f, lim), newRequest(t, ctx, tt.method, ""))
				if err == nil || len(f.seen()) < 2 || errors.Is(err, ErrNotSent) != tt.notSent {
					t.Fatalf("after %d attempts: %v; want an error matching ErrNotSent: %v", len(f.seen()), err, tt.notSent)
				}
			})
		})
	}
	t.Run("refused at the gate", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			lim := newLimiter(t, WithMaxWait(time.Second))
			lim.Throttle(t.Context(), time.Hour)
			f := newFake(statuses())
			_, err := roundTrip(t, NewTransport(f, lim), newRequest(t, t.Context(), http.MethodPost, "{}"))
			var ge *GateError
			if !errors.As(err, &ge) || !errors.Is(err, ErrNotSent) || !errors.Is(err, ErrRateLimited) || len(f.seen()) != 0 {
				t.Fatalf("got %v; want a GateError matching ErrNotSent and ErrRateLimited, nothing sent", err)
			}
		})
	})
}
