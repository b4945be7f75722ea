package paging

import (
	"context"
	"fmt"
	"testing"

	"github.com/spotflow/spotflow/models"
)

// BenchmarkWalk walks 10,000 items in pages of 50 served from memory, so
// that what it measures is the walk itself: the checks made on each page
// and the iterator.
//
//	go test -run=^$ -bench=BenchmarkWalk -benchmem ./paging/
func BenchmarkWalk(b *testing.B) {
	const n, size = 10_000, 50
	offsetPages := make(map[int]*models.Page[int], n/size)
	cursorPages := make(map[string]*models.CursorPage[int], n/size)
	for off := 0; off < n; off += size {
		p := &models.Page[int]{Offset: off, Limit: size, Total: n}
		c := &models.CursorPage[int]{Limit: size, Total: n}
		for i := off; i < off+size; i++ {
			p.Items = append(p.Items, i)
		}
		c.Items = p.Items
		if off+size < n {
			p.Next = fmt.Sprintf("https://api.spotify.com/v1/me/tracks?offset=%d&limit=%d", off+size, size)
			c.Next = p.Next
			c.Cursors.After = fmt.Sprint(off + size)
		}
		offsetPages[off] = p
		cursorPages[fmt.Sprint(off)] = c
	}
	cursorPages[""] = cursorPages["0"]
	b.Run("offset", func(b *testing.B) {
		b.ReportAllocs()
		fetch := func(_ context.Context, off int) (*models.Page[int], error) { return offsetPages[off], nil }
		for b.Loop() {
			sum := 0
			for v, err := range Offset(b.Context(), 0, fetch) {
				if err != nil {
					b.Fatal(err)
				}
				sum += v
			}
			if sum != n*(n-1)/2 {
				b.Fatalf("sum %d", sum)
			}
		}
	})
	b.Run("cursor", func(b *testing.B) {
		b.ReportAllocs()
		fetch := func(_ context.Context, after string) (*models.CursorPage[int], error) { return cursorPages[after], nil }
		for b.Loop() {
			sum := 0
			for v, err := range Cursor(b.Context(), fetch) {
				if err != nil {
					b.Fatal(err)
				}
				sum += v
			}
			if sum != n*(n-1)/2 {
				b.Fatalf("sum %d", sum)
			}
		}
	})
}
