package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
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

// RenewToken returns a token other than refused, which the Web API
// answered 401 (revoked, or expired early). While the source still holds
// refused it refreshes, once for every caller that passes the same refused
// token; when it already replaced it, it returns the replacement without a
// request. spotify.Client calls it on a 401 and retries the request once.
func (s *RefreshSource) RenewToken(ctx context.Context, refused *oauth2.Token) (*oauth2.Token, error) {
	return s.cache.renew(ctx, refused)
}

// refresh runs on the cache's single fetch goroutine. held is the token
// the cache holds: expired, near its expiry, or refused by the Web API.
//
// Processes sharing the store may refresh too, and with rotation each
// refresh revokes the refresh token it spent. So the source takes the
// store's lock when it has one ([Locker]), reads the store first and uses
// a token another process saved meanwhile; it refreshes with the stored
// refresh token when that one is newer than its own; and when every refresh
// token it knows is refused, it reads the store once more for one saved by
// a process that did not wait for the lock.
func (s *RefreshSource) refresh(held *oauth2.Token) (*oauth2.Token, error) {
	if unlock := s.lockStore(); unlock != nil {
		defer unlock()
	}
	stored := s.load()
	if stored != nil && stored.AccessToken != held.AccessToken && s.usable(stored) {
		s.log.Debug("auth: using the token another process saved")
		return withRefreshToken(stored, held), nil
	}
	var tried []string
	if stored != nil && stored.RefreshToken != "" && stored.RefreshToken != held.RefreshToken {
		tried = append(tried, stored.RefreshToken) // newer than ours, unless a save of ours failed
	}
	tried = append(tried, held.RefreshToken)
	inPlay := append(tokenValues(held), tokenValues(stored)...)
	var err error
	for _, rt := range tried {
		var tok *oauth2.Token
		if tok, err = s.exchange(rt, inPlay...); err == nil {
			return s.finish(tok, rt), nil
		}
		if !errors.Is(err, ErrReauthRequired) {
			break
		}
	}
	if errors.Is(err, ErrReauthRequired) {
		if cur := s.load(); cur != nil && cur.RefreshToken != "" && !slices.Contains(tried, cur.RefreshToken) {
			s.log.Debug("auth: refresh token changed in the store; retrying with it")
			if s.usable(cur) {
				return cur, nil
			}
			var tok *oauth2.Token
			if tok, err = s.exchange(cur.RefreshToken, append(inPlay, tokenValues(cur)...)...); err == nil {
				return s.finish(tok, cur.RefreshToken), nil
			}
		}
	}
	s.log.Debug("auth: refresh failed", "error", err)
	return nil, err
}

// finish completes a refreshed token and saves it.
func (s *RefreshSource) finish(tok *oauth2.Token, spent string) *oauth2.Token {
	rotated := tok.RefreshToken != "" && tok.RefreshToken != spent
	if tok.RefreshToken == "" {
		tok.RefreshToken = spent // Spotify may omit it: keep ours
	}
	s.log.Debug("auth: access token refreshed", "expires_in", tok.ExpiresIn, "rotated", rotated)
	if rotated {
		s.log.Debug("auth: refresh token rotated")
	}
	s.save(tok)
	return tok
}

// tokenValues returns tok's access and refresh tokens, none for nil.
func tokenValues(tok *oauth2.Token) []string {
	if tok == nil {
		return nil
	}
	return []string{tok.AccessToken, tok.RefreshToken}
}

// withRefreshToken returns tok, with held's refresh token if it has none.
func withRefreshToken(tok, held *oauth2.Token) *oauth2.Token {
	if tok.RefreshToken == "" {
		tok.RefreshToken = held.RefreshToken
	}
	return tok
}

// lockStore takes the store's lock when it has one and returns its
// unlock. A lock that cannot be had within the lease (its holder hung, or
// the store cannot lock here) is not worth stalling every caller for: the
// source then refreshes without it and relies on reading the store again
// after an invalid_grant.
func (s *RefreshSource) lockStore() (unlock func()) {
	l, ok := s.store.(Locker)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(s.ctx, DefaultLockLease)
	defer cancel()
	unlock, err := l.Lock(ctx, DefaultLockLease)
	if err != nil {
		s.log.Warn("auth: refreshing without the store's lock", "error", s.cfg.storeError(err))
		return nil
	}
	return unlock
}

// exchange asks the accounts service for a new token. inPlay are the
// other token values the refresh knows, kept out of its error.
func (s *RefreshSource) exchange(refreshToken string, inPlay ...string) (*oauth2.Token, error) {
	conf := s.cfg.oauth2Config("")
	tok, err := conf.TokenSource(s.ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err == nil {
		err = checkToken(OpRefresh, tok)
	}
	if err != nil {
		return nil, wrapTokenError(OpRefresh, err, s.cfg.secrets(append(inPlay, refreshToken)...)...)
	}
	stampExpiry(tok, s.cache.now())
	return tok, nil
}

// load returns the store's token, nil when there is no store, no token or
// the store failed (the source then goes on with the token it holds).
func (s *RefreshSource) load() *oauth2.Token {
	if s.store == nil {
		return nil
	}
	tok, err := s.store.Load(s.ctx)
	if err != nil {
		if !errors.Is(err, ErrNoToken) {
			s.log.Debug("auth: reading the store failed", "error", s.cfg.storeError(err))
		}
		return nil
	}
	return tok
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
		s.log.Warn("auth: saving the refreshed token failed; it stays in use", "error", s.cfg.storeError(err, tokenValues(tok)...))
		if s.onSaveError != nil {
			s.onSaveError(err)
		}
		return
	}
	s.log.Debug("auth: token saved")
}
