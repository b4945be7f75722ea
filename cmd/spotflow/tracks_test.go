package main

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/spotifytest"
)

func TestTracksFromArgs(t *testing.T) {
	fake := startFake(t)
	ids := fake.IDs().Tracks
	args := against(fake, "tracks",
		ids[0],
		"spotify:track:"+ids[1],
		"https://open.spotify.com/track/"+ids[2]+"?si=abc",
		ids[0],                   // a duplicate
		"0000000000000000000000", // unknown
	)
	r := newCLI(t).run(args...).ok(t)
	var got []*struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	want := []string{ids[0], ids[1], ids[2], ids[0], ""}
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		switch {
		case w == "" && got[i] != nil:
			t.Errorf("result %d: got %+v, want null", i, got[i])
		case w != "" && (got[i] == nil || got[i].ID != w):
			t.Errorf("result %d: got %+v, want %s", i, got[i], w)
		}
	}
	fake.Close() // counts every request
	st := fake.Stats()
	if st.ByOp["get-several-tracks"] != 1 {
		t.Errorf("batch requests: %d, want 1 (duplicates looked up once)", st.ByOp["get-several-tracks"])
	}
}

func TestTracksFromStdinJSONL(t *testing.T) {
	fake := startFake(t)
	ids := fake.IDs().Tracks[:234]
	var in strings.Builder
	in.WriteString("# exported from somewhere\n")
	for i, id := range ids {
		if i%2 == 0 {
			in.WriteString("spotify:track:" + id + "\n")
		} else {
			in.WriteString(id + "  ")
		}
	}
	c := newCLI(t)
	c.stdin = strings.NewReader(in.String())
	r := c.run(against(fake, "tracks", "-", "--format", "jsonl")...).ok(t)
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var tr struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &tr); err != nil {
			t.Fatalf("line %d is not JSON: %v", n+1, err)
		}
		if tr.ID != ids[n] {
			t.Fatalf("line %d: id %s, want %s (input order)", n+1, tr.ID, ids[n])
		}
		n++
	}
	if n != len(ids) {
		t.Errorf("%d lines, want %d", n, len(ids))
	}
	// 234 IDs are 5 batches of 50.
	fake.Close() // counts every request
	if got := fake.Stats().ByOp["get-several-tracks"]; got != 5 {
		t.Errorf("batch requests: %d, want 5", got)
	}
}

func TestTracksDevelopmentModeFallback(t *testing.T) {
	fake := startFake(t, spotifytest.WithMode(spotifytest.DevelopmentMode))
	ids := fake.IDs().Tracks[:3]
	r := newCLI(t).run(against(fake, "tracks", ids[0], ids[1], ids[2], "--format", "table")...).ok(t)
	for _, id := range ids {
		if !strings.Contains(r.stdout, "spotify:track:"+id) {
			t.Errorf("table lacks %s:\n%s", id, r.stdout)
		}
	}
	fake.Close() // counts every request
	if got := fake.Stats().ByOp["get-track"]; got != 3 {
		t.Errorf("single lookups: %d, want 3 after the batch endpoint's 403", got)
	}
}

func TestTracksTable(t *testing.T) {
	fake := startFake(t)
	ids := fake.IDs().Tracks
	r := newCLI(t).run(against(fake, "tracks", ids[0], ids[10], "0000000000000000000000", "--format", "table")...).ok(t)
	golden(t, "tracks_table.golden", r.stdout)
}

func TestTracksUsage(t *testing.T) {
	fake := startFake(t)
	c := newCLI(t)
	c.stdin = strings.NewReader("spotify:track:" + fake.IDs().Tracks[0] + "\nspotify:album:" + fake.IDs().Albums[0] + "\n")
	r := c.run(against(fake, "tracks")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "stdin line 2") {
		t.Errorf("album on stdin: exit %d, stderr %s", r.code, r.stderr)
	}
	if r := newCLI(t).run(against(fake, "tracks")...); r.code != exitUsage || !strings.Contains(r.stderr, "no track IDs") {
		t.Errorf("empty stdin: exit %d, stderr %s", r.code, r.stderr)
	}
	if n := fake.Stats().Requests; n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
}

// TestTracksConcurrencyIsRequestsInFlight looks up 1,000 tracks (two
// chunks of 500, 20 batches of 50) with --concurrency 8: the server never
// has more than 8 of them in flight, and has 8 at once.
func TestTracksConcurrencyIsRequestsInFlight(t *testing.T) {
	fake := startFake(t)
	ids := fake.IDs().Tracks[:1000]
	g := newGauge(t, fake, "/v1/tracks", 1, 8, 20)
	c := newCLI(t)
	c.stdin = strings.NewReader(strings.Join(ids, "\n"))
	// No --accounts-url: a loopback --base-url serves the token too.
	r := c.run("--base-url", g.srv.URL+"/v1/", "--client-id", fake.ClientID, "--client-secret", fake.ClientSecret,
		"--progress", "off", "--concurrency", "8", "tracks", "--format", "jsonl").ok(t)
	if n := strings.Count(r.stdout, "\n"); n != len(ids) {
		t.Errorf("%d lines for %d IDs", n, len(ids))
	}
	if got := g.max(); got != 8 {
		t.Errorf("at most %d batch requests in flight; want 8 (--concurrency)", got)
	}
	g.srv.Close()
	st := fake.Stats()
	if st.ByOp["get-several-tracks"] != 20 || st.TokenRequests != 1 {
		t.Errorf("%d batch requests and %d token requests; want 20 and 1", st.ByOp["get-several-tracks"], st.TokenRequests)
	}
}

// TestTracksRefusalProbedOnce: in Development Mode, 1,000 IDs in two
// chunks probe the refused batch endpoint once, then look every track up
// alone, never more than --concurrency at once.
func TestTracksRefusalProbedOnce(t *testing.T) {
	fake := startFake(t, spotifytest.WithMode(spotifytest.DevelopmentMode))
	ids := fake.IDs().Tracks[:1000]
	g := newGauge(t, fake, "/v1/tracks", 2, 8, 1+len(ids)) // the batch probe, and one single lookup that tells a refusal
	c := newCLI(t)
	c.stdin = strings.NewReader(strings.Join(ids, " "))
	c.run("--base-url", g.srv.URL+"/v1/", "--client-id", fake.ClientID, "--client-secret", fake.ClientSecret,
		"--progress", "off", "--concurrency", "8", "tracks", "--format", "jsonl").ok(t)
	if got := g.max(); got != 8 {
		t.Errorf("at most %d requests in flight; want 8 (--concurrency)", got)
	}
	g.srv.Close()
	st := fake.Stats()
	if st.ByOp["get-several-tracks"] != 1 || st.ByOp["get-track"] != len(ids) {
		t.Errorf("%d batch probes and %d single lookups; want 1 and %d", st.ByOp["get-several-tracks"], st.ByOp["get-track"], len(ids))
	}
}
