package spotify

import (
	"context"

	"github.com/spotflow/spotflow/models"
)

// The one-object lookups shared by the catalog services (albums, artists,
// tracks, audiobooks, chapters, episodes, shows).

// marketQuery starts a query holding market m, or the client's default.
func marketQuery(c *Client, m string) (query, error) {
	q := query{}
	if err := q.market(c, m); err != nil {
		return nil, err
	}
	return q, nil
}

// getInMarket returns op's object at prefix+id for an ID (or URI or URL) of
// kind, asked for in market m (or the client's default).
func getInMarket[T any](ctx context.Context, c *Client, op *operation, prefix, id string, kind models.Kind, m string) (*T, error) {
	q, err := marketQuery(c, m)
	if err != nil {
		return nil, err
	}
	return getByID[T](ctx, c, op, prefix, id, kind, q)
}

// getByID returns op's object at prefix+id for an ID (or URI or URL) of kind,
// with query q (nil for none).
func getByID[T any](ctx context.Context, c *Client, op *operation, prefix, id string, kind models.Kind, q query) (*T, error) {
	pid, err := pathID(id, kind)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := c.get(ctx, op, prefix+pid, q.values(), out); err != nil {
		return nil, err
	}
	return out, nil
}
