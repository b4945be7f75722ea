package async

import (
	"context"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// AlbumsService runs the album calls of [spotify.AlbumsService].
type AlbumsService service

// Get is the asynchronous [spotify.AlbumsService.Get].
func (s *AlbumsService) Get(ctx context.Context, id string, opts *spotify.MarketOptions) *Future[*models.Album] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.MarketOptions) (*models.Album, error) {
		return s.a.c.Albums.Get(ctx, id, o)
	})
}

// GetMany looks up any number of albums as [TracksService.GetMany] looks
// up tracks, in chunks of 20.
func (s *AlbumsService) GetMany(ctx context.Context, ids []string, opts *spotify.MarketOptions) *Future[[]*models.Album] {
	o := clone(opts)
	return many(ctx, s.a, lookup[models.Album]{kind: batchAlbums, id: models.KindAlbum, max: 20,
		batch: func(ctx context.Context, ids []string) ([]*models.Album, error) {
			return s.a.c.Albums.GetMany(ctx, ids, o)
		},
		one: func(ctx context.Context, id string) (*models.Album, error) { return s.a.c.Albums.Get(ctx, id, o) },
	}, ids)
}

// Tracks streams every track of an album from opts.Offset on, in pages of
// opts.Limit (default 50) fetched concurrently; see [StreamPages].
func (s *AlbumsService) Tracks(ctx context.Context, id string, opts *spotify.AlbumTracksOptions) *Stream[models.SimplifiedTrack] {
	return pageOpts(ctx, s.a, "GET /albums/{id}/tracks", opts, 50, func(o *spotify.AlbumTracksOptions) *spotify.ListOptions { return &o.ListOptions },
		func(ctx context.Context, o *spotify.AlbumTracksOptions) (*models.Page[models.SimplifiedTrack], error) {
			return s.a.c.Albums.Tracks(ctx, id, o)
		})
}

// NewReleases streams the new album releases, in pages of opts.Limit
// (default 50) fetched concurrently.
//
// Deprecated: see [spotify.AlbumsService.NewReleases].
func (s *AlbumsService) NewReleases(ctx context.Context, opts *spotify.AlbumNewReleasesOptions) *Stream[models.SimplifiedAlbum] {
	return pageOpts(ctx, s.a, "GET /browse/new-releases", opts, 50, func(o *spotify.AlbumNewReleasesOptions) *spotify.ListOptions { return &o.ListOptions },
		s.a.c.Albums.NewReleases)
}

// Saved streams the current user's saved albums, in pages of opts.Limit
// (default 50) fetched concurrently.
func (s *AlbumsService) Saved(ctx context.Context, opts *spotify.AlbumSavedOptions) *Stream[models.SavedAlbum] {
	return pageOpts(ctx, s.a, "GET /me/albums", opts, 50, func(o *spotify.AlbumSavedOptions) *spotify.ListOptions { return &o.ListOptions },
		s.a.c.Albums.Saved)
}

// Save is the asynchronous [spotify.AlbumsService.Save].
//
// Deprecated: use [LibraryService.Save]; see [spotify.AlbumsService.Save].
func (s *AlbumsService) Save(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Albums.Save)
}

// RemoveSaved is the asynchronous [spotify.AlbumsService.RemoveSaved].
//
// Deprecated: use [LibraryService.Remove]; see [spotify.AlbumsService.RemoveSaved].
func (s *AlbumsService) RemoveSaved(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Albums.RemoveSaved)
}

// CheckSaved is the asynchronous [spotify.AlbumsService.CheckSaved].
//
// Deprecated: use [LibraryService.Contains]; see [spotify.AlbumsService.CheckSaved].
func (s *AlbumsService) CheckSaved(ctx context.Context, ids []string) *Future[[]bool] {
	return idsQuery(ctx, ids, s.a.c.Albums.CheckSaved)
}
