package ratelimit

import (
	"net/http"
	"testing"

	"golang.org/x/time/rate"
)

// okTransport answers 200 at once, so the benchmarks measure the limiter.
type okTransport struct{}

func (okTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, nil
}

// BenchmarkTransport is the overhead per request of the Transport with the
// default adaptive bucket at full speed (pacing disabled by an infinite rate).
func BenchmarkTransport(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []Option
	}{
		{"fixed", []Option{WithRate(rate.Inf, 0)}},
		{"adaptive", []Option{WithAdaptive(1e9, 1)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			lim, err := New(bc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			tr := NewTransport(okTransport{}, lim)
			req, _ := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := tr.RoundTrip(req)
					if err != nil {
						b.Fatal(err)
					}
					resp.Body.Close()
				}
			})
			b.ReportMetric(float64(lim.Stats().Requests)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkAcquire is one admission and release.
func BenchmarkAcquire(b *testing.B) {
	lim, err := New(WithRate(rate.Inf, 0), WithMaxInFlight(0))
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		release, err := lim.Acquire(ctx)
		if err != nil {
			b.Fatal(err)
		}
		release()
	}
}
