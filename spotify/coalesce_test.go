package spotify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// slowOrigin answers every request after delay (fake time in a bubble) with
// a body naming the request's path and the caller in X-Who, and counts
// what it was sent.
type slowOrigin struct {
	delay time.Duration
	fail  error
	sent  atomic.Int32
}

func (o *slowOrigin) RoundTrip(req *http.Request) (*http.Response, error) {
	o.sent.Add(1)
	select {
	case <-time.After(o.delay):
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	if o.fail != nil {
		return nil, o.fail
	}
	body := req.URL.Path + " for " + req.Header.Get("X-Who")
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/plain"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func newCoalescer(base http.RoundTripper) (*coalescer, *atomic.Int32) {
	var served atomic.Int32
	return &coalescer{base: base, maxBody: 1 << 20,
		scope:   func(req *http.Request) (string, bool) { return req.Header.Get("X-Who"), true },
		observe: func(*http.Request) { served.Add(1) },
	}, &served
}

func coalesceGet(ctx context.Context, rt http.RoundTripper, method, path, who string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, method, "http://api.test"+path, nil)
	req.Header.Set("X-Who", who)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func TestCoalescerSharesOneRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		origin := &slowOrigin{delay: 20 * time.Millisecond}
		c, served := newCoalescer(origin)
		var wg sync.WaitGroup
		got := make([]string, 300)
		for i := range got {
			wg.Go(func() {
				who := []string{"ann", "bob", "ann"}[i%3]
				path := []string{"/tracks/a", "/tracks/b"}[i%2]
				body, err := coalesceGet(t.Context(), c, "GET", path, who)
				if err != nil {
					t.Error(err)
				}
				if want := path + " for " + who; body != want {
					t.Errorf("caller %d got %q, want %q", i, body, want)
				}
				got[i] = body
			})
		}
		wg.Wait()
		// Two paths times two identities.
		if n := origin.sent.Load(); n != 4 {
			t.Errorf("origin saw %d requests, want 4", n)
		}
		if n := served.Load(); n != 296 {
			t.Errorf("%d callers served by another's request, want 296", n)
		}
		if len(c.calls) != 0 {
			t.Errorf("%d flights left behind", len(c.calls))
		}
	})
}

// A caller whose context ends leaves at once; the others still get the
// answer. When the leader leaves, a follower sends the request again.
func TestCoalescerCallersLeave(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		origin := &slowOrigin{delay: time.Second}
		c, _ := newCoalescer(origin)
		leaderCtx, stopLeader := context.WithCancel(t.Context())
		followerCtx, stopFollower := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		errs := make([]error, 4)
		wg.Go(func() { _, errs[0] = coalesceGet(leaderCtx, c, "GET", "/me", "ann") })
		synctest.Wait()
		wg.Go(func() { _, errs[1] = coalesceGet(followerCtx, c, "GET", "/me", "ann") })
		for i := 2; i < 4; i++ {
			wg.Go(func() { _, errs[i] = coalesceGet(t.Context(), c, "GET", "/me", "ann") })
		}
		synctest.Wait()
		start := time.Now()
		stopFollower()
		stopLeader()
		synctest.Wait()
		if !errors.Is(errs[0], context.Canceled) || !errors.Is(errs[1], context.Canceled) {
			t.Errorf("the callers who left got %v and %v", errs[0], errs[1])
		}
		if time.Since(start) != 0 {
			t.Error("a caller who left waited")
		}
		wg.Wait()
		if errs[2] != nil || errs[3] != nil {
			t.Errorf("the callers who stayed got %v, %v", errs[2], errs[3])
		}
		if n := origin.sent.Load(); n != 2 {
			t.Errorf("origin saw %d requests, want 2 (the leader's, then one for those who stayed)", n)
		}
	})
}

func TestCoalescerSharesErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boom := errors.New("boom")
		origin := &slowOrigin{delay: time.Second, fail: boom}
		c, _ := newCoalescer(origin)
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				if _, err := coalesceGet(t.Context(), c, "GET", "/tracks/a", ""); !errors.Is(err, boom) {
					t.Errorf("got %v", err)
				}
			})
		}
		wg.Wait()
		if n := origin.sent.Load(); n != 1 {
			t.Errorf("origin saw %d requests", n)
		}
	})
}

// A GET that starts after a write through the client completed does not
// join a GET that started before it: a caller reads its own writes.
func TestCoalescerReadsAfterWrites(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		origin := &slowOrigin{delay: time.Second}
		c, _ := newCoalescer(origin)
		var wg sync.WaitGroup
		wg.Go(func() { coalesceGet(t.Context(), c, "GET", "/me/tracks", "ann") })
		time.Sleep(100 * time.Millisecond)
		wg.Go(func() {
			coalesceGet(t.Context(), c, "PUT", "/me/tracks", "ann") // done at 1.1 s
			coalesceGet(t.Context(), c, "GET", "/me/tracks", "ann") // must not join the first GET
		})
		wg.Wait()
		if n := origin.sent.Load(); n != 3 {
			t.Errorf("origin saw %d requests, want 3", n)
		}
	})
}

func TestCoalescerLeavesOthersAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		origin := &slowOrigin{delay: time.Second}
		c, _ := newCoalescer(origin)
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() { coalesceGet(t.Context(), c, "DELETE", "/me/tracks", "ann") })
			wg.Go(func() {
				req, _ := http.NewRequestWithContext(t.Context(), "GET", "http://api.test/tracks/a", nil)
				req.Header.Set("If-None-Match", `"x"`)
				resp, err := c.RoundTrip(req)
				if err == nil {
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
		if n := origin.sent.Load(); n != 6 {
			t.Errorf("origin saw %d requests, want 6: writes and conditional GETs are never shared", n)
		}
	})
}
