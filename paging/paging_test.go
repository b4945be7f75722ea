package paging

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/spotflow/spotflow/models"
)

// list serves offset pages of n items, limit at a time, as Spotify does:
// the total on every page, a next link while items remain.
func list(n, limit int) PageFunc[int] {
	return func(_ context.Context, offset int) (*models.Page[int], error) {
		p := &models.Page[int]{Offset: offset, Limit: limit, Total: n}
		for i := offset; i < n && i < offset+limit; i++ {
			p.Items = append(p.Items, i)
		}
		if offset+limit < n {
			p.Next = link(offset + limit)
		}
		return p, nil
	}
}

func link(offset int) string {
	return fmt.Sprintf("https://api.example/v1/list?offset=%d&limit=50", offset)
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
		got, err := collect(t, Offset(context.Background(), 0, list(n, 50), WithLimit(50)))
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

// TestOffsetRefusesWrongPages has one case per way an offset page can be
// wrong; each must end the walk with an error matching ErrInvalidReply
// after the items that can be trusted, and fetch no more than want pages.
func TestOffsetRefusesWrongPages(t *testing.T) {
	page := func(items []int, next string, total int) *models.Page[int] {
		return &models.Page[int]{Items: items, Next: next, Total: total}
	}
	tests := []struct {
		name  string
		fetch PageFunc[int]
		items int // delivered before the error
		pages int // fetched
	}{
		{"no page", func(context.Context, int) (*models.Page[int], error) { return nil, nil }, 0, 1},
		{"longer than asked", func(context.Context, int) (*models.Page[int], error) {
			return page(make([]int, 11), link(11), 100), nil
		}, 0, 1},
		{"empty page with next", func(context.Context, int) (*models.Page[int], error) {
			return page(nil, link(10), 100), nil
		}, 0, 1},
		{"empty page after items", func(_ context.Context, off int) (*models.Page[int], error) {
			if off == 0 {
				return list(100, 10)(context.Background(), 0)
			}
			return page(nil, link(off+10), 100), nil
		}, 10, 2},
		{"negative total", func(context.Context, int) (*models.Page[int], error) {
			return page([]int{0}, link(1), -5), nil
		}, 1, 1},
		{"total above the maximum", func(context.Context, int) (*models.Page[int], error) {
			return page([]int{0}, link(1), math.MaxInt), nil
		}, 1, 1},
		{"items past total", func(_ context.Context, off int) (*models.Page[int], error) {
			return page(seq(off, 10), link(off+10), 15), nil
		}, 20, 2}, // the page's items are delivered: what it says about what follows is in doubt
		{"next after the last item", func(context.Context, int) (*models.Page[int], error) {
			return page(seq(0, 10), link(10), 10), nil
		}, 10, 1},
		{"next to the same page, total missing", func(_ context.Context, off int) (*models.Page[int], error) {
			return page(seq(off, 10), link(off), 0), nil
		}, 10, 1},
		{"next back, total huge", func(_ context.Context, off int) (*models.Page[int], error) {
			return page(seq(off, 10), link(0), 1_000_000_000), nil
		}, 10, 1},
		{"opaque next repeated", func(_ context.Context, off int) (*models.Page[int], error) {
			return page(seq(off, 10), "x", 0), nil
		}, 20, 2},
		{"more items than the list can hold", func(_ context.Context, off int) (*models.Page[int], error) {
			return page(seq(off, 10), link(off+10), 0), nil
		}, 1000, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := 0
			fetch := func(ctx context.Context, off int) (*models.Page[int], error) {
				pages++
				if pages > 1000 {
					t.Fatal("the walk does not stop")
				}
				return tt.fetch(ctx, off)
			}
			got, err := collect(t, Offset(context.Background(), 0, fetch, WithLimit(10), WithMaxItems(1000), WithEndpoint("GET /list")))
			if !errors.Is(err, ErrInvalidReply) || !errors.Is(err, models.ErrInvalidReply) {
				t.Fatalf("err = %v, want ErrInvalidReply", err)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Endpoint != "GET /list" {
				t.Fatalf("err = %#v, want a *paging.Error naming the endpoint", err)
			}
			if len(got) != tt.items || pages != tt.pages {
				t.Fatalf("%d items from %d pages, want %d from %d (err %v)", len(got), pages, tt.items, tt.pages, err)
			}
			if !slices.Equal(got, seq(0, len(got))) {
				t.Fatalf("items %v are not the list's first", got)
			}
		})
	}
}

func seq(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

// TestOffsetAcceptsWhatSpotifyDoes: pages shorter than asked (a capped
// limit, or a short page whose next link says where to go on), a total
// that is missing, a total above what is served, and a last page without a
// next link while the total says more, are walked to the end.
func TestOffsetAcceptsWhatSpotifyDoes(t *testing.T) {
	tests := map[string]PageFunc[int]{
		"capped limit": func(ctx context.Context, off int) (*models.Page[int], error) {
			return list(95, 7)(ctx, off)
		},
		"one short page": func(ctx context.Context, off int) (*models.Page[int], error) {
			p, _ := list(95, 10)(ctx, off)
			if off == 20 {
				p.Items = p.Items[:3]
			}
			return p, nil
		},
		"no total": func(ctx context.Context, off int) (*models.Page[int], error) {
			p, _ := list(95, 10)(ctx, off)
			p.Total = 0
			return p, nil
		},
		"total above the items served": func(ctx context.Context, off int) (*models.Page[int], error) {
			p, _ := list(95, 10)(ctx, off)
			p.Total = 120
			return p, nil
		},
		"short page without next before the total": func(ctx context.Context, off int) (*models.Page[int], error) {
			p, _ := list(95, 10)(ctx, off)
			if off == 80 {
				p.Items, p.Next = p.Items[:4], ""
			}
			return p, nil
		},
	}
	for name, fetch := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := collect(t, Offset(context.Background(), 0, fetch, WithLimit(10)))
			if err != nil || !slices.Equal(got, seq(0, 95)) {
				t.Fatalf("got %d items, %v; want 95", len(got), err)
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

func TestOffsetBadOptions(t *testing.T) {
	for name, opt := range map[string]Option{
		"negative limit": WithLimit(-1),
		"zero max":       WithMaxItems(0),
		"huge max":       WithMaxItems(DefaultMaxItems + 1),
	} {
		calls := 0
		fetch := func(ctx context.Context, off int) (*models.Page[int], error) {
			calls++
			return list(10, 10)(ctx, off)
		}
		got, err := collect(t, Offset(context.Background(), 0, fetch, opt))
		if err == nil || calls != 0 || len(got) != 0 {
			t.Errorf("%s: %d items, %d fetches, err %v", name, len(got), calls, err)
		}
	}
	if _, err := collect(t, Offset(context.Background(), -1, list(10, 10))); err == nil {
		t.Error("negative start accepted")
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
	got, err := collect(t, Cursor(context.Background(), fetch, WithLimit(2)))
	if err != nil || !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("got %v, %v", got, err)
	}
}

// TestCursorRefusesWrongPages has one case per way a cursor page can be
// wrong.
func TestCursorRefusesWrongPages(t *testing.T) {
	type page = models.CursorPage[int]
	cursor := func(s string) models.Cursors { return models.Cursors{After: s} }
	tests := []struct {
		name  string
		fetch func(calls int) *page
		items int
	}{
		{"no page", func(int) *page { return nil }, 0},
		{"longer than asked", func(int) *page { return &page{Items: seq(0, 11), Next: "n", Cursors: cursor("a")} }, 0},
		{"repeated cursor", func(c int) *page { return &page{Items: []int{c}, Next: "n", Cursors: cursor("same")} }, 2},
		{"cursor cycle", func(c int) *page {
			return &page{Items: []int{c}, Next: "n", Cursors: cursor(fmt.Sprint(c % 3))}
		}, 4},
		{"empty page with next", func(c int) *page { return &page{Next: "n", Cursors: cursor("a")} }, 0},
		{"next without cursor", func(c int) *page { return &page{Items: []int{c}, Next: "n"} }, 1},
		{"negative total", func(c int) *page { return &page{Items: []int{c}, Total: -1} }, 1},
		{"items past total", func(c int) *page {
			return &page{Items: []int{c}, Next: "n", Cursors: cursor(fmt.Sprint(c)), Total: 3}
		}, 4},
		{"more than the list can hold", func(c int) *page {
			return &page{Items: []int{c}, Next: "n", Cursors: cursor(fmt.Sprint(c))}
		}, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			fetch := func(context.Context, string) (*page, error) {
				if calls > 1000 {
					t.Fatal("the walk does not stop")
				}
				p := tt.fetch(calls)
				calls++
				return p, nil
			}
			got, err := collect(t, Cursor(context.Background(), fetch, WithLimit(10), WithMaxItems(50)))
			if !errors.Is(err, ErrInvalidReply) {
				t.Fatalf("err = %v, want ErrInvalidReply", err)
			}
			if len(got) != tt.items || !slices.Equal(got, seq(0, len(got))) {
				t.Fatalf("items %v, want the first %d", got, tt.items)
			}
		})
	}
}

func TestPlan(t *testing.T) {
	tests := []struct {
		from, size, total int
		want              []int
	}{
		{100, 100, 1000, []int{100, 200, 300, 400, 500, 600, 700, 800, 900}},
		{100, 100, 100, nil},
		{50, 50, 120, []int{50, 100}},
		{30, 20, 50, []int{30}},
		{0, 0, 50, nil},
		{10, -1, 50, nil},
		{math.MaxInt - 5, 4, math.MaxInt, []int{math.MaxInt - 5, math.MaxInt - 1}},
	}
	for _, tt := range tests {
		if got := slices.Collect(Plan(tt.from, tt.size, tt.total)); !slices.Equal(got, tt.want) {
			t.Errorf("Plan(%d,%d,%d) = %v, want %v", tt.from, tt.size, tt.total, got, tt.want)
		}
	}
}

// TestPlanIsLazy: a plan up to the largest int costs nothing until its
// offsets are used.
func TestPlanIsLazy(t *testing.T) {
	allocs := testing.AllocsPerRun(10, func() {
		n := 0
		for off := range Plan(0, 1, math.MaxInt) {
			if n++; n == 3 || off < 0 {
				break
			}
		}
	})
	if allocs > 1 {
		t.Fatalf("%v allocations to take 3 offsets", allocs)
	}
}

func TestLinkOffset(t *testing.T) {
	tests := map[string]int{
		"https://api.spotify.com/v1/playlists/x/items?offset=100&limit=50": 100,
		"https://api.spotify.com/v1/me/tracks?limit=50&offset=7":           7,
		"?offset=0":                       0,
		"https://a/b?myoffset=3&offset=4": 4,
		"https://a/b?offset=12#frag":      12,
	}
	for link, want := range tests {
		if got, ok := linkOffset(link); !ok || got != want {
			t.Errorf("linkOffset(%q) = %d, %v; want %d", link, got, ok, want)
		}
	}
	for _, link := range []string{"", "x", "https://a/b?limit=5", "https://a/b?offset=x", "https://a/b?myoffset=3",
		"https://a/b?offset=", "https://a/b?offset=3x", "https://a/b?offset=99999999999999999999999", "offset=3"} {
		if got, ok := linkOffset(link); ok {
			t.Errorf("linkOffset(%q) = %d, true", link, got)
		}
	}
}
