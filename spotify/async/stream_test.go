package async

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"go.uber.org/goleak"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// list is an offset-paged list of the ints 0..total-1 served from memory.
type list struct {
	total, size int
	noTotal     bool                                      // answer total 0, as if unknown
	fail        map[int]error                             // page index -> error
	hold        func(ctx context.Context, page int) error // runs before answering, if set
	started     atomic.Int64
	inFlight    atomic.Int64
	maxInFlight atomic.Int64
}

func (l *list) fetch(ctx context.Context, offset int) (*models.Page[int], error) {
	l.started.Add(1)
	n := l.inFlight.Add(1)
	defer l.inFlight.Add(-1)
	for {
		m := l.maxInFlight.Load()
		if n <= m || l.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	page := offset / l.size
	if l.hold != nil {
		if err := l.hold(ctx, page); err != nil {
			return nil, err
		}
	}
	if err := l.fail[page]; err != nil {
		return nil, err
	}
	p := &models.Page[int]{Offset: offset, Limit: l.size, Total: l.total}
	for i := offset; i < min(offset+l.size, l.total); i++ {
		p.Items = append(p.Items, i)
	}
	if offset+l.size < l.total {
		p.Next = fmt.Sprintf("next?offset=%d", offset+l.size)
	}
	if l.noTotal {
		p.Total = 0
	}
	return p, nil
}

func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestStreamPagesDeliversInOrder(t *testing.T) {
	tests := []struct {
		name     string
		l        *list
		opts     []Option
		want     []int
		prefetch int
	}{
		{name: "many pages", l: &list{total: 1003, size: 10}, want: upTo(1003)},
		{name: "one page", l: &list{total: 7, size: 10}, want: upTo(7)},
		{name: "empty", l: &list{total: 0, size: 10}, want: nil},
		{name: "exact pages", l: &list{total: 100, size: 10}, opts: []Option{WithPrefetch(3)}, want: upTo(100)},
		{name: "prefetch 1", l: &list{total: 95, size: 10}, opts: []Option{WithPrefetch(1)}, want: upTo(95)},
		{name: "no total", l: &list{total: 95, size: 10, noTotal: true}, want: upTo(95)},
		{name: "start offset", l: &list{total: 95, size: 10}, opts: []Option{WithStartOffset(40)}, want: upTo(95)[40:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StreamPages(t.Context(), tt.l.fetch, tt.opts...).Collect()
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Collect = %d items (%v), %v; want %d items", len(got), head(got), err, len(tt.want))
			}
		})
	}
}

func head(s []int) []int { return s[:min(len(s), 12)] }

func TestStreamPagesChannel(t *testing.T) {
	l := &list{total: 250, size: 20}
	s := StreamPages(t.Context(), l.fetch)
	var got []int
	for v := range s.C() {
		got = append(got, v)
	}
	if err := s.Err(); err != nil || !slices.Equal(got, upTo(250)) {
		t.Fatalf("got %d items, err %v", len(got), err)
	}
	s.Close()
	s.Close() // idempotent
	if err := s.Err(); err != nil {
		t.Fatalf("Close after completion changed Err to %v", err)
	}
}

// TestStreamPagesWindow checks the memory bound: a page holds its slot from
// the start of its fetch until its last item is received, so pages started
// never exceed pages fully received plus the prefetch window.
func TestStreamPagesWindow(t *testing.T) {
	for _, prefetch := range []int{1, 2, 8} {
		t.Run(fmt.Sprint(prefetch), func(t *testing.T) {
			l := &list{total: 500, size: 10}
			consumed := 0
			for _, err := range StreamPages(t.Context(), l.fetch, WithPrefetch(prefetch)).All() {
				if err != nil {
					t.Fatal(err)
				}
				consumed++
				if started := int(l.started.Load()); started > consumed/l.size+prefetch {
					t.Fatalf("after %d items, %d pages started; window is %d", consumed, started, prefetch)
				}
			}
			if got := l.maxInFlight.Load(); got > int64(prefetch) {
				t.Fatalf("%d fetches in flight at once; window is %d", got, prefetch)
			}
		})
	}
}

// TestStreamPagesBackpressure: a consumer that stops reading stops the
// fetching once the window is full.
func TestStreamPagesBackpressure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := &list{total: 1000, size: 10}
		s := StreamPages(t.Context(), l.fetch, WithPrefetch(4))
		<-s.C()
		synctest.Wait()
		if got := l.started.Load(); got != 4 {
			t.Fatalf("%d pages fetched while the consumer holds the first; want the window, 4", got)
		}
		for range 10 { // finish page 0: one slot frees
			<-s.C()
		}
		synctest.Wait()
		if got := l.started.Load(); got != 5 {
			t.Fatalf("%d pages fetched after one page was consumed; want 5", got)
		}
		s.Close()
	})
}

// TestStreamPagesConcurrent: the pages after the first are fetched at the
// same time, up to the window.
func TestStreamPagesConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		l := &list{total: 1000, size: 10, hold: func(ctx context.Context, page int) error {
			if page == 0 {
				return nil
			}
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}}
		s := StreamPages(t.Context(), l.fetch, WithPrefetch(8))
		synctest.Wait()
		// The first page is delivered while 7 others are in flight.
		if got := l.inFlight.Load(); got != 7 {
			t.Fatalf("%d fetches in flight; want 7", got)
		}
		close(release)
		got, err := s.Collect()
		if err != nil || !slices.Equal(got, upTo(1000)) {
			t.Fatalf("got %d items, %v", len(got), err)
		}
	})
}

func TestStreamPagesErrorMidStream(t *testing.T) {
	boom := errors.New("page 5 failed")
	for _, prefetch := range []int{1, 3, 8} {
		t.Run(fmt.Sprint(prefetch), func(t *testing.T) {
			l := &list{total: 1000, size: 10, fail: map[int]error{5: boom}}
			var got []int
			var gotErr error
			for v, err := range StreamPages(t.Context(), l.fetch, WithPrefetch(prefetch)).All() {
				if err != nil {
					gotErr = err
					break
				}
				got = append(got, v)
			}
			if !errors.Is(gotErr, boom) || !slices.Equal(got, upTo(50)) {
				t.Fatalf("got %d items then %v; want 50 items then boom", len(got), gotErr)
			}
			if n := l.started.Load(); n > int64(6+prefetch) {
				t.Fatalf("%d pages fetched; the failure should stop new fetches", n)
			}
		})
	}
}

// TestStreamPagesEarliestErrorWins: when a later page fails first, the
// pages before the earlier failure are still delivered, and the error
// reported is the one a sequential walk would have met.
func TestStreamPagesEarliestErrorWins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		late, early := errors.New("page 6"), errors.New("page 3")
		gate3 := make(chan struct{})
		l := &list{total: 1000, size: 10, fail: map[int]error{3: early, 6: late},
			hold: func(ctx context.Context, page int) error {
				if page == 3 || page == 2 {
					<-gate3 // answer after page 6 has failed
				}
				return nil
			}}
		s := StreamPages(t.Context(), l.fetch, WithPrefetch(8))
		synctest.Wait()
		close(gate3)
		got, err := s.Collect()
		if !errors.Is(err, early) || !slices.Equal(got, upTo(30)) {
			t.Fatalf("got %d items then %v; want 30 items then page 3's error", len(got), err)
		}
	})
}

func TestStreamPagesFirstPageFails(t *testing.T) {
	boom := errors.New("boom")
	l := &list{total: 100, size: 10, fail: map[int]error{0: boom}}
	got, err := StreamPages(t.Context(), l.fetch).Collect()
	if len(got) != 0 || !errors.Is(err, boom) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestStreamPagesPanic(t *testing.T) {
	for _, page := range []int{0, 4} {
		l := &list{total: 100, size: 10, hold: func(_ context.Context, p int) error {
			if p == page {
				panic("bad page")
			}
			return nil
		}}
		got, err := StreamPages(t.Context(), l.fetch).Collect()
		var pe *PanicError
		if !errors.As(err, &pe) || len(got) != page*10 {
			t.Fatalf("page %d panics: got %d items, %v", page, len(got), err)
		}
	}
}

func TestStreamPagesBadArgs(t *testing.T) {
	l := &list{total: 10, size: 10}
	for name, s := range map[string]*Stream[int]{
		"prefetch 0":  StreamPages(t.Context(), l.fetch, WithPrefetch(0)),
		"offset -1":   StreamPages(t.Context(), l.fetch, WithStartOffset(-1)),
		"nil fetch":   StreamPages[int](t.Context(), nil),
		"nil context": StreamPages(nilContext(), l.fetch),
	} {
		if _, err := s.Collect(); !errors.Is(err, spotify.ErrInvalidInput) {
			t.Errorf("%s: err = %v; want spotify.ErrInvalidInput", name, err)
		}
	}
}

func nilContext() context.Context { return nil }

func TestStreamBreakStopsEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := &list{total: 10_000, size: 10}
		s := StreamPages(t.Context(), l.fetch)
		n := 0
		for _, err := range s.All() {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 25 {
				break
			}
		}
		select {
		case <-s.Done():
		default:
			t.Fatal("goroutines still running after the loop ended")
		}
		if !errors.Is(s.Err(), ErrClosed) {
			t.Fatalf("Err = %v; want ErrClosed", s.Err())
		}
	})
}

func TestStreamCloseFromAnotherGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := &list{total: 10_000, size: 10}
		s := StreamPages(t.Context(), l.fetch)
		<-s.C()
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(s.Close)
		}
		for range s.C() { // the channel closes
		}
		wg.Wait()
		if !errors.Is(s.Err(), ErrClosed) {
			t.Fatalf("Err = %v; want ErrClosed", s.Err())
		}
	})
}

// TestStreamCancelAtRandomPoints cancels the context after a random number
// of items, 100 times, and checks that the stream ends with the context's
// error (or completes), delivered items are an in-order prefix, and no
// goroutine is left behind.
func TestStreamCancelAtRandomPoints(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 100 {
		l := &list{total: 2000, size: 10}
		ctx, cancel := context.WithCancel(t.Context())
		stopAt := r.IntN(2100)
		s := StreamPages(ctx, l.fetch, WithPrefetch(1+r.IntN(8)))
		n := 0
		for v := range s.C() {
			if v != n {
				t.Fatalf("trial %d: item %d is %d", trial, n, v)
			}
			if n++; n == stopAt {
				cancel()
			}
		}
		<-s.Done()
		cancel()
		switch err := s.Err(); {
		case n == 2000 && err == nil:
		case errors.Is(err, context.Canceled) && n >= stopAt:
		default:
			t.Fatalf("trial %d: stopped at %d after %d items: %v", trial, stopAt, n, err)
		}
	}
	goleak.VerifyNone(t)
}

func TestStreamParentCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancelCause(t.Context())
	why := errors.New("shutting down")
	cancel(why)
	l := &list{total: 100, size: 10}
	if _, err := StreamPages(ctx, l.fetch).Collect(); !errors.Is(err, why) {
		t.Fatalf("err = %v; want the context's cause", err)
	}
}

// cursorList serves the ints 0..total-1 in cursor pages.
func cursorList(total, size int, fail map[string]error) func(context.Context, string) (*models.CursorPage[int], error) {
	return func(_ context.Context, after string) (*models.CursorPage[int], error) {
		if err := fail[after]; err != nil {
			return nil, err
		}
		start := 0
		if after != "" {
			fmt.Sscan(after, &start)
		}
		p := &models.CursorPage[int]{Limit: size, Total: total}
		for i := start; i < min(start+size, total); i++ {
			p.Items = append(p.Items, i)
		}
		if end := start + size; end < total {
			p.Next = "next"
			p.Cursors.After = fmt.Sprint(end)
		}
		return p, nil
	}
}

func TestStreamCursor(t *testing.T) {
	got, err := StreamCursor(t.Context(), cursorList(95, 10, nil)).Collect()
	if err != nil || !slices.Equal(got, upTo(95)) {
		t.Fatalf("got %d items, %v", len(got), err)
	}
	boom := errors.New("boom")
	got, err = StreamCursor(t.Context(), cursorList(95, 10, map[string]error{"30": boom})).Collect()
	if !errors.Is(err, boom) || !slices.Equal(got, upTo(30)) {
		t.Fatalf("got %d items, %v; want 30 then boom", len(got), err)
	}
	if _, err := StreamCursor[int](t.Context(), nil).Collect(); !errors.Is(err, spotify.ErrInvalidInput) {
		t.Fatalf("nil fetch: %v", err)
	}
}
