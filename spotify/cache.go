package spotify

import (
	"errors"

	"github.com/spotflow/spotflow/cache"
)

// WithCache keeps answers to GET calls in store and serves them as HTTP
// caching allows: while the answer's Cache-Control says it is fresh, a call
// is answered without a request; after that, an answer with an ETag is
// revalidated with If-None-Match, and Spotify's 304 Not Modified costs a
// few hundred bytes instead of the whole body. See package cache.
//
// Answers are kept per token identity (a keyed hash of the access token,
// see [WithIdentityKey]), so that one user's profile, library, player or
// playlists are never served to another; only catalog reads made with an
// app token ([AppTokenSource]) are shared between every client of the
// store. Share one store between the clients of one app, or a Redis store
// between its replicas.
func WithCache(store cache.Store) Option {
	return func(c *config) error {
		if store == nil {
			return errors.New("spotify: WithCache: nil store")
		}
		c.cache = store
		return nil
	}
}

// WithIdentityKey sets the key of the keyed hash that stands for a token in
// cache keys and coalescing. By default each process draws a random key,
// so clients of one process share what they may and replicas do not; give
// every replica the same secret key (at least 32 random bytes) to let them
// share the answers kept for a user whose token they share.
func WithIdentityKey(key []byte) Option {
	return func(c *config) error {
		if len(key) < 16 {
			return errors.New("spotify: WithIdentityKey: key shorter than 16 bytes")
		}
		c.identityKey = append([]byte(nil), key...)
		return nil
	}
}

// WithoutCoalescing sends every GET on its own. By default identical GETs
// in flight at the same time (same URL, same token identity) share one
// request and its answer, each caller decoding its own copy.
func WithoutCoalescing() Option {
	return func(c *config) error {
		c.noCoalesce = true
		return nil
	}
}
