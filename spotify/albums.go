package spotify

import (
	"context"
	"iter"
	"net/http"

	"github.com/spotflow/spotflow/models"
)

// AlbumsService calls the album endpoints.
type AlbumsService service

// albumsMaxIDs is ids_max of the album batch and saved-album endpoints.
const albumsMaxIDs = 20

// AlbumTracksOptions selects a page of an album's tracks.
type AlbumTracksOptions struct {
	ListOptions        // Limit at most 50
	Market      string // see MarketOptions
}

// AlbumNewReleasesOptions selects a page of new releases.
type AlbumNewReleasesOptions struct {
	ListOptions // Limit at most 50
}

// AlbumSavedOptions selects a page of the current user's saved albums.
type AlbumSavedOptions struct {
	ListOptions        // Limit at most 50
	Market      string // see MarketOptions
}

var opGetAnAlbum = &operation{id: "get-an-album", method: http.MethodGet, route: "/albums/{id}"}

// Get returns one album, by ID, URI or URL, with the first page of its
// tracks embedded.
//
//   - Endpoint: GET /v1/albums/{id}
//   - Scopes: no scope needed; any valid token, a client's included.
//   - Limits: one album per request. The embedded page holds up to 50 tracks;
//     [AlbumsService.Tracks] pages through the rest.
//
//spotify:operation get-an-album
func (s *AlbumsService) Get(ctx context.Context, id string, opts *MarketOptions) (*models.Album, error) {
	return getInMarket[models.Album](ctx, s.c, opGetAnAlbum, "albums/", id, models.KindAlbum, marketOf(opts))
}

var opGetMultipleAlbums = &operation{id: "get-multiple-albums", method: http.MethodGet, route: "/albums"}

// GetMany returns several albums, by ID, URI or URL, in the order given.
// Any number may be given: they are looked up 20 per request, one request
// after another. Duplicates are looked up as given; an ID Spotify does not
// know gives a nil entry.
//
//   - Endpoint: GET /v1/albums
//   - Scopes: no scope needed; any valid token, a client's included.
//   - Limits: 20 IDs per request; longer lists are split into chunks of 20,
//     sent in order, and the first failure ends the call.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; look albums up one at
// a time with [AlbumsService.Get]. Extended Quota apps can still call it.
//
//spotify:operation get-multiple-albums
func (s *AlbumsService) GetMany(ctx context.Context, ids []string, opts *MarketOptions) ([]*models.Album, error) {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	return getMany[models.Album](ctx, s.c, opGetMultipleAlbums, "albums", "albums", ids, models.KindAlbum, albumsMaxIDs, q)
}

var opGetAnAlbumsTracks = &operation{id: "get-an-albums-tracks", method: http.MethodGet, route: "/albums/{id}/tracks"}

// Tracks returns one page of an album's tracks.
//
//   - Endpoint: GET /v1/albums/{id}/tracks
//   - Scopes: no scope needed; any valid token, a client's included.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-an-albums-tracks
func (s *AlbumsService) Tracks(ctx context.Context, id string, opts *AlbumTracksOptions) (*models.Page[models.SimplifiedTrack], error) {
	pid, err := pathID(id, models.KindAlbum)
	if err != nil {
		return nil, err
	}
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	return getPage[models.SimplifiedTrack](ctx, s.c, opGetAnAlbumsTracks, "albums/"+pid+"/tracks", q, o.ListOptions, 50)
}

// TracksAll iterates over every track of an album from opts.Offset on,
// fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/albums/{id}/tracks, once per page
//   - Scopes: no scope needed; any valid token, a client's included.
//   - Limits: limit 1-50 per page.
func (s *AlbumsService) TracksAll(ctx context.Context, id string, opts *AlbumTracksOptions) iter.Seq2[models.SimplifiedTrack, error] {
	o := derefOr(opts)
	return offsetAll(ctx, opGetAnAlbumsTracks, o.ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SimplifiedTrack], error) {
		o := o
		o.ListOptions = lo
		return s.Tracks(ctx, id, &o)
	})
}

var opGetNewReleases = &operation{id: "get-new-releases", method: http.MethodGet, route: "/browse/new-releases"}

// NewReleases returns one page of the new album releases Spotify features.
//
//   - Endpoint: GET /v1/browse/new-releases
//   - Scopes: no scope needed; any valid token, a client's included.
//   - Limits: limit 1-50 per page, default 20.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; there is no
// replacement. Extended Quota apps can still call it.
//
//spotify:operation get-new-releases
func (s *AlbumsService) NewReleases(ctx context.Context, opts *AlbumNewReleasesOptions) (*models.Page[models.SimplifiedAlbum], error) {
	return getWrappedPage[models.SimplifiedAlbum](ctx, s.c, opGetNewReleases, "browse/new-releases", "albums", query{}, derefOr(opts).ListOptions, 50)
}

// NewReleasesAll iterates over the new releases from opts.Offset on,
// fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/browse/new-releases, once per page
//   - Scopes: no scope needed; any valid token, a client's included.
//   - Limits: limit 1-50 per page.
//
// Deprecated: as [AlbumsService.NewReleases]: deprecated on 2026-02-08 and
// removed for Development Mode apps.
func (s *AlbumsService) NewReleasesAll(ctx context.Context, opts *AlbumNewReleasesOptions) iter.Seq2[models.SimplifiedAlbum, error] {
	return offsetAll(ctx, opGetNewReleases, derefOr(opts).ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SimplifiedAlbum], error) {
		return s.NewReleases(ctx, &AlbumNewReleasesOptions{ListOptions: lo})
	})
}

var opGetUsersSavedAlbums = &operation{id: "get-users-saved-albums", method: http.MethodGet, route: "/me/albums"}

// Saved returns one page of the albums saved in the current user's library,
// most recently saved first.
//
//   - Endpoint: GET /v1/me/albums
//   - Scopes: user-library-read.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-users-saved-albums
func (s *AlbumsService) Saved(ctx context.Context, opts *AlbumSavedOptions) (*models.Page[models.SavedAlbum], error) {
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	return getPage[models.SavedAlbum](ctx, s.c, opGetUsersSavedAlbums, "me/albums", q, o.ListOptions, 50)
}

// SavedAll iterates over the current user's saved albums from opts.Offset
// on, fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/me/albums, once per page
//   - Scopes: user-library-read.
//   - Limits: limit 1-50 per page.
func (s *AlbumsService) SavedAll(ctx context.Context, opts *AlbumSavedOptions) iter.Seq2[models.SavedAlbum, error] {
	o := derefOr(opts)
	return offsetAll(ctx, opGetUsersSavedAlbums, o.ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SavedAlbum], error) {
		o := o
		o.ListOptions = lo
		return s.Saved(ctx, &o)
	})
}

var opSaveAlbumsUser = &operation{id: "save-albums-user", method: http.MethodPut, route: "/me/albums", repeat: repeatSafe}

// Save adds albums, by ID, URI or URL, to the current user's library. Any
// number may be given: they are sent 20 per request, in order. Saving is
// idempotent, so a failed call can simply be repeated.
//
//   - Endpoint: PUT /v1/me/albums
//   - Scopes: user-library-modify.
//   - Limits: 20 IDs per request; longer lists are split into chunks of 20,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Save] with album URIs (PUT /v1/me/library),
// which Spotify made its replacement on 2026-02-10. This endpoint still
// answers, in Development Mode too.
//
//spotify:operation save-albums-user
func (s *AlbumsService) Save(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, opSaveAlbumsUser, "me/albums", ids, models.KindAlbum, albumsMaxIDs, nil)
}

var opRemoveAlbumsUser = &operation{id: "remove-albums-user", method: http.MethodDelete, route: "/me/albums", repeat: repeatSafe}

// RemoveSaved removes albums, by ID, URI or URL, from the current user's
// library, 20 per request, in order.
//
//   - Endpoint: DELETE /v1/me/albums
//   - Scopes: user-library-modify.
//   - Limits: 20 IDs per request; longer lists are split into chunks of 20,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Remove] with album URIs (DELETE
// /v1/me/library), which Spotify made its replacement on 2026-02-10. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation remove-albums-user
func (s *AlbumsService) RemoveSaved(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, opRemoveAlbumsUser, "me/albums", ids, models.KindAlbum, albumsMaxIDs, nil)
}

var opCheckUsersSavedAlbums = &operation{id: "check-users-saved-albums", method: http.MethodGet, route: "/me/albums/contains"}

// CheckSaved reports, for each of ids (album IDs, URIs or URLs), whether it
// is saved in the current user's library; the answer lines up with ids.
//
//   - Endpoint: GET /v1/me/albums/contains
//   - Scopes: user-library-read.
//   - Limits: 20 IDs per request; longer lists are asked about in chunks of
//     20, one after another.
//
// Deprecated: use [LibraryService.Contains] with album URIs (GET
// /v1/me/library/contains), which Spotify made its replacement on 2026-02-12.
// This endpoint still answers, in Development Mode too.
//
//spotify:operation check-users-saved-albums
func (s *AlbumsService) CheckSaved(ctx context.Context, ids []string) ([]bool, error) {
	return containsSaved(ctx, s.c, opCheckUsersSavedAlbums, "me/albums", ids, models.KindAlbum, albumsMaxIDs)
}
