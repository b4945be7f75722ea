package auth

import (
	"context"
	"errors"
	"log/slog"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// ClientCredentials is an oauth2.TokenSource of app tokens (client
// credentials flow): no user, no scopes, catalog endpoints only. It caches
// the token and fetches a new one shortly before expiry, once for any
// number of concurrent callers. Safe for concurrent use.
type ClientCredentials struct {
	ctx   context.Context
	cfg   *Config
	conf  *clientcredentials.Config
	log   *slog.Logger
	cache tokenCache
}

// NewClientCredentials returns a source of app tokens. The config needs a
// client secret.
//
// ctx is long-lived: every fetch runs on it (it may carry the http.Client
// under oauth2.HTTPClient). Pass context.Background() unless the source
// should stop working when something shuts down; never a request's context.
// WithStore and WithToken do not apply.
func NewClientCredentials(ctx context.Context, cfg *Config, opts ...SourceOption) (*ClientCredentials, error) {
	if cfg == nil {
		return nil, errors.New("auth: NewClientCredentials: nil config")
	}
	if cfg.clientSecret == "" {
		return nil, cfg.missing("client secret (client credentials need one)", EnvClientSecret, "WithClientSecret")
	}
	o, err := applySourceOptions(opts)
	if err != nil {
		return nil, err
	}
	if o.store != nil || o.token != nil || o.onSaveError != nil {
		return nil, errors.New("auth: NewClientCredentials: WithStore, WithToken and OnSaveError are for refresh sources")
	}
	s := &ClientCredentials{
		ctx: cfg.withHTTPClient(ctx),
		cfg: cfg,
		conf: &clientcredentials.Config{
			ClientID:     cfg.clientID,
			ClientSecret: cfg.clientSecret,
			TokenURL:     cfg.endpoint.TokenURL,
			AuthStyle:    oauth2.AuthStyleInHeader,
		},
		log: cfg.log(),
	}
	s.cache = tokenCache{now: o.now, skew: o.skew, fetch: s.fetch}
	return s, nil
}

// Token returns a valid app token, fetching one if the cached one is near
// expiry. It implements oauth2.TokenSource.
func (s *ClientCredentials) Token() (*oauth2.Token, error) {
	return s.cache.get(context.Background())
}

// TokenContext is Token for a caller that may stop waiting when ctx ends.
// The fetch itself goes on for other callers.
func (s *ClientCredentials) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	return s.cache.get(ctx)
}

// RenewToken returns a token other than refused, which the Web API
// answered 401 (revoked, or expired early). While the source still holds
// refused it fetches a new one, once for every caller that passes the same
// refused token; when it already replaced it, it returns the replacement
// without a request. spotify.Client calls it on a 401 and retries the
// request once.
func (s *ClientCredentials) RenewToken(ctx context.Context, refused *oauth2.Token) (*oauth2.Token, error) {
	return s.cache.renew(ctx, refused)
}

func (s *ClientCredentials) fetch(prev *oauth2.Token) (*oauth2.Token, error) {
	tok, err := s.conf.Token(s.ctx)
	if err == nil {
		err = checkToken(OpClientCredentials, tok)
	}
	if err != nil {
		err = wrapTokenError(OpClientCredentials, err, s.cfg.secrets(accessOf(prev))...)
		s.log.Debug("auth: client credentials token request failed", "error", err)
		return nil, err
	}
	stampExpiry(tok, s.cache.now())
	s.log.Debug("auth: client credentials token fetched", "expires_in", tok.ExpiresIn)
	return tok, nil
}

// AppOnly reports that every token of s is an app token, with no user behind
// it; spotify.AppTokenSource reads it to share catalog answers between the
// clients of one cache.
func (s *ClientCredentials) AppOnly() bool { return true }
