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

// Get returns one episode, by ID, URI or URL. With a user's token carrying
// user-read-playback-position it includes the user's resume point.
//
// Endpoint: GET /episodes/{id}. Scopes: user-read-playback-position.
//
//spotify:operation get-an-episode
func (s *EpisodesService) Get(ctx context.Context, id string, opts *MarketOptions) (*models.Episode, error) {
	return getInMarket[models.Episode](ctx, s.c, "episodes/", id, models.KindEpisode, marketOf(opts))
}

// GetMany returns several episodes, by ID, URI or URL, in the order given.
// Any number may be given: they are looked up 50 per request, one request
// after another. Duplicates are looked up as given; an ID Spotify does not
// know gives a nil entry.
//
// Endpoint: GET /episodes. Scopes: user-read-playback-position. Limit: 50
// IDs per request.
//
// Deprecated: Spotify removed it for Development Mode apps (look episodes
// up one by one with [EpisodesService.Get]), since 2026-02-08. It stays for
// Extended Quota apps.
//
//spotify:operation get-multiple-episodes
func (s *EpisodesService) GetMany(ctx context.Context, ids []string, opts *MarketOptions) ([]*models.Episode, error) {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	return getMany[models.Episode](ctx, s.c, "episodes", "episodes", ids, models.KindEpisode, episodesMaxIDs, q)
}

// Saved returns one page of the episodes saved in the current user's
// library, most recently saved first.
//
// Endpoint: GET /me/episodes. Scopes: user-library-read,
// user-read-playback-position. Limit: 1-50, default 20.
//
//spotify:operation get-users-saved-episodes
func (s *EpisodesService) Saved(ctx context.Context, opts *EpisodeSavedOptions) (*models.Page[models.SavedEpisode], error) {
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	return getPage[models.SavedEpisode](ctx, s.c, "me/episodes", q, o.ListOptions, 50)
}

// SavedAll iterates over the current user's saved episodes from opts.Offset
// on, fetching pages of opts.Limit (default 50) lazily as the loop asks.
func (s *EpisodesService) SavedAll(ctx context.Context, opts *EpisodeSavedOptions) iter.Seq2[models.SavedEpisode, error] {
	o := derefOr(opts)
	return offsetAll(ctx, o.ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SavedEpisode], error) {
		o := o
		o.ListOptions = lo
		return s.Saved(ctx, &o)
	})
}

// Save adds episodes, by ID, URI or URL, to the current user's library. Any
// number may be given: they are sent 50 per request, in order. Saving is
// idempotent, so a failed call can simply be repeated.
//
// Endpoint: PUT /me/episodes. Scopes: user-library-modify. Limit: 50 IDs per
// request.
//
// Deprecated: replaced by PUT /me/library ([LibraryService.Save] with
// episode URIs), since 2026-02-10. It stays for Extended Quota apps.
//
//spotify:operation save-episodes-user
func (s *EpisodesService) Save(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, http.MethodPut, "me/episodes", ids, models.KindEpisode, episodesMaxIDs, nil)
}

// RemoveSaved removes episodes, by ID, URI or URL, from the current user's
// library, 50 per request, in order.
//
// Endpoint: DELETE /me/episodes. Scopes: user-library-modify. Limit: 50 IDs
// per request.
//
// Deprecated: replaced by DELETE /me/library ([LibraryService.Remove] with
// episode URIs), since 2026-02-10. It stays for Extended Quota apps.
//
//spotify:operation remove-episodes-user
func (s *EpisodesService) RemoveSaved(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, http.MethodDelete, "me/episodes", ids, models.KindEpisode, episodesMaxIDs, nil)
}

// CheckSaved reports, for each of ids (episode IDs, URIs or URLs), whether
// it is saved in the current user's library; the answer lines up with ids.
// They are asked about 50 per request.
//
// Endpoint: GET /me/episodes/contains. Scopes: user-library-read. Limit: 50
// IDs per request.
//
// Deprecated: replaced by GET /me/library/contains
// ([LibraryService.Contains] with episode URIs), since 2026-02-12. It stays
// for Extended Quota apps.
//
//spotify:operation check-users-saved-episodes
func (s *EpisodesService) CheckSaved(ctx context.Context, ids []string) ([]bool, error) {
	return containsSaved(ctx, s.c, "me/episodes", ids, models.KindEpisode, episodesMaxIDs)
}
