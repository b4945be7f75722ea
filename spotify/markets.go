package spotify

import (
	"context"
	"net/http"
)

// MarketsService calls the markets endpoints.
type MarketsService service

var opGetAvailableMarkets = &operation{id: "get-available-markets", method: http.MethodGet, route: "/markets"}

// List returns the ISO 3166-1 alpha-2 codes of the countries where Spotify
// is available.
//
//   - Endpoint: GET /v1/markets
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one request for the whole list.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; there is no
// replacement. Extended Quota apps can still call it.
//
//spotify:operation get-available-markets
func (s *MarketsService) List(ctx context.Context) ([]string, error) {
	var resp struct {
		Markets []string `json:"markets"`
	}
	if err := s.c.get(ctx, opGetAvailableMarkets, "markets", nil, &resp); err != nil {
		return nil, err
	}
	return resp.Markets, nil
}
