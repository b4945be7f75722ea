package async

import (
	"fmt"
	"log/slog"

	"github.com/spotflow/spotflow/paging"
	"github.com/spotflow/spotflow/spotify"
)

// Defaults of the options.
const (
	DefaultPrefetch    = 8 // pages in flight or waiting per stream
	DefaultConcurrency = 8 // requests in flight per batch lookup or fan-out
)

// maxWindow caps prefetch and concurrency: far beyond any useful rate, and
// small enough that a typo cannot start a million goroutines.
const maxWindow = 1024

// Option configures a [Client] ([New]) or a single stream ([StreamPages]).
// Options check their arguments and return an error rather than panic;
// options that do not apply to a call are ignored by it.
type Option func(*config) error

type config struct {
	prefetch    int
	concurrency int
	logger      *slog.Logger
	start       int
	paging      []paging.Option
}

func newConfig(opts []Option) (config, error) {
	cfg := config{prefetch: DefaultPrefetch, concurrency: DefaultConcurrency}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return config{}, err
		}
	}
	return cfg, nil
}

// WithPrefetch sets how many pages of an offset-paged stream may be in
// flight or fetched but not yet delivered, 1 to 1024 (default 8). It bounds
// both the stream's concurrency and its memory: a window of n pages of up
// to 50 items holds at most 50n items.
func WithPrefetch(n int) Option {
	return func(c *config) error {
		if err := checkWindow("WithPrefetch", n); err != nil {
			return err
		}
		c.prefetch = n
		return nil
	}
}

// WithConcurrency sets how many requests one batch lookup (GetMany) may
// have in flight, 1 to 1024 (default 8). The client's rate limiter still
// paces them; this only bounds the goroutines waiting on it.
func WithConcurrency(n int) Option {
	return func(c *config) error {
		if err := checkWindow("WithConcurrency", n); err != nil {
			return err
		}
		c.concurrency = n
		return nil
	}
}

// WithLogger logs the client's decisions, such as falling back to single-ID
// lookups, at info level; nil turns logging off.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithStartOffset makes [StreamPages] start at offset n instead of 0.
// [New] ignores it; service streams take the offset from their options.
func WithStartOffset(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("%w: WithStartOffset: offset %d is negative", spotify.ErrInvalidInput, n)
		}
		c.start = n
		return nil
	}
}

// WithPaging tells [StreamPages] and [StreamCursor] what each fetch asks
// for, such as [paging.WithLimit], so that the stream's walk checks every
// page against it; a bad paging option ends the stream at once with its
// error. [New] ignores it: the service streams set these themselves.
func WithPaging(opts ...paging.Option) Option {
	return func(c *config) error {
		c.paging = append(c.paging, opts...)
		return nil
	}
}

func checkWindow(name string, n int) error {
	if n < 1 || n > maxWindow {
		return fmt.Errorf("%w: %s: %d is outside 1..%d", spotify.ErrInvalidInput, name, n, maxWindow)
	}
	return nil
}
