package ratelimit

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

// traceLog records a Trace's hooks as lines.
type traceLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *traceLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *traceLog) trace() *Trace {
	return &Trace{
		Waited:      func(s Stage, d time.Duration) { l.add("waited %s %v", s, d) },
		RateLimited: func(ra time.Duration) { l.add("429 %v", ra) },
		Retrying:    func(n int, reason string, wait time.Duration) { l.add("retry %d %s %v", n, reason, wait) },
	}
}

func (l *traceLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "; ")
}

func TestTraceReportsEachStage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
			switch n {
			case 0:
				return reply(http.StatusTooManyRequests, "Retry-After", "2"), nil
			case 1:
				return reply(http.StatusServiceUnavailable), nil
			}
			return reply(http.StatusOK), nil
		})
		lim := newLimiter(t, WithRate(rate.Inf, 1), withJitter(1), WithBackoff(100*time.Millisecond, time.Second))
		var log traceLog
		ctx := WithTrace(context.Background(), log.trace())
		status, err := roundTrip(t, NewTransport(f, lim), newRequest(t, ctx, "GET", ""))
		if err != nil || status != 200 {
			t.Fatalf("status %d, err %v", status, err)
		}
		want := "429 2s; waited gate 2s; retry 2 429 0s; waited backoff 100ms; retry 3 503 100ms"
		if got := log.String(); got != want {
			t.Errorf("trace\n got %s\nwant %s", got, want)
		}
	})
}

func TestTraceBucketAndSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		f := newFake(func(n int, _ *http.Request) (*http.Response, error) {
			if n == 0 {
				<-release
			}
			return reply(http.StatusOK), nil
		})
		lim := newLimiter(t, WithRate(1, 1), WithMaxInFlight(1))
		tr := NewTransport(f, lim)
		go roundTrip(t, tr, newRequest(t, context.Background(), "GET", ""))
		synctest.Wait()
		go func() {
			time.Sleep(3 * time.Second)
			close(release)
		}()
		var log traceLog
		ctx := WithTrace(context.Background(), log.trace())
		if _, err := roundTrip(t, tr, newRequest(t, ctx, "GET", "")); err != nil {
			t.Fatal(err)
		}
		if got, want := log.String(), "waited bucket 1s; waited slot 2s"; got != want {
			t.Errorf("trace %q, want %q", got, want)
		}
	})
}
