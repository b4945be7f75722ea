// Package spotify is the synchronous client of the Spotify Web API.
//
// A [Client] is safe for concurrent use. It groups the API by area into
// services (client.Tracks, client.Playlists, ...); every method takes a
// context.Context first, validates its input before any request, and returns
// a *[Error] matching one of this package's sentinels when Spotify refuses.
//
// Requests go through one transport stack: the bearer token is added for the
// API's host only, then the shared [ratelimit.Limiter] paces the request,
// holds it while a 429's Retry-After closes the gate, and retries what is
// safe to retry. Share one Limiter between all clients of one Spotify app.
package spotify

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/ratelimit"
)

// DefaultBaseURL is the Web API's base URL.
const DefaultBaseURL = "https://api.spotify.com/v1/"

// DefaultMaxResponseSize caps a response body read into memory (16 MiB); the
// largest real pages are well under 1 MiB.
const DefaultMaxResponseSize = 16 << 20

// DefaultProgressTimeout is how long an attempt may go without progress
// from the server before it is abandoned (see [WithProgressTimeout]).
const DefaultProgressTimeout = 30 * time.Second

// Client calls the Spotify Web API. Create one with [NewClient].
type Client struct {
	http     *http.Client
	base     *url.URL
	baseStr  string
	limiter  *ratelimit.Limiter
	log      *slog.Logger
	market   string
	language string
	agent    string
	maxBody  int64
	tel      *telemetry
	ids      *identities
	cached   bool // a cache layer is in the stack

	common service // reused by every service rather than one allocation each

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

type service struct{ c *Client }

// NewClient returns a client configured by opts. Without options it calls
// the real Web API with its own Limiter and no token.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{baseURL: DefaultBaseURL, maxBody: DefaultMaxResponseSize, agent: "spotflow", progress: DefaultProgressTimeout}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	lim := cfg.limiter
	if lim == nil {
		if lim, err = ratelimit.New(); err != nil {
			return nil, err
		}
	}
	c := &Client{
		base:     base,
		baseStr:  base.String(),
		limiter:  lim,
		log:      cfg.logger,
		market:   cfg.market,
		language: cfg.language,
		agent:    cfg.agent,
		maxBody:  cfg.maxBody,
	}
	reader := &bodyReader{base: baseTransport(cfg.httpClient), max: cfg.maxBody, progress: cfg.progress}
	c.http = buildHTTPClient(cfg.httpClient, &ratelimit.Transport{Base: reader, Limiter: lim}, cfg.tokens, base)
	c.tel = newTelemetry(&cfg, partsOf(base), lim)
	c.ids = newIdentities(cfg.tokens, cfg.identityKey)
	c.http.Transport = c.wrapStack(&cfg, c.http.Transport)
	c.common.c = c
	c.Albums = (*AlbumsService)(&c.common)
	c.Artists = (*ArtistsService)(&c.common)
	c.Audiobooks = (*AudiobooksService)(&c.common)
	c.Categories = (*CategoriesService)(&c.common)
	c.Chapters = (*ChaptersService)(&c.common)
	c.Episodes = (*EpisodesService)(&c.common)
	c.Genres = (*GenresService)(&c.common)
	c.Library = (*LibraryService)(&c.common)
	c.Markets = (*MarketsService)(&c.common)
	c.Player = (*PlayerService)(&c.common)
	c.Playlists = (*PlaylistsService)(&c.common)
	c.Search = (*SearchService)(&c.common)
	c.Shows = (*ShowsService)(&c.common)
	c.Tracks = (*TracksService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	return c, nil
}

// Limiter returns the rate limiter the client's requests go through.
func (c *Client) Limiter() *ratelimit.Limiter { return c.limiter }

// BaseURL returns the base URL requests are resolved against.
func (c *Client) BaseURL() string { return c.baseStr }

// buildHTTPClient wraps the transport stack in a client that keeps the
// caller's client settings (timeout, cookie jar, redirect policy).
func buildHTTPClient(hc *http.Client, limited http.RoundTripper, ts oauth2.TokenSource, base *url.URL) *http.Client {
	out := &http.Client{}
	if hc != nil {
		*out = *hc
	}
	out.Transport = limited
	if ts != nil {
		out.Transport = &bearerTransport{base: limited, source: ts, scheme: base.Scheme, host: base.Host}
	}
	return out
}

// baseTransport is the caller's transport, or a clone of the default one
// tuned for many concurrent requests to one host.
func baseTransport(hc *http.Client) http.RoundTripper {
	if hc != nil && hc.Transport != nil {
		return hc.Transport
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	t.ResponseHeaderTimeout = 30 * time.Second
	return t
}
