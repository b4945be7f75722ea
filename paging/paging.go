// Package paging walks Spotify's paged lists lazily and plans the offsets that
// let pages be fetched concurrently.
//
// Walkers return iter.Seq2 iterators: pages are fetched only as the caller
// ranges, the walk stops as soon as the loop body breaks, and the guards
// below keep a misbehaving server from making a walk loop forever.
package paging

import (
	"context"
	"iter"

	"github.com/spotflow/spotflow/models"
)

// PageFunc fetches the offset page starting at offset.
type PageFunc[T any] func(ctx context.Context, offset int) (*models.Page[T], error)

// CursorFunc fetches the cursor page that follows after; after is "" for the
// first page.
type CursorFunc[T any] func(ctx context.Context, after string) (*models.CursorPage[T], error)

// Offset walks an offset-paged list from offset start, one page at a time.
//
// The walk ends when a page has no next link, when a page is empty (even if
// it has a next link), when total is reached, or when a page does not move
// the offset forward. A fetch error is yielded once and ends the walk.
func Offset[T any](ctx context.Context, start int, fetch PageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		offset := start
		for {
			page, err := fetch(ctx, offset)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			next, ok := NextOffset(page, offset)
			if !ok {
				return
			}
			offset = next
		}
	}
}

// NextOffset reports the offset of the page after page, which was requested
// at offset, and whether there is one.
func NextOffset[T any](page *models.Page[T], offset int) (int, bool) {
	if page == nil || page.Next == "" || len(page.Items) == 0 {
		return 0, false
	}
	next := offset + len(page.Items)
	if page.Total > 0 && next >= page.Total {
		return 0, false
	}
	return next, true
}

// Cursor walks a cursor-paged list from its first page.
//
// The walk ends when a page has no next link or no after cursor, when a page
// is empty, or when the server repeats a cursor it already gave.
func Cursor[T any](ctx context.Context, fetch CursorFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		seen := make(map[string]struct{})
		after := ""
		for {
			page, err := fetch(ctx, after)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			next := page.Cursors.After
			if page.Next == "" || next == "" || len(page.Items) == 0 {
				return
			}
			if _, dup := seen[next]; dup {
				return
			}
			seen[next] = struct{}{}
			after = next
		}
	}
}

// Plan returns the offsets of the pages that remain of a list of total items
// after a first page of pageSize items requested at offset start. Async streams
// fetch these concurrently. pageSize is what the server really returned, not
// the limit asked for, so a server that caps the limit leaves no gaps.
func Plan(start, pageSize, total int) []int {
	if pageSize <= 0 {
		return nil
	}
	var offsets []int
	for off := start + pageSize; off < total; off += pageSize {
		offsets = append(offsets, off)
	}
	return offsets
}
