package redistoken

import (
	"context"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
)

// DefaultSkew is how long before its expiry a shared token is renewed.
const DefaultSkew = time.Minute

// Source returns a token source sharing the tokens of fetch with every
// process whose source uses the same key: it serves the stored token while
// it is fresh, and when it is not, one process at a time (under the
// store's lock) gets a new one from fetch and saves it, the others reading
// it. It suits sources without a refresh token to rotate, such as
// [auth.ClientCredentials]: N replicas then make one token request per
// expiry, not N. A store that cannot be read or locked does not stop it:
// it then fetches on its own. Safe for concurrent use.
func (s *Store) Source(fetch oauth2.TokenSource) oauth2.TokenSource {
	return &sharedSource{store: s, fetch: fetch, now: time.Now}
}

type sharedSource struct {
	store *Store
	fetch oauth2.TokenSource
	now   func() time.Time

	mu  sync.Mutex
	tok *oauth2.Token
}

func (ss *sharedSource) fresh(t *oauth2.Token) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || ss.now().Add(DefaultSkew).Before(t.Expiry))
}

// Token implements oauth2.TokenSource.
func (ss *sharedSource) Token() (*oauth2.Token, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.fresh(ss.tok) {
		return ss.tok, nil
	}
	ctx := context.Background()
	if t, err := ss.store.Load(ctx); err == nil && ss.fresh(t) {
		ss.tok = t
		return t, nil
	}
	lctx, cancel := context.WithTimeout(ctx, auth.DefaultLockLease)
	unlock, err := ss.store.Lock(lctx, auth.DefaultLockLease)
	cancel()
	if err == nil {
		defer unlock()
		// Another process may have renewed it while this one waited.
		if t, err := ss.store.Load(ctx); err == nil && ss.fresh(t) {
			ss.tok = t
			return t, nil
		}
	}
	t, err := ss.fetch.Token()
	if err != nil {
		return nil, err
	}
	// A failed save costs the other processes a fetch of their own, not
	// this caller its token.
	_ = ss.store.Save(ctx, t)
	ss.tok = t
	return t, nil
}
