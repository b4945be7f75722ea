package bench

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dgraph-io/ristretto/v2"
	"github.com/maypok86/otter/v2"

	"github.com/spotflow/spotflow/cache"
)

// The in-memory cache store, chosen by this benchmark: spotflow's own (a
// mutex, a map and an LRU list bounded by bytes) against otter and
// ristretto behind the same cache.Store interface, on the cache's pattern:
// Get, and Set on a miss, of 4 KiB answers (a track) drawn from 20,000 keys
// with a Zipf skew, in 32 MiB (room for about 7,800 of them).

type otterStore struct {
	c *otter.Cache[string, otterEntry]
}

type otterEntry struct {
	v   []byte
	ttl time.Duration
}

func newOtterStore(max int64) *otterStore {
	c, err := otter.New(&otter.Options[string, otterEntry]{
		MaximumWeight: uint64(max),
		Weigher:       func(k string, v otterEntry) uint32 { return uint32(len(k) + len(v.v) + 128) },
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, otterEntry]) time.Duration {
			return e.Value.ttl
		}),
	})
	if err != nil {
		panic(err)
	}
	return &otterStore{c: c}
}

// Close stops otter's goroutines.
func (s *otterStore) Close() { s.c.StopAllGoroutines() }

func (s *otterStore) Get(_ context.Context, key string) ([]byte, bool) {
	e, ok := s.c.GetIfPresent(key)
	return e.v, ok
}

func (s *otterStore) Set(_ context.Context, key string, v []byte, ttl time.Duration) {
	s.c.Set(key, otterEntry{v: v, ttl: ttl})
}

type ristrettoStore struct {
	c *ristretto.Cache[string, []byte]
}

func newRistrettoStore(max int64) *ristrettoStore {
	c, err := ristretto.NewCache(&ristretto.Config[string, []byte]{NumCounters: 200_000, MaxCost: max, BufferItems: 64})
	if err != nil {
		panic(err)
	}
	return &ristrettoStore{c: c}
}

// Close stops ristretto's goroutines.
func (s *ristrettoStore) Close() { s.c.Close() }

func (s *ristrettoStore) Get(_ context.Context, key string) ([]byte, bool) { return s.c.Get(key) }

func (s *ristrettoStore) Set(_ context.Context, key string, v []byte, ttl time.Duration) {
	s.c.SetWithTTL(key, v, int64(len(key)+len(v)+128), ttl)
}

func BenchmarkCacheStore(b *testing.B) {
	const max = 32 << 20
	stores := []struct {
		name string
		make func() cache.Store
	}{
		{"store=spotflow", func() cache.Store {
			m, err := cache.NewMemory(max)
			if err != nil {
				b.Fatal(err)
			}
			return m
		}},
		{"store=otter", func() cache.Store { return newOtterStore(max) }},
		{"store=ristretto", func() cache.Store { return newRistrettoStore(max) }},
	}
	keys := make([]string, 20000)
	for i := range keys {
		keys[i] = "c1:" + strconv.Itoa(i*7919)
	}
	value := make([]byte, 4096)
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			st := s.make()
			if c, ok := st.(interface{ Close() }); ok {
				b.Cleanup(c.Close) // otter and ristretto run goroutines until closed
			}
			var hits, gets atomic.Int64
			ctx := context.Background()
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				z := rand.NewZipf(rand.New(rand.NewPCG(rand.Uint64(), 1)), 1.1, 2, uint64(len(keys)-1))
				var h, g int64
				for pb.Next() {
					k := keys[z.Uint64()]
					g++
					if _, ok := st.Get(ctx, k); ok {
						h++
						continue
					}
					st.Set(ctx, k, value, time.Hour)
				}
				hits.Add(h)
				gets.Add(g)
			})
			b.ReportMetric(float64(hits.Load())/float64(gets.Load()), "hit-ratio")
		})
	}
}
