package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/spotifytest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	runMainIfAsked()
	goleak.VerifyTestMain(m)
}

// staticToken is a token source of one access token.
func staticToken(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a
// command's goroutines.
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

// result is what one run of the command produced.
type result struct {
	code           int
	stdout, stderr string
}

// cli runs spotflow in-process with a clean environment: nothing of the
// developer's SPOTIFY_* variables, and a token file in a temporary
// directory.
type cli struct {
	t       *testing.T
	env     map[string]string
	stdin   io.Reader
	stdout  io.Writer // nil: captured
	stderr  io.Writer // nil: captured
	browser func(string) error
	now     time.Time
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	return &cli{
		t:   t,
		env: map[string]string{envTokenFile: filepath.Join(t.TempDir(), "spotflow", "token.json")},
		browser: func(string) error {
			t.Error("a test tried to open a browser")
			return nil
		},
		now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
	}
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	return c.runContext(c.t.Context(), args...)
}

func (c *cli) runContext(ctx context.Context, args ...string) result {
	c.t.Helper()
	var stdout, stderr syncBuffer
	a := &app{
		stdin:   c.stdin,
		stdout:  c.stdout,
		stderr:  c.stderr,
		getenv:  func(k string) string { return c.env[k] },
		now:     func() time.Time { return c.now },
		browser: c.browser,
		// demo --replicas starts this test binary as the command.
		self: func() (string, []string, error) { return os.Args[0], []string{envRunMain + "=1"}, nil },
	}
	if a.stdin == nil {
		a.stdin = strings.NewReader("")
	}
	if a.stdout == nil {
		a.stdout = &stdout
	}
	if a.stderr == nil {
		a.stderr = &stderr
	}
	code := a.run(ctx, args)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// ok fails the test unless the run succeeded.
func (r result) ok(t *testing.T) result {
	t.Helper()
	if r.code != exitOK {
		t.Fatalf("exit code %d, want 0\nstderr:\n%s", r.code, r.stderr)
	}
	return r
}

// startFake starts a fake Spotify for one test.
func startFake(t *testing.T, opts ...spotifytest.Option) *spotifytest.Server {
	t.Helper()
	fake := spotifytest.NewServer(opts...)
	t.Cleanup(fake.Close)
	return fake
}

// against returns the global flags pointing spotflow at fake with its
// app's credentials, followed by args.
func against(fake *spotifytest.Server, args ...string) []string {
	return append([]string{
		"--base-url", fake.URL + "/v1/",
		"--accounts-url", fake.URL,
		"--client-id", fake.ClientID,
		"--client-secret", fake.ClientSecret,
		"--progress", "off",
	}, args...)
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// noSecrets fails the test if out holds a token or the app's secret.
func noSecrets(t *testing.T, fake *spotifytest.Server, outs ...string) {
	t.Helper()
	for _, out := range outs {
		if strings.Contains(out, fake.ClientSecret) {
			t.Errorf("output holds the client secret:\n%s", out)
		}
		if strings.Contains(out, "Bearer ") || strings.Contains(out, "access_token") || strings.Contains(out, "refresh_token") {
			t.Errorf("output holds a token:\n%s", out)
		}
	}
}

// noKeepAlive is an HTTP client that leaves no idle connection (and so no
// goroutine) behind.
var noKeepAlive = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

// gauge serves a fake's handler on a server of its own and counts the
// requests under one path in flight at once. To show that a cap of wave is
// reached, and kept, it holds the first requests after the first alone
// ones (a batch lookup's probes, which go alone) until wave are in flight, and
// then for a short grace in which any request beyond the cap would arrive
// too; or until all expected ones have arrived. A wave of 1 holds none. A
// slow machine can only shorten what the grace catches, never fail a
// client that keeps the cap.
type gauge struct {
	path                string
	alone, wave, expect int

	mu                 sync.Mutex
	cur, peak, arrived int
	open               chan struct{} // closed when the held requests go on
	opening            bool
	srv                *httptest.Server
}

// gaugeGrace is how long the first full wave is held.
const gaugeGrace = 50 * time.Millisecond

// newGauge serves fake's handler through a gauge of path.
func newGauge(t *testing.T, fake *spotifytest.Server, path string, alone, wave, expect int) *gauge {
	t.Helper()
	g := &gauge{path: path, alone: alone, wave: wave, expect: expect, open: make(chan struct{})}
	h := fake.Handler()
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, g.path) {
			defer g.leave()
			g.enter(r.Context())
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(g.srv.Close)
	if wave <= 1 {
		g.release()
	}
	return g
}

func (g *gauge) enter(ctx context.Context) {
	g.mu.Lock()
	g.cur++
	g.arrived++
	g.peak = max(g.peak, g.cur)
	wait := g.open
	switch {
	case g.arrived <= g.alone:
		wait = nil
	case g.arrived >= g.expect:
		g.openLocked()
	case g.cur >= g.wave && !g.opening:
		g.opening = true
		time.AfterFunc(gaugeGrace, g.release)
	}
	g.mu.Unlock()
	if wait != nil {
		select {
		case <-wait:
		case <-ctx.Done():
		}
	}
}

func (g *gauge) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.openLocked()
}

func (g *gauge) openLocked() {
	select {
	case <-g.open:
	default:
		close(g.open)
	}
}

func (g *gauge) leave() {
	g.mu.Lock()
	g.cur--
	g.mu.Unlock()
}

// max returns the most requests of the path in flight at once.
func (g *gauge) max() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak
}
