package auth

import (
	"context"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// tokenCache holds one token and fetches a new one when it is stale, at
// most one fetch at a time however many goroutines ask. The fetch runs in
// its own goroutine on the source's long-lived context, so a caller whose
// context ends can leave without cancelling the fetch for the others.
type tokenCache struct {
	now   func() time.Time
	skew  time.Duration
	fetch func(prev *oauth2.Token) (*oauth2.Token, error)

	mu      sync.Mutex
	tok     *oauth2.Token
	staleAt time.Time // zero: never stale
	refused bool      // the Web API refused tok (401): fetch another whatever its expiry
	flight  *flight   // the fetch in progress, nil if none
}

// flight is one fetch that any number of callers wait for.
type flight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

// get returns a fresh token, fetching one if needed.
func (c *tokenCache) get(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	if c.freshLocked() {
		t := cloneToken(c.tok)
		c.mu.Unlock()
		return t, nil
	}
	f := c.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		c.flight = f
		go c.run(f, c.tok)
	}
	c.mu.Unlock()

	select {
	case <-f.done:
		if f.err != nil {
			return nil, f.err
		}
		return cloneToken(f.tok), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// renew returns a token other than refused, which the Web API answered
// 401. While the cache still holds refused it fetches a new one, once for
// every caller that passes the same refused token; when the cache already
// replaced it, the replacement is returned without a fetch.
func (c *tokenCache) renew(ctx context.Context, refused *oauth2.Token) (*oauth2.Token, error) {
	c.mu.Lock()
	if refused != nil && c.tok != nil && c.tok.AccessToken == refused.AccessToken {
		c.refused = true
	}
	c.mu.Unlock()
	return c.get(ctx)
}

// run performs one fetch and hands its result to every waiter.
func (c *tokenCache) run(f *flight, prev *oauth2.Token) {
	tok, err := c.fetch(cloneToken(prev))
	c.mu.Lock()
	if err == nil {
		c.setLocked(tok)
	}
	c.flight = nil
	f.tok, f.err = tok, err
	c.mu.Unlock()
	close(f.done)
}

// set replaces the cached token without a fetch.
func (c *tokenCache) set(tok *oauth2.Token) {
	c.mu.Lock()
	c.setLocked(tok)
	c.mu.Unlock()
}

// setLocked caches tok and decides when it turns stale: skew before its
// expiry, but for a token whose lifetime is known (expires_in) no earlier
// than half of it, so a short-lived token is not stale the moment it
// arrives.
func (c *tokenCache) setLocked(tok *oauth2.Token) {
	c.tok = tok
	c.staleAt = time.Time{}
	c.refused = false
	if tok == nil || tok.Expiry.IsZero() {
		return
	}
	skew := c.skew
	if life := time.Duration(tok.ExpiresIn) * time.Second; life > 0 && skew > life/2 {
		skew = life / 2
	}
	c.staleAt = tok.Expiry.Add(-skew)
}

func (c *tokenCache) freshLocked() bool {
	if c.tok == nil || c.tok.AccessToken == "" || c.refused {
		return false
	}
	return c.staleAt.IsZero() || c.now().Before(c.staleAt)
}

// accessOf returns t's access token, "" for nil.
func accessOf(t *oauth2.Token) string {
	if t == nil {
		return ""
	}
	return t.AccessToken
}

// maxToken caps the length of a token from the accounts service: it goes
// into a header of every request. Spotify's are a few hundred bytes.
const maxToken = 8 << 10

// checkToken refuses a token the client cannot send: an access token that
// is not an RFC 6750 bearer token (a character that would break the
// Authorization header, say) or is too long, a refresh token of the same
// kind, or a token type other than Bearer. The error shows no value.
func checkToken(op string, tok *oauth2.Token) error {
	what := ""
	switch {
	case !isBearerToken(tok.AccessToken):
		what = "access_token"
	case tok.RefreshToken != "" && !isBearerToken(tok.RefreshToken):
		what = "refresh_token"
	case tok.TokenType != "" && !strings.EqualFold(tok.TokenType, "bearer"):
		what = "token_type"
	default:
		return nil
	}
	return &Error{Op: op, Status: http.StatusOK, Err: ErrInvalidReply,
		Description: "the accounts service answered with an unusable " + what}
}

// isBearerToken reports whether s is an RFC 6750 b64token of at most
// maxToken bytes.
func isBearerToken(s string) bool {
	if s == "" || len(s) > maxToken {
		return false
	}
	t := strings.TrimRight(s, "=")
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
		if !ok {
			return false
		}
	}
	return true
}

// cloneToken copies t so callers cannot change the cached one.
func cloneToken(t *oauth2.Token) *oauth2.Token {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// maxLifetime caps the lifetime, in seconds, a token answer may announce
// (about 68 years, x/oauth2's cap for a JSON expires_in): a larger one
// overflows time.Duration.
const maxLifetime = math.MaxInt32

// stampExpiry sets tok.Expiry from its expires_in on the source's clock:
// x/oauth2 computes it with the wall clock, which a fake clock disagrees with.
func stampExpiry(tok *oauth2.Token, now time.Time) {
	secs := tok.ExpiresIn
	if secs <= 0 {
		switch v := tok.Extra("expires_in").(type) {
		case float64:
			secs = int64(v)
		case int64:
			secs = v
		}
	}
	switch {
	case secs > 0:
		// x/oauth2 caps a JSON expires_in but not a form-encoded one,
		// and seconds past maxLifetime would wrap around as a Duration,
		// putting the expiry in the past.
		secs = min(secs, maxLifetime)
		tok.ExpiresIn = secs
		tok.Expiry = now.Add(time.Duration(secs) * time.Second)
	case secs < 0:
		// A lifetime below zero would make the token stale on arrival and
		// every caller fetch again. Its lifetime is unknown: it serves until
		// the Web API refuses it, and the 401 renews it.
		tok.ExpiresIn, tok.Expiry = 0, time.Time{}
	}
}
