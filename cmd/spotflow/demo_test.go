package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// smallQuery finds small playlists on the fake: the demo streams the
// largest of them instead of 10,000 items.
const smallQuery = "mix"

// smallDemo returns the arguments of a demo quick enough for tests, under
// the race detector too: three artists, the largest playlist smallQuery
// finds, and 150 tracks in bulk. It returns the playlist's name and
// number of items too, read from a fake of the demo's seed.
func smallDemo(t *testing.T) (args []string, playlist string, items int) {
	t.Helper()
	playlist, items = largestPlaylist(t, startFake(t), smallQuery)
	return []string{"demo", "--artists", "3", "--lookups", "150", "--playlist-query", smallQuery}, playlist, items
}

// largestPlaylist is the playlist with the most items on the first page of
// fake's search for q, as the demo picks it.
func largestPlaylist(t *testing.T, fake *spotifytest.Server, q string) (name string, items int) {
	t.Helper()
	c, err := spotify.NewClient(spotify.WithBaseURL(fake.URL+"/v1/"), spotify.WithTokenSource(staticToken(fake.ClientToken())))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Search.Playlists(t.Context(), q, &spotify.SearchOptions{ListOptions: spotify.ListOptions{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	for _, pl := range p.Items {
		if n := pl.ItemsRef().Total; n > items {
			name, items = pl.Name, n
		}
	}
	return name, items
}

// embeddedFake are the demo flags that keep its fake quick and calm: a
// window the crawl stays under, no latency, no faults.
var embeddedFake = []string{"--window", "2000/1s", "--latency", "0", "--jitter", "0", "--faults", ""}

// checkDemoSummary checks the lines of a demo's summary, the same on any
// server, and returns the requests it says it sent to the Web API and to
// the accounts service.
func checkDemoSummary(t *testing.T, out, playlist string, items int) (api, accounts int) {
	t.Helper()
	for _, re := range []string{
		`(?m)^discographies  3 artists, \d+ albums, \d[\d,]* tracks$`,
		`(?m)^playlist       ` + strconv.Itoa(items) + ` items \(` + regexp.QuoteMeta(playlist) + `\)$`,
		`(?m)^bulk lookup    150 tracks$`,
		`(?m)^items          [\d,]+$`,
		`(?m)^429s           \d+$`,
		`(?m)^failures       \d+ \(5xx answers, broken connections\)$`,
		`(?m)^retries        \d+$`,
		`(?m)^time waited    \S+`,
		`(?m)^elapsed        \S+$`,
		`(?m)^items/s        [\d,]+$`,
		`(?m)^rate budget    (\d+% used: |window not known: |no rate window: )[\d.]+ requests/s admitted`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("summary lacks %s:\n%s", re, out)
		}
	}
	m := regexp.MustCompile(`(?m)^requests       ([\d,]+) to the Web API, ([\d,]+) to the accounts service$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("summary lacks its requests:\n%s", out)
	}
	return atoi(t, m[1]), atoi(t, m[2])
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDemoSummary(t *testing.T) {
	args, playlist, items := smallDemo(t)
	r := newCLI(t).run(append(append([]string{"--progress", "lines"}, args...), embeddedFake...)...).ok(t)
	if want := `Crawling a fake Spotify started in-process: the discographies of 3 artists found by searching "the",
the largest playlist found by searching "mix", and 150 of their tracks in bulk,
under a rate window of 2000 requests per 1s, with 0s latency (+ up to 0s).
`; !strings.HasPrefix(r.stdout, want) {
		t.Errorf("header:\n%s\nwant:\n%s", r.stdout, want)
	}
	if _, accounts := checkDemoSummary(t, r.stdout, playlist, items); accounts != 1 {
		t.Errorf("%d token requests; want 1", accounts)
	}
	if !regexp.MustCompile(`(?m)^rate budget    \d+% used: [\d.]+ requests/s admitted of the 2000.0/s a window of 2000 per 1s allows$`).MatchString(r.stdout) {
		t.Errorf("rate budget of the embedded fake's window:\n%s", r.stdout)
	}
	// Without a terminal: plain lines, one per task as it ends.
	for _, line := range []string{"search: ", "artists: 3 artists, done in", "playlist: " + strconv.Itoa(items) + " items, done in", "lookup: 150 tracks, done in"} {
		if !strings.Contains(r.stderr, line) {
			t.Errorf("stderr lacks %q:\n%s", line, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "\x1b[") {
		t.Errorf("plain progress has escape sequences: %q", r.stderr)
	}
}

// TestDemoAgainstFakeServer runs the demo against `spotflow fake-server`
// in a process of its own, named by --base-url and credentials alone: every
// request the demo counts reaches that server, and the summary has the
// same lines as on the embedded fake.
func TestDemoAgainstFakeServer(t *testing.T) {
	srv := startFakeServerProcess(t)
	playlist, items := largestPlaylist(t, startFake(t), smallQuery) // the same seed's catalog
	args, _, _ := smallDemo(t)
	r := newCLI(t).run(append([]string{"--progress", "off", "--base-url", srv.url + "/v1",
		"--client-id", srv.clientID, "--client-secret", srv.clientSecret}, args...)...).ok(t)
	if !strings.HasPrefix(r.stdout, "Crawling "+srv.url+"/v1/: ") {
		t.Errorf("header does not name the server:\n%s", r.stdout)
	}
	api, accounts := checkDemoSummary(t, r.stdout, playlist, items)
	served, tokens := srv.stop(t)
	if served != api+accounts || tokens != accounts || api < 10 {
		t.Errorf("the server saw %d requests (%d for tokens); the demo says it sent %d to the Web API and %d to the accounts service",
			served, tokens, api, accounts)
	}
}

// TestDemoFakeFalseNeedsCredentials: --fake=false points the demo at
// Spotify, which needs the app's credentials; without them it stops before
// any request instead of crawling the fake.
func TestDemoFakeFalseNeedsCredentials(t *testing.T) {
	r := newCLI(t).run("--progress", "off", "--fake=false", "demo")
	if r.code != exitAuth || strings.Contains(r.stdout, "Crawling") {
		t.Errorf("exit %d, stdout %q; want %d and no crawl", r.code, r.stdout, exitAuth)
	}
}

func TestDemoUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"bad window":                  {"demo", "--window", "many"},
		"bad faults":                  {"demo", "--faults", "oops"},
		"argument":                    {"demo", "now"},
		"empty query":                 {"demo", "--artist-query", " "},
		"no artist":                   {"demo", "--artists", "0"},
		"no lookup":                   {"demo", "--lookups", "-1"},
		"playlist given and searched": {"demo", "--playlist", "37i9dQZF1DXcBWIGoYBM5M", "--playlist-query", "x"},
		"fake flag for a server":      {"demo", "--base-url", "http://127.0.0.1:9/v1", "--latency", "1s"},
		"fake flag without the fake":  {"demo", "--fake=false", "--window", "off"},
	} {
		if r := newCLI(t).run(args...); r.code != exitUsage {
			t.Errorf("%s: exit %d, want %d; stderr %s", name, r.code, exitUsage, r.stderr)
		}
	}
}
