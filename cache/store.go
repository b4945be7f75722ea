package cache

import (
	"context"
	"time"
)

// Store keeps the cache's entries, encoded. Implementations must be safe for
// concurrent use and must never change a value after Set: the Transport and
// its callers read it without copying.
//
// A Store fails open: an entry it cannot read is a miss and an entry it
// cannot write is dropped, so a slow or absent backend costs cache hits,
// never a request. Get and Set honour ctx's deadline when they wait.
type Store interface {
	// Get returns the value kept under key, or ok false when there is none
	// or it has expired.
	Get(ctx context.Context, key string) (value []byte, ok bool)
	// Set keeps value under key for ttl (a positive duration), replacing
	// what was there. A store may decline to keep it (too large, say).
	Set(ctx context.Context, key string, value []byte, ttl time.Duration)
}
