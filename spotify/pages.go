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
// with the rest of q.
func getPage[T any](ctx context.Context, c *Client, op *operation, path string, q query, lo ListOptions, maxLimit int) (*models.Page[T], error) {
	if err := q.page(lo, maxLimit); err != nil {
		return nil, err
	}
	p := new(models.Page[T])
	if err := c.get(ctx, op, path, q.values(), p); err != nil {
		return nil, err
	}
	return p, nil
}

// offsetAll walks an offset-paged endpoint from lo.Offset with pages of
// lo.Limit, or def when that is zero. Each fetch gets its own copy of the
// options, so one iterator can be ranged over more than once.
func offsetAll[T any](ctx context.Context, lo ListOptions, def int, one func(context.Context, ListOptions) (*models.Page[T], error)) iter.Seq2[T, error] {
	lo.Limit = orDefault(lo.Limit, def)
	return paging.Offset(ctx, lo.Offset, func(ctx context.Context, offset int) (*models.Page[T], error) {
		page := lo
		page.Offset = offset
		return one(ctx, page)
	})
}
