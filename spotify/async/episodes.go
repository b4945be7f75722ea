package async

import (
	"context"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// EpisodesService runs the episode calls of [spotify.EpisodesService].
type EpisodesService service

// Get is the asynchronous [spotify.EpisodesService.Get].
func (s *EpisodesService) Get(ctx context.Context, id string, opts *spotify.MarketOptions) *Future[*models.Episode] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.MarketOptions) (*models.Episode, error) {
		return s.a.c.Episodes.Get(ctx, id, o)
	})
}

// GetMany looks up any number of episodes as [TracksService.GetMany] looks
// up tracks, in chunks of 50.
func (s *EpisodesService) GetMany(ctx context.Context, ids []string, opts *spotify.MarketOptions) *Future[[]*models.Episode] {
	o := clone(opts)
	return many(ctx, s.a, lookup[models.Episode]{kind: batchEpisodes, id: models.KindEpisode, max: 50,
		batch: func(ctx context.Context, ids []string) ([]*models.Episode, error) {
			return s.a.c.Episodes.GetMany(ctx, ids, o)
		},
		one: func(ctx context.Context, id string) (*models.Episode, error) { return s.a.c.Episodes.Get(ctx, id, o) },
	}, ids)
}

// Saved streams the current user's saved episodes, in pages of opts.Limit
// (default 50) fetched concurrently.
func (s *EpisodesService) Saved(ctx context.Context, opts *spotify.EpisodeSavedOptions) *Stream[models.SavedEpisode] {
	return pageOpts(ctx, s.a, "GET /me/episodes", opts, 50, func(o *spotify.EpisodeSavedOptions) *spotify.ListOptions { return &o.ListOptions },
		s.a.c.Episodes.Saved)
}

// Save is the asynchronous [spotify.EpisodesService.Save].
//
// Deprecated: use [LibraryService.Save]; see [spotify.EpisodesService.Save].
func (s *EpisodesService) Save(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Episodes.Save)
}

// RemoveSaved is the asynchronous [spotify.EpisodesService.RemoveSaved].
//
// Deprecated: use [LibraryService.Remove]; see [spotify.EpisodesService.RemoveSaved].
func (s *EpisodesService) RemoveSaved(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Episodes.RemoveSaved)
}

// CheckSaved is the asynchronous [spotify.EpisodesService.CheckSaved].
//
// Deprecated: use [LibraryService.Contains]; see [spotify.EpisodesService.CheckSaved].
func (s *EpisodesService) CheckSaved(ctx context.Context, ids []string) *Future[[]bool] {
	return idsQuery(ctx, ids, s.a.c.Episodes.CheckSaved)
}
