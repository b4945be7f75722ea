package demo

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
	"github.com/spotflow/spotflow/spotifytest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// client is an async client of fake with an app token and no pacing.
func client(t *testing.T, fake *spotifytest.Server) *async.Client {
	t.Helper()
	lim, err := ratelimit.New(ratelimit.WithRate(rate.Inf, 0))
	if err != nil {
		t.Fatal(err)
	}
	c, err := spotify.NewClient(
		spotify.WithBaseURL(fake.URL+"/v1/"),
		spotify.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fake.ClientToken()})),
		spotify.WithLimiter(lim))
	if err != nil {
		t.Fatal(err)
	}
	a, err := async.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestCrawlFindsEverythingBySearch crawls a fake knowing none of its IDs:
// the artists and the playlist come from search, the tracks looked up from
// the albums crawled.
func TestCrawlFindsEverythingBySearch(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	g := progress.New(t.Context(), &bytes.Buffer{}, progress.Off)
	defer g.Close()
	sum, err := Crawl(t.Context(), client(t, fake), Plan{Artists: 12, Lookups: 120, PlaylistQuery: "mix"}, g)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Artists != 12 || sum.Albums == 0 || sum.Tracks != 10*sum.Albums {
		t.Errorf("discographies: %d artists, %d albums, %d tracks", sum.Artists, sum.Albums, sum.Tracks)
	}
	// "mix" finds ten playlists on the first page; the largest has 70 items.
	if sum.Playlist != "Cascade Midnight Northern Mix" || sum.PlaylistItems != 70 || sum.LookedUp != 120 {
		t.Errorf("playlist %q, %d items, lookup %d", sum.Playlist, sum.PlaylistItems, sum.LookedUp)
	}
	fake.Close() // counts every request
	st := fake.Stats()
	// 2 pages of artists, 1 of playlists; an artist-albums page per artist
	// (5 albums each, and no more than the page of 10 holds); an album's
	// tracks in one page; 2 pages of the playlist; 3 batches (50+50+20).
	want := map[string]int{"search": 3, "get-an-artists-albums": 12, "get-an-albums-tracks": sum.Albums,
		"get-playlists-items": 2, "get-several-tracks": 3}
	for op, n := range want {
		if st.ByOp[op] != n {
			t.Errorf("%s: %d requests; want %d (all: %v)", op, st.ByOp[op], n, st.ByOp)
		}
	}
}

// TestCrawlGivenPlaylistAndRefusals: a playlist named by ID is streamed
// without a search for one; in Development Mode the batch lookup falls back
// to single ones.
func TestCrawlGivenPlaylistAndRefusals(t *testing.T) {
	fake := spotifytest.NewServer(spotifytest.WithMode(spotifytest.DevelopmentMode))
	defer fake.Close()
	g := progress.New(t.Context(), &bytes.Buffer{}, progress.Off)
	defer g.Close()
	sum, err := Crawl(t.Context(), client(t, fake), Plan{Artists: 2, Lookups: 30, Playlist: fake.IDs().Playlists[1]}, g)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Playlist != "" || sum.PlaylistItems != 96 || sum.LookedUp != 30 {
		t.Errorf("playlist %q, %d items, lookup %d", sum.Playlist, sum.PlaylistItems, sum.LookedUp)
	}
	fake.Close()
	st := fake.Stats()
	if st.ByOp["search"] != 1 || st.ByOp["get-several-tracks"] != 1 || st.ByOp["get-track"] != 30 {
		t.Errorf("requests by operation: %v", st.ByOp)
	}
}

// TestCrawlNothingFound: a search that finds nothing is an error, not an
// empty crawl.
func TestCrawlNothingFound(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	g := progress.New(t.Context(), &bytes.Buffer{}, progress.Off)
	defer g.Close()
	c := client(t, fake)
	if _, err := Crawl(t.Context(), c, Plan{ArtistQuery: "zzzzqqq"}, g); err == nil {
		t.Error("no artist found, yet the crawl succeeded")
	}
	if _, err := Crawl(t.Context(), c, Plan{Artists: 1, PlaylistQuery: "zzzzqqq"}, g); err == nil {
		t.Error("no playlist found, yet the crawl succeeded")
	}
}

func TestCrawlCancelled(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	g := progress.New(ctx, &bytes.Buffer{}, progress.Off)
	defer g.Close()
	if _, err := Crawl(ctx, client(t, fake), Plan{Artists: 1, Lookups: 1}, g); err == nil {
		t.Error("a cancelled crawl succeeded")
	}
}

func TestSummaryText(t *testing.T) {
	sums := map[string]*Summary{
		"summary.golden": {
			Artists: 50, Albums: 287, Tracks: 2870, Playlist: "Ten Thousand Songs", PlaylistItems: 10000, LookedUp: 2000,
			Requests: 601, TokenRequests: 1, RateLimited: 12, Failures: 7, Retries: 18,
			Waited: 310870 * time.Millisecond, Elapsed: 12130 * time.Millisecond,
			WindowKnown: true, RateN: 150, RateWindow: 3 * time.Second,
		},
		"summary_nowindow.golden": {
			Artists: 50, Albums: 282, Tracks: 2820, Playlist: "Ten Thousand Songs", PlaylistItems: 10000, LookedUp: 2000,
			Requests: 578, TokenRequests: 1, Waited: 115640 * time.Millisecond, Elapsed: 9080 * time.Millisecond,
			WindowKnown: true,
		},
		"summary_remote.golden": {
			Artists: 50, Albums: 412, Tracks: 5210, PlaylistRefused: 403, LookedUp: 2000,
			Requests: 2533, TokenRequests: 1, Retries: 0,
			Waited: 2 * time.Second, Elapsed: 31 * time.Second,
		},
	}
	for name, s := range sums {
		var buf bytes.Buffer
		if _, err := s.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if buf.String() != string(want) {
			t.Errorf("%s: got:\n%s\nwant:\n%s", name, buf.String(), want)
		}
	}
}
