package async

import (
	"context"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// CategoriesService runs the browse category calls of
// [spotify.CategoriesService].
type CategoriesService service

// Get is the asynchronous [spotify.CategoriesService.Get].
//
// Deprecated: Spotify removed browse categories for Development Mode apps;
// see [spotify.CategoriesService.Get].
func (s *CategoriesService) Get(ctx context.Context, id string, opts *spotify.CategoryOptions) *Future[*models.Category] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.CategoryOptions) (*models.Category, error) {
		return s.a.c.Categories.Get(ctx, id, o)
	})
}

// List streams every browse category from opts.Offset on, in pages of
// opts.Limit (default 50) fetched concurrently; see [StreamPages].
//
// Deprecated: Spotify removed browse categories for Development Mode apps;
// see [spotify.CategoriesService.List].
func (s *CategoriesService) List(ctx context.Context, opts *spotify.CategoryListOptions) *Stream[models.Category] {
	return pageOpts(ctx, s.a, "GET /browse/categories", opts, 50, func(o *spotify.CategoryListOptions) *spotify.ListOptions { return &o.ListOptions },
		s.a.c.Categories.List)
}
