package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	zspotify "github.com/zmb3/spotify/v2"
	"golang.org/x/time/rate"

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
	crawlMeasure = 9 * crawlWindow
	// unpacedMeasure is the crawl of the contender without a window: long
	// enough to measure its CPU per request.
	unpacedMeasure = 2 * time.Second
)

// BenchmarkCrawl compares zmb3 retrying its 429s (WithRetry(true): it
// sleeps for Retry-After and tries again) with spotflow paced by a limiter
// told the window (ratelimit.WithWindow), and by the default limiter, which
// finds the window from the 429s. All run the same 8 workers for 10 s, the
// first not counted. It reports the lookups per second, the 429s the fake
// sent during the whole run (count and share of the requests), the
// utilization of the window (requests accepted while measured / what the
// window allows in that time), and the client's CPU time per lookup
// (cpu-ns/req). spotflow-unpaced crawls a fake without a window through a
// limiter that does not pace, for 2 s: the CPU a lookup costs when no
// request waits, to compare the paced ones with. raw-paced is plain
// net/http sent at the window's pace by a ticker, no limiter: what pacing
// itself costs a Go process (its threads sleep and wake for each request)
// whatever paces it; raw-paced-8 lets the 8 workers go together on every
// eighth tick, the least a paced process of 8 workers can wake.
func BenchmarkCrawl(b *testing.B) {
	contenders := []struct {
		name    string
		noLimit bool
		get     func(tb testing.TB, f *fake) getter
	}{
		{zmb3Name, false, func(tb testing.TB, f *fake) getter {
			zc := zmb3Client(tb, f, zspotify.WithRetry(true))
			return func(ctx context.Context, id string) error {
				_, err := zc.GetTrack(ctx, zspotify.ID(id))
				return err
			}
		}},
		{spotflowName, false, func(tb testing.TB, f *fake) getter {
			lim, err := ratelimit.New(ratelimit.WithWindow(crawlLimit, crawlWindow))
			if err != nil {
				tb.Fatal(err)
			}
			return trackGetter(spotflowClient(tb, f, lim))
		}},
		{spotflowDefaultsName, false, func(tb testing.TB, f *fake) getter {
			return trackGetter(spotflowClient(tb, f, defaults(tb)))
		}},
		{spotflowName + "-unpaced", true, func(tb testing.TB, f *fake) getter {
			return spotflowGetter(tb, f, ratelimit.WithRate(rate.Inf, 0))
		}},
		{rawName + "-paced", false, rawPacedGetter(1)},
		{rawName + "-paced-8", false, rawPacedGetter(crawlWorkers)},
	}
	for _, c := range contenders {
		b.Run("contender="+c.name, func(b *testing.B) {
			var items, done, sent, limited int64
			var cpu time.Duration
			measure := crawlMeasure
			cfg := fakeConfig{RateN: crawlLimit, RateSpan: crawlWindow}
			if c.noLimit {
				measure, cfg = unpacedMeasure, fakeConfig{}
			}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				f := startFake(b, cfg)
				get := c.get(b, f)
				b.StartTimer()
				cpu0 := processCPU()
				n, all, err := crawl(b.Context(), f.Tracks, get, measure)
				cpu += processCPU() - cpu0
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				st, err := f.stop()
				if err != nil {
					b.Fatal(err)
				}
				items += n
				done += all
				sent += int64(st.ByOp["get-track"])
				limited += int64(st.RateLimited)
			}
			perSec := float64(items) / (float64(b.N) * measure.Seconds())
			b.ReportMetric(perSec, "items/s")
			b.ReportMetric(float64(limited)/float64(b.N), "429s")
			b.ReportMetric(100*float64(limited)/float64(sent), "%429")
			if !c.noLimit {
				// Each lookup is one accepted request: get-track answers 200
				// once the window admits it.
				b.ReportMetric(perSec/(crawlLimit/crawlWindow.Seconds()), "utilization")
			}
			if cpu > 0 && done > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(done), "cpu-ns/req")
			}
		})
	}
}

// crawl runs crawlWorkers workers looking ids up with get, cycling through
// them, for crawlWarm plus measure, and returns the lookups completed
// during measure and in all. Errors after the end are those of the
// cancelled context and are ignored; one before it is returned.
func crawl(ctx context.Context, ids []string, get getter, measure time.Duration) (int64, int64, error) {
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
		timer.Reset(measure)
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
	return end - start, done.Load(), firstErr
}

// spotflowGetter looks tracks up with a spotflow client of f through a
// limiter made with opts.
func spotflowGetter(tb testing.TB, f *fake, opts ...ratelimit.Option) getter {
	lim, err := ratelimit.New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	c := spotflowClient(tb, f, lim)
	return func(ctx context.Context, id string) error {
		_, err := c.Tracks.Get(ctx, id, nil)
		return err
	}
}

// rawPacedGetter looks tracks up with plain net/http at 95 a second,
// shared by the workers, no limiter: batch requests are let go together
// on each tick of a ticker, every batch/95 s. A ticker keeps no account of
// a tick delivered late, so it keeps some distance from the window. With
// batch 1, each request wakes the process; with batch crawlWorkers, one
// wake-up lets every worker go: what pacing costs a Go process whatever
// paces it, and how much of it waking for several requests at once saves.
func rawPacedGetter(batch int) func(tb testing.TB, f *fake) getter {
	return func(tb testing.TB, f *fake) getter {
		hc := &http.Client{Transport: newTransport(tb)}
		tick := time.NewTicker(time.Duration(batch) * time.Second / (crawlLimit - 5))
		if batch == 1 {
			tb.Cleanup(tick.Stop)
			return rawGetter(hc, f, func(ctx context.Context) error {
				select {
				case <-tick.C:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}
		tokens := make(chan struct{}, batch)
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-tick.C:
				case <-stop:
					return
				}
				for range batch {
					select {
					case tokens <- struct{}{}:
					default: // a token not taken since the last tick is not kept
					}
				}
			}
		}()
		tb.Cleanup(func() { tick.Stop(); close(stop); <-done })
		return rawGetter(hc, f, func(ctx context.Context) error {
			select {
			case <-tokens:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}
}

// rawGetter looks tracks up with hc once wait lets each request go.
func rawGetter(hc *http.Client, f *fake, wait func(context.Context) error) getter {
	return func(ctx context.Context, id string) error {
		if err := wait(ctx); err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.api()+"tracks/"+id, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+f.Token)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET tracks/%s: %s", id, resp.Status)
		}
		return nil
	}
}

// trackGetter looks single tracks up with c.
func trackGetter(c *spotify.Client) getter {
	return func(ctx context.Context, id string) error {
		_, err := c.Tracks.Get(ctx, id, nil)
		return err
	}
}
