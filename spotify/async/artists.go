package async

import (
	"context"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// ArtistsService runs the artist calls of [spotify.ArtistsService].
type ArtistsService service

// Get is the asynchronous [spotify.ArtistsService.Get].
func (s *ArtistsService) Get(ctx context.Context, id string) *Future[*models.Artist] {
	return run(ctx, func(ctx context.Context) (*models.Artist, error) { return s.a.c.Artists.Get(ctx, id) })
}

// GetMany looks up any number of artists as [TracksService.GetMany] looks
// up tracks, in chunks of 50.
func (s *ArtistsService) GetMany(ctx context.Context, ids []string) *Future[[]*models.Artist] {
	return many(ctx, s.a, lookup[models.Artist]{kind: batchArtists, id: models.KindArtist, max: 50,
		batch: s.a.c.Artists.GetMany,
		one:   s.a.c.Artists.Get,
	}, ids)
}

// Albums streams an artist's albums from opts.Offset on, in pages of
// opts.Limit (default 10, the endpoint's maximum) fetched concurrently.
func (s *ArtistsService) Albums(ctx context.Context, id string, opts *spotify.ArtistAlbumsOptions) *Stream[models.ArtistDiscographyAlbum] {
	return pageOpts(ctx, s.a, "GET /artists/{id}/albums", opts, 10, func(o *spotify.ArtistAlbumsOptions) *spotify.ListOptions { return &o.ListOptions },
		func(ctx context.Context, o *spotify.ArtistAlbumsOptions) (*models.Page[models.ArtistDiscographyAlbum], error) {
			return s.a.c.Artists.Albums(ctx, id, o)
		})
}

// TopTracks is the asynchronous [spotify.ArtistsService.TopTracks].
//
// Deprecated: see [spotify.ArtistsService.TopTracks].
func (s *ArtistsService) TopTracks(ctx context.Context, id string, opts *spotify.MarketOptions) *Future[[]models.Track] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.MarketOptions) ([]models.Track, error) {
		return s.a.c.Artists.TopTracks(ctx, id, o)
	})
}

// RelatedArtists is the asynchronous [spotify.ArtistsService.RelatedArtists].
//
// Deprecated: see [spotify.ArtistsService.RelatedArtists].
func (s *ArtistsService) RelatedArtists(ctx context.Context, id string) *Future[[]models.Artist] {
	return run(ctx, func(ctx context.Context) ([]models.Artist, error) { return s.a.c.Artists.RelatedArtists(ctx, id) })
}
