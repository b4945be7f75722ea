package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	zspotify "github.com/zmb3/spotify/v2"

	"github.com/spotflow/spotflow/models"
)

// getter looks one track up; the track lookup's getters also check that
// they got the track they asked for.
type getter func(ctx context.Context, id string) error

// trackGetters are the contenders of the track lookup; each makes a getter
// with its own client and connections to f.
var trackGetters = []struct {
	name string
	make func(tb testing.TB, f *fake) getter
}{
	{spotflowName, func(tb testing.TB, f *fake) getter {
		sf := spotflowClient(tb, f, unlimited(tb))
		return func(ctx context.Context, id string) error {
			t, err := sf.Tracks.Get(ctx, id, nil)
			return checkID(id, t, err)
		}
	}},
	{spotflowDefaultsName, func(tb testing.TB, f *fake) getter {
		sf := spotflowClient(tb, f, defaults(tb))
		return func(ctx context.Context, id string) error {
			t, err := sf.Tracks.Get(ctx, id, nil)
			return checkID(id, t, err)
		}
	}},
	{zmb3Name, func(tb testing.TB, f *fake) getter {
		zc := zmb3Client(tb, f)
		return func(ctx context.Context, id string) error {
			t, err := zc.GetTrack(ctx, zspotify.ID(id))
			if err != nil {
				return err
			}
			if string(t.ID) != id {
				return fmt.Errorf("asked for track %s, got %s", id, t.ID)
			}
			return nil
		}
	}},
	{rawName, func(tb testing.TB, f *fake) getter {
		raw := newRawClient(tb, f)
		return func(ctx context.Context, id string) error {
			t, err := raw.decodeTrack(ctx, id, stdUnmarshal)
			return checkID(id, t, err)
		}
	}},
	{rawModelsName, func(tb testing.TB, f *fake) getter {
		raw := newRawClient(tb, f)
		return func(ctx context.Context, id string) error {
			t, err := raw.decodeTrack(ctx, id, models.Unmarshal)
			return checkID(id, t, err)
		}
	}},
	{floorName, func(tb testing.TB, f *fake) getter {
		raw := newRawClient(tb, f)
		return func(ctx context.Context, id string) error {
			return raw.discard(ctx, "tracks/"+id)
		}
	}},
}

func checkID(id string, t *models.Track, err error) error {
	if err != nil {
		return err
	}
	if t.ID != id {
		return fmt.Errorf("asked for track %s, got %s", id, t.ID)
	}
	return nil
}

// BenchmarkGetTrack looks single tracks up on loopback, with no latency and
// no rate window: one caller at a time (serial), then many at once
// (parallel: 4 goroutines per CPU). Each contender has a fresh fake of its
// own and cycles through the same 100 tracks.
func BenchmarkGetTrack(b *testing.B) {
	for _, mode := range []string{"serial", "parallel"} {
		for _, c := range trackGetters {
			b.Run("mode="+mode+"/contender="+c.name, func(b *testing.B) {
				f := startFake(b, fakeConfig{})
				get, ids := c.make(b, f), f.Tracks[:100]
				b.ReportAllocs()
				if mode == "serial" {
					getSerial(b, get, ids)
				} else {
					getParallel(b, get, ids)
				}
			})
		}
	}
}

func getSerial(b *testing.B, get getter, ids []string) {
	ctx := b.Context()
	i := 0
	cpu := processCPU()
	for b.Loop() {
		if err := get(ctx, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportCPU(b, cpu)
}

// getParallel runs get from 4 goroutines per CPU. RunParallel calls it
// again for each b.N tried, each time with a fresh fake, whose start is
// not timed.
func getParallel(b *testing.B, get getter, ids []string) {
	ctx := b.Context()
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	cpu := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := get(ctx, ids[int(next.Add(1))%len(ids)]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportCPU(b, cpu)
}
