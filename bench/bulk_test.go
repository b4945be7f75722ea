package bench

import (
	"context"
	"fmt"
	"testing"

	zspotify "github.com/zmb3/spotify/v2"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify/async"
)

// bulkSize is how many tracks the bulk benchmark looks up.
const bulkSize = 5_000

// bulker looks tracks up by ID and returns the IDs found, in order.
type bulker func(ctx context.Context, ids []string) ([]string, error)

// trackBulkers are the contenders of the bulk lookup; each makes a bulker
// with its own client and connections to f.
var trackBulkers = []struct {
	name string
	make func(tb testing.TB, f *fake) bulker
}{
	{zmb3Name, func(tb testing.TB, f *fake) bulker {
		zc := zmb3Client(tb, f)
		return func(ctx context.Context, ids []string) ([]string, error) {
			found := make([]string, 0, len(ids))
			for chunk := range chunks(ids, 50) {
				zids := make([]zspotify.ID, len(chunk))
				for i, id := range chunk {
					zids[i] = zspotify.ID(id)
				}
				got, err := zc.GetTracks(ctx, zids)
				if err != nil {
					return nil, err
				}
				for _, t := range got {
					found = append(found, string(t.ID))
				}
			}
			return found, nil
		}
	}},
	{spotflowSyncName, func(tb testing.TB, f *fake) bulker {
		sf := spotflowClient(tb, f, unlimited(tb))
		return func(ctx context.Context, ids []string) ([]string, error) {
			got, err := sf.Tracks.GetMany(ctx, ids, nil) // the batch endpoint, as zmb3 uses
			return trackIDs(got), err
		}
	}},
	{spotflowName, func(tb testing.TB, f *fake) bulker {
		return asyncBulker(asyncClient(tb, f, unlimited(tb)))
	}},
	{spotflowDefaultsName, func(tb testing.TB, f *fake) bulker {
		return asyncBulker(asyncClient(tb, f, defaults(tb)))
	}},
}

// asyncBulker looks tracks up with a's GetMany.
func asyncBulker(a *async.Client) bulker {
	return func(ctx context.Context, ids []string) ([]string, error) {
		got, err := a.Tracks.GetMany(ctx, ids, nil).Await(ctx)
		return trackIDs(got), err
	}
}

// chunks splits ids into runs of at most n.
func chunks(ids []string, n int) func(func([]string) bool) {
	return func(yield func([]string) bool) {
		for len(ids) > 0 {
			k := min(n, len(ids))
			if !yield(ids[:k]) {
				return
			}
			ids = ids[k:]
		}
	}
}

func trackIDs(ts []*models.Track) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		if t != nil {
			out[i] = t.ID
		}
	}
	return out
}

// BenchmarkBulk5K looks 5,000 distinct tracks up through the batch
// endpoint (50 IDs per request, 100 requests): zmb3's GetTracks one batch
// after another, spotflow's synchronous GetMany (also sequential) and its
// async GetMany (8 batches at a time) with no pacing and with the default
// limiter, with no latency and with 20 ms per request. Each contender has a fresh fake of its own.
func BenchmarkBulk5K(b *testing.B) {
	for _, lat := range latencies {
		for _, c := range trackBulkers {
			b.Run(fmt.Sprintf("latency=%v/contender=%s", lat, c.name), func(b *testing.B) {
				f := startFake(b, fakeConfig{Latency: lat})
				lookup, ids := c.make(b, f), f.Tracks[:bulkSize]
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					got, err := lookup(b.Context(), ids)
					if err != nil {
						b.Fatal(err)
					}
					if err := sameIDs(ids, got); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu)
				reportItems(b, bulkSize)
			})
		}
	}
}

func sameIDs(want, got []string) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d results for %d IDs", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("result %d is %q; want %q", i, got[i], want[i])
		}
	}
	return nil
}
