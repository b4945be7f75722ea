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
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotifytest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestRunSmall(t *testing.T) {
	g := progress.New(t.Context(), &bytes.Buffer{}, progress.Off)
	defer g.Close()
	// The default seed's catalog: the demo's fake has it too.
	fake := spotifytest.NewServer()
	playlist := fake.IDs().Playlists[1] // 96 items: two pages
	fake.Close()
	sum, err := Run(t.Context(), Config{
		Artists:  2,
		Lookups:  120,
		Playlist: playlist,
		Pacing:   []ratelimit.Option{ratelimit.WithRate(rate.Inf, 0)},
	}, g)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Artists != 2 || sum.Albums == 0 || sum.Tracks != 10*sum.Albums {
		t.Errorf("discographies: %d artists, %d albums, %d tracks", sum.Artists, sum.Albums, sum.Tracks)
	}
	if sum.PlaylistItems != 96 || sum.LookedUp != 120 {
		t.Errorf("playlist %d items, lookup %d", sum.PlaylistItems, sum.LookedUp)
	}
	// 2 artist pages, an album-tracks page per album, 2 playlist pages,
	// 3 GetMany batches (50+50+20).
	if want := 2 + sum.Albums + 2 + 3; sum.Requests != want || sum.TokenRequests != 1 {
		t.Errorf("%d Web API requests and %d token requests, want %d and 1", sum.Requests, sum.TokenRequests, want)
	}
	if sum.RateLimited != 0 || sum.BudgetShare() != 0 {
		t.Errorf("no window, yet %d 429s and a budget share of %v", sum.RateLimited, sum.BudgetShare())
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	g := progress.New(ctx, &bytes.Buffer{}, progress.Off)
	defer g.Close()
	if _, err := Run(ctx, Config{Artists: 1, Lookups: 1}, g); err == nil {
		t.Error("a cancelled crawl succeeded")
	}
}

func TestSummaryText(t *testing.T) {
	s := &Summary{
		Artists: 50, Albums: 287, Tracks: 2870, PlaylistItems: 10000, LookedUp: 2000,
		Requests: 596, TokenRequests: 1, RateLimited: 12, Faults: 7, Retries: 18,
		Waited: 310870 * time.Millisecond, Elapsed: 12130 * time.Millisecond,
		RateN: 150, RateWindow: 3 * time.Second,
	}
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "summary.golden")
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
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}
