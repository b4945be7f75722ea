package ratelimit

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// BenchmarkPacedAdmission is the limiter's own cost of a paced request:
// 8 goroutines send through a Transport whose base answers at once (no
// network), paced at 2,000 requests a second, so that every request waits
// in the limiter. It reports the process's CPU time per request
// (cpu-ns/req): what waiting costs, wake-ups included, next to the
// unpaced cost of the same requests.
func BenchmarkPacedAdmission(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []Option
	}{
		{"unpaced", []Option{WithRate(rate.Inf, 0)}},
		{"rate", []Option{WithRate(2000, 1)}},
		{"window", []Option{WithWindow(2000, time.Second)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			lim, err := New(append(bc.opts, WithMaxWait(time.Hour))...)
			if err != nil {
				b.Fatal(err)
			}
			tr := NewTransport(okTransport{}, lim)
			req, _ := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
			var next atomic.Int64
			cpu := processCPU()
			b.ResetTimer()
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					for next.Add(1) <= int64(b.N) {
						resp, err := tr.RoundTrip(req)
						if err != nil {
							b.Error(err)
							return
						}
						resp.Body.Close()
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			if cpu := processCPU() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/req")
			}
		})
	}
}
