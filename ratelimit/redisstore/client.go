package redisstore

import (
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// NewClient returns a go-redis client for a redis:// or rediss:// URL with
// the settings a rate store wants: deadlines of the caller's context
// honoured (ContextTimeoutEnabled), short dial, read and write timeouts, and
// one retry, so that a Redis that is gone costs a request milliseconds,
// not seconds. The caller closes it.
func NewClient(url string) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		// go-redis's error may quote the URL, password and all.
		return nil, errors.New("redisstore: not a Redis URL (redis://[user:password@]host:port/db or rediss://...)")
	}
	opt.ContextTimeoutEnabled = true
	opt.DialTimeout = time.Second
	opt.ReadTimeout = time.Second
	opt.WriteTimeout = time.Second
	opt.MaxRetries = 1
	opt.DisableIdentity = true
	return redis.NewClient(opt), nil
}
