package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
	"github.com/spotflow/spotflow/spotifytest"
)

// identity is whom a command speaks for.
type identity int

const (
	// asApp: client credentials, or the stored login when there is no
	// secret. Enough for the catalog.
	asApp identity = iota
	// asUser: the stored login; needed for the user's own data.
	asUser
)

// session is what a command talks to Spotify with. Close it when done.
type session struct {
	client  *spotify.Client
	async   *async.Client
	limiter *ratelimit.Limiter
	fake    *spotifytest.Server // with --fake
}

// Close stops the fake, if one was started.
func (s *session) Close() {
	if s.fake != nil {
		s.fake.Close()
	}
}

// connect builds the clients for a command speaking as who, starting the
// fake first with --fake.
func (a *app) connect(ctx context.Context, who identity) (*session, error) {
	s := &session{}
	if a.g.fake {
		s.fake = spotifytest.NewServer()
	}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()

	cfg, err := a.authConfig(s)
	if err != nil {
		return nil, err
	}
	ts, err := a.tokenSource(ctx, s, cfg, who)
	if err != nil {
		return nil, err
	}
	if s.limiter, err = a.limiter(); err != nil {
		return nil, err
	}
	if s.client, err = a.newClient(s, ts, s.limiter); err != nil {
		return nil, err
	}
	if s.async, err = async.New(s.client, async.WithConcurrency(a.g.concurrency), async.WithPrefetch(a.g.concurrency)); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

// newClient returns a client of the session's Web API sending the tokens
// of ts, paced by lim (a limiter of its own when nil).
func (a *app) newClient(s *session, ts oauth2.TokenSource, lim *ratelimit.Limiter) (*spotify.Client, error) {
	if lim == nil {
		var err error
		if lim, err = a.limiter(); err != nil {
			return nil, err
		}
	}
	opts := []spotify.Option{
		spotify.WithBaseURL(a.apiURL(s)),
		spotify.WithTokenSource(ts),
		spotify.WithLimiter(lim),
		spotify.WithUserAgent("spotflow-cli"),
	}
	if a.g.market != "" {
		opts = append(opts, spotify.WithMarket(a.g.market))
	}
	if l := a.logger(); l != nil {
		opts = append(opts, spotify.WithLogger(l))
	}
	c, err := spotify.NewClient(opts...)
	if err != nil {
		return nil, usageErr(err) // a bad --base-url or --market
	}
	return c, nil
}

// apiURL is the Web API's base URL: the fake's with --fake.
func (a *app) apiURL(s *session) string {
	if s.fake != nil {
		return s.fake.URL + "/v1/"
	}
	return a.g.baseURL
}

// authConfig is the app's identity at the accounts service: the fake's
// app with --fake, else the flags, then the environment.
func (a *app) authConfig(s *session, extra ...auth.Option) (*auth.Config, error) {
	var opts []auth.Option
	if s.fake != nil {
		opts = append(opts,
			auth.WithClientID(s.fake.ClientID),
			auth.WithClientSecret(s.fake.ClientSecret),
			auth.WithAccountsURL(s.fake.URL))
	} else {
		if a.g.clientID != "" {
			opts = append(opts, auth.WithClientID(a.g.clientID))
		}
		if a.g.clientSecret != "" {
			opts = append(opts, auth.WithClientSecret(a.g.clientSecret))
		}
		if a.g.redirectURI != "" {
			opts = append(opts, auth.WithRedirectURI(a.g.redirectURI))
		}
		opts = append(opts, auth.FromLookup(a.getenv), auth.WithAccountsURL(strings.TrimSuffix(a.g.accountsURL, "/")))
	}
	if l := a.logger(); l != nil {
		opts = append(opts, auth.WithLogger(l))
	}
	cfg, err := auth.NewConfig(append(opts, extra...)...)
	if errors.Is(err, auth.ErrMissingConfig) {
		return nil, errNoCredentials
	}
	if err != nil {
		return nil, usageErr(err)
	}
	if cfg.ClientID() == "" {
		return nil, errNoCredentials
	}
	return cfg, nil
}

// tokenSource returns the tokens a command speaking as who sends.
//
// The sources fetch on ctx, the command's context: for a command-line run
// it lives as long as the program.
func (a *app) tokenSource(ctx context.Context, s *session, cfg *auth.Config, who identity) (oauth2.TokenSource, error) {
	if s.fake != nil && who == asUser {
		// The fake's default user, as if logged in: the refresh goes
		// through the fake's accounts service.
		store := auth.NewMemoryStore(&oauth2.Token{RefreshToken: s.fake.RefreshToken("")})
		return auth.NewRefreshSource(ctx, cfg, auth.WithStore(store))
	}
	if who == asApp && cfg.HasSecret() {
		return auth.NewClientCredentials(ctx, cfg)
	}
	store, err := a.tokenStore()
	if err != nil {
		return nil, err
	}
	src, err := auth.NewRefreshSource(ctx, cfg, auth.WithStore(store))
	switch {
	case errors.Is(err, auth.ErrNoToken) && who == asApp:
		return nil, fmt.Errorf("%w: no client secret, and no login at %s", errNoCredentials, store.Path())
	case errors.Is(err, auth.ErrNoToken):
		return nil, fmt.Errorf("%w (no token at %s)", errNotLoggedIn, store.Path())
	}
	return src, err
}

// tokenStore is the file login keeps the token in.
func (a *app) tokenStore() (*auth.FileStore, error) {
	path := a.g.tokenFile
	if path == "" {
		path = a.getenv(envTokenFile)
	}
	if path == "" {
		var err error
		if path, err = auth.DefaultTokenPath(); err != nil {
			return nil, err
		}
	}
	return auth.NewFileStore(path)
}

// pacing reads --rate: nil options for the default adaptive pacing.
func (a *app) pacing() ([]ratelimit.Option, bool, error) {
	if a.g.rate == "" {
		return nil, false, nil
	}
	n, window, err := spotifytest.ParseRate(a.g.rate)
	if err != nil {
		return nil, false, usageErr(fmt.Errorf("--rate: %w", err))
	}
	if n == 0 {
		return []ratelimit.Option{ratelimit.WithRate(rate.Inf, 0)}, true, nil
	}
	return []ratelimit.Option{ratelimit.WithWindow(n, window)}, true, nil
}

// limiter is the app's one rate limiter, paced as --rate says.
func (a *app) limiter(extra ...ratelimit.Option) (*ratelimit.Limiter, error) {
	opts, _, err := a.pacing()
	if err != nil {
		return nil, err
	}
	opts = slices.Concat(extra, opts) // --rate wins over a command's default
	if l := a.logger(); l != nil {
		opts = append(opts, ratelimit.WithLogger(l))
	}
	return ratelimit.New(opts...)
}
