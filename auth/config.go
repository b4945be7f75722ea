package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/internal/redact"
)

// Endpoint is Spotify's accounts service. Configs copy it; use
// [WithEndpoint] or [WithAccountsURL] to talk to another one, such as the
// fake in spotifytest.
var Endpoint = oauth2.Endpoint{
	AuthURL:   "https://accounts.spotify.com/authorize",
	TokenURL:  "https://accounts.spotify.com/api/token",
	AuthStyle: oauth2.AuthStyleInHeader,
}

// Environment variables read by [FromEnv].
const (
	EnvClientID     = "SPOTIFY_CLIENT_ID"
	EnvClientSecret = "SPOTIFY_CLIENT_SECRET"
	EnvRedirectURI  = "SPOTIFY_REDIRECT_URI"
)

// defaultHTTPTimeout bounds one request to the accounts service when the
// caller gave no http.Client, so a hung connection cannot stall every
// caller waiting on a shared token fetch.
const defaultHTTPTimeout = 30 * time.Second

// Config is a Spotify app's identity at the accounts service: client ID,
// optional client secret, redirect URI and scopes. Build it with
// [NewConfig]; it is immutable afterwards and safe for concurrent use.
type Config struct {
	clientID     string
	clientSecret string
	redirectURI  string
	scopes       []string
	endpoint     oauth2.Endpoint
	httpClient   *http.Client
	logger       *slog.Logger
	noPKCE       bool
	env          func(string) string // set by FromEnv
}

// Option configures a [Config].
type Option func(*Config) error

// NewConfig builds a Config. Only a client ID is required here; each flow
// checks what else it needs (a secret for client credentials, a redirect URI
// for the authorization code) and names the missing setting.
func NewConfig(opts ...Option) (*Config, error) {
	c := &Config{endpoint: Endpoint}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.env != nil {
		if err := c.fillFromEnv(); err != nil {
			return nil, err
		}
	}
	if c.clientID == "" {
		return nil, c.missing("client ID", EnvClientID, "WithClientID")
	}
	if c.noPKCE && c.clientSecret == "" {
		return nil, errors.New("auth: WithoutPKCE needs a client secret: a public client must use PKCE")
	}
	return c, nil
}

// fillFromEnv sets what the options left empty, so explicit arguments win
// over the environment whatever their order.
func (c *Config) fillFromEnv() error {
	if c.clientID == "" {
		c.clientID = strings.TrimSpace(c.env(EnvClientID))
	}
	if c.clientSecret == "" {
		c.clientSecret = strings.TrimSpace(c.env(EnvClientSecret))
	}
	if c.redirectURI == "" {
		if v := strings.TrimSpace(c.env(EnvRedirectURI)); v != "" {
			if err := WithRedirectURI(v)(c); err != nil {
				return fmt.Errorf("%w (from %s)", err, EnvRedirectURI)
			}
		}
	}
	return nil
}

// missing is the error for an unset setting, naming its variable and option.
func (c *Config) missing(what, env, option string) error {
	if c.env != nil {
		return fmt.Errorf("%w: no %s: %s is not set (or pass %s)", ErrMissingConfig, what, env, option)
	}
	return fmt.Errorf("%w: no %s: pass %s, or use FromEnv and set %s", ErrMissingConfig, what, option, env)
}

// FromEnv fills the client ID, client secret and redirect URI that no other
// option set from SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET and
// SPOTIFY_REDIRECT_URI. Explicit options win whatever their order.
func FromEnv() Option {
	return FromLookup(os.Getenv)
}

// FromLookup is [FromEnv] with another source of variables, such as a map
// in tests.
func FromLookup(getenv func(name string) string) Option {
	return func(c *Config) error {
		if getenv == nil {
			return errors.New("auth: FromLookup: nil function")
		}
		c.env = getenv
		return nil
	}
}

// WithClientID sets the app's client ID.
func WithClientID(id string) Option {
	return func(c *Config) error {
		id = strings.TrimSpace(id)
		if id == "" {
			return errors.New("auth: WithClientID: empty client ID")
		}
		c.clientID = id
		return nil
	}
}

// WithClientSecret sets the app's client secret. Without one, the
// authorization code flow runs as a public client with PKCE only, and
// client credentials are unavailable.
func WithClientSecret(secret string) Option {
	return func(c *Config) error {
		secret = strings.TrimSpace(secret)
		if secret == "" {
			return errors.New("auth: WithClientSecret: empty secret")
		}
		c.clientSecret = secret
		return nil
	}
}

// WithRedirectURI sets the redirect URI registered for the app. Spotify
// accepts HTTPS URIs and explicit loopback ones (http://127.0.0.1:PORT/...
// or http://[::1]:PORT/...); it refuses localhost since November 2025.
func WithRedirectURI(uri string) Option {
	return func(c *Config) error {
		u, err := url.Parse(strings.TrimSpace(uri))
		if err != nil || !u.IsAbs() || u.Host == "" {
			return fmt.Errorf("auth: redirect URI %q is not an absolute URL", uri)
		}
		if u.Fragment != "" {
			return fmt.Errorf("auth: redirect URI %q must not have a fragment", uri)
		}
		if isLocalhost(u.Hostname()) {
			return errLocalhost(u)
		}
		c.redirectURI = u.String()
		return nil
	}
}

// WithScopes sets the scopes the authorization code flow asks for; see the
// Scope constants.
func WithScopes(scopes ...string) Option {
	return func(c *Config) error {
		for _, s := range scopes {
			if s == "" || strings.ContainsAny(s, " \t\r\n") {
				return fmt.Errorf("auth: WithScopes: invalid scope %q", s)
			}
		}
		c.scopes = slices.Compact(slices.Sorted(slices.Values(scopes)))
		return nil
	}
}

// WithEndpoint replaces Spotify's accounts service, e.g. with a fake's.
// AuthStyle is kept as given; the zero value means "in the header".
func WithEndpoint(ep oauth2.Endpoint) Option {
	return func(c *Config) error {
		for _, raw := range []string{ep.AuthURL, ep.TokenURL} {
			if u, err := url.Parse(raw); err != nil || !u.IsAbs() {
				return fmt.Errorf("auth: WithEndpoint: %q is not an absolute URL", raw)
			}
		}
		if ep.AuthStyle == oauth2.AuthStyleAutoDetect {
			ep.AuthStyle = oauth2.AuthStyleInHeader
		}
		c.endpoint = ep
		return nil
	}
}

// WithAccountsURL points the config at an accounts service whose
// authorize and token endpoints are base+"/authorize" and
// base+"/api/token", as Spotify's and spotifytest's are.
func WithAccountsURL(base string) Option {
	base = strings.TrimRight(base, "/")
	return WithEndpoint(oauth2.Endpoint{
		AuthURL:   base + "/authorize",
		TokenURL:  base + "/api/token",
		AuthStyle: oauth2.AuthStyleInHeader,
	})
}

// WithHTTPClient sets the client for requests to the accounts service. By
// default a client with a 30-second timeout is used (or the one a token
// source's context carries under oauth2.HTTPClient). A client without a
// Timeout gets that one too: every caller of a token source waits for its
// one fetch, which must end. Whatever the client's CheckRedirect,
// redirects from the accounts service are never followed: they fail with
// [ErrRedirected].
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Config) error {
		if hc == nil {
			return errors.New("auth: WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger logs debug events (token fetched, refreshed, rotated, saved)
// and warnings (a failed save) to l. Token values are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Config) error {
		if l == nil {
			return errors.New("auth: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithoutPKCE turns PKCE off for confidential clients (those with a
// secret) whose server cannot keep a verifier between the redirect and the
// callback. PKCE is on by default and recommended even with a secret.
func WithoutPKCE() Option {
	return func(c *Config) error {
		c.noPKCE = true
		return nil
	}
}

// ClientID returns the app's client ID.
func (c *Config) ClientID() string { return c.clientID }

// HasSecret reports whether a client secret is configured.
func (c *Config) HasSecret() bool { return c.clientSecret != "" }

// RedirectURI returns the configured redirect URI, "" if none.
func (c *Config) RedirectURI() string { return c.redirectURI }

// Scopes returns a copy of the configured scopes.
func (c *Config) Scopes() []string { return slices.Clone(c.scopes) }

// Endpoint returns the accounts service the config talks to.
func (c *Config) Endpoint() oauth2.Endpoint { return c.endpoint }

// String describes the config without its secret.
func (c Config) String() string {
	return fmt.Sprintf("auth.Config{ClientID: %q, Secret: %v, RedirectURI: %q, Scopes: %q}",
		c.clientID, c.HasSecret(), c.redirectURI, c.scopes)
}

// LogValue keeps the secret out of slog output.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.clientID),
		slog.Bool("secret", c.HasSecret()),
		slog.String("redirect_uri", c.redirectURI),
	)
}

// oauth2Config is the x/oauth2 view of c. A public client (no secret) sends
// its client ID in the body, as Spotify wants for PKCE.
func (c *Config) oauth2Config(redirect string) *oauth2.Config {
	ep := c.endpoint
	if c.clientSecret == "" {
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID:     c.clientID,
		ClientSecret: c.clientSecret,
		Endpoint:     ep,
		RedirectURL:  redirect,
		Scopes:       c.scopes,
	}
}

// withHTTPClient returns ctx carrying the http.Client for x/oauth2: the
// config's, else the one ctx already carries, else one with a timeout;
// in every case a copy that refuses redirects (see [ErrRedirected]) and
// has a timeout. A source's fetch runs on its long-lived context and every
// caller waits for it: a request that could hang for good would wedge the
// source, so a client without a Timeout gets the default one.
func (c *Config) withHTTPClient(ctx context.Context) context.Context {
	hc := c.httpClient
	if hc == nil {
		hc, _ = ctx.Value(oauth2.HTTPClient).(*http.Client)
	}
	if hc == nil {
		hc = &http.Client{}
	}
	cp := *hc
	cp.CheckRedirect = refuseRedirect
	if cp.Timeout <= 0 {
		cp.Timeout = defaultHTTPTimeout
	}
	return context.WithValue(ctx, oauth2.HTTPClient, &cp)
}

// redirectError is how refuseRedirect stops a redirect; wrapTokenError
// turns it into ErrRedirected without quoting the target, which the
// server chose and may have filled with a secret.
type redirectError struct{ status int }

func (e *redirectError) Error() string {
	return "redirect refused (HTTP " + strconv.Itoa(e.status) + ")"
}

// refuseRedirect is the CheckRedirect of every client that talks to the
// accounts service. A 307 or 308 would send the form, with the client
// secret or refresh token, to wherever the server points; a 301, 302 or
// 303 would at best fetch a page we do not want. None is followed.
func refuseRedirect(req *http.Request, via []*http.Request) error {
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return &redirectError{status: status}
}

// secrets lists what no error or log line may show: the client secret,
// the Basic credential it goes in (the id:secret pair raw and form-encoded
// as x/oauth2 sends it, and the base64 of each, which is the header's
// value: a server may echo that in any encoding too), and the values in
// play given as extra (tokens, codes, verifiers).
func (c *Config) secrets(extra ...string) []string {
	out := slices.Clone(extra)
	if c.clientSecret != "" {
		raw := c.clientID + ":" + c.clientSecret
		sent := url.QueryEscape(c.clientID) + ":" + url.QueryEscape(c.clientSecret)
		out = append(out, c.clientSecret, raw, sent,
			base64.StdEncoding.EncodeToString([]byte(raw)), base64.StdEncoding.EncodeToString([]byte(sent)))
	}
	return out
}

// storeError is a store's error as a log line may show it. Stores must
// keep token values out of their errors; one written elsewhere (a
// database's driver quoting a statement) may not, so its text is scrubbed
// of the secrets in play too.
func (c *Config) storeError(err error, inPlay ...string) string {
	return redact.Text(err.Error(), c.secrets(inPlay...)...)
}

// log returns the configured logger or one that discards everything.
func (c *Config) log() *slog.Logger {
	if c.logger != nil {
		return c.logger
	}
	return slog.New(slog.DiscardHandler)
}
