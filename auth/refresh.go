package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"golang.org/x/oauth2"
)

// RefreshSource is an oauth2.TokenSource of user tokens that refreshes the
// access token shortly before expiry, once for any number of concurrent
// callers, and saves every refreshed token (with a rotated refresh token,
// if Spotify sent one) to its store. Safe for concurrent use.
//
// A failed save never costs the token: the source keeps serving it and
// reports the failure through [OnSaveError], the config's logger and
// [RefreshSource.LastSaveError].
type RefreshSource struct {
	ctx         context.Context
	cfg         *Config
	store       Store
	log         *slog.Logger
	onSaveError func(error)
	cache       tokenCache

	saveMu  sync.Mutex
	saveErr error
}

// NewRefreshSource returns a source of user tokens starting from the token
// given with [WithToken] or, without it, the one in the store given with
// [WithStore]. The token must carry a refresh token.
//
// ctx is long-lived: every refresh and save runs on it (it may carry the
// http.Client under oauth2.HTTPClient). Pass context.Background() unless
// the source should stop working when something shuts down; never a
// request's context. The initial load from the store uses it too.
func NewRefreshSource(ctx context.Context, cfg *Config, opts ...SourceOption) (*RefreshSource, error) {
	if cfg == nil {
		return nil, errors.New("auth: NewRefreshSource: nil config")
	}
	o, err := applySourceOptions(opts)
	if err != nil {
		return nil, err
	}
	tok := o.token
	if tok == nil {
		if o.store == nil {
			return nil, errors.New("auth: NewRefreshSource: pass WithToken or WithStore")
		}
		if tok, err = o.store.Load(ctx); err != nil {
			return nil, fmt.Errorf("auth: loading the token: %w", err)
		}
	}
	if tok.RefreshToken == "" {
		return nil, &Error{Op: OpRefresh, Code: "invalid_grant", Description: "the token has no refresh token"}
	}
	s := &RefreshSource{
		ctx:         cfg.withHTTPClient(ctx),
		cfg:         cfg,
		store:       o.store,
		log:         cfg.log(),
		onSaveError: o.onSaveError,
	}
	s.cache = tokenCache{now: o.now, skew: o.skew, fetch: s.refresh}
	s.cache.set(tok)
	return s, nil
}

// Token returns a valid access token, refreshing it if it is near expiry.
// It implements oauth2.TokenSource. An error matching [ErrReauthRequired]
// means the refresh token is revoked or expired: the user must log in again.
func (s *RefreshSource) Token() (*oauth2.Token, error) {
	return s.cache.get(context.Background())
}

// TokenContext is Token for a caller that may stop waiting when ctx ends.
// The refresh itself goes on for other callers.
func (s *RefreshSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	return s.cache.get(ctx)
}

// LastSaveError returns the error of the latest save to the store, nil if
// it succeeded or none happened yet.
func (s *RefreshSource) LastSaveError() error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	return s.saveErr
}

// refresh runs on the cache's single fetch goroutine.
func (s *RefreshSource) refresh(prev *oauth2.Token) (*oauth2.Token, error) {
	tok, err := s.exchange(prev.RefreshToken)
	if errors.Is(err, ErrReauthRequired) {
		// Another process sharing the store may have rotated the refresh
		// token, which revokes ours: try the stored one before giving up.
		if cur := s.storedAfter(prev); cur != nil {
			if s.usable(cur) {
				return cur, nil
			}
			prev = cur
			tok, err = s.exchange(cur.RefreshToken)
		}
	}
	if err != nil {
		s.log.Debug("auth: refresh failed", "error", err)
		return nil, err
	}
	rotated := tok.RefreshToken != "" && tok.RefreshToken != prev.RefreshToken
	if tok.RefreshToken == "" {
		tok.RefreshToken = prev.RefreshToken // Spotify may omit it: keep ours
	}
	s.log.Debug("auth: access token refreshed", "expires_in", tok.ExpiresIn, "rotated", rotated)
	if rotated {
		s.log.Debug("auth: refresh token rotated")
	}
	s.save(tok)
	return tok, nil
}

// exchange asks the accounts service for a new token.
func (s *RefreshSource) exchange(refreshToken string) (*oauth2.Token, error) {
	conf := s.cfg.oauth2Config("")
	tok, err := conf.TokenSource(s.ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return nil, wrapTokenError(OpRefresh, err, s.cfg.clientSecret, refreshToken)
	}
	stampExpiry(tok, s.cache.now())
	return tok, nil
}

// storedAfter returns the store's token if it has a refresh token other
// than prev's, else nil.
func (s *RefreshSource) storedAfter(prev *oauth2.Token) *oauth2.Token {
	if s.store == nil {
		return nil
	}
	cur, err := s.store.Load(s.ctx)
	if err != nil || cur.RefreshToken == "" || cur.RefreshToken == prev.RefreshToken {
		return nil
	}
	s.log.Debug("auth: refresh token changed in the store; retrying with it")
	return cur
}

// usable reports whether tok's access token outlives the skew.
func (s *RefreshSource) usable(tok *oauth2.Token) bool {
	return tok.AccessToken != "" && !tok.Expiry.IsZero() &&
		s.cache.now().Add(s.cache.skew).Before(tok.Expiry)
}

// save stores tok, recording rather than returning a failure.
func (s *RefreshSource) save(tok *oauth2.Token) {
	if s.store == nil {
		return
	}
	err := s.store.Save(s.ctx, cloneToken(tok))
	s.saveMu.Lock()
	s.saveErr = err
	s.saveMu.Unlock()
	if err != nil {
		s.log.Warn("auth: saving the refreshed token failed; it stays in use", "error", err)
		if s.onSaveError != nil {
			s.onSaveError(err)
		}
		return
	}
	s.log.Debug("auth: token saved")
}
