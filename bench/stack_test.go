package bench

import (
	"context"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/cache"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
)

// wire counts what crosses the client's connections and the requests it
// sends: the bytes written and read on every connection the transport
// dials, and each request that reaches the network.
type wire struct {
	requests atomic.Int64
	bytes    atomic.Int64
	base     *http.Transport
}

func newWire(tb testing.TB) *wire {
	w := &wire{base: newTransport(tb)}
	var d net.Dialer
	w.base.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countingConn{Conn: c, n: &w.bytes}, nil
	}
	return w
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	w.requests.Add(1)
	return w.base.RoundTrip(req)
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// stackClient is a spotflow client of f over w, neither paced nor capped
// beyond 128 requests in flight, with opts.
func stackClient(tb testing.TB, f *fake, w *wire, opts ...spotify.Option) *spotify.Client {
	tb.Helper()
	lim, err := ratelimit.New(ratelimit.WithRate(rate.Inf, 0), ratelimit.WithMaxInFlight(128))
	if err != nil {
		tb.Fatal(err)
	}
	c, err := spotify.NewClient(append([]spotify.Option{
		spotify.WithBaseURL(f.api()),
		spotify.WithTokenSource(f.tokens()),
		spotify.WithLimiter(lim),
		spotify.WithHTTPClient(&http.Client{Transport: w}),
	}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkHotKey: 1,000 goroutines each ask for one of 100 tracks at the
// same moment, through a fake with 20 ms latency; with coalescing (the
// default) and without it. It reports the requests that reached the
// network per burst (upstream-requests); ns/op is the time of one burst.
func BenchmarkHotKey(b *testing.B) {
	f := startFake(b, fakeConfig{Latency: 20 * time.Millisecond})
	ids := f.Tracks[:100]
	for _, mode := range []struct {
		name string
		opts []spotify.Option
	}{
		{"coalescing=on", nil},
		{"coalescing=off", []spotify.Option{spotify.WithoutCoalescing()}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			w := newWire(b)
			c := stackClient(b, f, w, mode.opts...)
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				// Each burst starts on a collected heap, so that a
				// collection does not stretch "the same moment" on a
				// small machine.
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				start := make(chan struct{})
				var wg sync.WaitGroup
				for i := range 1000 {
					wg.Go(func() {
						<-start
						id := ids[i%len(ids)]
						t, err := c.Tracks.Get(ctx, id, nil)
						if err := checkID(id, t, err); err != nil {
							b.Error(err)
						}
					})
				}
				close(start)
				wg.Wait()
			}
			b.ReportMetric(float64(w.requests.Load())/float64(b.N), "upstream-requests")
		})
	}
}

// BenchmarkRevalidate walks the 10,000-item playlist twice through a client
// with a cache: the first walk fills it, the second finds every page
// stale (Spotify marks playlists max-age=0) and revalidates it with its
// ETag, and the fake answers 304. wire-ratio is the bytes on the wire of
// the second walk over the first's.
func BenchmarkRevalidate(b *testing.B) {
	f := startFake(b, fakeConfig{})
	var first, second int64
	for b.Loop() {
		store, err := cache.NewMemory(256 << 20)
		if err != nil {
			b.Fatal(err)
		}
		w := newWire(b)
		c := stackClient(b, f, w, spotify.WithCache(store))
		walk := func() int64 {
			before := w.bytes.Load()
			n := 0
			for _, err := range c.Playlists.ItemsAll(b.Context(), f.Playlist10K, &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: walkPage}}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 10000 {
				b.Fatalf("walked %d items", n)
			}
			return w.bytes.Load() - before
		}
		first += walk()
		second += walk()
	}
	b.ReportMetric(float64(second)/float64(first), "wire-ratio")
	b.ReportMetric(float64(first)/float64(b.N), "first-bytes")
	b.ReportMetric(float64(second)/float64(b.N), "second-bytes")
}
