package async

import (
	"context"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// ChaptersService runs the chapter calls of [spotify.ChaptersService].
type ChaptersService service

// Get is the asynchronous [spotify.ChaptersService.Get].
func (s *ChaptersService) Get(ctx context.Context, id string, opts *spotify.MarketOptions) *Future[*models.Chapter] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.MarketOptions) (*models.Chapter, error) {
		return s.a.c.Chapters.Get(ctx, id, o)
	})
}

// GetMany looks up any number of chapters as [TracksService.GetMany] looks
// up tracks, in chunks of 50.
func (s *ChaptersService) GetMany(ctx context.Context, ids []string, opts *spotify.MarketOptions) *Future[[]*models.Chapter] {
	o := clone(opts)
	return many(ctx, s.a, lookup[models.Chapter]{kind: batchChapters, id: models.KindChapter, max: 50,
		batch: func(ctx context.Context, ids []string) ([]*models.Chapter, error) {
			return s.a.c.Chapters.GetMany(ctx, ids, o)
		},
		one: func(ctx context.Context, id string) (*models.Chapter, error) { return s.a.c.Chapters.Get(ctx, id, o) },
	}, ids)
}
