package spotify

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// SearchService calls the search endpoint.
type SearchService service

// SearchType is a kind of item a search looks for.
type SearchType string

// The item types a search can look for.
const (
	SearchTypeAlbum     SearchType = "album"
	SearchTypeArtist    SearchType = "artist"
	SearchTypePlaylist  SearchType = "playlist"
	SearchTypeTrack     SearchType = "track"
	SearchTypeShow      SearchType = "show"
	SearchTypeEpisode   SearchType = "episode"
	SearchTypeAudiobook SearchType = "audiobook"
)

// IncludeExternal says which externally hosted content the caller can play.
type IncludeExternal string

// IncludeExternalAudio marks externally hosted audio as playable in results.
const IncludeExternalAudio IncludeExternal = "audio"

// Search limits: since 2026 a search page holds at most 10 items per type,
// and Spotify refuses offsets beyond 1000.
const (
	searchMaxLimit  = 10
	searchMaxOffset = 1000
)

// SearchOptions selects a page of search results. The same limit and offset
// apply to every type searched.
type SearchOptions struct {
	ListOptions        // Limit 1-10 per type (default 5); Offset 0-1000
	Market      string // see MarketOptions; "from_token" matches the user's country
	// IncludeExternal, when IncludeExternalAudio, marks externally hosted
	// audio (some podcast episodes) as playable.
	IncludeExternal IncludeExternal
}

// SearchResult holds one page per type searched; the pages of types not
// searched are nil. Encoded as JSON (with models.Marshal or encoding/json),
// it leaves them out, as Spotify's answer does, rather than writing nulls.
type SearchResult struct {
	Tracks     *models.Page[models.Track]               `json:"tracks,omitzero"`
	Artists    *models.Page[models.Artist]              `json:"artists,omitzero"`
	Albums     *models.Page[models.SimplifiedAlbum]     `json:"albums,omitzero"`
	Playlists  *models.Page[models.SimplifiedPlaylist]  `json:"playlists,omitzero"`
	Shows      *models.Page[models.SimplifiedShow]      `json:"shows,omitzero"`
	Episodes   *models.Page[models.SimplifiedEpisode]   `json:"episodes,omitzero"`
	Audiobooks *models.Page[models.SimplifiedAudiobook] `json:"audiobooks,omitzero"`
}

var opSearch = &operation{id: "search", method: http.MethodGet, route: "/search"}

// Search finds items of the given types matching q, one page per type.
// q supports Spotify's field filters, e.g. `remaster track:Doxy
// artist:"Miles Davis" year:1955-1960`. Audiobooks are found only in the
// markets where Spotify sells them. To walk the results of one type, use
// the per-type iterators such as [SearchService.TracksAll].
//
//   - Endpoint: GET /v1/search
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per type, default 5 (Spotify cut the maximum from 50
//     to 10 in 2026); offset 0-1000.
//
//spotify:operation search
func (s *SearchService) Search(ctx context.Context, q string, types []SearchType, opts *SearchOptions) (*SearchResult, error) {
	o := derefOr(opts)
	v, err := searchQuery(s.c, q, types, o)
	if err != nil {
		return nil, err
	}
	r := new(SearchResult)
	targets := make(map[string]any, len(types))
	for _, t := range types {
		targets[string(t)+"s"] = r.within(t, pageBound(o.Limit, searchMaxLimit))
	}
	if err := s.c.get(ctx, opSearch, "search", v.values(), models.Members(targets)); err != nil {
		return nil, err
	}
	return r, nil
}

// within makes r's page of type t and returns a target that decodes it,
// refusing more than n items; the answer's pages of the types not searched
// are skipped.
func (r *SearchResult) within(t SearchType, n int) any {
	switch t {
	case SearchTypeTrack:
		r.Tracks = new(models.Page[models.Track])
		return r.Tracks.Within(n)
	case SearchTypeArtist:
		r.Artists = new(models.Page[models.Artist])
		return r.Artists.Within(n)
	case SearchTypeAlbum:
		r.Albums = new(models.Page[models.SimplifiedAlbum])
		return r.Albums.Within(n)
	case SearchTypePlaylist:
		r.Playlists = new(models.Page[models.SimplifiedPlaylist])
		return r.Playlists.Within(n)
	case SearchTypeShow:
		r.Shows = new(models.Page[models.SimplifiedShow])
		return r.Shows.Within(n)
	case SearchTypeEpisode:
		r.Episodes = new(models.Page[models.SimplifiedEpisode])
		return r.Episodes.Within(n)
	case SearchTypeAudiobook:
		r.Audiobooks = new(models.Page[models.SimplifiedAudiobook])
		return r.Audiobooks.Within(n)
	}
	return nil
}

func searchQuery(c *Client, q string, types []SearchType, o SearchOptions) (query, error) {
	if strings.TrimSpace(q) == "" {
		return nil, fmt.Errorf("%w: empty search query", ErrInvalidInput)
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("%w: no search type given", ErrInvalidInput)
	}
	names := make([]string, len(types))
	for i, t := range types {
		switch t {
		case SearchTypeAlbum, SearchTypeArtist, SearchTypePlaylist, SearchTypeTrack,
			SearchTypeShow, SearchTypeEpisode, SearchTypeAudiobook:
		default:
			return nil, fmt.Errorf("%w: unknown search type %q", ErrInvalidInput, t)
		}
		names[i] = string(t)
	}
	if o.Offset > searchMaxOffset {
		return nil, fmt.Errorf("%w: search offset %d is over %d", ErrInvalidInput, o.Offset, searchMaxOffset)
	}
	if o.IncludeExternal != "" && o.IncludeExternal != IncludeExternalAudio {
		return nil, fmt.Errorf("%w: include_external %q is not %q", ErrInvalidInput, o.IncludeExternal, IncludeExternalAudio)
	}
	v := query{}
	v.set("q", q)
	v.setList("type", names)
	if err := v.page(o.ListOptions, searchMaxLimit); err != nil {
		return nil, err
	}
	if err := v.market(c, o.Market); err != nil {
		return nil, err
	}
	v.set("include_external", string(o.IncludeExternal))
	return v, nil
}

// Tracks returns one page of the tracks matching q; see [SearchService.Search].
//
//   - Endpoint: GET /v1/search
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10, default 5; offset 0-1000.
func (s *SearchService) Tracks(ctx context.Context, q string, opts *SearchOptions) (*models.Page[models.Track], error) {
	return searchOne(ctx, s, q, SearchTypeTrack, opts, func(r *SearchResult) *models.Page[models.Track] { return r.Tracks })
}

// TracksAll iterates over the tracks matching q from opts.Offset on,
// fetching pages of opts.Limit (default 10) lazily as the loop asks. It
// ends where Spotify stops serving results, after offset 1000.
//
//   - Endpoint: GET /v1/search, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page; ends after offset 1000.
func (s *SearchService) TracksAll(ctx context.Context, q string, opts *SearchOptions) iter.Seq2[models.Track, error] {
	return searchAll(ctx, q, opts, s.Tracks)
}

// Artists returns one page of the artists matching q; see [SearchService.Search].
//
//   - Endpoint: GET /v1/search
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10, default 5; offset 0-1000.
func (s *SearchService) Artists(ctx context.Context, q string, opts *SearchOptions) (*models.Page[models.Artist], error) {
	return searchOne(ctx, s, q, SearchTypeArtist, opts, func(r *SearchResult) *models.Page[models.Artist] { return r.Artists })
}

// ArtistsAll iterates over the artists matching q, as [SearchService.TracksAll] does.
//
//   - Endpoint: GET /v1/search, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page; ends after offset 1000.
func (s *SearchService) ArtistsAll(ctx context.Context, q string, opts *SearchOptions) iter.Seq2[models.Artist, error] {
	return searchAll(ctx, q, opts, s.Artists)
}

// Albums returns one page of the albums matching q; see [SearchService.Search].
//
//   - Endpoint: GET /v1/search
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10, default 5; offset 0-1000.
func (s *SearchService) Albums(ctx context.Context, q string, opts *SearchOptions) (*models.Page[models.SimplifiedAlbum], error) {
	return searchOne(ctx, s, q, SearchTypeAlbum, opts, func(r *SearchResult) *models.Page[models.SimplifiedAlbum] { return r.Albums })
}

// AlbumsAll iterates over the albums matching q, as [SearchService.TracksAll] does.
//
//   - Endpoint: GET /v1/search, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page; ends after offset 1000.
func (s *SearchService) AlbumsAll(ctx context.Context, q string, opts *SearchOptions) iter.Seq2[models.SimplifiedAlbum, error] {
	return searchAll(ctx, q, opts, s.Albums)
}

// Playlists returns one page of the playlists matching q; see
// [SearchService.Search]. Spotify sometimes answers null for a playlist it
// lists, which decodes as a zero SimplifiedPlaylist.
//
//   - Endpoint: GET /v1/search
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10, default 5; offset 0-1000.
func (s *SearchService) Playlists(ctx context.Context, q string, opts *SearchOptions) (*models.Page[models.SimplifiedPlaylist], error) {
	return searchOne(ctx, s, q, SearchTypePlaylist, opts, func(r *SearchResult) *models.Page[models.SimplifiedPlaylist] { return r.Playlists })
}

// PlaylistsAll iterates over the playlists matching q, as
// [SearchService.TracksAll] does.
//
//   - Endpoint: GET /v1/search, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page; ends after offset 1000.
func (s *SearchService) PlaylistsAll(ctx context.Context, q string, opts *SearchOptions) iter.Seq2[models.SimplifiedPlaylist, error] {
	return searchAll(ctx, q, opts, s.Playlists)
}

// Shows returns one page of the shows matching q; see [SearchService.Search].
//
//   - Endpoint: GET /v1/search
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10, default 5; offset 0-1000.
func (s *SearchService) Shows(ctx context.Context, q string, opts *SearchOptions) (*models.Page[models.SimplifiedShow], error) {
	return searchOne(ctx, s, q, SearchTypeShow, opts, func(r *SearchResult) *models.Page[models.SimplifiedShow] { return r.Shows })
}

// ShowsAll iterates over the shows matching q, as [SearchService.TracksAll] does.
//
//   - Endpoint: GET /v1/search, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page; ends after offset 1000.
func (s *SearchService) ShowsAll(ctx context.Context, q string, opts *SearchOptions) iter.Seq2[models.SimplifiedShow, error] {
	return searchAll(ctx, q, opts, s.Shows)
}

// Episodes returns one page of the episodes matching q; see [SearchService.Search].
//
//   - Endpoint: GET /v1/search
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10, default 5; offset 0-1000.
func (s *SearchService) Episodes(ctx context.Context, q string, opts *SearchOptions) (*models.Page[models.SimplifiedEpisode], error) {
	return searchOne(ctx, s, q, SearchTypeEpisode, opts, func(r *SearchResult) *models.Page[models.SimplifiedEpisode] { return r.Episodes })
}

// EpisodesAll iterates over the episodes matching q, as
// [SearchService.TracksAll] does.
//
//   - Endpoint: GET /v1/search, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page; ends after offset 1000.
func (s *SearchService) EpisodesAll(ctx context.Context, q string, opts *SearchOptions) iter.Seq2[models.SimplifiedEpisode, error] {
	return searchAll(ctx, q, opts, s.Episodes)
}

// Audiobooks returns one page of the audiobooks matching q; see
// [SearchService.Search].
//
//   - Endpoint: GET /v1/search
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10, default 5; offset 0-1000.
func (s *SearchService) Audiobooks(ctx context.Context, q string, opts *SearchOptions) (*models.Page[models.SimplifiedAudiobook], error) {
	return searchOne(ctx, s, q, SearchTypeAudiobook, opts, func(r *SearchResult) *models.Page[models.SimplifiedAudiobook] { return r.Audiobooks })
}

// AudiobooksAll iterates over the audiobooks matching q, as
// [SearchService.TracksAll] does.
//
//   - Endpoint: GET /v1/search, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-10 per page; ends after offset 1000.
func (s *SearchService) AudiobooksAll(ctx context.Context, q string, opts *SearchOptions) iter.Seq2[models.SimplifiedAudiobook, error] {
	return searchAll(ctx, q, opts, s.Audiobooks)
}

// searchOne searches one type and returns its page, empty rather than nil
// when Spotify left the type out of the answer.
func searchOne[T any](ctx context.Context, s *SearchService, q string, t SearchType, opts *SearchOptions, pick func(*SearchResult) *models.Page[T]) (*models.Page[T], error) {
	r, err := s.Search(ctx, q, []SearchType{t}, opts)
	if err != nil {
		return nil, err
	}
	if p := pick(r); p != nil {
		return p, nil
	}
	return &models.Page[T]{}, nil
}

// searchAll walks the pages of one type, ending quietly at Spotify's
// offset cap instead of failing with a 400.
func searchAll[T any](ctx context.Context, q string, opts *SearchOptions, one func(context.Context, string, *SearchOptions) (*models.Page[T], error)) iter.Seq2[T, error] {
	o := derefOr(opts)
	o.Limit = orDefault(o.Limit, searchMaxLimit)
	return paging.Offset(ctx, o.Offset, func(ctx context.Context, offset int) (*models.Page[T], error) {
		if offset > searchMaxOffset {
			return &models.Page[T]{}, nil
		}
		o.Offset = offset
		return one(ctx, q, &o)
	}, walkOptions(opSearch, o.Limit)...)
}
