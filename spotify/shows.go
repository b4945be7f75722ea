package spotify

import (
	"context"
	"iter"
	"net/http"

	"github.com/spotflow/spotflow/models"
)

// ShowsService calls the podcast show endpoints.
type ShowsService service

// showsMaxIDs is ids_max of the show batch and saved-show endpoints.
const showsMaxIDs = 50

// ShowEpisodesOptions selects a page of a show's episodes.
type ShowEpisodesOptions struct {
	ListOptions        // Limit at most 50
	Market      string // see MarketOptions
}

// ShowSavedOptions selects a page of the current user's saved shows.
type ShowSavedOptions struct {
	ListOptions // Limit at most 50
}

var opGetAShow = &operation{id: "get-a-show", method: http.MethodGet, route: "/shows/{id}"}

// Get returns one show, by ID, URI or URL, with the first page of its
// episodes embedded.
//
//   - Endpoint: GET /v1/shows/{id}
//   - Scopes: user-read-playback-position, only for the user's resume points;
//     without it any valid token will do.
//   - Limits: one show per request. The embedded page holds up to 50
//     episodes; [ShowsService.Episodes] pages through the rest.
//
//spotify:operation get-a-show
func (s *ShowsService) Get(ctx context.Context, id string, opts *MarketOptions) (*models.Show, error) {
	return getInMarket[models.Show](ctx, s.c, opGetAShow, "shows/", id, models.KindShow, marketOf(opts))
}

var opGetMultipleShows = &operation{id: "get-multiple-shows", method: http.MethodGet, route: "/shows"}

// GetMany returns several shows, without their episodes, by ID, URI or URL,
// in the order given. Any number may be given: they are looked up 50 per
// request, one request after another. Duplicates are looked up as given;
// an ID Spotify does not know gives a nil entry.
//
//   - Endpoint: GET /v1/shows
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; look shows up one at
// a time with [ShowsService.Get]. Extended Quota apps can still call it.
//
//spotify:operation get-multiple-shows
func (s *ShowsService) GetMany(ctx context.Context, ids []string, opts *MarketOptions) ([]*models.SimplifiedShow, error) {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	return getMany[models.SimplifiedShow](ctx, s.c, opGetMultipleShows, "shows", "shows", ids, models.KindShow, showsMaxIDs, q)
}

var opGetAShowsEpisodes = &operation{id: "get-a-shows-episodes", method: http.MethodGet, route: "/shows/{id}/episodes"}

// Episodes returns one page of a show's episodes.
//
//   - Endpoint: GET /v1/shows/{id}/episodes
//   - Scopes: user-read-playback-position, only for the user's resume points;
//     without it any valid token will do.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-a-shows-episodes
func (s *ShowsService) Episodes(ctx context.Context, id string, opts *ShowEpisodesOptions) (*models.Page[models.SimplifiedEpisode], error) {
	pid, err := pathID(id, models.KindShow)
	if err != nil {
		return nil, err
	}
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	return getPage[models.SimplifiedEpisode](ctx, s.c, opGetAShowsEpisodes, "shows/"+pid+"/episodes", q, o.ListOptions, 50)
}

// EpisodesAll iterates over every episode of a show from opts.Offset on,
// fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/shows/{id}/episodes, once per page
//   - Scopes: user-read-playback-position, only for the user's resume points;
//     without it any valid token will do.
//   - Limits: limit 1-50 per page.
func (s *ShowsService) EpisodesAll(ctx context.Context, id string, opts *ShowEpisodesOptions) iter.Seq2[models.SimplifiedEpisode, error] {
	o := derefOr(opts)
	return offsetAll(ctx, opGetAShowsEpisodes, o.ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SimplifiedEpisode], error) {
		o := o
		o.ListOptions = lo
		return s.Episodes(ctx, id, &o)
	})
}

var opGetUsersSavedShows = &operation{id: "get-users-saved-shows", method: http.MethodGet, route: "/me/shows"}

// Saved returns one page of the shows the current user follows (saved in
// the library), most recently saved first.
//
//   - Endpoint: GET /v1/me/shows
//   - Scopes: user-library-read.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-users-saved-shows
func (s *ShowsService) Saved(ctx context.Context, opts *ShowSavedOptions) (*models.Page[models.SavedShow], error) {
	return getPage[models.SavedShow](ctx, s.c, opGetUsersSavedShows, "me/shows", query{}, derefOr(opts).ListOptions, 50)
}

// SavedAll iterates over the current user's saved shows from opts.Offset
// on, fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/me/shows, once per page
//   - Scopes: user-library-read.
//   - Limits: limit 1-50 per page.
func (s *ShowsService) SavedAll(ctx context.Context, opts *ShowSavedOptions) iter.Seq2[models.SavedShow, error] {
	return offsetAll(ctx, opGetUsersSavedShows, derefOr(opts).ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SavedShow], error) {
		return s.Saved(ctx, &ShowSavedOptions{ListOptions: lo})
	})
}

var opSaveShowsUser = &operation{id: "save-shows-user", method: http.MethodPut, route: "/me/shows", repeat: repeatSafe}

// Save adds shows, by ID, URI or URL, to the current user's library. Any
// number may be given: they are sent 50 per request, in order. Saving is
// idempotent, so a failed call can simply be repeated.
//
//   - Endpoint: PUT /v1/me/shows
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Save] with show URIs (PUT /v1/me/library),
// which Spotify made its replacement on 2026-02-10. This endpoint still
// answers, in Development Mode too.
//
//spotify:operation save-shows-user
func (s *ShowsService) Save(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, opSaveShowsUser, "me/shows", ids, models.KindShow, showsMaxIDs, nil)
}

var opRemoveShowsUser = &operation{id: "remove-shows-user", method: http.MethodDelete, route: "/me/shows", repeat: repeatSafe}

// RemoveSaved removes shows, by ID, URI or URL, from the current user's
// library, 50 per request, in order. opts.Market is passed on as Spotify's
// reference documents it.
//
//   - Endpoint: DELETE /v1/me/shows
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Remove] with show URIs (DELETE
// /v1/me/library), which Spotify made its replacement on 2026-02-10. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation remove-shows-user
func (s *ShowsService) RemoveSaved(ctx context.Context, ids []string, opts *MarketOptions) error {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return err
	}
	return changeSavedQuery(ctx, s.c, opRemoveShowsUser, "me/shows", ids, models.KindShow, showsMaxIDs, q)
}

var opCheckUsersSavedShows = &operation{id: "check-users-saved-shows", method: http.MethodGet, route: "/me/shows/contains"}

// CheckSaved reports, for each of ids (show IDs, URIs or URLs), whether it is
// saved in the current user's library; the answer lines up with ids.
//
//   - Endpoint: GET /v1/me/shows/contains
//   - Scopes: user-library-read.
//   - Limits: 50 IDs per request; longer lists are asked about in chunks of
//     50, one after another.
//
// Deprecated: use [LibraryService.Contains] with show URIs (GET
// /v1/me/library/contains), which Spotify made its replacement on 2026-02-12.
// This endpoint still answers, in Development Mode too.
//
//spotify:operation check-users-saved-shows
func (s *ShowsService) CheckSaved(ctx context.Context, ids []string) ([]bool, error) {
	return containsSaved(ctx, s.c, opCheckUsersSavedShows, "me/shows", ids, models.KindShow, showsMaxIDs)
}
