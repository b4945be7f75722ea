package spotify

import (
	"context"
	"iter"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// The offset-paged calls shared by every service with a list endpoint: one
// page, and the lazy walk over all of them.

// getPage returns op's page of path selected by lo, checked against maxLimit,
// with the rest of q. A page with more items than asked for is refused
// before they are decoded.
func getPage[T any](ctx context.Context, c *Client, op *operation, path string, q query, lo ListOptions, maxLimit int) (*models.Page[T], error) {
	if err := q.page(lo, maxLimit); err != nil {
		return nil, err
	}
	p := new(models.Page[T])
	if err := c.get(ctx, op, path, q.values(), p.Within(pageBound(lo.Limit, maxLimit))); err != nil {
		return nil, err
	}
	return p, nil
}

// getWrappedPage is getPage for the endpoints that answer their page under
// key, as {"albums": {page}}; the rest of the answer is dropped.
func getWrappedPage[T any](ctx context.Context, c *Client, op *operation, path, key string, q query, lo ListOptions, maxLimit int) (*models.Page[T], error) {
	if err := q.page(lo, maxLimit); err != nil {
		return nil, err
	}
	p := new(models.Page[T])
	target := models.Members(map[string]any{key: p.Within(pageBound(lo.Limit, maxLimit))})
	if err := c.get(ctx, op, path, q.values(), target); err != nil {
		return nil, err
	}
	return p, nil
}

// pageBound is the most items a page asked with limit may hold: the limit,
// or the endpoint's maximum when it is left to Spotify's default.
func pageBound(limit, maxLimit int) int {
	if limit > 0 {
		return limit
	}
	return maxLimit
}

// offsetAll walks op's pages from lo.Offset with pages of lo.Limit, or def
// when that is zero, checking each as paging.Walk does. Each fetch gets its
// own copy of the options, so one iterator can be ranged over more than
// once.
func offsetAll[T any](ctx context.Context, op *operation, lo ListOptions, def int, one func(context.Context, ListOptions) (*models.Page[T], error)) iter.Seq2[T, error] {
	lo.Limit = orDefault(lo.Limit, def)
	return paging.Offset(ctx, lo.Offset, func(ctx context.Context, offset int) (*models.Page[T], error) {
		page := lo
		page.Offset = offset
		return one(ctx, page)
	}, walkOptions(op, lo.Limit)...)
}
