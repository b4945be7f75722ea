package async

import (
	"context"
	"slices"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
	"github.com/spotflow/spotflow/spotify"
)

// call runs a synchronous call as a future. opts is copied first: the
// caller may reuse its options struct as soon as the method returns.
func call[O, T any](ctx context.Context, opts *O, fn func(context.Context, *O) (T, error)) *Future[T] {
	o := clone(opts)
	return Go(ctx, func(ctx context.Context) (T, error) { return fn(ctx, o) })
}

// run is call for calls without options.
func run[T any](ctx context.Context, fn func(context.Context) (T, error)) *Future[T] {
	return Go(ctx, fn)
}

// do runs a call that returns only an error; its future's value is empty.
func do(ctx context.Context, fn func(context.Context) error) *Future[struct{}] {
	return Go(ctx, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) })
}

// clone returns a shallow copy of *p, or nil.
func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// pageOpts streams an offset-paged endpoint through its one-page method
// one: opts gives the start offset and the page size (default maxLimit),
// against which the stream checks every page; route ("GET /me/tracks", as
// the contract writes it) names the endpoint in the stream's errors; list
// finds the ListOptions inside an options struct. Each fetch gets its own
// copy of the options, since pages are fetched concurrently.
func pageOpts[O, T any](ctx context.Context, a *Client, route string, opts *O, maxLimit int,
	list func(*O) *spotify.ListOptions, one func(context.Context, *O) (*models.Page[T], error)) *Stream[T] {
	var base O
	if opts != nil {
		base = *opts
	}
	l := list(&base)
	if l.Limit == 0 {
		l.Limit = maxLimit
	}
	return streamPages(ctx, l.Offset, a.prefetch, func(ctx context.Context, offset int) (*models.Page[T], error) {
		o := base
		list(&o).Offset = offset
		return one(ctx, &o)
	}, paging.WithLimit(l.Limit), paging.WithEndpoint(route))
}

// listOf is the list accessor of endpoints whose options are ListOptions.
func listOf(o *spotify.ListOptions) *spotify.ListOptions { return o }

// idsCall runs a call on a list of IDs that answers nothing, with a copy of
// the list.
func idsCall(ctx context.Context, ids []string, fn func(context.Context, []string) error) *Future[struct{}] {
	ids = slices.Clone(ids)
	return do(ctx, func(ctx context.Context) error { return fn(ctx, ids) })
}

// idsQuery runs a call on a list of IDs that answers one boolean per ID.
func idsQuery(ctx context.Context, ids []string, fn func(context.Context, []string) ([]bool, error)) *Future[[]bool] {
	ids = slices.Clone(ids)
	return Go(ctx, func(ctx context.Context) ([]bool, error) { return fn(ctx, ids) })
}
