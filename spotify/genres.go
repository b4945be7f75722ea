package spotify

import "context"

// GenresService calls the genres endpoints.
type GenresService service

// Seeds returns the genres usable as seeds for recommendations, such as
// "acoustic" or "samba".
//
// Endpoint: GET /recommendations/available-genre-seeds. Scopes: none (any
// token).
//
// Deprecated: Spotify removed recommendations, and this list of their seeds,
// for new apps with no replacement, since 2024-12-23. It stays for Extended
// Quota apps.
//
//spotify:operation get-recommendation-genres
func (s *GenresService) Seeds(ctx context.Context) ([]string, error) {
	var resp struct {
		Genres []string `json:"genres"`
	}
	if err := s.c.get(ctx, "recommendations/available-genre-seeds", nil, &resp); err != nil {
		return nil, err
	}
	return resp.Genres, nil
}
