package spotifytest

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
)

// benchHandler serves the fake in-process, without a network, with a
// token of the default user, so the numbers are the fake's own cost.
func benchHandler(mode Mode) (*Server, http.Handler, string) {
	s := NewServer(WithMode(mode))
	return s, s.Handler(), "Bearer " + s.UserToken("")
}

// BenchmarkPlaylistPage serves pages of the 100,000-item playlist at
// offsets spread over it, as a concurrent client walking it would.
func BenchmarkPlaylistPage(b *testing.B) {
	for _, bc := range []struct {
		name string
		mode Mode
		path string
	}{
		{"items50/DevelopmentMode", DevelopmentMode, "/items?limit=50&offset="},
		{"items50/ExtendedQuota", ExtendedQuota, "/items?limit=50&offset="},
		{"tracks100/ExtendedQuota", ExtendedQuota, "/tracks?limit=100&offset="},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s, h, auth := benchHandler(bc.mode)
			defer s.Close()
			base := "/v1/playlists/" + s.IDs().Playlist100K + bc.path
			var bytes int
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				off := (i * 4_999) % 99_900
				req := httptest.NewRequest("GET", base+strconv.Itoa(off), nil)
				req.Header.Set("Authorization", auth)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("%d %s", w.Code, w.Body.Bytes())
				}
				bytes += w.Body.Len()
			}
			b.ReportMetric(float64(bytes)/float64(b.N), "bytes/page")
		})
	}
}

// BenchmarkNewCatalog builds the default catalog and state; memory is the
// heap they keep.
func BenchmarkNewCatalog(b *testing.B) {
	var kept uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c := newCatalog(1, Size{})
		st := newState(c)
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(st)
	}
	b.ReportMetric(float64(kept)/(1<<20), "MiB-kept")
}
