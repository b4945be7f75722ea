// Package redistoken keeps OAuth tokens in Redis, so that every process of
// an app (the replicas of a service, the machines of a crawl) shares one app
// token and one token per user instead of each fetching its own:
//
//	rdb, err := redisstore.NewClient("redis://localhost:6379/0") // ratelimit/redisstore
//	store, err := redistoken.New(rdb, clientID, "user:"+userID)
//	src, err := auth.NewRefreshSource(ctx, cfg, auth.WithStore(store))
//
// A [Store] is an [auth.Store] and an [auth.Locker]: its lock is a key set
// only if absent, with a lease, so one process at a time renews the token
// and the others read what it saved. Under Spotify's refresh-token rotation
// each refresh revokes the refresh token it spent, which makes that lock
// the difference between one refresh per expiry and a fleet of processes
// logging their user out.
//
// The token is kept as JSON in one key, as [auth.FileStore] keeps it in a
// file: whoever can read the Redis database can read the token. Guard it as
// you would the file (a password, TLS with rediss://, a network only the
// app reaches).
package redistoken

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
)

// DefaultTimeout bounds each call to Redis other than a wait for the lock,
// within the caller's context.
const DefaultTimeout = 2 * time.Second

// Store is an [auth.Store] and [auth.Locker] holding one token in Redis.
// It is safe for concurrent use, by any number of processes.
type Store struct {
	rdb     redis.UniversalClient
	key     string
	lockKey string
	channel string // announces the lock's release
	timeout time.Duration
}

var (
	_ auth.Store  = (*Store)(nil)
	_ auth.Locker = (*Store)(nil)
)

// New returns a store of the token called name (such as "app" for the
// client-credentials token, or "user:"+userID) of the app clientID, under
// the key "spotflow:{clientID}:token:"+name. The braces keep an app's keys
// in one slot of a Redis Cluster.
func New(rdb redis.UniversalClient, clientID, name string) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("redistoken: nil Redis client")
	}
	for what, v := range map[string]string{"client ID": clientID, "token name": name} {
		if v == "" || len(v) > 256 || strings.ContainsAny(v, "{} \t\r\n") {
			return nil, fmt.Errorf("redistoken: the %s must be 1 to 256 characters without braces or spaces", what)
		}
	}
	key := "spotflow:{" + clientID + "}:token:" + name
	return &Store{rdb: rdb, key: key, lockKey: key + ":lock", channel: key + ":unlocked", timeout: DefaultTimeout}, nil
}

// storedToken is the format of the key, the one of auth.FileStore.
type storedToken struct {
	AccessToken  string    `json:"access_token,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	Scope        string    `json:"scope,omitempty"`
}

// Load returns the stored token; none is an error matching
// [auth.ErrNoToken].
func (s *Store) Load(ctx context.Context) (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	data, err := s.rdb.Get(ctx, s.key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("%w in Redis", auth.ErrNoToken)
	}
	if err != nil {
		return nil, fmt.Errorf("redistoken: reading the token: %w", err)
	}
	var st storedToken
	if err := json.Unmarshal(data, &st); err != nil {
		// The decoder's message names types and offsets, not values.
		return nil, fmt.Errorf("redistoken: the stored token is not valid: %w", err)
	}
	if st.AccessToken == "" && st.RefreshToken == "" {
		return nil, fmt.Errorf("%w in Redis (the key holds no token)", auth.ErrNoToken)
	}
	tok := &oauth2.Token{AccessToken: st.AccessToken, TokenType: st.TokenType,
		RefreshToken: st.RefreshToken, Expiry: st.Expiry}
	if st.Scope != "" {
		tok = tok.WithExtra(map[string]any{"scope": st.Scope})
	}
	return tok, nil
}

// Save stores tok, replacing the stored token at once for every process.
func (s *Store) Save(ctx context.Context, tok *oauth2.Token) error {
	if tok == nil {
		return errors.New("redistoken: Save: nil token")
	}
	st := storedToken{AccessToken: tok.AccessToken, TokenType: tok.TokenType,
		RefreshToken: tok.RefreshToken, Expiry: tok.Expiry.UTC().Round(0)}
	if sc, ok := tok.Extra("scope").(string); ok {
		st.Scope = sc
	}
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("redistoken: encoding the token: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.rdb.Set(ctx, s.key, data, 0).Err(); err != nil {
		return fmt.Errorf("redistoken: saving the token: %w", err)
	}
	return nil
}

// unlockScript deletes the lock if the caller still holds it (its lease
// may have lapsed and another process taken it) and says so on the channel.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], '1')
  return 1
end
return 0
`)

// lockPoll bounds the wait between two attempts to take a lock held by
// another process, should the message of its release be missed.
const lockPoll = 100 * time.Millisecond

// Lock takes the token's lock for lease, waiting until it is free or ctx
// ends (then the error wraps ctx's). A holder that dies keeps the others
// out for at most lease. It implements [auth.Locker].
func (s *Store) Lock(ctx context.Context, lease time.Duration) (unlock func(), err error) {
	if lease <= 0 {
		return nil, errors.New("redistoken: Lock: lease must be positive")
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	holder := hex.EncodeToString(id)
	sub := s.rdb.Subscribe(ctx, s.channel)
	defer sub.Close()
	released := sub.Channel()
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, lockPoll) {
		cctx, cancel := context.WithTimeout(ctx, s.timeout)
		ok, err := s.rdb.SetNX(cctx, s.lockKey, holder, lease).Result()
		cancel()
		if err != nil && ctx.Err() == nil {
			return nil, fmt.Errorf("redistoken: taking the lock: %w", err)
		}
		if ok {
			var once sync.Once
			return func() {
				once.Do(func() {
					cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
					defer cancel()
					_ = unlockScript.Run(cctx, s.rdb, []string{s.lockKey}, holder, s.channel).Err()
				})
			}, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-released:
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("redistoken: waiting for the lock: %w", ctx.Err())
		}
		t.Stop()
	}
}
