package spotify

import (
	"context"
	"iter"
	"net/http"

	"github.com/spotflow/spotflow/models"
)

// EpisodesService calls the podcast episode endpoints.
type EpisodesService service

// episodesMaxIDs is ids_max of the episode batch and saved-episode
// endpoints.
const episodesMaxIDs = 50

// EpisodeSavedOptions selects a page of the current user's saved episodes.
type EpisodeSavedOptions struct {
	ListOptions        // Limit at most 50
	Market      string // see MarketOptions
}

var opGetAnEpisode = &operation{id: "get-an-episode", method: http.MethodGet, route: "/episodes/{id}"}

// Get returns one episode, by ID, URI or URL. With a user's token carrying
// user-read-playback-position it includes the user's resume point.
//
//   - Endpoint: GET /v1/episodes/{id}
//   - Scopes: user-read-playback-position, only for the user's resume points;
//     without it any valid token will do.
//   - Limits: one episode per request.
//
//spotify:operation get-an-episode
func (s *EpisodesService) Get(ctx context.Context, id string, opts *MarketOptions) (*models.Episode, error) {
	return getInMarket[models.Episode](ctx, s.c, opGetAnEpisode, "episodes/", id, models.KindEpisode, marketOf(opts))
}

var opGetMultipleEpisodes = &operation{id: "get-multiple-episodes", method: http.MethodGet, route: "/episodes"}

// GetMany returns several episodes, by ID, URI or URL, in the order given.
// Any number may be given: they are looked up 50 per request, one request
// after another. Duplicates are looked up as given; an ID Spotify does not
// know gives a nil entry.
//
//   - Endpoint: GET /v1/episodes
//   - Scopes: user-read-playback-position, only for the user's resume points;
//     without it any valid token will do.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; look episodes up one
// at a time with [EpisodesService.Get]. Extended Quota apps can still call
// it.
//
//spotify:operation get-multiple-episodes
func (s *EpisodesService) GetMany(ctx context.Context, ids []string, opts *MarketOptions) ([]*models.Episode, error) {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	return getMany[models.Episode](ctx, s.c, opGetMultipleEpisodes, "episodes", "episodes", ids, models.KindEpisode, episodesMaxIDs, q)
}

var opGetUsersSavedEpisodes = &operation{id: "get-users-saved-episodes", method: http.MethodGet, route: "/me/episodes"}

// Saved returns one page of the episodes saved in the current user's
// library, most recently saved first.
//
//   - Endpoint: GET /v1/me/episodes
//   - Scopes: user-library-read, and user-read-playback-position for the
//     resume points.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-users-saved-episodes
func (s *EpisodesService) Saved(ctx context.Context, opts *EpisodeSavedOptions) (*models.Page[models.SavedEpisode], error) {
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	return getPage[models.SavedEpisode](ctx, s.c, opGetUsersSavedEpisodes, "me/episodes", q, o.ListOptions, 50)
}

// SavedAll iterates over the current user's saved episodes from opts.Offset
// on, fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/me/episodes, once per page
//   - Scopes: user-library-read, and user-read-playback-position for the
//     resume points.
//   - Limits: limit 1-50 per page.
func (s *EpisodesService) SavedAll(ctx context.Context, opts *EpisodeSavedOptions) iter.Seq2[models.SavedEpisode, error] {
	o := derefOr(opts)
	return offsetAll(ctx, opGetUsersSavedEpisodes, o.ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SavedEpisode], error) {
		o := o
		o.ListOptions = lo
		return s.Saved(ctx, &o)
	})
}

var opSaveEpisodesUser = &operation{id: "save-episodes-user", method: http.MethodPut, route: "/me/episodes", repeat: repeatSafe}

// Save adds episodes, by ID, URI or URL, to the current user's library. Any
// number may be given: they are sent 50 per request, in order. Saving is
// idempotent, so a failed call can simply be repeated.
//
//   - Endpoint: PUT /v1/me/episodes
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Save] with episode URIs (PUT
// /v1/me/library), which Spotify made its replacement on 2026-02-10. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation save-episodes-user
func (s *EpisodesService) Save(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, opSaveEpisodesUser, "me/episodes", ids, models.KindEpisode, episodesMaxIDs, nil)
}

var opRemoveEpisodesUser = &operation{id: "remove-episodes-user", method: http.MethodDelete, route: "/me/episodes", repeat: repeatSafe}

// RemoveSaved removes episodes, by ID, URI or URL, from the current user's
// library, 50 per request, in order.
//
//   - Endpoint: DELETE /v1/me/episodes
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Remove] with episode URIs (DELETE
// /v1/me/library), which Spotify made its replacement on 2026-02-10. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation remove-episodes-user
func (s *EpisodesService) RemoveSaved(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, opRemoveEpisodesUser, "me/episodes", ids, models.KindEpisode, episodesMaxIDs, nil)
}

var opCheckUsersSavedEpisodes = &operation{id: "check-users-saved-episodes", method: http.MethodGet, route: "/me/episodes/contains"}

// CheckSaved reports, for each of ids (episode IDs, URIs or URLs), whether it
// is saved in the current user's library; the answer lines up with ids.
//
//   - Endpoint: GET /v1/me/episodes/contains
//   - Scopes: user-library-read.
//   - Limits: 50 IDs per request; longer lists are asked about in chunks of
//     50, one after another.
//
// Deprecated: use [LibraryService.Contains] with episode URIs (GET
// /v1/me/library/contains), which Spotify made its replacement on 2026-02-12.
// This endpoint still answers, in Development Mode too.
//
//spotify:operation check-users-saved-episodes
func (s *EpisodesService) CheckSaved(ctx context.Context, ids []string) ([]bool, error) {
	return containsSaved(ctx, s.c, opCheckUsersSavedEpisodes, "me/episodes", ids, models.KindEpisode, episodesMaxIDs)
}
