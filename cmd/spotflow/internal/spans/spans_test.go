package spans

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

func TestTable(t *testing.T) {
	table := NewTable()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(table))
	tr := tp.Tracer("test")
	start := time.Unix(1000, 0)
	for i := range 20 {
		_, s := tr.Start(context.Background(), "GET /v1/tracks/{id}", trace.WithTimestamp(start))
		if i == 3 {
			s.SetStatus(codes.Error, "404")
		}
		s.End(trace.WithTimestamp(start.Add(time.Duration(i+1) * time.Millisecond)))
	}
	_, s := tr.Start(context.Background(), "GET /v1/me", trace.WithTimestamp(start))
	s.End(trace.WithTimestamp(start.Add(2 * time.Second)))
	var b strings.Builder
	if _, err := table.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("table:\n%s", b.String())
	}
	want := [][]string{
		{"operation", "calls", "failed", "p50", "p95", "max"},
		{"GET", "/v1/tracks/{id}", "20", "1", "10ms", "19ms", "20ms"},
		{"GET", "/v1/me", "1", "0", "2s", "2s", "2s"},
	}
	for i, line := range lines {
		if got := strings.Fields(line); strings.Join(got, " ") != strings.Join(want[i], " ") {
			t.Errorf("line %d: %q, want %q", i, got, want[i])
		}
	}
}
