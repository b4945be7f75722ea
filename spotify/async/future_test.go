package async

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/spotflow/spotflow/spotify"
)

func TestFutureResult(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		fn      func(context.Context) (int, error)
		want    int
		wantErr error
	}{
		{"value", func(context.Context) (int, error) { return 42, nil }, 42, nil},
		{"error", func(context.Context) (int, error) { return 0, boom }, 0, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Go(t.Context(), tt.fn)
			got, err := f.Await(t.Context())
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Await = %d, %v; want %d, %v", got, err, tt.want, tt.wantErr)
			}
			select {
			case <-f.Done():
			default:
				t.Fatal("Done not closed after Await returned the result")
			}
		})
	}
}

func TestFuturePanicBecomesError(t *testing.T) {
	boom := errors.New("boom")
	f := Go(t.Context(), func(context.Context) (string, error) { panic(boom) })
	_, err := f.Await(t.Context())
	var pe *PanicError
	if !errors.As(err, &pe) || !errors.Is(err, boom) || len(pe.Stack) == 0 {
		t.Fatalf("err = %v; want a *PanicError wrapping boom, with a stack", err)
	}
}

func TestFutureGoexitBecomesError(t *testing.T) {
	f := Go(t.Context(), func(context.Context) (int, error) { runtime.Goexit(); return 1, nil })
	if _, err := f.Await(t.Context()); !errors.Is(err, errGoexit) {
		t.Fatalf("err = %v; want errGoexit", err)
	}
}

func TestFutureAwaitContextEndsFirst(t *testing.T) {
	release := make(chan struct{})
	f := Go(t.Context(), func(context.Context) (int, error) { <-release; return 7, nil })
	ctx, cancel := context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel()
	if _, err := f.Await(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Await = %v; want the deadline", err)
	}
	close(release) // the work went on: a later Await collects it
	if got, err := f.Await(t.Context()); got != 7 || err != nil {
		t.Fatalf("second Await = %d, %v; want 7, nil", got, err)
	}
}

func TestFutureContextStopsWork(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	f := Go(ctx, func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, ctx.Err() })
	cancel()
	if _, err := f.Await(t.Context()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
}

func TestFutureBadArgs(t *testing.T) {
	f := Go[int](nilContext(), func(context.Context) (int, error) { return 1, nil })
	if _, err := f.Await(t.Context()); !errors.Is(err, spotify.ErrInvalidInput) {
		t.Fatalf("nil ctx: err = %v; want spotify.ErrInvalidInput", err)
	}
	if _, err := Go[int](t.Context(), nil).Await(t.Context()); !errors.Is(err, spotify.ErrInvalidInput) {
		t.Fatalf("nil fn: err = %v; want spotify.ErrInvalidInput", err)
	}
}

func TestResolved(t *testing.T) {
	if v, err := Resolved("x", nil).Await(t.Context()); v != "x" || err != nil {
		t.Fatalf("Resolved = %q, %v", v, err)
	}
}
