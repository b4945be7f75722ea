package spotify

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/ratelimit"
)

// stallTransport answers in memory, honouring each request's context as
// net/http does (a cancelled context ends a pending answer or body read).
// The answer depends on the track ID the URL holds:
//   - "stallheaders": no answer until the context ends;
//   - "stallbody": headers and the first bytes of a track, then nothing;
//   - "trickle": a track one byte every trickleEvery;
//   - anything else: a track at once.
type stallTransport struct {
	sent atomic.Int32
}

const (
	stallHeaders = "stallheadersAAAAAAAAAA" // 22 base62 characters: a valid track ID
	stallBody    = "stallbodyAAAAAAAAAAAAA"
	trickle      = "trickleAAAAAAAAAAAAAAA"
	trickleEvery = 20 * time.Second
)

func (t *stallTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.sent.Add(1)
	if req.Body != nil {
		req.Body.Close()
	}
	ctx := req.Context()
	id := trackID
	for _, special := range []string{stallHeaders, stallBody, trickle} {
		if strings.Contains(req.URL.String(), special) {
			id = special
		}
	}
	body := `{"id":"` + id + `","type":"track","name":"Song"}`
	var r io.Reader = strings.NewReader(body)
	switch id {
	case stallHeaders:
		<-ctx.Done()
		return nil, ctx.Err()
	case stallBody:
		r = io.MultiReader(strings.NewReader(body[:5]), &blockReader{ctx})
	case trickle:
		r = &trickleReader{ctx: ctx, data: body}
	}
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		ContentLength: int64(len(body)), Body: io.NopCloser(r), Request: req,
	}, nil
}

type blockReader struct{ ctx context.Context }

func (b *blockReader) Read([]byte) (int, error) {
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

type trickleReader struct {
	ctx  context.Context
	data string
}

func (r *trickleReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, io.EOF
	}
	select {
	case <-time.After(trickleEvery):
	case <-r.ctx.Done():
		return 0, r.ctx.Err()
	}
	n := copy(p[:1], r.data)
	r.data = r.data[n:]
	return n, nil
}

func stallClient(t *testing.T, tr http.RoundTripper, lim *ratelimit.Limiter, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(append([]Option{
		WithBaseURL("http://api.spotify.test/v1/"),
		WithHTTPClient(&http.Client{Transport: tr}),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken})),
		WithLimiter(lim),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newLimiter(t *testing.T, opts ...ratelimit.Option) *ratelimit.Limiter {
	t.Helper()
	lim, err := ratelimit.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return lim
}

// TestProgressTimeout: with no deadline on the caller's context, an
// attempt whose answer stalls (before its headers or within its body)
// ends at the progress timeout and frees its in-flight slot; a request
// safe to repeat is retried, one that is not is sent once and fails with
// ErrMaybeApplied. A body that keeps trickling is read to the end, however
// long it takes.
func TestProgressTimeout(t *testing.T) {
	for _, tt := range []struct {
		name     string
		call     func(context.Context, *Client) error
		attempts int
		sent     int32
		took     time.Duration
		want     func(error) bool
	}{
		{"stalled body, one attempt", getID(stallBody), 1, 1, 30 * time.Second, isStall},
		{"stalled headers, one attempt", getID(stallHeaders), 1, 1, 30 * time.Second, isStall},
		{"stalled body, retried", getID(stallBody), 3, 3, 90 * time.Second, isStall},
		{"not safe to repeat", func(ctx context.Context, c *Client) error {
			return c.Player.AddToQueue(ctx, "spotify:track:"+stallBody, nil) // answers like a stalled body
		}, 3, 1, 30 * time.Second, func(err error) bool { return isStall(err) && errors.Is(err, ErrMaybeApplied) }},
		{"trickling body", getID(trickle), 1, 1, time.Duration(len(`{"id":"`+trickle+`","type":"track","name":"Song"}`)) * trickleEvery,
			func(err error) bool { return err == nil }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				tr := &stallTransport{}
				// Backoff waits of zero, so the time taken is the stalls'.
				lim := newLimiter(t, ratelimit.WithMaxAttempts(tt.attempts), ratelimit.WithBackoff(time.Nanosecond, time.Nanosecond))
				c := stallClient(t, tr, lim)
				start := time.Now()
				err := tt.call(t.Context(), c)
				took := time.Since(start).Round(time.Second)
				if !tt.want(err) || tr.sent.Load() != tt.sent || took != tt.took {
					t.Fatalf("after %s and %d requests: %v; want %s and %d", took, tr.sent.Load(), err, tt.took, tt.sent)
				}
				if n := lim.Stats().InFlight; n != 0 {
					t.Fatalf("%d in-flight slots still held", n)
				}
			})
		})
	}
}

func getID(id string) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		_, err := c.Tracks.Get(ctx, id, nil)
		return err
	}
}

// isStall reports an error of an attempt abandoned by the watchdog: a
// timeout naming the stall, not the caller's context.
func isStall(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() && strings.Contains(err.Error(), "no progress from the server for 30s") &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// TestStalledBodiesFreeTheLimiter: 32 callers whose answers stall take
// every in-flight slot of a shared Limiter capped at 32 (each its own
// request: coalescing, which would share one, is off); 20 other callers
// queue behind them. The stalled attempts are abandoned at the progress
// timeout, the others get their slots then and succeed, and every stalled
// caller ends after its attempts; no slot stays held.
func TestStalledBodiesFreeTheLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const stalled, others = 32, 20
		tr := &stallTransport{}
		lim := newLimiter(t, ratelimit.WithMaxInFlight(stalled), ratelimit.WithRate(rate.Inf, 0))
		c := stallClient(t, tr, lim, WithoutCoalescing())
		ctx := t.Context() // no deadline
		start := time.Now()
		var wg sync.WaitGroup
		stallErrs := make([]error, stalled)
		for i := range stallErrs {
			wg.Go(func() { _, stallErrs[i] = c.Tracks.Get(ctx, stallBody, nil) })
		}
		synctest.Wait() // every slot is taken by a stalled attempt
		if n := lim.Stats().InFlight; n != stalled {
			t.Fatalf("%d slots taken, want %d", n, stalled)
		}
		done := make([]time.Duration, others)
		otherErrs := make([]error, others)
		for i := range others {
			wg.Go(func() {
				_, otherErrs[i] = c.Tracks.Get(ctx, trackID, nil)
				done[i] = time.Since(start)
			})
		}
		wg.Wait()
		for i, err := range otherErrs {
			if err != nil || done[i] > DefaultProgressTimeout+time.Second {
				t.Errorf("caller %d: %v after %s; want success once the stalled attempts were abandoned at %s", i, err, done[i], DefaultProgressTimeout)
			}
		}
		for i, err := range stallErrs {
			if !isStall(err) {
				t.Errorf("stalled caller %d: %v; want the stall", i, err)
			}
		}
		if st := lim.Stats(); st.InFlight != 0 {
			t.Fatalf("%d slots still held at the end", st.InFlight)
		}
		t.Logf("%d requests in %s of synctest time", tr.sent.Load(), time.Since(start))
	})
}

// WithProgressTimeout refuses what is not a positive duration.
func TestWithProgressTimeoutValidates(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		if _, err := NewClient(WithProgressTimeout(d)); err == nil || !strings.Contains(err.Error(), d.String()) {
			t.Errorf("WithProgressTimeout(%s): %v; want an error naming it", d, err)
		}
	}
	if _, err := NewClient(WithProgressTimeout(time.Minute)); err != nil {
		t.Fatal(err)
	}
}
