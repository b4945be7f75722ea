package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/auth/redistoken"
	"github.com/spotflow/spotflow/cmd/spotflow/internal/meter"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/ratelimit/redisstore"
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

// httpTimeout bounds the wait for an answer's headers from the Web API, and
// a whole exchange with the accounts service.
const httpTimeout = 30 * time.Second

// session is the client stack a command talks to Spotify with, built from
// the global flags here and nowhere else: the fake (with --fake), the
// meters at the bottom of the stack, the app's one rate limiter, the token
// source, the synchronous client and the async one over it. Close it when
// done.
//
// A request goes: spotify.Client → token → ratelimit (gate, bucket,
// in-flight cap of --concurrency, retries) → meter → net/http.
type session struct {
	client  *spotify.Client
	async   *async.Client
	limiter *ratelimit.Limiter

	api      *meter.Meter // what was sent to the Web API, retries included
	accounts *meter.Meter // what was sent to the accounts service

	fake       *spotifytest.Server // with --fake
	transports []*http.Transport
	tel        *telemetry // traces and metrics, when asked for

	rdb   *redis.Client     // with --redis
	rates *redisstore.Store // the app's rate budget in Redis, with --redis
}

// Close drops the session's idle connections and stops the fake, if one
// was started.
func (s *session) Close() {
	if s.tel != nil {
		_ = s.tel.Close() // best effort: a collector that is gone must not fail the command
	}
	for _, t := range s.transports {
		t.CloseIdleConnections()
	}
	if s.rates != nil {
		s.rates.Close()
	}
	if s.rdb != nil {
		s.rdb.Close()
	}
	if s.fake != nil {
		s.fake.Close()
	}
}

// connect builds the session of a command speaking as who. With --fake it
// starts the fake first, configured by fakeOpts.
func (a *app) connect(ctx context.Context, who identity, fakeOpts ...spotifytest.Option) (*session, error) {
	s := a.newSession(fakeOpts...)
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
	if err := a.connectRedis(ctx, s, cfg); err != nil {
		return nil, err
	}
	ts, err := a.tokenSource(ctx, s, cfg, who)
	if err != nil {
		return nil, err
	}
	if s.tel, err = a.telemetry(ctx, a.spans); err != nil {
		return nil, err
	}
	if err := a.buildClients(s, ts); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

// newSession starts the fake with --fake; the clients come later, once
// there is a token source.
func (a *app) newSession(fakeOpts ...spotifytest.Option) *session {
	s := &session{api: &meter.Meter{}, accounts: &meter.Meter{}}
	if a.g.fake {
		s.fake = spotifytest.NewServer(fakeOpts...)
	}
	return s
}

// transport returns the bottom of the stack, counted by m: a connection
// pool of its own, tuned for many concurrent requests to one host.
func (s *session) transport(m *meter.Meter) http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	t.ResponseHeaderTimeout = httpTimeout
	s.transports = append(s.transports, t)
	return m.Transport(t)
}

// buildClients builds the session's clients sending the tokens of ts.
func (a *app) buildClients(s *session, ts oauth2.TokenSource) error {
	var err error
	if s.limiter, err = a.limiter(s); err != nil {
		return err
	}
	opts := []spotify.Option{
		spotify.WithBaseURL(a.apiURL(s)),
		spotify.WithTokenSource(ts),
		spotify.WithLimiter(s.limiter),
		spotify.WithHTTPClient(&http.Client{Transport: s.transport(s.api)}),
		spotify.WithUserAgent("spotflow-cli"),
	}
	if a.g.market != "" {
		opts = append(opts, spotify.WithMarket(a.g.market))
	}
	if s.tel != nil {
		opts = append(opts, s.tel.opts...)
	}
	if l := a.logger(); l != nil {
		opts = append(opts, spotify.WithLogger(l))
	}
	if s.client, err = spotify.NewClient(opts...); err != nil {
		return usageErr(err) // a bad --base-url or --market
	}
	aopts := []async.Option{async.WithConcurrency(a.g.concurrency), async.WithPrefetch(a.g.concurrency)}
	if l := a.logger(); l != nil {
		aopts = append(aopts, async.WithLogger(l))
	}
	s.async, err = async.New(s.client, aopts...)
	return err
}

// apiURL is the Web API's base URL: the fake's with --fake.
func (a *app) apiURL(s *session) string {
	if s.fake != nil {
		return s.fake.URL + "/v1/"
	}
	return a.g.baseURL
}

// accountsURL is the accounts service's base URL: the fake's with --fake,
// else --accounts-url. Left out, it is Spotify's, but for a --base-url on
// this machine (a loopback address), where it is that server's: a local
// Spotify-compatible server, such as spotflow fake-server, serves both, and
// the client secret still goes to no host the user did not name.
func (a *app) accountsURL(s *session) string {
	switch {
	case s.fake != nil:
		return s.fake.URL
	case a.g.accountsURL != "":
		return strings.TrimSuffix(a.g.accountsURL, "/")
	}
	u, err := url.Parse(a.g.baseURL)
	if err != nil || u.Host == "" || !isLoopback(u.Hostname()) {
		return defaultAccountsURL
	}
	return u.Scheme + "://" + u.Host
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authConfig is the app's identity at the accounts service: the fake's
// app with --fake, else the flags, then the environment.
func (a *app) authConfig(s *session, extra ...auth.Option) (*auth.Config, error) {
	opts := []auth.Option{
		auth.WithAccountsURL(a.accountsURL(s)),
		auth.WithHTTPClient(&http.Client{Transport: s.transport(s.accounts), Timeout: httpTimeout}),
	}
	if s.fake != nil {
		opts = append(opts, auth.WithClientID(s.fake.ClientID), auth.WithClientSecret(s.fake.ClientSecret))
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
		opts = append(opts, auth.FromLookup(a.getenv))
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
		if a.set("token-file") {
			return nil, usageErrorf("--token-file: with a client secret, %s uses the app's client credentials, not a stored login; leave out one of them",
				a.cmd.CommandPath())
		}
		src, err := auth.NewClientCredentials(ctx, cfg)
		if err != nil || s.rdb == nil {
			return src, err
		}
		// Every process of the app shares one app token.
		store, err := redistoken.New(s.rdb, cfg.ClientID(), "app")
		if err != nil {
			return nil, usageErr(fmt.Errorf("--redis: %w", err))
		}
		return store.Source(src), nil
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

// limiter is the app's one rate limiter: paced as --rate says, with at
// most --concurrency requests in flight, whatever number of streams and
// lookups share it; with --redis, on the budget every process of the app
// given the same Redis shares.
func (a *app) limiter(s *session) (*ratelimit.Limiter, error) {
	opts, _, err := a.pacing()
	if err != nil {
		return nil, err
	}
	opts = append(opts, ratelimit.WithMaxInFlight(a.g.concurrency))
	if s.rates != nil {
		opts = append(opts, ratelimit.WithStore(s.rates))
	}
	if l := a.logger(); l != nil {
		opts = append(opts, ratelimit.WithLogger(l))
	}
	return ratelimit.New(opts...)
}

// connectRedis opens --redis and the app's rate store in it. A Redis that
// does not answer is no error: the limiter paces on this process's own
// until it does, as it would if Redis went away later.
func (a *app) connectRedis(ctx context.Context, s *session, cfg *auth.Config) error {
	if a.g.redis == "" {
		return nil
	}
	rdb, err := redisstore.NewClient(a.g.redis)
	if err != nil {
		return usageErr(fmt.Errorf("--redis: %w", err))
	}
	s.rdb = rdb
	var opts []redisstore.Option
	if l := a.logger(); l != nil {
		opts = append(opts, redisstore.WithLogger(l))
	}
	if s.rates, err = redisstore.New(ctx, rdb, cfg.ClientID(), opts...); err != nil {
		return usageErr(fmt.Errorf("--redis: %w", err))
	}
	if !s.rates.Stats().Healthy {
		fmt.Fprintln(a.stderr, "spotflow: --redis: no answer from Redis; pacing on this process's own until it answers")
	}
	return nil
}
