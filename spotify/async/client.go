package async

import (
	"errors"
	"log/slog"

	"github.com/spotflow/spotflow/spotify"
)

// Client runs the calls of a [spotify.Client] concurrently. Its services
// mirror the synchronous ones: single calls return a [Future], paged lists
// a [Stream], batch lookups fan out. It is safe for concurrent use, and
// shares the synchronous client's transport and rate limiter.
type Client struct {
	c           *spotify.Client
	prefetch    int
	concurrency int
	log         *slog.Logger
	batch       [numBatchKinds]batchMemory // what the client knows of each batch endpoint

	common service

	Albums     *AlbumsService
	Artists    *ArtistsService
	Audiobooks *AudiobooksService
	Categories *CategoriesService
	Chapters   *ChaptersService
	Episodes   *EpisodesService
	Genres     *GenresService
	Library    *LibraryService
	Markets    *MarketsService
	Player     *PlayerService
	Playlists  *PlaylistsService
	Search     *SearchService
	Shows      *ShowsService
	Tracks     *TracksService
	Users      *UsersService
}

type service struct{ a *Client }

// New returns an asynchronous client over c, configured by opts
// ([WithPrefetch], [WithConcurrency], [WithLogger]).
func New(c *spotify.Client, opts ...Option) (*Client, error) {
	if c == nil {
		return nil, errors.New("async: New: nil spotify client")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	a := &Client{c: c, prefetch: cfg.prefetch, concurrency: cfg.concurrency, log: cfg.logger}
	a.common.a = a
	a.Albums = (*AlbumsService)(&a.common)
	a.Artists = (*ArtistsService)(&a.common)
	a.Audiobooks = (*AudiobooksService)(&a.common)
	a.Categories = (*CategoriesService)(&a.common)
	a.Chapters = (*ChaptersService)(&a.common)
	a.Episodes = (*EpisodesService)(&a.common)
	a.Genres = (*GenresService)(&a.common)
	a.Library = (*LibraryService)(&a.common)
	a.Markets = (*MarketsService)(&a.common)
	a.Player = (*PlayerService)(&a.common)
	a.Playlists = (*PlaylistsService)(&a.common)
	a.Search = (*SearchService)(&a.common)
	a.Shows = (*ShowsService)(&a.common)
	a.Tracks = (*TracksService)(&a.common)
	a.Users = (*UsersService)(&a.common)
	return a, nil
}

// Sync returns the synchronous client the calls go through.
func (a *Client) Sync() *spotify.Client { return a.c }
