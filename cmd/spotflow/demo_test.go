package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// smallDemo returns the arguments of a demo quick enough for tests, under
// the race detector too: three artists, a playlist of two pages instead of
// 10,000 items, no latency, and a window the crawl stays under. It returns
// the playlist's ID and its number of items too.
func smallDemo(t *testing.T) (args []string, playlist string, items int) {
	t.Helper()
	// The demo's fake has the default seed, so it has this catalog too.
	fake := startFake(t)
	playlist = fake.IDs().Playlists[1]
	r := newCLI(t).run(against(fake, "get", "spotify:playlist:"+playlist, "--format", "table")...).ok(t)
	m := regexp.MustCompile(`(?m)^Items\s+(\d+)$`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no item count:\n%s", r.stdout)
	}
	items, _ = strconv.Atoi(m[1])
	return []string{"demo", "--artists", "3", "--lookups", "300", "--playlist", playlist,
		"--window", "2000/1s", "--latency", "0", "--jitter", "0", "--faults", ""}, playlist, items
}

func TestDemoSummary(t *testing.T) {
	args, playlist, items := smallDemo(t)
	r := newCLI(t).run(append([]string{"--progress", "lines"}, args...)...).ok(t)
	for _, re := range []string{
		`(?m)^Crawling a fake Spotify: 3 artists' discographies, playlist ` + playlist + ` and 300 tracks in bulk,$`,
		`(?m)^discographies  3 artists, \d+ albums, \d[\d,]* tracks$`,
		`(?m)^playlist       ` + strconv.Itoa(items) + ` items$`,
		`(?m)^bulk lookup    300 tracks$`,
		`(?m)^items          [\d,]+$`,
		`(?m)^requests       [\d,]+ to the Web API, 1 to the accounts service$`,
		`(?m)^429s           \d+$`,
		`(?m)^retries        \d+$`,
		`(?m)^time waited    \S+`,
		`(?m)^elapsed        \S+$`,
		`(?m)^items/s        [\d,]+$`,
		`(?m)^rate budget    \d+% used: [\d.]+ requests/s admitted of the 2000.0/s a window of 2000 per 1s allows$`,
	} {
		if !regexp.MustCompile(re).MatchString(r.stdout) {
			t.Errorf("summary lacks %s:\n%s", re, r.stdout)
		}
	}
	// Without a terminal: plain lines, one per task as it ends.
	for _, line := range []string{"artists: 3 artists, done in", "playlist: " + strconv.Itoa(items) + " items, done in", "lookup: 300 tracks, done in"} {
		if !strings.Contains(r.stderr, line) {
			t.Errorf("stderr lacks %q:\n%s", line, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "\x1b[") {
		t.Errorf("plain progress has escape sequences: %q", r.stderr)
	}
}

func TestDemoUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"bad window": {"demo", "--window", "many"},
		"bad faults": {"demo", "--faults", "oops"},
		"argument":   {"demo", "now"},
	} {
		if r := newCLI(t).run(args...); r.code != exitUsage {
			t.Errorf("%s: exit %d, want %d; stderr %s", name, r.code, exitUsage, r.stderr)
		}
	}
}
