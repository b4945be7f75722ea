package spotify

import (
	"context"

	"github.com/spotflow/spotflow/models"
)

// ChaptersService calls the audiobook chapter endpoints. Chapters are
// available only in the markets where Spotify sells audiobooks.
type ChaptersService service

// chaptersMaxIDs is ids_max of the chapter batch endpoint.
const chaptersMaxIDs = 50

// Get returns one audiobook chapter, by ID, URI or URL.
//
// Endpoint: GET /chapters/{id}. Scopes: none (any token).
//
//spotify:operation get-a-chapter
func (s *ChaptersService) Get(ctx context.Context, id string, opts *MarketOptions) (*models.Chapter, error) {
	return getInMarket[models.Chapter](ctx, s.c, "chapters/", id, models.KindChapter, marketOf(opts))
}

// GetMany returns several chapters, by ID, URI or URL, in the order given.
// Any number may be given: they are looked up 50 per request, one request
// after another. Duplicates are looked up as given; an ID Spotify does not
// know gives a nil entry.
//
// Endpoint: GET /chapters. Scopes: none (any token). Limit: 50 IDs per
// request.
//
// Deprecated: Spotify removed it for Development Mode apps (look chapters up
// one by one with [ChaptersService.Get]), since 2026-02-08. It stays for
// Extended Quota apps.
//
//spotify:operation get-several-chapters
func (s *ChaptersService) GetMany(ctx context.Context, ids []string, opts *MarketOptions) ([]*models.Chapter, error) {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	return getMany[models.Chapter](ctx, s.c, "chapters", "chapters", ids, models.KindChapter, chaptersMaxIDs, q)
}
