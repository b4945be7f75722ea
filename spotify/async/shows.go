package async

import (
	"context"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// ShowsService runs the show calls of [spotify.ShowsService].
type ShowsService service

// Get is the asynchronous [spotify.ShowsService.Get].
func (s *ShowsService) Get(ctx context.Context, id string, opts *spotify.MarketOptions) *Future[*models.Show] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.MarketOptions) (*models.Show, error) {
		return s.a.c.Shows.Get(ctx, id, o)
	})
}

// GetMany looks up any number of shows as [TracksService.GetMany] looks up
// tracks, in chunks of 50. Spotify's batch endpoint answers simplified
// shows; the single-ID fallback keeps the same shape, without the first
// page of episodes a single lookup brings.
func (s *ShowsService) GetMany(ctx context.Context, ids []string, opts *spotify.MarketOptions) *Future[[]*models.SimplifiedShow] {
	o := clone(opts)
	return many(ctx, s.a, lookup[models.SimplifiedShow]{kind: batchShows, id: models.KindShow, max: 50,
		batch: func(ctx context.Context, ids []string) ([]*models.SimplifiedShow, error) {
			return s.a.c.Shows.GetMany(ctx, ids, o)
		},
		one: func(ctx context.Context, id string) (*models.SimplifiedShow, error) {
			show, err := s.a.c.Shows.Get(ctx, id, o)
			if err != nil || show == nil {
				return nil, err
			}
			return &models.SimplifiedShow{ShowBase: show.ShowBase, Extra: show.Extra}, nil
		},
	}, ids)
}

// Episodes streams every episode of a show from opts.Offset on, in pages
// of opts.Limit (default 50) fetched concurrently.
func (s *ShowsService) Episodes(ctx context.Context, id string, opts *spotify.ShowEpisodesOptions) *Stream[models.SimplifiedEpisode] {
	return pageOpts(ctx, s.a, "GET /shows/{id}/episodes", opts, 50, func(o *spotify.ShowEpisodesOptions) *spotify.ListOptions { return &o.ListOptions },
		func(ctx context.Context, o *spotify.ShowEpisodesOptions) (*models.Page[models.SimplifiedEpisode], error) {
			return s.a.c.Shows.Episodes(ctx, id, o)
		})
}

// Saved streams the current user's saved shows, in pages of opts.Limit
// (default 50) fetched concurrently.
func (s *ShowsService) Saved(ctx context.Context, opts *spotify.ShowSavedOptions) *Stream[models.SavedShow] {
	return pageOpts(ctx, s.a, "GET /me/shows", opts, 50, func(o *spotify.ShowSavedOptions) *spotify.ListOptions { return &o.ListOptions },
		s.a.c.Shows.Saved)
}

// Save is the asynchronous [spotify.ShowsService.Save].
//
// Deprecated: use [LibraryService.Save]; see [spotify.ShowsService.Save].
func (s *ShowsService) Save(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Shows.Save)
}

// RemoveSaved is the asynchronous [spotify.ShowsService.RemoveSaved].
//
// Deprecated: use [LibraryService.Remove]; see [spotify.ShowsService.RemoveSaved].
func (s *ShowsService) RemoveSaved(ctx context.Context, ids []string, opts *spotify.MarketOptions) *Future[struct{}] {
	o := clone(opts)
	return idsCall(ctx, ids, func(ctx context.Context, ids []string) error {
		return s.a.c.Shows.RemoveSaved(ctx, ids, o)
	})
}

// CheckSaved is the asynchronous [spotify.ShowsService.CheckSaved].
//
// Deprecated: use [LibraryService.Contains]; see [spotify.ShowsService.CheckSaved].
func (s *ShowsService) CheckSaved(ctx context.Context, ids []string) *Future[[]bool] {
	return idsQuery(ctx, ids, s.a.c.Shows.CheckSaved)
}
