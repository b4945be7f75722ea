package spotifytest

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"
)

// Default credentials of the fake's one registered app. They are public on
// purpose: the fake guards nothing.
const (
	DefaultClientID     = "spotflow-test-client"
	DefaultClientSecret = "spotflow-test-secret"
)

// Default lifetimes of the tokens the accounts service issues.
const (
	DefaultTokenLifetime = time.Hour // Spotify's expires_in is 3600
	// DefaultRefreshLifetime stands for Spotify's rule since June 2026: a
	// refresh token expires six months after the user authorized the app,
	// however often it is used.
	DefaultRefreshLifetime = 183 * 24 * time.Hour
)

// DefaultRequestLog is how many requests [Server.Requests] keeps unless
// [WithRequestLog] says otherwise; older ones are dropped first.
const DefaultRequestLog = 100_000

// Option configures a fake. Every option checks its value: [Start] refuses
// a value out of range with an error wrapping [ErrInvalidOption], and
// [NewServer], which cannot fail, uses the clamped value the option
// describes.
type Option func(*config) error

// config holds what the options set.
type config struct {
	mode Mode
	seed int64
	size Size

	clientID, clientSecret string
	tokenLifetime          time.Duration
	refreshLifetime        time.Duration
	rotate                 bool
	loginUser              string
	loginDenied            bool
	redirectURIs           []string

	rateN      int
	rateWindow time.Duration
	retryAfter time.Duration

	latency, jitter time.Duration
	faults          []Fault

	now      func() time.Time
	logger   *slog.Logger
	logLimit int

	routes []route // test hook: served instead of s.routes() when non-nil
}

// defaultConfig is the configuration before any option.
func defaultConfig() config {
	return config{
		seed:            1,
		clientID:        DefaultClientID,
		clientSecret:    DefaultClientSecret,
		tokenLifetime:   DefaultTokenLifetime,
		refreshLifetime: DefaultRefreshLifetime,
		loginUser:       DefaultUser,
		rateWindow:      30 * time.Second,
		now:             time.Now,
		logLimit:        DefaultRequestLog,
	}
}

// buildConfig applies opts to the defaults. Every option runs even after
// one failed, so the configuration is the clamped one; the errors are joined.
func buildConfig(opts []Option) (config, error) {
	cfg := defaultConfig()
	var errs []error
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			errs = append(errs, err)
		}
	}
	return cfg, errors.Join(errs...)
}

// invalid wraps ErrInvalidOption with what was wrong.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidOption}, args...)...)
}

// WithMode sets the quota mode the fake imitates (default [ExtendedQuota]).
// An unknown mode is an error; NewServer then uses ExtendedQuota.
func WithMode(m Mode) Option {
	return func(c *config) error {
		if m != ExtendedQuota && m != DevelopmentMode {
			c.mode = ExtendedQuota
			return invalid("unknown mode %d", int(m))
		}
		c.mode = m
		return nil
	}
}

// WithSeed sets the seed of the catalog and of the faults (default 1): the
// same seed gives the same catalog and the same faults for the same requests.
func WithSeed(seed int64) Option {
	return func(c *config) error { c.seed = seed; return nil }
}

// WithSize sets the size of the catalog; zero fields keep their defaults. A
// negative field is an error; NewServer then uses the default for it.
func WithSize(sz Size) Option {
	return func(c *config) error {
		var err error
		for _, f := range []*int{&sz.Artists, &sz.AlbumsPerArtist, &sz.TracksPerAlbum, &sz.Playlists,
			&sz.Shows, &sz.EpisodesPerShow, &sz.Audiobooks, &sz.ChaptersPerBook, &sz.Users} {
			if *f < 0 {
				*f = 0
				err = invalid("negative catalog size")
			}
		}
		c.size = sz
		return err
	}
}

// WithCredentials sets the client ID and secret of the app the accounts
// service knows (default [DefaultClientID] and [DefaultClientSecret]). An
// empty one is an error; NewServer then keeps the default.
func WithCredentials(id, secret string) Option {
	return func(c *config) error {
		if id == "" || secret == "" {
			return invalid("empty client ID or secret")
		}
		c.clientID, c.clientSecret = id, secret
		return nil
	}
}

// WithTokenLifetime sets how long access tokens live on the server's clock
// (default one hour). Less than a second is an error; NewServer then uses
// one second.
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second {
			c.tokenLifetime = time.Second
			return invalid("token lifetime %v below 1s", d)
		}
		c.tokenLifetime = d
		return nil
	}
}

// WithRefreshLifetime sets how long a refresh token lives after the user's
// authorization (default [DefaultRefreshLifetime]); refreshing, with or
// without rotation, does not extend it. Less than a second is an error;
// NewServer then uses one second.
func WithRefreshLifetime(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second {
			c.refreshLifetime = time.Second
			return invalid("refresh lifetime %v below 1s", d)
		}
		c.refreshLifetime = d
		return nil
	}
}

// WithRefreshRotation makes every refresh answer with a new refresh token
// and revoke the one used. Without it (the default) a refresh answer has no
// refresh_token and the old one stays valid.
func WithRefreshRotation(on bool) Option {
	return func(c *config) error { c.rotate = on; return nil }
}

// WithLoginUser sets the user who approves at /authorize (default
// [DefaultUser]). An empty ID is an error; NewServer then keeps the default.
func WithLoginUser(userID string) Option {
	return func(c *config) error {
		if userID == "" {
			return invalid("empty login user")
		}
		c.loginUser = userID
		return nil
	}
}

// WithLoginDenied makes /authorize answer as when the user clicks Cancel:
// a redirect with error=access_denied.
func WithLoginDenied() Option {
	return func(c *config) error { c.loginDenied = true; return nil }
}

// WithRedirectURIs registers the app's redirect URIs; /authorize then
// accepts only these, exactly. Without it any URI Spotify allows is
// accepted: https, or http on the loopback address 127.0.0.1 or [::1]
// ("localhost" is refused since November 2025). A URI that is not absolute
// is an error; NewServer then leaves it out.
func WithRedirectURIs(uris ...string) Option {
	return func(c *config) error {
		var err error
		for _, u := range uris {
			if p, perr := url.Parse(u); perr != nil || !p.IsAbs() {
				err = invalid("redirect URI %q is not absolute", u)
				continue
			}
			c.redirectURIs = append(c.redirectURIs, u)
		}
		return err
	}
}

// WithRateLimit turns on the rolling rate window: at most n Web API requests
// per client ID in any span of window (Spotify's window is 30 seconds); the
// request over answers 429 with Retry-After. Only admitted requests count:
// a client that comes back before Retry-After is refused again with the
// remaining wait but does not push it further (see [Stats.RateLimited]).
// n <= 0 turns the window off, the default. A window shorter than a
// millisecond is an error; NewServer then uses 30 s.
func WithRateLimit(n int, window time.Duration) Option {
	return func(c *config) error {
		if n <= 0 {
			c.rateN = 0
			return nil
		}
		c.rateN = n
		if window < time.Millisecond {
			c.rateWindow = 30 * time.Second
			return invalid("rate window %v below 1ms", window)
		}
		c.rateWindow = window
		return nil
	}
}

// WithRetryAfter makes the rate window answer with this Retry-After and
// refuse the client for that long, as Spotify does when it bans an app for
// hours. The default, 0, is the time until the window has room again. A
// negative value is an error; NewServer then uses the default.
func WithRetryAfter(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			c.retryAfter = 0
			return invalid("negative Retry-After %v", d)
		}
		c.retryAfter = d
		return nil
	}
}

// WithLatency delays every request by fixed plus a jitter drawn in
// [0, jitter) from the seed. Negative values are an error; NewServer then
// uses zero for them.
func WithLatency(fixed, jitter time.Duration) Option {
	return func(c *config) error {
		var err error
		if fixed < 0 || jitter < 0 {
			err = invalid("negative latency")
		}
		c.latency, c.jitter = max(fixed, 0), max(jitter, 0)
		return err
	}
}

// WithFaults adds faults to inject (see [Fault]); several calls add up. A
// fault with an unknown kind is an error and left out; a rate outside 0..1
// is an error and clamped into it.
func WithFaults(faults ...Fault) Option {
	return func(c *config) error {
		var err error
		for _, f := range faults {
			if f.Kind < Kind500 || f.Kind > KindStall {
				err = invalid("unknown fault kind %d", int(f.Kind))
				continue
			}
			if f.Rate < 0 || f.Rate > 1 || f.Rate != f.Rate {
				err = invalid("fault rate %v outside 0..1", f.Rate)
				f.Rate = clampRate(f.Rate)
			}
			if f.RetryAfter < 0 {
				err = invalid("negative fault Retry-After")
				f.RetryAfter = 0
			}
			c.faults = append(c.faults, f)
		}
		return err
	}
}

func clampRate(r float64) float64 {
	if r != r || r < 0 {
		return 0
	}
	return min(r, 1)
}

// WithClock sets the clock of token expiry, the rate window and the request
// log (default time.Now), for tests that move time themselves. Latency and
// stalls still wait in real time. A nil clock is an error; NewServer then
// keeps time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return invalid("nil clock")
		}
		c.now = now
		return nil
	}
}

// WithLogger logs every request at Info level: method, path, operation,
// status, user and duration, never a token or a secret. Nil, the default,
// logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithRequestLog sets how many requests [Server.Requests] keeps (default
// [DefaultRequestLog]); the oldest go first. Zero keeps none. A negative
// value is an error; NewServer then uses zero.
func WithRequestLog(n int) Option {
	return func(c *config) error {
		if n < 0 {
			c.logLimit = 0
			return invalid("negative request log size")
		}
		c.logLimit = n
		return nil
	}
}

// withRoutes serves rs instead of the contract's operations (tests only).
func withRoutes(rs ...route) Option {
	return func(c *config) error { c.routes = rs; return nil }
}
