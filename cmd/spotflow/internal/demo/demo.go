// Package demo runs the crawl of `spotflow demo`: a fake Spotify with a rate
// window, latency and faults, and three concurrent jobs sharing one rate
// limiter through the async client: artists' discographies, a 10,000-item
// playlist, and a bulk lookup.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
	"github.com/spotflow/spotflow/spotifytest"
)

// Config sizes the crawl and sets up the fake. Zero sizes, seed, window
// and concurrency take the values of Defaults; RateN 0 turns the window off.
type Config struct {
	Artists int // artists whose discographies are crawled
	Lookups int // track IDs looked up in bulk
	// Playlist is the ID of the playlist streamed; empty for the fake's
	// 10,000-item one.
	Playlist string

	// RateN requests per RateWindow is the fake's rolling rate window.
	RateN      int
	RateWindow time.Duration
	// Latency plus up to Jitter delays every request.
	Latency, Jitter time.Duration
	Faults          []spotifytest.Fault
	Seed            int64

	// Concurrency bounds each job's requests in flight.
	Concurrency int
	// Pacing configures the client's limiter; nil keeps the limiter's
	// defaults, which find the window from the 429s.
	Pacing []ratelimit.Option
	Logger *slog.Logger
}

// Defaults is the configuration of `spotflow demo`: a window of 150
// requests per 3 s (Spotify's window is 30 s long; a shorter one shows the
// same behaviour within seconds), 20 ms ± 20 ms of latency, and 1% of
// requests failing with 500 and 0.5% with a reset connection.
var Defaults = Config{
	Artists:     50,
	Lookups:     2000,
	RateN:       150,
	RateWindow:  3 * time.Second,
	Latency:     20 * time.Millisecond,
	Jitter:      20 * time.Millisecond,
	Faults:      []spotifytest.Fault{{Kind: spotifytest.Kind500, Rate: 0.01}, {Kind: spotifytest.KindReset, Rate: 0.005}},
	Seed:        1,
	Concurrency: async.DefaultConcurrency,
}

func (c Config) withDefaults() Config {
	d := Defaults
	if c.Artists <= 0 {
		c.Artists = d.Artists
	}
	if c.Lookups <= 0 {
		c.Lookups = d.Lookups
	}
	if c.RateWindow <= 0 {
		c.RateWindow = d.RateWindow
	}
	if c.Seed == 0 {
		c.Seed = d.Seed
	}
	if c.Concurrency <= 0 {
		c.Concurrency = d.Concurrency
	}
	return c
}

// Summary is what a crawl did.
type Summary struct {
	Artists, Albums, Tracks int // discographies
	PlaylistItems           int
	LookedUp                int // tracks of the bulk lookup

	Requests      int           // Web API requests the fake received
	TokenRequests int           // requests to the accounts service
	RateLimited   int           // 429 answers of the rate window
	Faults        int           // injected faults
	Retries       int64         // retries the client made
	Waited        time.Duration // time callers spent waiting in the limiter, summed
	Elapsed       time.Duration

	RateN      int // the fake's window: RateN requests per RateWindow
	RateWindow time.Duration
}

// Items is every object fetched: albums, tracks, playlist items and
// looked-up tracks.
func (s *Summary) Items() int { return s.Albums + s.Tracks + s.PlaylistItems + s.LookedUp }

// Admitted is the number of Web API requests the rate window let through.
func (s *Summary) Admitted() int { return s.Requests - s.RateLimited - s.Faults }

// BudgetShare is the share of the rate budget used: the rate at which
// the window admitted requests over the crawl, against the window's rate.
// It is 0 without a window. A crawl shorter than a few windows can exceed
// 1, since the window starts empty.
func (s *Summary) BudgetShare() float64 {
	if s.RateN <= 0 || s.RateWindow <= 0 || s.Elapsed <= 0 {
		return 0
	}
	return s.admittedRate() / s.budgetRate()
}

func (s *Summary) admittedRate() float64 { return float64(s.Admitted()) / s.Elapsed.Seconds() }
func (s *Summary) budgetRate() float64   { return float64(s.RateN) / s.RateWindow.Seconds() }

// Run crawls a fake started for it, showing progress in g.
func Run(ctx context.Context, cfg Config, g *progress.Group) (*Summary, error) {
	cfg = cfg.withDefaults()
	fake := spotifytest.NewServer(
		spotifytest.WithSeed(cfg.Seed),
		spotifytest.WithRateLimit(cfg.RateN, cfg.RateWindow),
		spotifytest.WithLatency(cfg.Latency, cfg.Jitter),
		spotifytest.WithFaults(cfg.Faults...),
		spotifytest.WithRequestLog(0),
	)
	defer fake.Close()

	lim, client, err := newClient(ctx, fake, cfg)
	if err != nil {
		return nil, err
	}
	sum := &Summary{RateN: cfg.RateN, RateWindow: cfg.RateWindow}
	ids := fake.IDs()
	start := time.Now()
	var eg *errgroup.Group
	eg, ctx = errgroup.WithContext(ctx)
	// The tasks are added here so that they are listed in this order.
	disco := discographyTasks{g.Add("artists", "artists", 0), g.Add("albums", "albums", 0)}
	items := g.Add("playlist", "items", 0)
	looked := g.Add("lookup", "tracks", 0)
	eg.Go(func() error {
		return discographies(ctx, client, ids.Artists[:min(cfg.Artists, len(ids.Artists))], cfg.Concurrency, disco, sum)
	})
	if cfg.Playlist == "" {
		cfg.Playlist = ids.Playlist10K
	}
	eg.Go(func() error { return playlist(ctx, client, cfg.Playlist, cfg.Concurrency, items, sum) })
	eg.Go(func() error { return lookup(ctx, client, ids.Tracks[:min(cfg.Lookups, len(ids.Tracks))], looked, sum) })
	err = eg.Wait()
	sum.Elapsed = time.Since(start)
	fake.Close() // waits for every request, so the counts are final
	if err != nil {
		return sum, err
	}

	st, ls := fake.Stats(), lim.Stats()
	sum.Requests = st.Requests - st.TokenRequests
	sum.TokenRequests = st.TokenRequests
	sum.RateLimited = st.RateLimited
	sum.Faults = st.Faults
	sum.Retries = ls.Retries
	sum.Waited = ls.Waited
	return sum, nil
}

// newClient builds the async client of the fake's app: client
// credentials, and a limiter shared by every job. Unless told otherwise,
// the limiter runs on its defaults: like a real app, it does not know the
// window and finds it from the 429s.
func newClient(ctx context.Context, fake *spotifytest.Server, cfg Config) (*ratelimit.Limiter, *async.Client, error) {
	pacing := slices.Clone(cfg.Pacing)
	if cfg.Logger != nil {
		pacing = append(pacing, ratelimit.WithLogger(cfg.Logger))
	}
	lim, err := ratelimit.New(pacing...)
	if err != nil {
		return nil, nil, err
	}
	ac, err := auth.NewConfig(
		auth.WithClientID(fake.ClientID),
		auth.WithClientSecret(fake.ClientSecret),
		auth.WithAccountsURL(fake.URL))
	if err != nil {
		return nil, nil, err
	}
	ts, err := auth.NewClientCredentials(ctx, ac)
	if err != nil {
		return nil, nil, err
	}
	c, err := spotify.NewClient(
		spotify.WithBaseURL(fake.URL+"/v1/"),
		spotify.WithTokenSource(ts),
		spotify.WithLimiter(lim),
		spotify.WithUserAgent("spotflow-demo"))
	if err != nil {
		return nil, nil, err
	}
	a, err := async.New(c, async.WithConcurrency(cfg.Concurrency), async.WithPrefetch(cfg.Concurrency))
	return lim, a, err
}

// discographyTasks count the artists and the albums done.
type discographyTasks struct{ artists, albums *progress.Task }

// discographies lists every album of each artist, then every track of
// each album: artists and albums fan out together.
func discographies(ctx context.Context, c *async.Client, artists []string, limit int, tasks discographyTasks, sum *Summary) error {
	artistTask, albumTask := tasks.artists, tasks.albums
	artistTask.SetTotal(int64(len(artists)))
	var albums, tracks atomic.Int64
	_, err := async.Map(ctx, artists, limit, func(ctx context.Context, id string) (struct{}, error) {
		list, err := c.Artists.Albums(ctx, id, nil).Collect()
		if err != nil {
			return struct{}{}, err
		}
		albums.Add(int64(len(list)))
		albumTask.AddTotal(len(list))
		_, err = async.Map(ctx, list, limit, func(ctx context.Context, al models.ArtistDiscographyAlbum) (struct{}, error) {
			ts, err := c.Albums.Tracks(ctx, al.ID, nil).Collect()
			tracks.Add(int64(len(ts)))
			albumTask.Add(1)
			return struct{}{}, err
		})
		artistTask.Add(1)
		return struct{}{}, err
	})
	if err != nil {
		artistTask.Abort()
		albumTask.Abort()
		return fmt.Errorf("discographies: %w", err)
	}
	artistTask.Done()
	albumTask.Done()
	sum.Artists, sum.Albums, sum.Tracks = len(artists), int(albums.Load()), int(tracks.Load())
	return nil
}

// playlist streams every item of a playlist, pages fetched concurrently
// and items delivered in order.
func playlist(ctx context.Context, c *async.Client, id string, prefetch int, task *progress.Task, sum *Summary) error {
	fetch := func(ctx context.Context, offset int) (*models.Page[models.PlaylistItem], error) {
		opts := &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: 50, Offset: offset}}
		p, err := c.Sync().Playlists.Items(ctx, id, opts)
		if err == nil {
			task.SetTotal(int64(p.Total))
		}
		return p, err
	}
	n := 0
	for _, err := range async.StreamPages(ctx, fetch, async.WithPrefetch(prefetch)).All() {
		if err != nil {
			task.Abort()
			return fmt.Errorf("playlist: %w", err)
		}
		n++
		task.Add(1)
	}
	task.Done()
	sum.PlaylistItems = n
	return nil
}

// lookupChunk is how many IDs each GetMany future gets, so that the
// progress display moves as chunks complete.
const lookupChunk = 250

// lookup looks ids up with GetMany, chunks in flight together.
func lookup(ctx context.Context, c *async.Client, ids []string, task *progress.Task, sum *Summary) error {
	task.SetTotal(int64(len(ids)))
	var futures []*async.Future[[]*models.Track]
	for start := 0; start < len(ids); start += lookupChunk {
		futures = append(futures, c.Tracks.GetMany(ctx, ids[start:min(start+lookupChunk, len(ids))], nil))
	}
	n := 0
	for _, f := range futures {
		got, err := f.Await(ctx)
		if err != nil {
			task.Abort()
			return fmt.Errorf("bulk lookup: %w", err)
		}
		for _, t := range got {
			if t != nil {
				n++
			}
		}
		task.Add(len(got))
	}
	task.Done()
	sum.LookedUp = n
	return nil
}

// WriteTo writes the summary for people.
func (s *Summary) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	c := func(n int) string { return progress.Count(int64(n)) }
	fmt.Fprintf(tw, "discographies\t%s artists, %s albums, %s tracks\n", c(s.Artists), c(s.Albums), c(s.Tracks))
	fmt.Fprintf(tw, "playlist\t%s items\n", c(s.PlaylistItems))
	fmt.Fprintf(tw, "bulk lookup\t%s tracks\n", c(s.LookedUp))
	fmt.Fprintf(tw, "\t\n")
	fmt.Fprintf(tw, "items\t%s\n", c(s.Items()))
	fmt.Fprintf(tw, "requests\t%s to the Web API, %s to the accounts service\n", c(s.Requests), c(s.TokenRequests))
	fmt.Fprintf(tw, "429s\t%s\n", c(s.RateLimited))
	fmt.Fprintf(tw, "faults\t%s injected\n", c(s.Faults))
	fmt.Fprintf(tw, "retries\t%s\n", progress.Count(s.Retries))
	waited := s.Waited.Round(10 * time.Millisecond).String()
	if s.Requests > 0 {
		waited += fmt.Sprintf(" in all, %s per request, for the gate, the pace and backoff",
			(s.Waited / time.Duration(s.Requests)).Round(time.Millisecond))
	}
	fmt.Fprintf(tw, "time waited\t%s\n", waited)
	fmt.Fprintf(tw, "elapsed\t%s\n", s.Elapsed.Round(10*time.Millisecond))
	if secs := s.Elapsed.Seconds(); secs > 0 {
		fmt.Fprintf(tw, "items/s\t%s\n", c(int(float64(s.Items())/secs)))
	}
	if share := s.BudgetShare(); share > 0 {
		fmt.Fprintf(tw, "rate budget\t%.0f%% used: %.1f requests/s admitted of the %.1f/s a window of %d per %s allows\n",
			100*share, s.admittedRate(), s.budgetRate(), s.RateN, s.RateWindow)
	} else {
		fmt.Fprintf(tw, "rate budget\tno rate window\n")
	}
	if err := tw.Flush(); err != nil {
		return 0, err
	}
	// The blank separator line comes out of tabwriter as padding.
	var out bytes.Buffer
	for line := range strings.Lines(buf.String()) {
		out.WriteString(strings.TrimRight(line, " \n"))
		out.WriteByte('\n')
	}
	return out.WriteTo(w)
}
