package async

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/spotflow/spotflow/internal/hostile"
	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
	"github.com/spotflow/spotflow/spotify"
)

// prefetches are the windows every property check runs a stream with.
var prefetches = []int{1, 4, 16}

// outcome is what one walk of a list delivered.
type outcome struct {
	items []int
	err   error
}

func (o outcome) String() string {
	return fmt.Sprintf("%d items, error %v", len(o.items), o.err)
}

// same reports whether two walks delivered the same items and ended the
// same way.
func (o outcome) same(p outcome) bool {
	if !slices.Equal(o.items, p.items) || (o.err == nil) != (p.err == nil) {
		return false
	}
	return o.err == nil || o.err.Error() == p.err.Error()
}

func invalidReply(err error) bool {
	return errors.Is(err, spotify.ErrInvalidReply) && errors.Is(err, paging.ErrInvalidReply)
}

// memFetch serves l from memory as paging.PageFunc, counting requests.
func memFetch(l hostile.List, calls *atomic.Int64) paging.PageFunc[int] {
	return func(ctx context.Context, offset int) (*models.Page[int], error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		calls.Add(1)
		p := l.Page(offset, l.Limit)
		return &models.Page[int]{Items: p.Items, Next: p.Next, Total: p.Total, Offset: offset, Limit: l.Limit}, nil
	}
}

func collectInts(seq func(func(int, error) bool)) outcome {
	var o outcome
	for v, err := range seq {
		if err != nil {
			o.err = err
			break
		}
		o.items = append(o.items, v)
	}
	return o
}

// checkStreams walks l with the sequential walk (the reference) and with
// a stream at each prefetch, through walk, and checks every outcome against
// the list and the streams against the walk.
func checkStreams(t *testing.T, what string, l hostile.List, walk func(prefetch int) outcome) {
	t.Helper()
	ref := walk(0)
	if err := l.Check(ref.items, ref.err, invalidReply); err != nil {
		t.Fatalf("%s: %v: sequential walk: %v", what, l, err)
	}
	for _, n := range prefetches {
		got := walk(n)
		if err := l.Check(got.items, got.err, invalidReply); err != nil {
			t.Fatalf("%s: %v: stream with prefetch %d: %v", what, l, n, err)
		}
		if !got.same(ref) {
			t.Fatalf("%s: %v: stream with prefetch %d gave %v; the sequential walk %v", what, l, n, got, ref)
		}
	}
}

// TestStreamPagesProperty holds StreamPages to the sequential walk on
// 2,000 random lists from a hostile server (internal/hostile), served from
// memory: with prefetch 1, 4 and 16 the stream delivers exactly what
// paging.Offset does, which is the list in order or a prefix of it and an
// error matching ErrInvalidReply. TestPlaylistItemsProperty does the same
// through the client, over HTTP.
func TestStreamPagesProperty(t *testing.T) {
	const seed = 14
	r := rand.New(rand.NewPCG(seed, 2))
	for i := range 2000 {
		l := hostile.Random(r)
		var calls atomic.Int64
		checkStreams(t, fmt.Sprintf("seed %d, list %d", seed, i), l, func(prefetch int) outcome {
			fetch := memFetch(l, &calls)
			if prefetch == 0 {
				return collectInts(paging.Offset(t.Context(), l.Start, fetch, paging.WithLimit(l.Limit)))
			}
			s := StreamPages(t.Context(), fetch, WithPrefetch(prefetch), WithStartOffset(l.Start), WithPaging(paging.WithLimit(l.Limit)))
			return collectInts(s.All())
		})
	}
}

// FuzzStreamPages holds StreamPages to the sequential walk on lists whose
// shape the fuzzer chooses.
func FuzzStreamPages(f *testing.F) {
	f.Add(uint64(1), uint16(120), uint8(50), uint8(0), uint8(0), uint8(0), uint16(0))
	f.Add(uint64(2), uint16(120), uint8(49), uint8(3), uint8(1), uint8(60), uint16(0))
	f.Add(uint64(3), uint16(4000), uint8(9), uint8(1), uint8(4), uint8(20), uint16(7))
	f.Add(uint64(4), uint16(300), uint8(20), uint8(0x81), uint8(0x81), uint8(90), uint16(0))
	f.Fuzz(func(t *testing.T, seed uint64, n uint16, limit, total, faults, rate uint8, start uint16) {
		l := hostile.FromFuzz(seed, n, limit, total, faults, rate, start)
		var calls atomic.Int64
		checkStreams(t, "fuzz", l, func(prefetch int) outcome {
			fetch := memFetch(l, &calls)
			if prefetch == 0 {
				return collectInts(paging.Offset(t.Context(), l.Start, fetch, paging.WithLimit(l.Limit)))
			}
			s := StreamPages(t.Context(), fetch, WithPrefetch(prefetch), WithStartOffset(l.Start), WithPaging(paging.WithLimit(l.Limit)))
			return collectInts(s.All())
		})
	})
}
