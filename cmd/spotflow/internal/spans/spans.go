// Package spans collects the client's spans in memory and sums them up per
// operation, for `spotflow demo --trace`.
package spans

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Table is an OpenTelemetry span processor that keeps the duration of each
// span by name (the client names a call's span "GET /v1/tracks/{id}"), and
// whether it failed. Safe for concurrent use.
type Table struct {
	mu   sync.Mutex
	byOp map[string]*opSpans
}

type opSpans struct {
	durations []time.Duration
	failed    int
}

var _ sdktrace.SpanProcessor = (*Table)(nil)

// NewTable returns an empty Table.
func NewTable() *Table { return &Table{byOp: map[string]*opSpans{}} }

// OnStart implements sdktrace.SpanProcessor; it does nothing.
func (t *Table) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd records a finished span.
func (t *Table) OnEnd(s sdktrace.ReadOnlySpan) {
	t.mu.Lock()
	defer t.mu.Unlock()
	op := t.byOp[s.Name()]
	if op == nil {
		op = &opSpans{}
		t.byOp[s.Name()] = op
	}
	op.durations = append(op.durations, s.EndTime().Sub(s.StartTime()))
	if s.Status().Code == codes.Error {
		op.failed++
	}
}

// Shutdown implements sdktrace.SpanProcessor; it does nothing.
func (t *Table) Shutdown(context.Context) error { return nil }

// ForceFlush implements sdktrace.SpanProcessor; it does nothing.
func (t *Table) ForceFlush(context.Context) error { return nil }

// WriteTo writes one line per operation, the busiest first: calls, failed
// calls, and the median, 95th percentile and slowest duration.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	t.mu.Lock()
	names := make([]string, 0, len(t.byOp))
	for name := range t.byOp {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		if d := len(t.byOp[b].durations) - len(t.byOp[a].durations); d != 0 {
			return d
		}
		if a < b {
			return -1
		}
		return 1
	})
	cw := &countWriter{w: w}
	tw := tabwriter.NewWriter(cw, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "operation\tcalls\tfailed\tp50\tp95\tmax\t\n")
	for _, name := range names {
		op := t.byOp[name]
		d := slices.Clone(op.durations)
		slices.Sort(d)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t\n", name, len(d), op.failed,
			round(quantile(d, 0.5)), round(quantile(d, 0.95)), round(d[len(d)-1]))
	}
	t.mu.Unlock()
	err := tw.Flush()
	return cw.n, err
}

// quantile returns the q-quantile of sorted d (nearest rank).
func quantile(d []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(d))+0.5) - 1
	return d[min(max(i, 0), len(d)-1)]
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
