package meter

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestCounts(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/503":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/cut": // promises more than it sends, then hangs up
			w.Header().Set("Content-Length", "100")
			_, _ = w.Write([]byte("{"))
			w.(http.Flusher).Flush()
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		case "/reset":
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		default:
			_, _ = w.Write([]byte("{}"))
		}
	}))
	defer srv.Close()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	var m Meter
	hc := &http.Client{Transport: m.Transport(tr)}
	for _, path := range []string{"/ok", "/ok", "/429", "/503", "/cut", "/reset"} {
		resp, err := hc.Get(srv.URL + path)
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_, _ = io.Copy(io.Discard, resp.Body) // a second failed read counts once
		resp.Body.Close()
	}
	want := Counts{Requests: 6, RateLimited: 1, ServerErrors: 1, Failed: 2}
	if got := m.Counts(); got != want {
		t.Errorf("counts %+v; want %+v", got, want)
	}
	if got := m.Counts().Failures(); got != 3 {
		t.Errorf("failures %d; want 3", got)
	}
}
