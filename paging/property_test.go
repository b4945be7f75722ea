package paging

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/spotflow/spotflow/internal/hostile"
	"github.com/spotflow/spotflow/models"
)

// fetchHostile serves l from memory, counting requests.
func fetchHostile(l hostile.List, calls *int) PageFunc[int] {
	return func(_ context.Context, offset int) (*models.Page[int], error) {
		*calls++
		p := l.Page(offset, l.Limit)
		return &models.Page[int]{Items: p.Items, Next: p.Next, Total: p.Total, Offset: offset, Limit: l.Limit}, nil
	}
}

func invalid(err error) bool { return errors.Is(err, ErrInvalidReply) }

// walkList walks l sequentially and returns what the walk delivered and
// how many pages it asked for.
func walkList(l hostile.List) (got []int, calls int, err error) {
	for v, e := range Offset(context.Background(), l.Start, fetchHostile(l, &calls), WithLimit(l.Limit)) {
		if e != nil {
			return got, calls, e
		}
		got = append(got, v)
	}
	return got, calls, nil
}

// TestOffsetProperty walks 2,000 random lists served by a hostile server
// (internal/hostile) and checks each walk against the list: its items in
// order, each once, all of them or an error matching ErrInvalidReply; all
// of them when the server's faults are benign. The async streams are held
// to the same lists, and to this walk, in spotify/async.
func TestOffsetProperty(t *testing.T) {
	const seed = 20261203
	r := rand.New(rand.NewPCG(seed, 1))
	whole, refused := 0, 0
	for i := range 2000 {
		l := hostile.Random(r)
		got, calls, err := walkList(l)
		if cerr := l.Check(got, err, invalid); cerr != nil {
			t.Fatalf("seed %d, list %d: %v: %v", seed, i, l, cerr)
		}
		// Every page but the last delivers an item, so a walk makes at
		// most one request per item and one more.
		if calls > len(got)+1 {
			t.Fatalf("seed %d, list %d: %v: %d requests for %d items", seed, i, l, calls, len(got))
		}
		if err == nil {
			whole++
		} else {
			refused++
		}
	}
	// The lists must exercise both outcomes.
	if whole < 500 || refused < 500 {
		t.Fatalf("seed %d: %d lists walked whole, %d refused; the generator drifted", seed, whole, refused)
	}
	t.Logf("%d lists walked whole, %d refused", whole, refused)
}

// FuzzOffset walks lists whose shape the fuzzer chooses.
func FuzzOffset(f *testing.F) {
	f.Add(uint64(1), uint16(120), uint8(50), uint8(0), uint8(0), uint8(0), uint16(0))
	f.Add(uint64(2), uint16(120), uint8(50), uint8(3), uint8(1), uint8(40), uint16(10))
	f.Add(uint64(3), uint16(5000), uint8(7), uint8(1), uint8(31), uint8(200), uint16(3))
	f.Fuzz(func(t *testing.T, seed uint64, n uint16, limit, total, faults, rate uint8, start uint16) {
		l := hostile.FromFuzz(seed, n, limit, total, faults, rate, start)
		got, _, err := walkList(l)
		if cerr := l.Check(got, err, invalid); cerr != nil {
			t.Fatalf("%v: %v", l, cerr)
		}
	})
}
