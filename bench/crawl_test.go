package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	zspotify "github.com/zmb3/spotify/v2"

	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
)

// The crawl: crawlWorkers goroutines look single tracks up, one after
// another, against a fake allowing crawlLimit requests per crawlWindow.
// The first crawlWarm is not counted: it lets each contender fill the
// window once, so that the figures are those of a steady crawl rather than
// of the free burst a fresh window allows. Then items are counted for
// crawlMeasure.
const (
	crawlWorkers = 8
	crawlLimit   = 100
	crawlWindow  = time.Second
	crawlWarm    = crawlWindow
	crawlMeasure = 3 * crawlWindow
)

// BenchmarkCrawl compares zmb3 retrying its 429s (WithRetry(true): it
// sleeps for Retry-After and tries again) with spotflow paced by a limiter
// told the window (ratelimit.WithWindow), and by the default limiter, which
// finds the window from the 429s. Both run the same 8 workers. It
// reports the lookups per second, the 429s the fake sent during the whole
// run (count and share of the requests), and the utilization of the
// window: requests accepted while measured / what the window allows in
// that time.
func BenchmarkCrawl(b *testing.B) {
	contenders := []struct {
		name string
		get  func(tb testing.TB, f *fake) getter
	}{
		{zmb3Name, func(tb testing.TB, f *fake) getter {
			zc := zmb3Client(tb, f, zspotify.WithRetry(true))
			return func(ctx context.Context, id string) error {
				_, err := zc.GetTrack(ctx, zspotify.ID(id))
				return err
			}
		}},
		{spotflowName, func(tb testing.TB, f *fake) getter {
			lim, err := ratelimit.New(ratelimit.WithWindow(crawlLimit, crawlWindow))
			if err != nil {
				tb.Fatal(err)
			}
			return trackGetter(spotflowClient(tb, f, lim))
		}},
		{spotflowDefaultsName, func(tb testing.TB, f *fake) getter {
			return trackGetter(spotflowClient(tb, f, defaults(tb)))
		}},
	}
	for _, c := range contenders {
		b.Run("contender="+c.name, func(b *testing.B) {
			var items, sent, limited int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				f := startFake(b, fakeConfig{RateN: crawlLimit, RateSpan: crawlWindow})
				get := c.get(b, f)
				b.StartTimer()
				n, err := crawl(b.Context(), f.Tracks, get)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				st, err := f.stop()
				if err != nil {
					b.Fatal(err)
				}
				items += n
				sent += int64(st.ByOp["get-track"])
				limited += int64(st.RateLimited)
			}
			perSec := float64(items) / (float64(b.N) * crawlMeasure.Seconds())
			b.ReportMetric(perSec, "items/s")
			b.ReportMetric(float64(limited)/float64(b.N), "429s")
			b.ReportMetric(100*float64(limited)/float64(sent), "%429")
			// Each lookup is one accepted request: get-track answers 200 once
			// the window admits it.
			b.ReportMetric(perSec/(crawlLimit/crawlWindow.Seconds()), "utilization")
		})
	}
}

// crawl runs crawlWorkers workers looking ids up with get, cycling through
// them, for crawlWarm plus crawlMeasure, and returns the lookups completed
// during crawlMeasure. Errors after the end are those of the cancelled
// context and are ignored; one before it is returned.
func crawl(ctx context.Context, ids []string, get getter) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var done, next atomic.Int64
	var errOnce sync.Once
	var firstErr error
	var wg sync.WaitGroup
	for range crawlWorkers {
		wg.Go(func() {
			for ctx.Err() == nil {
				id := ids[int(next.Add(1)-1)%len(ids)]
				if err := get(ctx, id); err != nil {
					if ctx.Err() == nil {
						errOnce.Do(func() { firstErr = err; cancel() })
					}
					return
				}
				done.Add(1)
			}
		})
	}
	var start int64
	timer := time.NewTimer(crawlWarm)
	select {
	case <-timer.C:
		start = done.Load()
		timer.Reset(crawlMeasure)
		select {
		case <-timer.C:
		case <-ctx.Done():
		}
	case <-ctx.Done():
	}
	timer.Stop()
	end := done.Load()
	cancel()
	wg.Wait()
	return end - start, firstErr
}

// trackGetter looks single tracks up with c.
func trackGetter(c *spotify.Client) getter {
	return func(ctx context.Context, id string) error {
		_, err := c.Tracks.Get(ctx, id, nil)
		return err
	}
}
