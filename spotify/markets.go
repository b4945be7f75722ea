package spotify

import "context"

// MarketsService calls the markets endpoints.
type MarketsService service

// List returns the ISO 3166-1 alpha-2 codes of the countries where Spotify
// is available.
//
// Endpoint: GET /markets. Scopes: none (any token).
//
// Deprecated: Spotify removed this endpoint for Development Mode apps with
// no replacement, since 2026-02-08. It stays for Extended Quota apps.
//
//spotify:operation get-available-markets
func (s *MarketsService) List(ctx context.Context) ([]string, error) {
	var resp struct {
		Markets []string `json:"markets"`
	}
	if err := s.c.get(ctx, "markets", nil, &resp); err != nil {
		return nil, err
	}
	return resp.Markets, nil
}
