// Package rediscache is a [cache.Store] on Redis, so that the replicas of a
// service share the answers they keep: a catalog read made by one replica
// with the app's token is served to all of them, and a user's answers to
// every replica holding that user's token (with a shared
// spotify.WithIdentityKey).
//
// The store fails open, as [cache.Store] asks: each Redis call is bounded by
// a short timeout (and by the caller's context), and an error or a timeout
// is a miss on Get and a dropped entry on Set. When Redis is slow or gone
// the client calls Spotify as if it had no cache; it never fails a call.
//
// Keys are the cache's own (hashes of the caller's identity and the
// request), under a prefix of the caller's choosing: Redis holds no token,
// no ID and no query in clear. Values are the cache's encoded answers;
// entries expire in Redis with the TTL the cache asks for.
package rediscache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/spotflow/spotflow/cache"
)

// DefaultTimeout bounds one Redis call.
const DefaultTimeout = 100 * time.Millisecond

// DefaultMaxValueBytes is the largest answer the store keeps.
const DefaultMaxValueBytes = 4 << 20

// Store is a [cache.Store] on a Redis client; safe for concurrent use.
type Store struct {
	rdb      redis.UniversalClient
	prefix   string
	timeout  time.Duration
	maxValue int
	log      *slog.Logger
}

var _ cache.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store) error

// WithTimeout bounds each Redis call (DefaultTimeout by default).
func WithTimeout(d time.Duration) Option {
	return func(s *Store) error {
		if d <= 0 {
			return fmt.Errorf("rediscache: WithTimeout: %v is not positive", d)
		}
		s.timeout = d
		return nil
	}
}

// WithMaxValueBytes sets the largest encoded answer kept
// (DefaultMaxValueBytes by default).
func WithMaxValueBytes(n int) Option {
	return func(s *Store) error {
		if n <= 0 {
			return fmt.Errorf("rediscache: WithMaxValueBytes: %d is not positive", n)
		}
		s.maxValue = n
		return nil
	}
}

// WithLogger logs failed Redis calls at debug level: the operation and the
// error, never a key or a value.
func WithLogger(l *slog.Logger) Option {
	return func(s *Store) error {
		s.log = l
		return nil
	}
}

// New returns a Store keeping entries in rdb under keys that start with
// prefix (for instance "spotflow:cache:" followed by the app's client ID,
// so that apps sharing a Redis keep apart).
func New(rdb redis.UniversalClient, prefix string, opts ...Option) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("rediscache: New: nil Redis client")
	}
	s := &Store{rdb: rdb, prefix: prefix, timeout: DefaultTimeout, maxValue: DefaultMaxValueBytes}
	for i, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("rediscache: option %d is nil", i)
		}
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Get implements [cache.Store].
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	b, err := s.rdb.Get(ctx, s.prefix+key).Bytes()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			s.failed(ctx, "get", err)
		}
		return nil, false
	}
	return b, true
}

// Set implements [cache.Store]. The write outlives the caller's
// cancellation (the answer is good whoever asked for it) but not the
// store's timeout.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) {
	if len(value) > s.maxValue || ttl <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	defer cancel()
	if err := s.rdb.Set(ctx, s.prefix+key, value, max(ttl, time.Millisecond)).Err(); err != nil {
		s.failed(ctx, "set", err)
	}
}

func (s *Store) failed(ctx context.Context, op string, err error) {
	if s.log != nil {
		s.log.DebugContext(ctx, "rediscache: call failed, treated as a miss", "op", op, "error", err)
	}
}
