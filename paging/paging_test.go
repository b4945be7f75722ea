package paging

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/spotflow/spotflow/models"
)

// list serves offset pages of n items, limit at a time.
func list(n, limit int) PageFunc[int] {
	return func(_ context.Context, offset int) (*models.Page[int], error) {
		p := &models.Page[int]{Offset: offset, Limit: limit, Total: n}
		for i := offset; i < n && i < offset+limit; i++ {
			p.Items = append(p.Items, i)
		}
		if offset+limit < n {
			p.Next = "next"
		}
		return p, nil
	}
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, error) {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func TestOffsetWalksEveryItemOnce(t *testing.T) {
	for _, n := range []int{0, 1, 49, 50, 51, 1000} {
		got, err := collect(t, Offset(context.Background(), 0, list(n, 50)))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n || (n > 0 && got[n-1] != n-1) || !slices.IsSorted(got) {
			t.Fatalf("n=%d: got %d items", n, len(got))
		}
	}
}

func TestOffsetStopsWhenYieldReturnsFalse(t *testing.T) {
	calls := 0
	fetch := func(ctx context.Context, off int) (*models.Page[int], error) {
		calls++
		return list(1000, 10)(ctx, off)
	}
	for v := range Offset(context.Background(), 0, fetch) {
		if v == 15 {
			break
		}
	}
	if calls != 2 {
		t.Fatalf("fetched %d pages, want 2", calls)
	}
}

func TestOffsetGuards(t *testing.T) {
	tests := map[string]PageFunc[int]{
		"empty page with next": func(context.Context, int) (*models.Page[int], error) {
			return &models.Page[int]{Next: "again", Total: 100}, nil
		},
		"total reached with next": func(_ context.Context, off int) (*models.Page[int], error) {
			return &models.Page[int]{Items: []int{off}, Next: "again", Total: 1}, nil
		},
	}
	for name, fetch := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := collect(t, Offset(context.Background(), 0, fetch))
			if err != nil || len(got) > 1 {
				t.Fatalf("got %v, %v", got, err)
			}
		})
	}
}

func TestOffsetYieldsErrorOnce(t *testing.T) {
	boom := errors.New("boom")
	fetch := func(ctx context.Context, off int) (*models.Page[int], error) {
		if off > 0 {
			return nil, boom
		}
		return list(100, 10)(ctx, off)
	}
	got, err := collect(t, Offset(context.Background(), 0, fetch))
	if !errors.Is(err, boom) || len(got) != 10 {
		t.Fatalf("got %d items, err %v", len(got), err)
	}
}

func TestCursorStopsOnRepeatedCursor(t *testing.T) {
	calls := 0
	fetch := func(_ context.Context, after string) (*models.CursorPage[int], error) {
		calls++
		return &models.CursorPage[int]{Items: []int{calls}, Next: "n", Cursors: models.Cursors{After: "same"}}, nil
	}
	got, err := collect(t, Cursor(context.Background(), fetch))
	if err != nil || len(got) != 2 || calls != 2 {
		t.Fatalf("got %v after %d calls, err %v", got, calls, err)
	}
}

func TestCursorFollowsAfter(t *testing.T) {
	fetch := func(_ context.Context, after string) (*models.CursorPage[string], error) {
		switch after {
		case "":
			return &models.CursorPage[string]{Items: []string{"a", "b"}, Next: "n", Cursors: models.Cursors{After: "b"}}, nil
		case "b":
			return &models.CursorPage[string]{Items: []string{"c"}}, nil
		}
		return nil, errors.New("unexpected cursor " + after)
	}
	got, err := collect(t, Cursor(context.Background(), fetch))
	if err != nil || !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestPlan(t *testing.T) {
	tests := []struct {
		start, size, total int
		want               []int
	}{
		{0, 100, 1000, []int{100, 200, 300, 400, 500, 600, 700, 800, 900}},
		{0, 100, 100, nil},
		{0, 50, 120, []int{50, 100}},
		{10, 20, 50, []int{30}},
		{0, 0, 50, nil},
	}
	for _, tt := range tests {
		if got := Plan(tt.start, tt.size, tt.total); !slices.Equal(got, tt.want) {
			t.Errorf("Plan(%d,%d,%d) = %v, want %v", tt.start, tt.size, tt.total, got, tt.want)
		}
	}
}
