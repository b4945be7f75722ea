// Package meter counts the requests a process sends and how they ended, as
// the client sees them: a layer at the bottom of the transport stack, below
// the rate limiter's retries, so that every attempt is counted once.
package meter

import (
	"errors"
	"io"
	"net/http"
	"sync/atomic"
)

// Meter counts what went through the transports it wrapped. The zero Meter
// is ready to use; it is safe for concurrent use.
type Meter struct {
	requests, rateLimited, serverErrors, failed atomic.Int64
}

// Counts is a snapshot of a Meter.
type Counts struct {
	Requests     int // attempts sent, retries included
	RateLimited  int // answered 429
	ServerErrors int // answered 5xx
	// Failed got no whole answer: the connection was refused, reset or
	// timed out, or the body was cut short.
	Failed int
}

// Failures is every attempt that failed without a rate limit: 5xx answers
// and broken exchanges.
func (c Counts) Failures() int { return c.ServerErrors + c.Failed }

// Counts returns the counts so far.
func (m *Meter) Counts() Counts {
	return Counts{
		Requests:     int(m.requests.Load()),
		RateLimited:  int(m.rateLimited.Load()),
		ServerErrors: int(m.serverErrors.Load()),
		Failed:       int(m.failed.Load()),
	}
}

// Transport returns base (http.DefaultTransport when nil) counting into m.
// It changes nothing about a request or its answer.
func (m *Meter) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{m: m, base: base}
}

type transport struct {
	m    *Meter
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.m.requests.Add(1)
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		t.m.failed.Add(1)
		return resp, err
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		t.m.rateLimited.Add(1)
	case resp.StatusCode >= 500:
		t.m.serverErrors.Add(1)
	}
	resp.Body = &body{ReadCloser: resp.Body, m: t.m}
	return resp, nil
}

// body counts a read that fails before the end of the body, once.
type body struct {
	io.ReadCloser
	m      *Meter
	broken bool
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && !b.broken {
		b.broken = true
		b.m.failed.Add(1)
	}
	return n, err
}
