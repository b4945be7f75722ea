package paging

import "fmt"

// DefaultMaxItems is the most items a walk accepts when [WithMaxItems] does
// not say otherwise: far more than any Spotify list holds (a playlist stops
// at 10,000 items, the offset of a user's playlists at 100,000), and small
// enough that offsets never overflow. A total above it, or a walk that would
// go past it, is an invalid reply.
const DefaultMaxItems = 10_000_000

// Option tells a walk what was asked of the server, so that it can check
// each page against it. Options check their arguments: a bad one makes the
// walk yield its error first and fetch nothing.
type Option func(config) (config, error)

type config struct {
	limit    int    // items each fetch asks for; 0 when unknown
	max      int    // most items the list may hold
	endpoint string // names the list in errors
}

// newConfig applies opts to the defaults. Options take and return the
// config by value, so that a walk's setup allocates nothing.
func newConfig(opts []Option) (config, error) {
	c := config{max: DefaultMaxItems}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		var err error
		if c, err = opt(c); err != nil {
			return config{}, err
		}
	}
	return c, nil
}

// WithLimit says how many items each fetch asks for: a page with more is an
// invalid reply. Without it a page may hold any number of items.
func WithLimit(n int) Option {
	return func(c config) (config, error) {
		if n < 0 {
			return c, fmt.Errorf("paging: WithLimit: %d is negative", n)
		}
		c.limit = n
		return c, nil
	}
}

// WithMaxItems sets the most items the list can hold, 1 to
// [DefaultMaxItems] (the default): a total above it, or a walk that would
// deliver more, is an invalid reply.
func WithMaxItems(n int) Option {
	return func(c config) (config, error) {
		if n < 1 || n > DefaultMaxItems {
			return c, fmt.Errorf("paging: WithMaxItems: %d is outside 1..%d", n, DefaultMaxItems)
		}
		c.max = n
		return c, nil
	}
}

// WithEndpoint names the list in the walk's errors, e.g.
// "GET /playlists/{playlist_id}/items".
func WithEndpoint(name string) Option {
	return func(c config) (config, error) {
		c.endpoint = name
		return c, nil
	}
}
