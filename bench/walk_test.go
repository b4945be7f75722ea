package bench

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	zspotify "github.com/zmb3/spotify/v2"

	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
)

// walkPage is the page size of every walk: the maximum of /items, so
// every contender makes the same 200 requests for the same rows.
const walkPage = 50

// latencies are the per-request delays the network benchmarks run with:
// none (loopback) and 20 ms, a short round trip to Spotify.
var latencies = []time.Duration{0, 20 * time.Millisecond}

// walker counts the items of a whole playlist.
type walker func(ctx context.Context, id string) (int, error)

// playlistWalkers are the contenders of the walk; each makes a walker with
// its own client and connections to f.
var playlistWalkers = []struct {
	name string
	make func(tb testing.TB, f *fake) walker
}{
	{zmb3Name, func(tb testing.TB, f *fake) walker {
		zc := zmb3Client(tb, f)
		return func(ctx context.Context, id string) (int, error) {
			page, err := zc.GetPlaylistItems(ctx, zspotify.ID(id), zspotify.Limit(walkPage))
			if err != nil {
				return 0, err
			}
			n := len(page.Items)
			for {
				err := zc.NextPage(ctx, page)
				if errors.Is(err, zspotify.ErrNoMorePages) {
					return n, nil
				}
				if err != nil {
					return n, err
				}
				n += len(page.Items)
			}
		}
	}},
	{spotflowSyncName, func(tb testing.TB, f *fake) walker {
		sf := spotflowClient(tb, f, unlimited(tb))
		return func(ctx context.Context, id string) (int, error) {
			n := 0
			for _, err := range sf.Playlists.ItemsAll(ctx, id, walkOptions) {
				if err != nil {
					return n, err
				}
				n++
			}
			return n, nil
		}
	}},
	{spotflowName, func(tb testing.TB, f *fake) walker {
		return streamWalker(asyncClient(tb, f, unlimited(tb)))
	}},
	{spotflowDefaultsName, func(tb testing.TB, f *fake) walker {
		return streamWalker(asyncClient(tb, f, defaults(tb)))
	}},
}

// streamWalker walks with a's ordered stream.
func streamWalker(a *async.Client) walker {
	return func(ctx context.Context, id string) (int, error) {
		n := 0
		for _, err := range a.Playlists.Items(ctx, id, walkOptions).All() {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
}

var walkOptions = &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: walkPage}}

// BenchmarkWalk10K reads every row of the fake's 10,000-item playlist:
// zmb3's NextPage loop, spotflow's synchronous iterator (ItemsAll) and its
// async stream (default prefetch of 8 pages) with no pacing and with the
// default limiter, with no latency and with 20 ms per request. Each contender has a fresh fake of its own.
func BenchmarkWalk10K(b *testing.B) {
	for _, lat := range latencies {
		for _, c := range playlistWalkers {
			b.Run(fmt.Sprintf("latency=%v/contender=%s", lat, c.name), func(b *testing.B) {
				f := startFake(b, fakeConfig{Latency: lat})
				walk := c.make(b, f)
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					n, err := walk(b.Context(), f.Playlist10K)
					if err != nil {
						b.Fatal(err)
					}
					if n != 10_000 {
						b.Fatalf("%d items; want 10,000", n)
					}
				}
				reportCPU(b, cpu)
				reportItems(b, 10_000)
			})
		}
	}
}
