package spotify

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/spotflow/spotflow/models"
)

// ArtistsService calls the artist endpoints.
type ArtistsService service

// artistsMaxIDs is ids_max of the artist batch endpoint.
const artistsMaxIDs = 50

// artistAlbumsMaxLimit is the page limit of an artist's albums, 10 since
// Spotify's 2026 changes.
const artistAlbumsMaxLimit = 10

// The most entries the artist lists without paging hold: an answer with
// more is refused before the extra ones are decoded.
const (
	artistTopTracksMax = 10
	relatedArtistsMax  = 20
)

// IncludeGroup is a kind of relation between an artist and an album, used to
// filter an artist's albums.
type IncludeGroup string

// The album groups of [ArtistAlbumsOptions].IncludeGroups.
const (
	IncludeGroupAlbum       IncludeGroup = "album"       // the artist's albums
	IncludeGroupSingle      IncludeGroup = "single"      // the artist's singles and EPs
	IncludeGroupAppearsOn   IncludeGroup = "appears_on"  // other artists' albums the artist appears on
	IncludeGroupCompilation IncludeGroup = "compilation" // compilations
)

// ArtistAlbumsOptions selects a page of an artist's albums.
type ArtistAlbumsOptions struct {
	ListOptions // Limit at most 10 (default 5)
	// IncludeGroups keeps only albums of these groups; empty keeps all.
	IncludeGroups []IncludeGroup
	Market        string // see MarketOptions
}

var opGetAnArtist = &operation{id: "get-an-artist", method: http.MethodGet, route: "/artists/{id}"}

// Get returns one artist, by ID, URI or URL.
//
//   - Endpoint: GET /v1/artists/{id}
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one artist per request.
//
//spotify:operation get-an-artist
func (s *ArtistsService) Get(ctx context.Context, id string) (*models.Artist, error) {
	return getByID[models.Artist](ctx, s.c, opGetAnArtist, "artists/", id, models.KindArtist, nil)
}

var opGetMultipleArtists = &operation{id: "get-multiple-artists", method: http.MethodGet, route: "/artists"}

// GetMany returns several artists, by ID, URI or URL, in the order given.
// Any number may be given: they are looked up 50 per request, one request
// after another. Duplicates are looked up as given; an ID Spotify does not
// know gives a nil entry.
//
//   - Endpoint: GET /v1/artists
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; look artists up one
// at a time with [ArtistsService.Get]. Extended Quota apps can still call it.
//
//spotify:operation get-multiple-artists
func (s *ArtistsService) GetMany(ctx context.Context, ids []string) ([]*models.Artist, error) {
	return getMany[models.Artist](ctx, s.c, opGetMultipleArtists, "artists", "artists", ids, models.KindArtist, artistsMaxIDs, nil)
}

var opGetAnArtistsAlbums = &operation{id: "get-an-artists-albums", method: http.MethodGet, route: "/artists/{id}/albums"}

// Albums returns one page of an artist's albums, singles, compilations and
// the albums they appear on.
//
//   - Endpoint: GET /v1/artists/{id}/albums
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page, default 5 (Spotify lowered the maximum
//     from 50 in 2026).
//
//spotify:operation get-an-artists-albums
func (s *ArtistsService) Albums(ctx context.Context, id string, opts *ArtistAlbumsOptions) (*models.Page[models.ArtistDiscographyAlbum], error) {
	pid, err := pathID(id, models.KindArtist)
	if err != nil {
		return nil, err
	}
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	groups := make([]string, len(o.IncludeGroups))
	for i, g := range o.IncludeGroups {
		switch g {
		case IncludeGroupAlbum, IncludeGroupSingle, IncludeGroupAppearsOn, IncludeGroupCompilation:
			groups[i] = string(g)
		default:
			return nil, fmt.Errorf("%w: include group %q is not album, single, appears_on or compilation", ErrInvalidInput, g)
		}
	}
	q.setList("include_groups", groups)
	return getPage[models.ArtistDiscographyAlbum](ctx, s.c, opGetAnArtistsAlbums, "artists/"+pid+"/albums", q, o.ListOptions, artistAlbumsMaxLimit)
}

// AlbumsAll iterates over an artist's albums from opts.Offset on, fetching
// pages of opts.Limit (default 10) lazily as the loop asks.
//
//   - Endpoint: GET /v1/artists/{id}/albums, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page.
func (s *ArtistsService) AlbumsAll(ctx context.Context, id string, opts *ArtistAlbumsOptions) iter.Seq2[models.ArtistDiscographyAlbum, error] {
	o := derefOr(opts)
	return offsetAll(ctx, opGetAnArtistsAlbums, o.ListOptions, artistAlbumsMaxLimit, func(ctx context.Context, lo ListOptions) (*models.Page[models.ArtistDiscographyAlbum], error) {
		o := o
		o.ListOptions = lo
		return s.Albums(ctx, id, &o)
	})
}

var opGetAnArtistsTopTracks = &operation{id: "get-an-artists-top-tracks", method: http.MethodGet, route: "/artists/{id}/top-tracks"}

// TopTracks returns an artist's most popular tracks in a market.
//
//   - Endpoint: GET /v1/artists/{id}/top-tracks
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: up to 10 tracks, in one request.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; there is no
// replacement. Extended Quota apps can still call it.
//
//spotify:operation get-an-artists-top-tracks
func (s *ArtistsService) TopTracks(ctx context.Context, id string, opts *MarketOptions) ([]models.Track, error) {
	pid, err := pathID(id, models.KindArtist)
	if err != nil {
		return nil, err
	}
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	var tracks []models.Track
	target := models.Members(map[string]any{"tracks": models.ListWithin(&tracks, artistTopTracksMax)})
	if err := s.c.get(ctx, opGetAnArtistsTopTracks, "artists/"+pid+"/top-tracks", q.values(), target); err != nil {
		return nil, err
	}
	return tracks, nil
}

var opGetAnArtistsRelatedArtists = &operation{id: "get-an-artists-related-artists", method: http.MethodGet, route: "/artists/{id}/related-artists"}

// RelatedArtists returns artists similar to an artist, by the listening
// habits of Spotify's users.
//
//   - Endpoint: GET /v1/artists/{id}/related-artists
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: up to 20 artists, in one request.
//
// Deprecated: Spotify cut new apps off this endpoint on 2024-11-27 and
// deprecated it in its OpenAPI definition on 2024-12-23, with no replacement.
// Development Mode apps get a 403 matching [ErrForbidden]; Extended Quota
// apps that had access before then can still call it.
//
//spotify:operation get-an-artists-related-artists
func (s *ArtistsService) RelatedArtists(ctx context.Context, id string) ([]models.Artist, error) {
	pid, err := pathID(id, models.KindArtist)
	if err != nil {
		return nil, err
	}
	var artists []models.Artist
	target := models.Members(map[string]any{"artists": models.ListWithin(&artists, relatedArtistsMax)})
	if err := s.c.get(ctx, opGetAnArtistsRelatedArtists, "artists/"+pid+"/related-artists", nil, target); err != nil {
		return nil, err
	}
	return artists, nil
}
