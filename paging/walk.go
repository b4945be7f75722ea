package paging

import (
	"fmt"
	"math"
	"strings"

	"github.com/spotflow/spotflow/models"
)

// Walk is the state of an offset walk: the offset of the page to fetch next
// and what the pages so far said, against which each new page is checked.
// [Offset] walks with one; so do the async streams, which fetch pages
// ahead but hand them to the same Walk in order, so that both deliver the
// same items from the same server, or end with the same error.
//
// For each page, fetched at [Walk.Offset]: call [Walk.Check], deliver the
// page's items if it returned nil, then call [Walk.Advance] to learn
// whether a next page follows. A Walk is not safe for concurrent use.
type Walk[T any] struct {
	cfg    config
	offset int    // of the page to fetch next
	total  int    // the last page's total, 0 when it gave none
	next   string // the last page's next link
	pages  int    // pages advanced over
}

// NewWalk starts a walk at offset start. It fails when an option does or
// when start is negative.
func NewWalk[T any](start int, opts ...Option) (*Walk[T], error) {
	w, err := newWalk[T](start, opts)
	if err != nil {
		return nil, err
	}
	return &w, nil
}

// newWalk is NewWalk for a walk held by value, which stays on the stack.
func newWalk[T any](start int, opts []Option) (Walk[T], error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return Walk[T]{}, err
	}
	if start < 0 {
		return Walk[T]{}, fmt.Errorf("paging: start offset %d is negative", start)
	}
	return Walk[T]{cfg: cfg, offset: start}, nil
}

// Offset returns the offset of the page to fetch next.
func (w *Walk[T]) Offset() int { return w.offset }

// Total returns the total the last page gave, at most the list's maximum,
// or 0 when it gave none.
func (w *Walk[T]) Total() int { return w.total }

// Check checks that page, fetched at [Walk.Offset], may be delivered: it
// exists and holds no more items than were asked for ([WithLimit]).
func (w *Walk[T]) Check(page *models.Page[T]) error {
	switch {
	case page == nil:
		return w.fail("no page")
	case w.cfg.limit > 0 && len(page.Items) > w.cfg.limit:
		return w.fail(fmt.Sprintf("%d items where at most %d were asked for", len(page.Items), w.cfg.limit))
	}
	return nil
}

// Advance moves the walk past page, whose items were delivered, and reports
// whether another page follows. The rules, in order:
//
//   - a total that is negative or above the list's maximum is an error;
//   - an empty page ends the walk, with an error when it links to a next one;
//   - items that run past the page's own total are an error;
//   - a next link that repeats the previous page's, or that follows the
//     last of total items, is an error; so is one that points back to the
//     page's offset or before when the page gives no total (a total bounds
//     the walk, which never follows the link: it asks the offset after the
//     last item delivered);
//   - the walk goes on when the page has a next link, or when the total
//     says items remain (a server that drops the link from a short page);
//     the next page is asked at the offset after this page's last item;
//   - going on past the list's maximum is an error.
//
// After an error the walk must stop.
func (w *Walk[T]) Advance(page *models.Page[T]) (bool, error) {
	n, off, total, next := len(page.Items), w.offset, page.Total, page.Next
	switch {
	case total < 0:
		return false, w.fail(fmt.Sprintf("negative total %d", total))
	case total > w.cfg.max:
		return false, w.fail(fmt.Sprintf("total %d is more than the %d items the list can hold", total, w.cfg.max))
	case n == 0 && next != "":
		return false, w.fail("empty page with a link to a next one")
	case n == 0:
		return false, nil
	}
	end := off + n
	if total > 0 && end > total {
		return false, w.fail(fmt.Sprintf("items run to %d, past the total of %d", end, total))
	}
	if next != "" {
		switch {
		case next == w.next:
			return false, w.fail("the next link repeats the previous page's")
		case total > 0 && end >= total:
			return false, w.fail(fmt.Sprintf("a next link after the last of %d items", total))
		case total == 0: // no total bounds the walk: the link must lead on
			if o, ok := linkOffset(next); ok && o <= off {
				return false, w.fail(fmt.Sprintf("the next link points back to offset %d", o))
			}
		}
	}
	if next == "" && end >= total {
		return false, nil
	}
	if end >= w.cfg.max {
		return false, w.fail(fmt.Sprintf("more than the %d items the list can hold", w.cfg.max))
	}
	w.offset, w.total, w.next = end, total, next
	w.pages++
	return true, nil
}

// fail returns the error for the page at the walk's offset.
func (w *Walk[T]) fail(reason string) error {
	return &Error{Endpoint: w.cfg.endpoint, Page: w.pages + 1, Offset: w.offset, Reason: reason}
}

// linkOffset returns the offset a next link asks for, when its query has a
// plain decimal one. It looks the parameter up with strings.Index and
// parses it in place, allocating nothing.
func linkOffset(link string) (int, bool) {
	const param = "offset="
	i := 0
	for {
		j := strings.Index(link[i:], param)
		if j < 0 {
			return 0, false
		}
		i += j
		if i > 0 && (link[i-1] == '?' || link[i-1] == '&') {
			break
		}
		i += len(param) // part of another name, such as "myoffset="
	}
	n, k := 0, i+len(param)
	for ; k < len(link) && link[k] >= '0' && link[k] <= '9'; k++ {
		if n > (math.MaxInt-9)/10 {
			return 0, false
		}
		n = n*10 + int(link[k]-'0')
	}
	if k == i+len(param) || (k < len(link) && link[k] != '&' && link[k] != '#') {
		return 0, false
	}
	return n, true
}
