package main

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func TestDemoTrace(t *testing.T) {
	args, _, _ := smallDemo(t)
	r := newCLI(t).run(append(append([]string{"--progress", "none"}, args...), append(embeddedFake, "--trace")...)...).ok(t)
	_, table, ok := strings.Cut(r.stdout, "Latency per operation")
	if !ok {
		t.Fatalf("no latency table:\n%s", r.stdout)
	}
	for _, re := range []string{
		`operation\s+calls\s+failed\s+p50\s+p95\s+max`,
		`GET /v1/playlists/\{playlist_id\}/items\s+\d+\s+0\s`,
		`GET /v1/search\s+2\s+0\s`,
	} {
		if !regexp.MustCompile(re).MatchString(table) {
			t.Errorf("table lacks %s:\n%s", re, table)
		}
	}
	// Without --trace, no table.
	r = newCLI(t).run(append(append([]string{"--progress", "none"}, args...), embeddedFake...)...).ok(t)
	if strings.Contains(r.stdout, "Latency per operation") {
		t.Error("a latency table without --trace")
	}
}

// otlpReceiver counts what OTLP/HTTP exporters post to it.
type otlpReceiver struct {
	mu    sync.Mutex
	posts map[string]int
}

func (o *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.posts[r.URL.Path]++
	o.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
}

// TestOTLPExport: with OTEL_EXPORTER_OTLP_ENDPOINT set, a command exports
// its traces and metrics there before it exits.
func TestOTLPExport(t *testing.T) {
	recv := &otlpReceiver{posts: map[string]int{}}
	srv := httptest.NewServer(recv)
	defer srv.Close()
	// The exporters read the process environment themselves.
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	fake := startFake(t)
	c := newCLI(t)
	c.env["OTEL_EXPORTER_OTLP_ENDPOINT"] = srv.URL
	c.run(against(fake, "get", "spotify:track:"+fake.IDs().Tracks[0])...).ok(t)
	recv.mu.Lock()
	defer recv.mu.Unlock()
	if recv.posts["/v1/traces"] == 0 || recv.posts["/v1/metrics"] == 0 {
		t.Errorf("the receiver got %v; want traces and metrics", recv.posts)
	}
}
