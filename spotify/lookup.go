package spotify

import (
	"context"
	"net/url"

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
// with query q (nil for none). An answer that is null, an empty object, an
// object of another type or another object than the one asked for is an
// error matching ErrInvalidReply.
func getByID[T any](ctx context.Context, c *Client, op *operation, prefix, id string, kind models.Kind, q query) (*T, error) {
	rid, err := parseID(id, kind)
	if err != nil {
		return nil, err
	}
	path := prefix + url.PathEscape(rid)
	out := new(T)
	if err := c.get(ctx, op, path, q.values(), out); err != nil {
		return nil, err
	}
	if msg := checkObject(out, rid); msg != "" {
		return nil, invalidReply(op, path, msg)
	}
	return out, nil
}
