package spotify

import (
	"context"
	"net/http"

	"github.com/spotflow/spotflow/models"
)

// ChaptersService calls the audiobook chapter endpoints. Chapters are
// available only in the markets where Spotify sells audiobooks.
type ChaptersService service

// chaptersMaxIDs is ids_max of the chapter batch endpoint.
const chaptersMaxIDs = 50

var opGetAChapter = &operation{id: "get-a-chapter", method: http.MethodGet, route: "/chapters/{id}"}

// Get returns one audiobook chapter, by ID, URI or URL.
//
//   - Endpoint: GET /v1/chapters/{id}
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one chapter per request.
//
//spotify:operation get-a-chapter
func (s *ChaptersService) Get(ctx context.Context, id string, opts *MarketOptions) (*models.Chapter, error) {
	return getInMarket[models.Chapter](ctx, s.c, opGetAChapter, "chapters/", id, models.KindChapter, marketOf(opts))
}

var opGetSeveralChapters = &operation{id: "get-several-chapters", method: http.MethodGet, route: "/chapters"}

// GetMany returns several chapters, by ID, URI or URL, in the order given.
// Any number may be given: they are looked up 50 per request, one request
// after another. Duplicates are looked up as given; an ID Spotify does not
// know gives a nil entry.
//
//   - Endpoint: GET /v1/chapters
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; look chapters up one
// at a time with [ChaptersService.Get]. Extended Quota apps can still call
// it.
//
//spotify:operation get-several-chapters
func (s *ChaptersService) GetMany(ctx context.Context, ids []string, opts *MarketOptions) ([]*models.Chapter, error) {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	return getMany[models.Chapter](ctx, s.c, opGetSeveralChapters, "chapters", "chapters", ids, models.KindChapter, chaptersMaxIDs, q)
}
