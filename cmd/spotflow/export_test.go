package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/rows"
	"github.com/spotflow/spotflow/spotifytest"
)

// exportCSV exports a playlist of fake as CSV to a file and returns its
// records and the run.
func exportCSV(t *testing.T, fake *spotifytest.Server, playlist string, extra ...string) ([][]string, result) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "list.csv")
	args := against(fake, append([]string{"export", "playlist", "spotify:playlist:" + playlist, "--format", "csv", "--out", out, "--progress", "lines"}, extra...)...)
	r := newCLI(t).run(args...).ok(t)
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], rows.CSVHeader) {
		t.Fatalf("no header %v: %v", rows.CSVHeader, recs)
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("wrote %s items to %s", count(len(recs)-1), out)) {
		t.Errorf("stderr lacks the closing line:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "\x1b[") {
		t.Errorf("stderr has escape sequences though it is not a terminal:\n%q", r.stderr)
	}
	return recs, r
}

// checkRows checks that recs are rows 0..n-1 in order, each complete.
func checkRows(t *testing.T, recs [][]string, n int) (tracks, episodes int) {
	t.Helper()
	if len(recs) != n {
		t.Fatalf("%d rows, want %d", len(recs), n)
	}
	for i, rec := range recs {
		if rec[0] != strconv.Itoa(i) {
			t.Fatalf("row %d has position %s: out of order", i, rec[0])
		}
		switch rec[3] {
		case "track":
			tracks++
		case "episode":
			episodes++
		default:
			continue
		}
		if rec[4] == "" || rec[5] == "" || !strings.HasPrefix(rec[10], "spotify:"+rec[3]+":") {
			t.Fatalf("row %d is incomplete: %v", i, rec)
		}
	}
	return tracks, episodes
}

func TestExportPlaylistCSV(t *testing.T) {
	fake := startFake(t)
	// Every fifth playlist of the fake's catalog mixes in episodes.
	pl := fake.IDs().Playlists[4]
	recs, r := exportCSV(t, fake, pl)
	total := playlistTotal(t, fake, pl)
	tracks, episodes := checkRows(t, recs[1:], total)
	if tracks == 0 || episodes == 0 {
		t.Errorf("%d tracks and %d episodes: want both", tracks, episodes)
	}
	if !strings.Contains(r.stderr, fmt.Sprintf("playlist: %d items, done in", total)) {
		t.Errorf("stderr lacks the progress line:\n%s", r.stderr)
	}
}

func TestExportPlaylist10K(t *testing.T) {
	if raceEnabled {
		t.Skip("10,000 rows take too long under the race detector; spotify/async streams them there")
	}
	fake := startFake(t)
	recs, r := exportCSV(t, fake, fake.IDs().Playlist10K, "--concurrency", "16")
	checkRows(t, recs[1:], 10_000)
	if !strings.Contains(r.stderr, "playlist: 10,000 items, done in") {
		t.Errorf("stderr lacks the progress line:\n%s", r.stderr)
	}
}

// playlistTotal is the playlist's item count, as get reports it.
func playlistTotal(t *testing.T, fake *spotifytest.Server, id string) int {
	t.Helper()
	g := newCLI(t).run(against(fake, "get", "spotify:playlist:"+id)...).ok(t)
	var meta struct {
		Items struct {
			Total int `json:"total"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(g.stdout), &meta); err != nil {
		t.Fatal(err)
	}
	return meta.Items.Total
}

func TestExportPlaylistJSONL(t *testing.T) {
	fake := startFake(t)
	pl := fake.IDs().Playlists[1] // two pages
	r := newCLI(t).run(against(fake, "export", "playlist", "https://open.spotify.com/playlist/"+pl)...).ok(t)
	total := playlistTotal(t, fake, pl)

	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	n := 0
	for sc.Scan() {
		var row rows.Row
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %d is not JSON: %v", n+1, err)
		}
		if row.Position != n || row.URI == "" || row.Name == "" {
			t.Fatalf("line %d: %+v", n+1, row)
		}
		n++
	}
	if n <= 50 || n != total {
		t.Errorf("%d lines, want the playlist's %d items (more than a page)", n, total)
	}
}

func TestExportLibraryWithFake(t *testing.T) {
	r := newCLI(t).run("--fake", "--progress", "lines", "export", "library", "--format", "csv").ok(t)
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, r.stdout)
	}
	// The fake's default user has 40 saved tracks.
	if len(recs) != 41 || !slices.Equal(recs[0], rows.CSVHeader) {
		t.Fatalf("%d records (header %v), want a header and 40 rows", len(recs), recs[0])
	}
	for _, rec := range recs[1:] {
		if rec[1] == "" || rec[3] != "track" {
			t.Errorf("row without added_at or not a track: %v", rec)
		}
	}
	if !strings.Contains(r.stderr, "saved tracks: 40 items, done in") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestExportLibraryNeedsLogin(t *testing.T) {
	fake := startFake(t)
	r := newCLI(t).run(against(fake, "export", "library")...)
	if r.code != exitAuth || !strings.Contains(r.stderr, "not logged in") || !strings.Contains(r.stderr, "spotflow login") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestExportErrors(t *testing.T) {
	fake := startFake(t)
	pl := "spotify:playlist:" + fake.IDs().Playlists[0]
	for name, args := range map[string][]string{
		"bad format":     {"export", "playlist", pl, "--format", "xml"},
		"album for list": {"export", "playlist", "spotify:album:" + fake.IDs().Albums[0]},
		"unknown export": {"export", "albums"},
		"no playlist":    {"export", "playlist"},
	} {
		if r := newCLI(t).run(against(fake, args...)...); r.code != exitUsage {
			t.Errorf("%s: exit %d, want %d; stderr %s", name, r.code, exitUsage, r.stderr)
		}
	}

	// A failed export leaves no file behind.
	out := filepath.Join(t.TempDir(), "x.jsonl")
	r := newCLI(t).run(against(fake, "export", "playlist", "spotify:playlist:0000000000000000000000", "--out", out)...)
	if r.code != exitError || !strings.Contains(r.stderr, "404") {
		t.Errorf("exit %d, want %d; stderr %s", r.code, exitError, r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the failed export left %s behind (%v)", out, err)
	}
}

// TestExportPlaylistAsksForEpisodes: every page request of a playlist
// export says it understands episodes, so that none comes in a track's
// shape.
func TestExportPlaylistAsksForEpisodes(t *testing.T) {
	fake := startFake(t)
	var mu sync.Mutex
	var queries []url.Values
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/playlists/") {
			mu.Lock()
			queries = append(queries, r.URL.Query())
			mu.Unlock()
		}
		fake.Handler().ServeHTTP(w, r)
	}))
	defer rec.Close()
	pl := fake.IDs().Playlists[4]
	args := []string{"--base-url", rec.URL + "/v1/", "--accounts-url", rec.URL, "--client-id", fake.ClientID,
		"--client-secret", fake.ClientSecret, "--progress", "off",
		"export", "playlist", "spotify:playlist:" + pl, "--out", filepath.Join(t.TempDir(), "x.jsonl")}
	newCLI(t).run(args...).ok(t)
	mu.Lock()
	defer mu.Unlock()
	if len(queries) == 0 {
		t.Fatal("no playlist request")
	}
	for _, q := range queries {
		if got := q.Get("additional_types"); got != "track,episode" {
			t.Fatalf("additional_types=%q in %v; want track,episode", got, q)
		}
	}
}
