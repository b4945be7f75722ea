package async

import (
	"context"
	"slices"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// TracksService runs the track calls of [spotify.TracksService].
type TracksService service

// Get is the asynchronous [spotify.TracksService.Get].
func (s *TracksService) Get(ctx context.Context, id string, opts *spotify.MarketOptions) *Future[*models.Track] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.MarketOptions) (*models.Track, error) {
		return s.a.c.Tracks.Get(ctx, id, o)
	})
}

// GetMany looks up any number of tracks, by ID, URI or URL, and returns
// them in input order: duplicates share one pointer and unknown IDs give
// nil. It de-duplicates, then looks up chunks of 50 concurrently; where
// Spotify refuses the batch endpoint (Development Mode), it looks the
// tracks up one by one, concurrently, and keeps doing so on this client.
func (s *TracksService) GetMany(ctx context.Context, ids []string, opts *spotify.MarketOptions) *Future[[]*models.Track] {
	o := clone(opts)
	return many(ctx, s.a, lookup[models.Track]{kind: batchTracks, id: models.KindTrack, max: 50,
		batch: func(ctx context.Context, ids []string) ([]*models.Track, error) {
			return s.a.c.Tracks.GetMany(ctx, ids, o)
		},
		one: func(ctx context.Context, id string) (*models.Track, error) { return s.a.c.Tracks.Get(ctx, id, o) },
	}, ids)
}

// Saved streams the current user's saved tracks, in pages of opts.Limit
// (default 50) fetched concurrently.
func (s *TracksService) Saved(ctx context.Context, opts *spotify.TrackSavedOptions) *Stream[models.SavedTrack] {
	return pageOpts(ctx, s.a, "GET /me/tracks", opts, 50, func(o *spotify.TrackSavedOptions) *spotify.ListOptions { return &o.ListOptions },
		s.a.c.Tracks.Saved)
}

// Save is the asynchronous [spotify.TracksService.Save].
//
// Deprecated: use [LibraryService.Save]; see [spotify.TracksService.Save].
func (s *TracksService) Save(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Tracks.Save)
}

// SaveTimestamped is the asynchronous [spotify.TracksService.SaveTimestamped].
//
// Deprecated: see [spotify.TracksService.SaveTimestamped].
func (s *TracksService) SaveTimestamped(ctx context.Context, tracks []spotify.TimestampedTrack) *Future[struct{}] {
	tracks = slices.Clone(tracks)
	return do(ctx, func(ctx context.Context) error { return s.a.c.Tracks.SaveTimestamped(ctx, tracks) })
}

// RemoveSaved is the asynchronous [spotify.TracksService.RemoveSaved].
//
// Deprecated: use [LibraryService.Remove]; see [spotify.TracksService.RemoveSaved].
func (s *TracksService) RemoveSaved(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Tracks.RemoveSaved)
}

// CheckSaved is the asynchronous [spotify.TracksService.CheckSaved].
//
// Deprecated: use [LibraryService.Contains]; see [spotify.TracksService.CheckSaved].
func (s *TracksService) CheckSaved(ctx context.Context, ids []string) *Future[[]bool] {
	return idsQuery(ctx, ids, s.a.c.Tracks.CheckSaved)
}

// AudioFeatures is the asynchronous [spotify.TracksService.AudioFeatures].
//
// Deprecated: see [spotify.TracksService.AudioFeatures].
func (s *TracksService) AudioFeatures(ctx context.Context, id string) *Future[*models.AudioFeatures] {
	return run(ctx, func(ctx context.Context) (*models.AudioFeatures, error) { return s.a.c.Tracks.AudioFeatures(ctx, id) })
}

// AudioFeaturesMany looks up the audio features of any number of tracks
// as [TracksService.GetMany] looks up tracks, in chunks of 100.
//
// Deprecated: Spotify removed audio features for new apps; see
// [spotify.TracksService.AudioFeaturesMany].
func (s *TracksService) AudioFeaturesMany(ctx context.Context, ids []string) *Future[[]*models.AudioFeatures] {
	return many(ctx, s.a, lookup[models.AudioFeatures]{kind: batchAudioFeatures, id: models.KindTrack, max: 100,
		batch: s.a.c.Tracks.AudioFeaturesMany,
		one:   s.a.c.Tracks.AudioFeatures,
	}, ids)
}

// AudioAnalysis is the asynchronous [spotify.TracksService.AudioAnalysis].
//
// Deprecated: see [spotify.TracksService.AudioAnalysis].
func (s *TracksService) AudioAnalysis(ctx context.Context, id string) *Future[*models.AudioAnalysis] {
	return run(ctx, func(ctx context.Context) (*models.AudioAnalysis, error) { return s.a.c.Tracks.AudioAnalysis(ctx, id) })
}

// Recommendations is the asynchronous [spotify.TracksService.Recommendations].
//
// Deprecated: see [spotify.TracksService.Recommendations].
func (s *TracksService) Recommendations(ctx context.Context, seeds spotify.RecommendationSeeds, opts *spotify.TrackRecommendationsOptions) *Future[*models.Recommendations] {
	seeds.Artists, seeds.Genres, seeds.Tracks = slices.Clone(seeds.Artists), slices.Clone(seeds.Genres), slices.Clone(seeds.Tracks)
	return call(ctx, opts, func(ctx context.Context, o *spotify.TrackRecommendationsOptions) (*models.Recommendations, error) {
		return s.a.c.Tracks.Recommendations(ctx, seeds, o)
	})
}
