// Package paging walks Spotify's paged lists lazily and plans the offsets
// that let pages be fetched concurrently.
//
// Walkers return iter.Seq2 iterators: pages are fetched only as the caller
// ranges, and the walk stops as soon as the loop body breaks. A page is
// data from a stranger: each is checked against what was asked and against
// the pages before it (see [Walk.Advance] for offset pages, [Cursor] for
// cursor pages), so a server that is wrong makes a walk end with an error
// matching [ErrInvalidReply], after the items that came before it, instead
// of looping, skipping or repeating items. Every walk ends: each page must
// deliver at least one item to be followed by another, and no walk goes
// past the most items its list can hold ([WithMaxItems]).
package paging

import (
	"context"
	"fmt"
	"hash/maphash"
	"iter"

	"github.com/spotflow/spotflow/models"
)

// PageFunc fetches the offset page starting at offset.
type PageFunc[T any] func(ctx context.Context, offset int) (*models.Page[T], error)

// CursorFunc fetches the cursor page that follows after; after is "" for the
// first page.
type CursorFunc[T any] func(ctx context.Context, after string) (*models.CursorPage[T], error)

// Offset walks an offset-paged list from offset start, one page at a time,
// asking each page at the offset after the last item delivered. It checks
// every page with a [Walk]: the walk ends when a page is empty or is the
// last, and with an error matching [ErrInvalidReply] when a page breaks
// one of the rules of [Walk.Advance]. A fetch error, an invalid page or a
// bad option is yielded once and ends the walk.
func Offset[T any](ctx context.Context, start int, fetch PageFunc[T], opts ...Option) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		w, err := newWalk[T](start, opts)
		if err != nil {
			yield(zero, err)
			return
		}
		for {
			page, err := fetch(ctx, w.Offset())
			if err == nil {
				err = w.Check(page)
			}
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			more, err := w.Advance(page)
			if err != nil {
				yield(zero, err)
				return
			}
			if !more {
				return
			}
		}
	}
}

// Cursor walks a cursor-paged list from its first page, following each
// page's after cursor.
//
// The walk ends when a page has no next link, or is empty. It ends with an
// error matching [ErrInvalidReply] when a page holds more items than asked
// for ([WithLimit]), is empty while it links to a next one, links to a
// next page without a cursor to follow, gives a cursor the walk followed
// before, gives a total that is negative or above the list's maximum, or
// when the items delivered would pass that total or maximum. A fetch error
// or a bad option is yielded once and ends the walk.
func Cursor[T any](ctx context.Context, fetch CursorFunc[T], opts ...Option) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cfg, err := newConfig(opts)
		if err != nil {
			yield(zero, err)
			return
		}
		w := cursorWalk{cfg: cfg, seed: maphash.MakeSeed()}
		seen := make(map[uint64]struct{}) // kept out of w, so that it may stay on the stack while small
		after := ""
		for {
			page, err := fetch(ctx, after)
			if err == nil {
				err = w.check(page == nil, pageLen(page))
			}
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			next, more, err := w.advance(seen, len(page.Items), page.Next, page.Cursors.After, page.Total)
			if err != nil {
				yield(zero, err)
				return
			}
			if !more {
				return
			}
			after = next
		}
	}
}

// maxCursors is how many cursors a cursor walk remembers, about a megabyte
// of hashes: far more pages than Spotify's cursor lists have (the last 50
// plays, the artists a user follows). A walk longer than that still ends at
// the list's maximum.
const maxCursors = 1 << 16

// cursorWalk checks the pages of a cursor walk. The cursors it followed
// are remembered by their hash, so that a long walk keeps 8 bytes per page
// whatever cursors the server sends, up to maxCursors.
type cursorWalk struct {
	cfg   config
	seed  maphash.Seed
	items int // delivered so far
	pages int // advanced over
}

// check checks that a page may be delivered.
func (w *cursorWalk) check(missing bool, n int) error {
	switch {
	case missing:
		return w.fail("no page")
	case w.cfg.limit > 0 && n > w.cfg.limit:
		return w.fail(fmt.Sprintf("%d items where at most %d were asked for", n, w.cfg.limit))
	}
	return nil
}

// advance moves past a page of n delivered items and returns the cursor to
// follow, if another page follows; seen holds the hashes of the cursors
// followed so far.
func (w *cursorWalk) advance(seen map[uint64]struct{}, n int, next, after string, total int) (string, bool, error) {
	switch {
	case total < 0:
		return "", false, w.fail(fmt.Sprintf("negative total %d", total))
	case total > w.cfg.max:
		return "", false, w.fail(fmt.Sprintf("total %d is more than the %d items the list can hold", total, w.cfg.max))
	case n == 0 && next != "":
		return "", false, w.fail("empty page with a link to a next one")
	}
	w.items += n
	switch {
	case total > 0 && w.items > total:
		return "", false, w.fail(fmt.Sprintf("%d items delivered, past the total of %d", w.items, total))
	case n == 0 || next == "":
		return "", false, nil
	case after == "":
		return "", false, w.fail("a next link without a cursor to follow")
	case w.items >= w.cfg.max:
		return "", false, w.fail(fmt.Sprintf("more than the %d items the list can hold", w.cfg.max))
	}
	h := maphash.String(w.seed, after)
	if _, dup := seen[h]; dup {
		return "", false, w.fail("a cursor the walk followed before")
	}
	if len(seen) < maxCursors {
		seen[h] = struct{}{}
	}
	w.pages++
	return after, true, nil
}

func (w *cursorWalk) fail(reason string) error {
	return &Error{Endpoint: w.cfg.endpoint, Page: w.pages + 1, Offset: -1, Reason: reason}
}

func pageLen[T any](p *models.CursorPage[T]) int {
	if p == nil {
		return 0
	}
	return len(p.Items)
}

// Plan yields the offsets from from on, size apart, that are below total:
// the pages an async stream fetches ahead. The offsets are made as the
// caller asks for them, so a total of any size costs nothing until its
// offsets are used. It yields nothing when size is not positive.
func Plan(from, size, total int) iter.Seq[int] {
	return func(yield func(int) bool) {
		if size <= 0 {
			return
		}
		for off := from; off < total; off += size {
			if !yield(off) || off > total-size {
				return // the next offset would reach total, or overflow
			}
		}
	}
}
