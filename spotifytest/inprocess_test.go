package spotifytest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/spotflow/spotflow/spotifytest"
)

// TestInProcessInBubble: a fake made by NewInProcess inside a synctest
// bubble serves its handler there, and its latency passes on the bubble's
// fake clock instead of holding it (a NewServer fake would hang here).
func TestInProcessInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := spotifytest.NewInProcess(spotifytest.WithLatency(3*time.Second, 0))
		defer srv.Close()
		if srv.URL != "" {
			t.Fatalf("URL %q; an in-process fake listens nowhere", srv.URL)
		}
		req := httptest.NewRequest(http.MethodGet, "http://api.test/v1/tracks/"+srv.IDs().Tracks[0], nil)
		req.Header.Set("Authorization", "Bearer "+srv.UserToken(""))
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || time.Since(start) != 3*time.Second {
			t.Fatalf("status %d after %s of fake time; want 200 after 3s", rec.Code, time.Since(start))
		}
	})
}

// TestInProcessCloseEndsStall: Close ends a stalled request of an
// in-process fake; with no connection to hang up, it answers nothing.
func TestInProcessCloseEndsStall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := spotifytest.NewInProcess(spotifytest.WithFaults(spotifytest.Fault{Kind: spotifytest.KindStall, Rate: 1}))
		req := httptest.NewRequest(http.MethodGet, "http://api.test/v1/tracks/"+srv.IDs().Tracks[0], nil)
		req.Header.Set("Authorization", "Bearer "+srv.UserToken(""))
		done := make(chan struct{})
		go func() {
			srv.Handler().ServeHTTP(httptest.NewRecorder(), req)
			close(done)
		}()
		synctest.Wait() // stalled
		srv.Close()
		<-done
	})
}
