package async

import (
	"context"
	"slices"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// PlaylistsService runs the playlist calls of [spotify.PlaylistsService].
type PlaylistsService service

// Get is the asynchronous [spotify.PlaylistsService.Get].
func (s *PlaylistsService) Get(ctx context.Context, id string, opts *spotify.PlaylistOptions) *Future[*models.Playlist] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistOptions) (*models.Playlist, error) {
		return s.a.c.Playlists.Get(ctx, id, o)
	})
}

// Items streams every item of a playlist from opts.Offset on, in pages of
// opts.Limit (default 50) fetched concurrently; see [StreamPages].
func (s *PlaylistsService) Items(ctx context.Context, id string, opts *spotify.PlaylistItemsOptions) *Stream[models.PlaylistItem] {
	return s.items(ctx, "GET /playlists/{playlist_id}/items", id, opts, 50, s.a.c.Playlists.Items)
}

// Tracks streams a playlist's items from the legacy endpoint, in pages of
// opts.Limit (default 100) fetched concurrently.
//
// Deprecated: use [PlaylistsService.Items]; see [spotify.PlaylistsService.Tracks].
func (s *PlaylistsService) Tracks(ctx context.Context, id string, opts *spotify.PlaylistItemsOptions) *Stream[models.PlaylistItem] {
	return s.items(ctx, "GET /playlists/{playlist_id}/tracks", id, opts, 100, s.a.c.Playlists.Tracks)
}

func (s *PlaylistsService) items(ctx context.Context, route, id string, opts *spotify.PlaylistItemsOptions, limit int,
	one func(context.Context, string, *spotify.PlaylistItemsOptions) (*models.Page[models.PlaylistItem], error)) *Stream[models.PlaylistItem] {
	return pageOpts(ctx, s.a, route, opts, limit, func(o *spotify.PlaylistItemsOptions) *spotify.ListOptions { return &o.ListOptions },
		func(ctx context.Context, o *spotify.PlaylistItemsOptions) (*models.Page[models.PlaylistItem], error) {
			return one(ctx, id, o)
		})
}

// Mine streams the current user's playlists, in pages of opts.Limit
// (default 50) fetched concurrently.
func (s *PlaylistsService) Mine(ctx context.Context, opts *spotify.ListOptions) *Stream[models.SimplifiedPlaylist] {
	return pageOpts(ctx, s.a, "GET /me/playlists", opts, 50, listOf, s.a.c.Playlists.Mine)
}

// ForUser streams a user's public playlists, in pages of opts.Limit
// (default 50) fetched concurrently.
//
// Deprecated: see [spotify.PlaylistsService.ForUser].
func (s *PlaylistsService) ForUser(ctx context.Context, userID string, opts *spotify.ListOptions) *Stream[models.SimplifiedPlaylist] {
	return pageOpts(ctx, s.a, "GET /users/{user_id}/playlists", opts, 50, listOf, func(ctx context.Context, o *spotify.ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
		return s.a.c.Playlists.ForUser(ctx, userID, o)
	})
}

// ForCategory streams a browse category's playlists, in pages of
// opts.Limit (default 50) fetched concurrently.
//
// Deprecated: see [spotify.PlaylistsService.ForCategory].
func (s *PlaylistsService) ForCategory(ctx context.Context, categoryID string, opts *spotify.ListOptions) *Stream[models.SimplifiedPlaylist] {
	return pageOpts(ctx, s.a, "GET /browse/categories/{category_id}/playlists", opts, 50, listOf, func(ctx context.Context, o *spotify.ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
		return s.a.c.Playlists.ForCategory(ctx, categoryID, o)
	})
}

// Featured streams the featured playlists, in pages of opts.Limit (default
// 50) fetched concurrently; the message Spotify sends with them is dropped.
//
// Deprecated: see [spotify.PlaylistsService.Featured].
func (s *PlaylistsService) Featured(ctx context.Context, opts *spotify.PlaylistFeaturedOptions) *Stream[models.SimplifiedPlaylist] {
	return pageOpts(ctx, s.a, "GET /browse/featured-playlists", opts, 50, func(o *spotify.PlaylistFeaturedOptions) *spotify.ListOptions { return &o.ListOptions },
		func(ctx context.Context, o *spotify.PlaylistFeaturedOptions) (*models.Page[models.SimplifiedPlaylist], error) {
			p, _, err := s.a.c.Playlists.Featured(ctx, o)
			return p, err
		})
}

// Create is the asynchronous [spotify.PlaylistsService.Create].
func (s *PlaylistsService) Create(ctx context.Context, name string, opts *spotify.PlaylistCreateOptions) *Future[*models.Playlist] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistCreateOptions) (*models.Playlist, error) {
		return s.a.c.Playlists.Create(ctx, name, o)
	})
}

// CreateForUser is the asynchronous [spotify.PlaylistsService.CreateForUser].
//
// Deprecated: use [PlaylistsService.Create]; see [spotify.PlaylistsService.CreateForUser].
func (s *PlaylistsService) CreateForUser(ctx context.Context, userID, name string, opts *spotify.PlaylistCreateOptions) *Future[*models.Playlist] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistCreateOptions) (*models.Playlist, error) {
		return s.a.c.Playlists.CreateForUser(ctx, userID, name, o)
	})
}

// ChangeDetails is the asynchronous [spotify.PlaylistsService.ChangeDetails].
func (s *PlaylistsService) ChangeDetails(ctx context.Context, id string, changes spotify.PlaylistChanges) *Future[struct{}] {
	return do(ctx, func(ctx context.Context) error { return s.a.c.Playlists.ChangeDetails(ctx, id, changes) })
}

// Cover is the asynchronous [spotify.PlaylistsService.Cover].
func (s *PlaylistsService) Cover(ctx context.Context, id string) *Future[[]models.Image] {
	return run(ctx, func(ctx context.Context) ([]models.Image, error) { return s.a.c.Playlists.Cover(ctx, id) })
}

// UploadCover is the asynchronous [spotify.PlaylistsService.UploadCover].
func (s *PlaylistsService) UploadCover(ctx context.Context, id string, jpeg []byte) *Future[struct{}] {
	jpeg = slices.Clone(jpeg)
	return do(ctx, func(ctx context.Context) error { return s.a.c.Playlists.UploadCover(ctx, id, jpeg) })
}

// AddItems is the asynchronous [spotify.PlaylistsService.AddItems]; the
// future's value is the new snapshot ID.
func (s *PlaylistsService) AddItems(ctx context.Context, id string, uris []string, opts *spotify.PlaylistAddItemsOptions) *Future[string] {
	uris = slices.Clone(uris)
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistAddItemsOptions) (string, error) {
		return s.a.c.Playlists.AddItems(ctx, id, uris, o)
	})
}

// AddTracks is the asynchronous [spotify.PlaylistsService.AddTracks].
//
// Deprecated: use [PlaylistsService.AddItems]; see [spotify.PlaylistsService.AddTracks].
func (s *PlaylistsService) AddTracks(ctx context.Context, id string, uris []string, opts *spotify.PlaylistAddItemsOptions) *Future[string] {
	uris = slices.Clone(uris)
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistAddItemsOptions) (string, error) {
		return s.a.c.Playlists.AddTracks(ctx, id, uris, o)
	})
}

// RemoveItems is the asynchronous [spotify.PlaylistsService.RemoveItems];
// the future's value is the new snapshot ID.
func (s *PlaylistsService) RemoveItems(ctx context.Context, id string, refs []spotify.PlaylistItemRef, opts *spotify.PlaylistRemoveItemsOptions) *Future[string] {
	refs = slices.Clone(refs)
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistRemoveItemsOptions) (string, error) {
		return s.a.c.Playlists.RemoveItems(ctx, id, refs, o)
	})
}

// RemoveTracks is the asynchronous [spotify.PlaylistsService.RemoveTracks].
//
// Deprecated: use [PlaylistsService.RemoveItems]; see [spotify.PlaylistsService.RemoveTracks].
func (s *PlaylistsService) RemoveTracks(ctx context.Context, id string, refs []spotify.PlaylistItemRef, opts *spotify.PlaylistRemoveItemsOptions) *Future[string] {
	refs = slices.Clone(refs)
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistRemoveItemsOptions) (string, error) {
		return s.a.c.Playlists.RemoveTracks(ctx, id, refs, o)
	})
}

// ReorderItems is the asynchronous [spotify.PlaylistsService.ReorderItems];
// the future's value is the new snapshot ID.
func (s *PlaylistsService) ReorderItems(ctx context.Context, id string, rangeStart, insertBefore int, opts *spotify.PlaylistReorderOptions) *Future[string] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistReorderOptions) (string, error) {
		return s.a.c.Playlists.ReorderItems(ctx, id, rangeStart, insertBefore, o)
	})
}

// ReorderTracks is the asynchronous [spotify.PlaylistsService.ReorderTracks].
//
// Deprecated: use [PlaylistsService.ReorderItems]; see [spotify.PlaylistsService.ReorderTracks].
func (s *PlaylistsService) ReorderTracks(ctx context.Context, id string, rangeStart, insertBefore int, opts *spotify.PlaylistReorderOptions) *Future[string] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.PlaylistReorderOptions) (string, error) {
		return s.a.c.Playlists.ReorderTracks(ctx, id, rangeStart, insertBefore, o)
	})
}

// ReplaceItems is the asynchronous [spotify.PlaylistsService.ReplaceItems];
// the future's value is the new snapshot ID.
func (s *PlaylistsService) ReplaceItems(ctx context.Context, id string, uris []string) *Future[string] {
	uris = slices.Clone(uris)
	return run(ctx, func(ctx context.Context) (string, error) { return s.a.c.Playlists.ReplaceItems(ctx, id, uris) })
}

// ReplaceTracks is the asynchronous [spotify.PlaylistsService.ReplaceTracks].
//
// Deprecated: use [PlaylistsService.ReplaceItems]; see [spotify.PlaylistsService.ReplaceTracks].
func (s *PlaylistsService) ReplaceTracks(ctx context.Context, id string, uris []string) *Future[string] {
	uris = slices.Clone(uris)
	return run(ctx, func(ctx context.Context) (string, error) {
		return s.a.c.Playlists.ReplaceTracks(ctx, id, uris)
	})
}
