package spotify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/oauth2"
)

// Whose answer is it? The cache and the coalescing layer sit above the token
// layer, so they learn the identity of the token a request will carry from
// the same token source, and key answers by it. An identity is a keyed hash
// of the access token (HMAC-SHA-256, truncated to 128 bits): it tells two
// tokens apart and says nothing about either, so it may sit in a map key or
// a Redis key where the token itself must never be.

// AppTokenSource is a token source whose tokens speak for the app alone,
// with no user behind them (the client credentials flow), as
// auth.ClientCredentials' tokens do. Answers to catalog reads made with
// such tokens are the same for every caller of the app, so a cache shares
// them between every client and replica that uses the same store; answers
// to requests made with any other token are kept apart per token.
type AppTokenSource interface {
	oauth2.TokenSource
	// AppOnly reports whether every token of the source is an app token.
	AppOnly() bool
}

// identities computes the identity of the token a request will carry.
type identities struct {
	source oauth2.TokenSource // nil: requests carry no token
	key    []byte
	appAll bool // the source only issues app tokens
	last   atomic.Pointer[identityPair]
}

// identityPair is the last token seen and its identity, so that the hash is
// computed once per token, not once per request.
type identityPair struct{ token, id string }

// processKey is the HMAC key of clients given none: random, made once per
// process, never written anywhere.
var processKey = sync.OnceValue(func() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (Go 1.24+)
	return k
})

func newIdentities(ts oauth2.TokenSource, key []byte) *identities {
	if key == nil {
		key = processKey()
	}
	id := &identities{source: ts, key: key}
	if as, ok := ts.(AppTokenSource); ok {
		id.appAll = as.AppOnly()
	}
	return id
}

// of returns the identity of the token req's context will be given. ok is
// false when there is no token to be had: the request then goes on
// unshared and uncached, and the token layer reports why.
func (ids *identities) of(ctx context.Context) (string, bool) {
	if ids.source == nil {
		return "anonymous", true
	}
	var tok *oauth2.Token
	var err error
	if cs, ok := ids.source.(ContextTokenSource); ok {
		tok, err = cs.TokenContext(ctx)
	} else {
		tok, err = ids.source.Token()
	}
	if err != nil || tok == nil || tok.AccessToken == "" {
		return "", false
	}
	if p := ids.last.Load(); p != nil && p.token == tok.AccessToken {
		return p.id, true
	}
	m := hmac.New(sha256.New, ids.key)
	m.Write([]byte(tok.AccessToken))
	var sum [sha256.Size]byte
	id := base64.RawURLEncoding.EncodeToString(m.Sum(sum[:0])[:16])
	ids.last.Store(&identityPair{token: tok.AccessToken, id: id})
	return id, true
}

// tokens returns the access tokens the client holds or last sent through
// the layers above the token layer, for scrubbing an answer that reached a
// caller without passing the token layer for it (a coalesced follower, a
// cache hit). It is called on error paths only: it may ask the source.
func (ids *identities) tokens() []string {
	if ids == nil || ids.source == nil {
		return nil
	}
	var out []string
	if p := ids.last.Load(); p != nil {
		out = append(out, p.token)
	}
	if tok, err := ids.source.Token(); err == nil && tok != nil && tok.AccessToken != "" {
		out = append(out, tok.AccessToken)
	}
	return out
}

// scope returns whose answer req gets: "" when it is the same for every
// caller (a catalog read made with an app token), otherwise the identity
// of the request's token. ok is false when no token is to be had.
func (ids *identities) scope(req *http.Request) (string, bool) {
	// A market of from_token names the caller's country: such an answer
	// is the caller's (checked on the raw query, which costs no parsing;
	// any mention keeps the answer apart, the safe side).
	if ids.appAll && !strings.Contains(req.URL.RawQuery, "from_token") {
		if op := operationOf(req.Context()); op != nil && sharedOperations[op.id] {
			return "", true
		}
	}
	return ids.of(req.Context())
}

// sharedOperations are the catalog reads whose answer depends on nothing
// but the request when the token is an app token: no user's library,
// player, playlists or resume points (the operations whose contract lists
// user-read-playback-position, such as get-an-episode, are left out), and
// nothing a user may change. TestSharedOperations checks them against the
// declarations.
var sharedOperations = map[string]bool{
	"get-an-album": true, "get-multiple-albums": true, "get-an-albums-tracks": true, "get-new-releases": true,
	"get-an-artist": true, "get-multiple-artists": true, "get-an-artists-albums": true,
	"get-an-artists-top-tracks": true, "get-an-artists-related-artists": true,
	"get-an-audiobook": true, "get-multiple-audiobooks": true, "get-audiobook-chapters": true,
	"get-a-category": true, "get-categories": true, "get-a-chapter": true, "get-several-chapters": true,
	"get-recommendation-genres": true, "get-available-markets": true,
	"get-a-categories-playlists": true, "get-featured-playlists": true, "get-multiple-shows": true,
	"get-track": true, "get-several-tracks": true, "get-audio-features": true,
	"get-several-audio-features": true, "get-audio-analysis": true, "get-recommendations": true,
	"search": true,
}
