package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/spotflow/spotflow/auth"
)

// BenchmarkCachedToken measures the hot path every API request takes: a
// valid token served from the cache, by many goroutines at once.
func BenchmarkCachedToken(b *testing.B) {
	s := newStub()
	src, err := auth.NewRefreshSource(context.Background(), stubConfig(b, s),
		auth.WithToken(expiredToken(s.RefreshToken())))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := src.Token(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := src.Token(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tokens/s")
	if s.TokenRequests() != 1 {
		b.Errorf("%d token requests", s.TokenRequests())
	}
}

// BenchmarkRefreshStampede measures one refresh shared by 1,000 waiting
// goroutines, against the in-memory accounts stub.
func BenchmarkRefreshStampede(b *testing.B) {
	s := newStub()
	cfg := stubConfig(b, s)
	b.ReportAllocs()
	for b.Loop() {
		src, err := auth.NewRefreshSource(context.Background(), cfg, auth.WithToken(expiredToken(s.RefreshToken())))
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{}, 1000)
		for range 1000 {
			go func() {
				_, _ = src.Token()
				done <- struct{}{}
			}()
		}
		for range 1000 {
			<-done
		}
	}
	b.ReportMetric(float64(s.TokenRequests())/float64(b.N), "requests/op")
}
