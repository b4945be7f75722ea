package async

import (
	"testing"
)

// BenchmarkStreamOverhead measures what the stream machinery costs per
// item, with pages served from memory: 100,000 items in pages of 50.
func BenchmarkStreamOverhead(b *testing.B) {
	l := &list{total: 100_000, size: 50}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range StreamPages(b.Context(), l.fetch).All() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != l.total {
			b.Fatalf("%d items", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*l.total), "ns/item")
}
