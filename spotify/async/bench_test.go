package async

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotifytest"
)

// BenchmarkPlaylist10K walks the 10,000-item playlist with 20 ms of latency
// per request, sequentially (ItemsAll) and as an async stream with prefetch
// 8, and reports both times and the speed-up (target: at least 6x).
func BenchmarkPlaylist10K(b *testing.B) {
	srv, a := fake(b, spotifytest.WithLatency(20*time.Millisecond, 0))
	id := srv.IDs().Playlist10K
	var seq, async time.Duration
	for b.Loop() {
		start := time.Now()
		n := 0
		for _, err := range a.Sync().Playlists.ItemsAll(b.Context(), id, nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		seq += time.Since(start)
		checkCount(b, n, 10_000)

		start = time.Now()
		n = 0
		for _, err := range a.Playlists.Items(b.Context(), id, nil).All() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		async += time.Since(start)
		checkCount(b, n, 10_000)
	}
	b.ReportMetric(float64(seq.Nanoseconds())/float64(b.N), "seq-ns/op")
	b.ReportMetric(float64(async.Nanoseconds())/float64(b.N), "async-ns/op")
	b.ReportMetric(float64(seq)/float64(async), "speedup-x")
}

func checkCount(b *testing.B, got, want int) {
	b.Helper()
	if got != want {
		b.Fatalf("%d items; want %d", got, want)
	}
}

// BenchmarkStreamHeap streams 10,000 and 100,000 items, discarding them,
// while sampling the heap, and reports the peaks and their ratio (target:
// at most 1.5, i.e. memory does not grow with the list). heap-inuse is the
// bytes in spans holding objects, garbage included; heap-live is the heap
// that survived each collection, what the stream really keeps.
//
// The fake runs in the same process, so its catalog is kept small (its
// big playlists still have 10,000 and 100,000 items, repeating tracks) and
// a first stream warms its caches before anything is measured.
func BenchmarkStreamHeap(b *testing.B) {
	srv, a := fake(b, spotifytest.WithSize(spotifytest.Size{Artists: 20}))
	ids := srv.IDs()
	streamPeak(b, a, ids.Playlist10K, 10_000) // warm up
	var p10K, p100K heapPeak
	for b.Loop() {
		p10K = p10K.max(streamPeak(b, a, ids.Playlist10K, 10_000))
		p100K = p100K.max(streamPeak(b, a, ids.Playlist100K, 100_000))
	}
	b.ReportMetric(float64(p10K.inuse), "peak-heap-10k-B")
	b.ReportMetric(float64(p100K.inuse), "peak-heap-100k-B")
	b.ReportMetric(float64(p100K.inuse)/float64(p10K.inuse), "heap-ratio")
	b.ReportMetric(float64(p10K.live), "peak-live-10k-B")
	b.ReportMetric(float64(p100K.live), "peak-live-100k-B")
	b.ReportMetric(float64(p100K.live)/float64(p10K.live), "live-ratio")
}

// heapPeak holds the highest heap figures seen.
type heapPeak struct{ inuse, live uint64 }

func (p heapPeak) max(q heapPeak) heapPeak {
	return heapPeak{max(p.inuse, q.inuse), max(p.live, q.live)}
}

// streamPeak streams a playlist and returns the highest heap figures seen
// while it ran.
func streamPeak(b *testing.B, a *Client, id string, want int) heapPeak {
	runtime.GC()
	stop := make(chan struct{})
	var peak heapPeak
	var wg sync.WaitGroup
	wg.Go(func() { peak = samplePeak(stop) })
	n := 0
	for _, err := range a.Playlists.Items(b.Context(), id, nil).All() {
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	close(stop)
	wg.Wait()
	checkCount(b, n, want)
	return peak
}

// samplePeak samples the heap every 250µs until stop closes.
func samplePeak(stop <-chan struct{}) heapPeak {
	s := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	t := time.NewTicker(250 * time.Microsecond)
	defer t.Stop()
	var p heapPeak
	for {
		metrics.Read(s)
		p = p.max(heapPeak{inuse: s[0].Value.Uint64() + s[1].Value.Uint64(), live: s[2].Value.Uint64()})
		select {
		case <-stop:
			return p
		case <-t.C:
		}
	}
}

// BenchmarkRateLimitedLookups runs 1,000 single-track lookups, fanned out,
// against a fake that allows 100 requests per rolling second and answers
// 429 beyond. It reports the lookups completed per second as a fraction of
// that limit (utilization), the share of requests answered 429, and the
// share of lookups that completed:
//   - window: the limiter told the window (ratelimit.WithWindow(100, 1s));
//     targets: utilization >= 0.90, 429s <= 1%;
//   - adaptive: the limiter's defaults, not told the rate: it starts at
//     ratelimit.DefaultRate, probes upward and learns from the 429s, with
//     the default retry policy; target: utilization >= 0.75 with every
//     lookup completed.
//
// Each case takes ten seconds or more of real time.
func BenchmarkRateLimitedLookups(b *testing.B) {
	const n, limit, window = 1000, 100, time.Second
	for _, tc := range []struct {
		name string
		opts []ratelimit.Option
	}{
		{"window", []ratelimit.Option{ratelimit.WithWindow(limit, window)}},
		{"adaptive", nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var r rateRun
			for b.Loop() {
				r = rateLimitedRun(b, n, limit, window, tc.opts...)
			}
			b.ReportMetric(r.utilization, "utilization")
			b.ReportMetric(r.share429*100, "%429")
			b.ReportMetric(r.completed*100, "%completed")
		})
	}
}

// rateRun is the outcome of one rate-limited run.
type rateRun struct {
	utilization float64 // lookups completed per second / (limit / window)
	share429    float64 // requests answered 429 / requests sent
	completed   float64 // lookups completed / lookups made
}

// rateLimitedRun makes n lookups through a limiter built with opts against
// a fake allowing limit requests per window. A lookup that fails is
// counted, not fatal: the limiter's retry policy decides how many do.
func rateLimitedRun(b *testing.B, n, limit int, window time.Duration, opts ...ratelimit.Option) rateRun {
	b.Helper()
	srv := spotifytest.NewServer(spotifytest.WithRateLimit(limit, window))
	defer srv.Close()
	lim, err := ratelimit.New(append(opts, ratelimit.WithMaxInFlight(64))...)
	if err != nil {
		b.Fatal(err)
	}
	a, err := New(syncClient(b, srv, lim))
	if err != nil {
		b.Fatal(err)
	}
	ids := srv.IDs().Tracks[:n]
	start := time.Now()
	got, err := Map(b.Context(), ids, 64, func(ctx context.Context, id string) (error, error) {
		t, err := a.Tracks.Get(ctx, id, nil).Await(ctx)
		if err == nil && t.ID != id {
			err = fmt.Errorf("lookup of %s gave %s", id, t.ID)
		}
		return err, nil
	})
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	done := 0
	var firstErr error
	for _, err := range got {
		if err == nil {
			done++
		} else if firstErr == nil {
			firstErr = err
		}
	}
	srv.Close() // waits until every request is counted
	st := srv.Stats()
	sent := st.ByOp["get-track"]
	b.Logf("%d of %d lookups in %v: %d requests, %d answered 429; first failure: %v",
		done, n, elapsed.Round(time.Millisecond), sent, st.RateLimited, firstErr)
	return rateRun{
		utilization: float64(done) / elapsed.Seconds() / (float64(limit) / window.Seconds()),
		share429:    float64(st.RateLimited) / float64(sent),
		completed:   float64(done) / float64(n),
	}
}
