package async

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/spotflow/spotflow/spotify"
)

// peak tracks the most calls running at once.
type peak struct{ now, max atomic.Int64 }

func (p *peak) enter() {
	n := p.now.Add(1)
	for m := p.max.Load(); n > m && !p.max.CompareAndSwap(m, n); m = p.max.Load() {
	}
}

func (p *peak) leave() { p.now.Add(-1) }

func TestMapKeepsOrderAndLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p peak
		release := make(chan struct{})
		f := Go(t.Context(), func(ctx context.Context) ([]int, error) {
			return Map(ctx, upTo(200), 5, func(ctx context.Context, v int) (int, error) {
				p.enter()
				defer p.leave()
				<-release
				return v * 2, nil
			})
		})
		synctest.Wait()
		if got := p.now.Load(); got != 5 {
			t.Fatalf("%d calls running; want the limit, 5", got)
		}
		close(release)
		out, err := f.Await(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			if v != 2*i {
				t.Fatalf("out[%d] = %d", i, v)
			}
		}
		if got := p.max.Load(); got != 5 {
			t.Fatalf("peak concurrency %d; want 5", got)
		}
	})
}

func TestMapFirstErrorCancelsRest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boom := errors.New("boom")
		var started, cancelled atomic.Int64
		_, err := Map(t.Context(), upTo(100), 4, func(ctx context.Context, v int) (int, error) {
			started.Add(1)
			if v == 2 {
				return 0, boom
			}
			<-ctx.Done() // the others wait until the failure cancels them
			cancelled.Add(1)
			return 0, ctx.Err()
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v; want boom", err)
		}
		if started.Load() > 5 || cancelled.Load() != started.Load()-1 {
			t.Fatalf("started %d, cancelled %d; the failure should stop the rest", started.Load(), cancelled.Load())
		}
	})
}

func TestMapPanicAndBadArgs(t *testing.T) {
	_, err := Map(t.Context(), upTo(10), 3, func(_ context.Context, v int) (int, error) {
		if v == 7 {
			panic("seven")
		}
		return v, nil
	})
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v; want *PanicError", err)
	}
	id := func(_ context.Context, v int) (int, error) { return v, nil }
	for name, err := range map[string]error{
		"limit 0":  second(Map(t.Context(), upTo(3), 0, id)),
		"nil fn":   second(Map[int, int](t.Context(), upTo(3), 1, nil)),
		"nil ctx":  second(Map(nilContext(), upTo(3), 1, id)),
		"MapSeq 0": second(MapSeq(t.Context(), slices.Values(upTo(3)), 0, id).Collect()),
	} {
		if !errors.Is(err, spotify.ErrInvalidInput) {
			t.Errorf("%s: err = %v; want spotify.ErrInvalidInput", name, err)
		}
	}
	if out, err := Map(t.Context(), []int{}, 2, id); err != nil || len(out) != 0 {
		t.Fatalf("empty input: %v, %v", out, err)
	}
}

func second[A any](_ A, err error) error { return err }

func TestMapContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Map(ctx, upTo(10), 2, func(ctx context.Context, v int) (int, error) { return v, nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
}

func TestMapSeqOrderedAndBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p peak
		var started atomic.Int64
		release := make(chan struct{})
		s := MapSeq(t.Context(), slices.Values(upTo(300)), 6, func(ctx context.Context, v int) (string, error) {
			started.Add(1)
			p.enter()
			defer p.leave()
			if v > 0 {
				<-release
			}
			return string(rune('a' + v%26)), nil
		})
		<-s.C()
		synctest.Wait()
		if got, now := started.Load(), p.now.Load(); got != 7 || now != 6 {
			// The first result was handed on, which freed its slot.
			t.Fatalf("%d calls started, %d running; want 7 and 6", got, now)
		}
		close(release)
		n := 1
		for v := range s.C() {
			if want := string(rune('a' + n%26)); v != want {
				t.Fatalf("result %d = %q; want %q", n, v, want)
			}
			n++
		}
		if n != 300 || s.Err() != nil || p.max.Load() > 6 {
			t.Fatalf("%d results, err %v, peak %d", n, s.Err(), p.max.Load())
		}
	})
}

func TestMapSeqError(t *testing.T) {
	boom := errors.New("boom")
	got, err := MapSeq(t.Context(), slices.Values(upTo(100)), 4, func(_ context.Context, v int) (int, error) {
		if v == 37 {
			return 0, boom
		}
		return v, nil
	}).Collect()
	if !errors.Is(err, boom) || !slices.Equal(got, upTo(37)) {
		t.Fatalf("got %d results then %v; want 37 then boom", len(got), err)
	}
}

func TestMapChan(t *testing.T) {
	in := make(chan int)
	go func() {
		defer close(in)
		for i := range 50 {
			in <- i
		}
	}()
	got, err := MapChan(t.Context(), in, 3, func(_ context.Context, v int) (int, error) { return v, nil }).Collect()
	if err != nil || !slices.Equal(got, upTo(50)) {
		t.Fatalf("got %v, %v", got, err)
	}
}

// TestMapChanCloseWithOpenInput: closing the stream returns even though the
// input channel stays open.
func TestMapChanCloseWithOpenInput(t *testing.T) {
	in := make(chan int, 1)
	in <- 1
	s := MapChan(t.Context(), in, 3, func(_ context.Context, v int) (int, error) { return v, nil })
	if v := <-s.C(); v != 1 {
		t.Fatalf("got %d", v)
	}
	s.Close()
	if !errors.Is(s.Err(), ErrClosed) {
		t.Fatalf("Err = %v; want ErrClosed", s.Err())
	}
}
