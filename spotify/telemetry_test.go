package spotify

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/spotflow/spotflow/cache"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotifytest"
)

// otelHarness collects spans and metrics in memory.
type otelHarness struct {
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	opts   []Option
}

func newOtelHarness() *otelHarness {
	h := &otelHarness{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(h.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	h.opts = []Option{WithTracerProvider(tp), WithMeterProvider(mp)}
	return h
}

func (h *otelHarness) metrics(t *testing.T) map[string]metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

// sums adds up a counter's points, keyed by the listed attributes' values.
func sums(t *testing.T, data metricdata.Aggregation, keys ...attribute.Key) map[string]int64 {
	t.Helper()
	s, ok := data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("not an int64 sum: %T", data)
	}
	out := map[string]int64{}
	for _, p := range s.DataPoints {
		out[label(p.Attributes, keys)] += p.Value
	}
	return out
}

// counts adds up a histogram's counts, keyed by the listed attributes.
func counts(t *testing.T, data metricdata.Aggregation, keys ...attribute.Key) map[string]uint64 {
	t.Helper()
	h, ok := data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("not a float64 histogram: %T", data)
	}
	out := map[string]uint64{}
	for _, p := range h.DataPoints {
		out[label(p.Attributes, keys)] += p.Count
	}
	return out
}

func label(set attribute.Set, keys []attribute.Key) string {
	var parts []string
	for _, k := range keys {
		v, _ := set.Value(k)
		parts = append(parts, v.Emit())
	}
	return strings.Join(parts, " ")
}

// scripted wraps the fake: the first request is answered 429 with
// Retry-After 2, the second 503, the rest by the fake.
func scripted(h http.Handler) http.Handler {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// TestTelemetry is a scripted run through the in-memory SDK: a call that
// meets a 429 and a 503 before it succeeds, a plain call, a user call and
// a 404; then calls coalesced and served by the cache. It checks the spans,
// their events, the metrics, and that no attribute anywhere carries a
// token, an ID or a query.
func TestTelemetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := spotifytest.NewInProcess(spotifytest.WithLatency(10*time.Millisecond, 0))
		defer srv.Close()
		token := srv.UserToken("")
		ids := srv.IDs()
		h := newOtelHarness()
		lim, err := ratelimit.New(ratelimit.WithRate(1000, 10), ratelimit.WithBackoff(100*time.Millisecond, time.Second))
		if err != nil {
			t.Fatal(err)
		}
		c := memClient(t, &memTransport{h: scripted(srv.Handler())}, token, append(h.opts, WithLimiter(lim))...)
		ctx := t.Context()
		if _, err := c.Tracks.Get(ctx, ids.Tracks[0], &MarketOptions{Market: "SE"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Tracks.Get(ctx, ids.Tracks[1], nil); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Users.Me(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Tracks.Get(ctx, "0000000000000000000000", nil); err == nil {
			t.Fatal("an unknown track was found")
		}

		spans := h.spans.GetSpans()
		if len(spans) != 4 {
			t.Fatalf("%d spans, want 4", len(spans))
		}
		first := spans[0]
		if first.Name != "GET /v1/tracks/{id}" || first.SpanKind.String() != "client" {
			t.Errorf("span %q kind %s", first.Name, first.SpanKind)
		}
		attrs := attribute.NewSet(first.Attributes...)
		for k, want := range map[attribute.Key]string{
			"http.request.method": "GET", "url.template": "/v1/tracks/{id}", "server.address": "api.spotify.test",
			"server.port": "80", "http.response.status_code": "200", "spotify.operation": "get-track", "spotify.attempts": "3",
		} {
			if v, ok := attrs.Value(k); !ok || v.Emit() != want {
				t.Errorf("first span: %s = %q, want %q", k, v.Emit(), want)
			}
		}
		var events []string
		for _, e := range first.Events {
			ea := attribute.NewSet(e.Attributes...)
			switch e.Name {
			case "spotify.ratelimit.throttled":
				ra, _ := ea.Value("spotify.ratelimit.retry_after")
				events = append(events, "429 after "+ra.Emit())
			case "spotify.ratelimit.wait":
				st, _ := ea.Value("spotify.ratelimit.stage")
				events = append(events, "wait "+st.Emit())
			case "spotify.retry":
				n, _ := ea.Value("spotify.retry.attempt")
				r, _ := ea.Value("spotify.retry.reason")
				events = append(events, "retry "+n.Emit()+" "+r.Emit())
			}
		}
		if got, want := strings.Join(events, "; "), "429 after 2; wait gate; retry 2 429; wait backoff; retry 3 503"; got != want {
			t.Errorf("events\n got %s\nwant %s", got, want)
		}
		if spans[2].Name != "GET /v1/me" {
			t.Errorf("third span %q", spans[2].Name)
		}
		last := attribute.NewSet(spans[3].Attributes...)
		if v, _ := last.Value("error.type"); v.Emit() != "404" || spans[3].Status.Code.String() != "Error" {
			t.Errorf("404 span: error.type %q, status %s", v.Emit(), spans[3].Status.Code)
		}

		m := h.metrics(t)
		dur := counts(t, m["http.client.request.duration"], "spotify.operation", "http.response.status_code", "error.type")
		if dur["get-track 200 "] != 2 || dur["get-current-users-profile 200 "] != 1 || dur["get-track 404 404"] != 1 || len(dur) != 3 {
			t.Errorf("request durations by operation and status: %v", dur)
		}
		if got := sums(t, m["spotify.ratelimit.throttled"], "spotify.operation"); got["get-track"] != 1 || len(got) != 1 {
			t.Errorf("429s %v", got)
		}
		if got := sums(t, m["spotify.retries"], "spotify.retry.reason"); got["429"] != 1 || got["503"] != 1 || len(got) != 2 {
			t.Errorf("retries %v", got)
		}
		waits := counts(t, m["spotify.ratelimit.wait.duration"], "spotify.ratelimit.stage")
		if waits["gate"] != 1 || waits["backoff"] != 1 {
			t.Errorf("waits by stage %v", waits)
		}
		if got := sums(t, m["http.client.active_requests"], "spotify.operation"); got["get-track"] != 0 {
			t.Errorf("in flight after the run: %v", got)
		}
		if g, ok := m["spotify.ratelimit.rate"].(metricdata.Gauge[float64]); !ok || len(g.DataPoints) != 1 || g.DataPoints[0].Value != 1000 {
			t.Errorf("rate gauge %+v", m["spotify.ratelimit.rate"])
		}

		// Coalesced and cached calls, on a client with a cache.
		store, _ := cache.NewMemory(1 << 20)
		h2 := newOtelHarness()
		c2 := memClient(t, &memTransport{h: srv.Handler()}, token, append(h2.opts, WithCache(store))...)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if _, err := c2.Tracks.Get(ctx, ids.Tracks[2], nil); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if _, err := c2.Tracks.Get(ctx, ids.Tracks[2], nil); err != nil {
			t.Fatal(err)
		}
		m2 := h2.metrics(t)
		if got := sums(t, m2["spotify.coalesced"], "spotify.operation"); got["get-track"] != 9 {
			t.Errorf("coalesced %v, want 9", got)
		}
		if got := sums(t, m2["spotify.cache.lookups"], "spotify.cache.outcome"); got["miss"] != 1 || got["hit"] != 1 {
			t.Errorf("cache lookups %v, want 1 miss and 1 hit", got)
		}
		if n := len(h2.spans.GetSpans()); n != 11 {
			t.Errorf("%d spans for 11 calls", n)
		}

		// No attribute anywhere names a token, an ID or a query value.
		forbidden := append([]string{token, "SE", "market", "?", ids.User, "0000000000000000000000"}, ids.Tracks[:3]...)
		check := func(where string, kvs []attribute.KeyValue) {
			for _, kv := range kvs {
				v := kv.Value.Emit()
				for _, f := range forbidden {
					if strings.Contains(v, f) {
						t.Errorf("%s: attribute %s = %q holds %q", where, kv.Key, v, f)
					}
				}
			}
		}
		for _, s := range append(h.spans.GetSpans(), h2.spans.GetSpans()...) {
			check("span "+s.Name, s.Attributes)
			for _, e := range s.Events {
				check("event "+e.Name, e.Attributes)
			}
		}
		for _, mm := range []map[string]metricdata.Aggregation{m, m2} {
			for name, data := range mm {
				switch d := data.(type) {
				case metricdata.Sum[int64]:
					for _, p := range d.DataPoints {
						check(name, p.Attributes.ToSlice())
					}
				case metricdata.Histogram[float64]:
					for _, p := range d.DataPoints {
						check(name, p.Attributes.ToSlice())
					}
				case metricdata.Gauge[float64]:
					for _, p := range d.DataPoints {
						check(name, p.Attributes.ToSlice())
					}
				}
			}
		}
	})
}

// With no provider set, the client records nothing and allocates nothing
// for telemetry: the layer passes the request through.
func TestTelemetryOffWithoutProviders(t *testing.T) {
	c := newTestClient(t, answer(200, "application/json", `{}`))
	if c.tel.recording() {
		t.Fatal("recording with OpenTelemetry's default global providers")
	}
}

// spanSeer records the span context each request reaches the network with.
type spanSeer struct {
	base http.RoundTripper
	seen []trace.SpanContext
}

func (s *spanSeer) RoundTrip(req *http.Request) (*http.Response, error) {
	s.seen = append(s.seen, trace.SpanContextFromContext(req.Context()))
	return s.base.RoundTrip(req)
}

// The call's span reaches the transport at the bottom of the stack in the
// request's context, so that a transport of the caller's (otelhttp's, say)
// nests its spans under it; no trace header is sent to Spotify.
func TestTraceContextReachesTransport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := spotifytest.NewInProcess()
		defer srv.Close()
		h := newOtelHarness()
		var headers []string
		mem := &memTransport{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			headers = append(headers, r.Header.Get("Traceparent"))
			srv.Handler().ServeHTTP(w, r)
		})}
		seer := &spanSeer{base: mem}
		c := memClient(t, mem, srv.UserToken(""), append(h.opts, WithHTTPClient(&http.Client{Transport: seer}))...)
		if _, err := c.Tracks.Get(t.Context(), srv.IDs().Tracks[0], nil); err != nil {
			t.Fatal(err)
		}
		spans := h.spans.GetSpans()
		if len(spans) != 1 || len(seer.seen) != 1 {
			t.Fatalf("%d spans, %d requests", len(spans), len(seer.seen))
		}
		if got, want := seer.seen[0], spans[0].SpanContext; !got.Equal(want) {
			t.Errorf("the transport saw span %v, want the call's %v", got, want)
		}
		if headers[0] != "" {
			t.Errorf("a traceparent header went to the server: %q", headers[0])
		}
	})
}
