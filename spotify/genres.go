package spotify

import (
	"context"
	"net/http"
)

// GenresService calls the genres endpoints.
type GenresService service

var opGetRecommendationGenres = &operation{id: "get-recommendation-genres", method: http.MethodGet, route: "/recommendations/available-genre-seeds"}

// Seeds returns the genres usable as seeds for recommendations, such as
// "acoustic" or "samba".
//
//   - Endpoint: GET /v1/recommendations/available-genre-seeds
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one request for the whole list.
//
// Deprecated: Spotify cut new apps off recommendations, and this list of
// their seeds, on 2024-11-27 and deprecated the endpoint in its OpenAPI
// definition on 2024-12-23, with no replacement. Development Mode apps get a
// 403 matching [ErrForbidden]; Extended Quota apps that had access before
// then can still call it.
//
//spotify:operation get-recommendation-genres
func (s *GenresService) Seeds(ctx context.Context) ([]string, error) {
	var resp struct {
		Genres []string `json:"genres"`
	}
	if err := s.c.get(ctx, opGetRecommendationGenres, "recommendations/available-genre-seeds", nil, &resp); err != nil {
		return nil, err
	}
	return resp.Genres, nil
}
