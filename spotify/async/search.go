package async

import (
	"context"
	"slices"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// SearchService runs the search calls of [spotify.SearchService].
type SearchService service

// Search limits, as in the spotify package: 10 items per page and type, no
// offset beyond 1000.
const (
	searchMaxLimit  = 10
	searchMaxOffset = 1000
)

// Search is the asynchronous [spotify.SearchService.Search].
func (s *SearchService) Search(ctx context.Context, q string, types []spotify.SearchType, opts *spotify.SearchOptions) *Future[*spotify.SearchResult] {
	types = slices.Clone(types)
	return call(ctx, opts, func(ctx context.Context, o *spotify.SearchOptions) (*spotify.SearchResult, error) {
		return s.a.c.Search.Search(ctx, q, types, o)
	})
}

// Tracks streams the tracks matching q, in pages of opts.Limit (default 10)
// fetched concurrently, up to where Spotify stops serving results (offset
// 1000).
func (s *SearchService) Tracks(ctx context.Context, q string, opts *spotify.SearchOptions) *Stream[models.Track] {
	return search(ctx, s, q, opts, s.a.c.Search.Tracks)
}

// Artists streams the artists matching q, as [SearchService.Tracks] does.
func (s *SearchService) Artists(ctx context.Context, q string, opts *spotify.SearchOptions) *Stream[models.Artist] {
	return search(ctx, s, q, opts, s.a.c.Search.Artists)
}

// Albums streams the albums matching q, as [SearchService.Tracks] does.
func (s *SearchService) Albums(ctx context.Context, q string, opts *spotify.SearchOptions) *Stream[models.SimplifiedAlbum] {
	return search(ctx, s, q, opts, s.a.c.Search.Albums)
}

// Playlists streams the playlists matching q, as [SearchService.Tracks] does.
func (s *SearchService) Playlists(ctx context.Context, q string, opts *spotify.SearchOptions) *Stream[models.SimplifiedPlaylist] {
	return search(ctx, s, q, opts, s.a.c.Search.Playlists)
}

// Shows streams the shows matching q, as [SearchService.Tracks] does.
func (s *SearchService) Shows(ctx context.Context, q string, opts *spotify.SearchOptions) *Stream[models.SimplifiedShow] {
	return search(ctx, s, q, opts, s.a.c.Search.Shows)
}

// Episodes streams the episodes matching q, as [SearchService.Tracks] does.
func (s *SearchService) Episodes(ctx context.Context, q string, opts *spotify.SearchOptions) *Stream[models.SimplifiedEpisode] {
	return search(ctx, s, q, opts, s.a.c.Search.Episodes)
}

// Audiobooks streams the audiobooks matching q, as [SearchService.Tracks]
// does.
func (s *SearchService) Audiobooks(ctx context.Context, q string, opts *spotify.SearchOptions) *Stream[models.SimplifiedAudiobook] {
	return search(ctx, s, q, opts, s.a.c.Search.Audiobooks)
}

// search streams one type's results. Totals of millions are common and
// Spotify serves none past offset 1000: the pages planned beyond are
// answered empty without a request, which ends the stream there, as it
// ends the sequential walk.
func search[T any](ctx context.Context, s *SearchService, q string, opts *spotify.SearchOptions,
	one func(context.Context, string, *spotify.SearchOptions) (*models.Page[T], error)) *Stream[T] {
	return pageOpts(ctx, s.a, "GET /search", opts, searchMaxLimit, func(o *spotify.SearchOptions) *spotify.ListOptions { return &o.ListOptions },
		func(ctx context.Context, o *spotify.SearchOptions) (*models.Page[T], error) {
			if o.Offset > searchMaxOffset {
				return &models.Page[T]{}, nil
			}
			return one(ctx, q, o)
		})
}
