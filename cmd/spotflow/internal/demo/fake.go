package demo

import (
	"time"

	"github.com/spotflow/spotflow/spotifytest"
)

// Fake configures the fake Spotify the demo starts in-process when it is
// not pointed at a server.
type Fake struct {
	// RateN requests per RateWindow is the fake's rolling rate window;
	// RateN 0 turns it off.
	RateN      int
	RateWindow time.Duration
	// Latency plus up to Jitter delays every request.
	Latency, Jitter time.Duration
	Faults          []spotifytest.Fault
	Seed            int64
}

// DefaultFake is the fake of `spotflow demo`: a window of 150 requests per
// 3 s (Spotify's window is 30 s long; a shorter one shows the same
// behaviour within seconds), 20 ms ± 20 ms of latency, and 1% of requests
// failing with 500 and 0.5% with a reset connection.
var DefaultFake = Fake{
	RateN:      150,
	RateWindow: 3 * time.Second,
	Latency:    20 * time.Millisecond,
	Jitter:     20 * time.Millisecond,
	Faults:     []spotifytest.Fault{{Kind: spotifytest.Kind500, Rate: 0.01}, {Kind: spotifytest.KindReset, Rate: 0.005}},
	Seed:       1,
}

// Options are the spotifytest options of f.
func (f Fake) Options() []spotifytest.Option {
	opts := []spotifytest.Option{
		spotifytest.WithSeed(f.Seed),
		spotifytest.WithLatency(f.Latency, f.Jitter),
		spotifytest.WithFaults(f.Faults...),
		spotifytest.WithRequestLog(0),
	}
	if f.RateN > 0 {
		opts = append(opts, spotifytest.WithRateLimit(f.RateN, f.RateWindow))
	}
	return opts
}
