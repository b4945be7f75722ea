package spotify

import (
	"context"
	"iter"
	"net/http"

	"github.com/spotflow/spotflow/models"
)

// AudiobooksService calls the audiobook endpoints. Spotify's reference says
// audiobooks are available only in the US, UK, Canada, Ireland, New Zealand
// and Australia markets.
type AudiobooksService service

// audiobooksMaxIDs is ids_max of the audiobook batch and saved-audiobook
// endpoints.
const audiobooksMaxIDs = 50

// AudiobookChaptersOptions selects a page of an audiobook's chapters.
type AudiobookChaptersOptions struct {
	ListOptions        // Limit at most 50
	Market      string // see MarketOptions
}

// AudiobookSavedOptions selects a page of the current user's saved
// audiobooks.
type AudiobookSavedOptions struct {
	ListOptions // Limit at most 50
}

var opGetAnAudiobook = &operation{id: "get-an-audiobook", method: http.MethodGet, route: "/audiobooks/{id}"}

// Get returns one audiobook, by ID, URI or URL, with the first page of its
// chapters embedded.
//
//   - Endpoint: GET /v1/audiobooks/{id}
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one audiobook per request. The embedded page holds up to 50
//     chapters; [AudiobooksService.Chapters] pages through the rest.
//
//spotify:operation get-an-audiobook
func (s *AudiobooksService) Get(ctx context.Context, id string, opts *MarketOptions) (*models.Audiobook, error) {
	return getInMarket[models.Audiobook](ctx, s.c, opGetAnAudiobook, "audiobooks/", id, models.KindAudiobook, marketOf(opts))
}

var opGetMultipleAudiobooks = &operation{id: "get-multiple-audiobooks", method: http.MethodGet, route: "/audiobooks"}

// GetMany returns several audiobooks, by ID, URI or URL, in the order given.
// Any number may be given: they are looked up 50 per request, one request
// after another. Duplicates are looked up as given; an ID Spotify does not
// know gives a nil entry.
//
//   - Endpoint: GET /v1/audiobooks
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; look audiobooks up
// one at a time with [AudiobooksService.Get]. Extended Quota apps can still
// call it.
//
//spotify:operation get-multiple-audiobooks
func (s *AudiobooksService) GetMany(ctx context.Context, ids []string, opts *MarketOptions) ([]*models.Audiobook, error) {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	return getMany[models.Audiobook](ctx, s.c, opGetMultipleAudiobooks, "audiobooks", "audiobooks", ids, models.KindAudiobook, audiobooksMaxIDs, q)
}

var opGetAudiobookChapters = &operation{id: "get-audiobook-chapters", method: http.MethodGet, route: "/audiobooks/{id}/chapters"}

// Chapters returns one page of an audiobook's chapters.
//
//   - Endpoint: GET /v1/audiobooks/{id}/chapters
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-audiobook-chapters
func (s *AudiobooksService) Chapters(ctx context.Context, id string, opts *AudiobookChaptersOptions) (*models.Page[models.SimplifiedChapter], error) {
	pid, err := pathID(id, models.KindAudiobook)
	if err != nil {
		return nil, err
	}
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	return getPage[models.SimplifiedChapter](ctx, s.c, opGetAudiobookChapters, "audiobooks/"+pid+"/chapters", q, o.ListOptions, 50)
}

// ChaptersAll iterates over every chapter of an audiobook from opts.Offset
// on, fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/audiobooks/{id}/chapters, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-50 per page.
func (s *AudiobooksService) ChaptersAll(ctx context.Context, id string, opts *AudiobookChaptersOptions) iter.Seq2[models.SimplifiedChapter, error] {
	o := derefOr(opts)
	return offsetAll(ctx, opGetAudiobookChapters, o.ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SimplifiedChapter], error) {
		o := o
		o.ListOptions = lo
		return s.Chapters(ctx, id, &o)
	})
}

var opGetUsersSavedAudiobooks = &operation{id: "get-users-saved-audiobooks", method: http.MethodGet, route: "/me/audiobooks"}

// Saved returns one page of the audiobooks saved in the current user's
// library, most recently saved first.
//
//   - Endpoint: GET /v1/me/audiobooks
//   - Scopes: user-library-read.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-users-saved-audiobooks
func (s *AudiobooksService) Saved(ctx context.Context, opts *AudiobookSavedOptions) (*models.Page[models.SavedAudiobook], error) {
	return getPage[models.SavedAudiobook](ctx, s.c, opGetUsersSavedAudiobooks, "me/audiobooks", query{}, derefOr(opts).ListOptions, 50)
}

// SavedAll iterates over the current user's saved audiobooks from
// opts.Offset on, fetching pages of opts.Limit (default 50) lazily as the
// loop asks.
//
//   - Endpoint: GET /v1/me/audiobooks, once per page
//   - Scopes: user-library-read.
//   - Limits: limit 1-50 per page.
func (s *AudiobooksService) SavedAll(ctx context.Context, opts *AudiobookSavedOptions) iter.Seq2[models.SavedAudiobook, error] {
	return offsetAll(ctx, opGetUsersSavedAudiobooks, derefOr(opts).ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SavedAudiobook], error) {
		return s.Saved(ctx, &AudiobookSavedOptions{ListOptions: lo})
	})
}

var opSaveAudiobooksUser = &operation{id: "save-audiobooks-user", method: http.MethodPut, route: "/me/audiobooks", repeat: repeatSafe}

// Save adds audiobooks, by ID, URI or URL, to the current user's library.
// Any number may be given: they are sent 50 per request, in order. Saving
// is idempotent, so a failed call can simply be repeated.
//
//   - Endpoint: PUT /v1/me/audiobooks
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Save] with audiobook URIs (PUT
// /v1/me/library), which Spotify made its replacement on 2026-02-10. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation save-audiobooks-user
func (s *AudiobooksService) Save(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, opSaveAudiobooksUser, "me/audiobooks", ids, models.KindAudiobook, audiobooksMaxIDs, nil)
}

var opRemoveAudiobooksUser = &operation{id: "remove-audiobooks-user", method: http.MethodDelete, route: "/me/audiobooks", repeat: repeatSafe}

// RemoveSaved removes audiobooks, by ID, URI or URL, from the current user's
// library, 50 per request, in order.
//
//   - Endpoint: DELETE /v1/me/audiobooks
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Remove] with audiobook URIs (DELETE
// /v1/me/library), which Spotify made its replacement on 2026-02-10. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation remove-audiobooks-user
func (s *AudiobooksService) RemoveSaved(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, opRemoveAudiobooksUser, "me/audiobooks", ids, models.KindAudiobook, audiobooksMaxIDs, nil)
}

var opCheckUsersSavedAudiobooks = &operation{id: "check-users-saved-audiobooks", method: http.MethodGet, route: "/me/audiobooks/contains"}

// CheckSaved reports, for each of ids (audiobook IDs, URIs or URLs), whether
// it is saved in the current user's library; the answer lines up with ids.
//
//   - Endpoint: GET /v1/me/audiobooks/contains
//   - Scopes: user-library-read.
//   - Limits: 50 IDs per request; longer lists are asked about in chunks of
//     50, one after another.
//
// Deprecated: use [LibraryService.Contains] with audiobook URIs (GET
// /v1/me/library/contains), which Spotify made its replacement on 2026-02-12.
// This endpoint still answers, in Development Mode too.
//
//spotify:operation check-users-saved-audiobooks
func (s *AudiobooksService) CheckSaved(ctx context.Context, ids []string) ([]bool, error) {
	return containsSaved(ctx, s.c, opCheckUsersSavedAudiobooks, "me/audiobooks", ids, models.KindAudiobook, audiobooksMaxIDs)
}
