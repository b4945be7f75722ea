package progress

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": Auto, "auto": Auto, "BARS": Bars, "lines": Lines, "off": Off, "none": Off} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseMode("fancy"); err == nil {
		t.Error("ParseMode accepted fancy")
	}
}

func TestResolveNotTerminal(t *testing.T) {
	if got := Resolve(Auto, &bytes.Buffer{}); got != Lines {
		t.Errorf("Resolve(Auto, buffer) = %v, want Lines", got)
	}
	if got := Resolve(Bars, &bytes.Buffer{}); got != Bars {
		t.Errorf("Resolve(Bars, buffer) = %v, want Bars", got)
	}
}

func TestLines(t *testing.T) {
	var out syncBuffer
	g := New(context.Background(), &out, Auto, WithInterval(time.Millisecond))
	a := g.Add("playlist", "items", 0)
	b := g.Add("lookup", "tracks", 300)
	a.SetTotal(1000)
	a.Add(250)
	// Wait for a periodic line rather than sleeping a fixed time.
	for !strings.Contains(out.String(), "playlist: 250/1,000 items (25%)") {
		time.Sleep(time.Millisecond)
	}
	a.Add(750)
	a.Done()
	b.Add(100)
	g.Close() // b never finished
	got := out.String()
	for _, want := range []string{"playlist: 1,000 items, done in ", "lookup: 100/300 tracks, stopped"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b[") {
		t.Errorf("escape sequences in plain lines: %q", got)
	}
	a.Add(1) // after Close: ignored, no panic
}

func TestBarsForced(t *testing.T) {
	var out syncBuffer
	g := New(context.Background(), &out, Bars, WithWidth(80))
	task := g.Add("albums", "albums", 0)
	task.AddTotal(10)
	for range 10 {
		task.Add(1)
	}
	task.Done()
	g.Close()
	got := out.String()
	for _, want := range []string{"albums", "10 albums", "done", "[", "="} {
		if !strings.Contains(got, want) {
			t.Errorf("bars lack %q: %q", want, got)
		}
	}
}

func TestOff(t *testing.T) {
	var out bytes.Buffer
	g := New(context.Background(), &out, Off)
	task := g.Add("x", "items", 5)
	task.Add(5)
	task.Done()
	g.Close()
	if out.Len() != 0 {
		t.Errorf("Off wrote %q", out.String())
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 10000: "10,000", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
