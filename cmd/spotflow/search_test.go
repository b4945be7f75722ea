package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSearchJSON(t *testing.T) {
	fake := startFake(t)
	r := newCLI(t).run(against(fake, "search", "the", "--type", "track,artist", "--limit", "3")...).ok(t)
	var res struct {
		Tracks *struct {
			Items []struct {
				Type string `json:"type"`
				Name string `json:"name"`
			} `json:"items"`
			Total int `json:"total"`
		} `json:"tracks"`
		Artists *struct {
			Items []struct {
				Type string `json:"type"`
			} `json:"items"`
		} `json:"artists"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	if res.Tracks == nil || len(res.Tracks.Items) != 3 || res.Tracks.Items[0].Type != "track" {
		t.Errorf("tracks: %+v", res.Tracks)
	}
	if res.Artists == nil || len(res.Artists.Items) == 0 || res.Artists.Items[0].Type != "artist" {
		t.Errorf("artists: %+v", res.Artists)
	}
	// Types not asked for are left out, not written as null.
	for _, typ := range []string{"albums", "playlists", "shows", "episodes", "audiobooks"} {
		if strings.Contains(r.stdout, `"`+typ+`"`) {
			t.Errorf("%s were not asked for but came:\n%s", typ, r.stdout)
		}
	}
	fake.Close() // counts every request
	if got := fake.Requests(); len(got) != 2 || !strings.Contains(got[1].Query, "limit=3") {
		t.Errorf("requests %+v: want a token request and one search with limit=3", got)
	}
}

func TestSearchTable(t *testing.T) {
	fake := startFake(t)
	r := newCLI(t).run(against(fake, "search", "wild", "brothers", "--type", "artist,album,track", "--limit", "2", "--format", "table")...).ok(t)
	golden(t, "search_table.golden", r.stdout)
}

func TestSearchUsage(t *testing.T) {
	fake := startFake(t)
	for name, args := range map[string][]string{
		"no query":    {"search"},
		"empty query": {"search", ""},
		"blank query": {"search", " ", "\t"},
		"bad type":    {"search", "x", "--type", "song"},
		"limit 0":     {"search", "x", "--limit", "0"},
		"limit 11":    {"search", "x", "--limit", "11"},
		"bad offset":  {"search", "x", "--offset", "1001"},
	} {
		if r := newCLI(t).run(against(fake, args...)...); r.code != exitUsage {
			t.Errorf("%s: exit code %d, want %d; stderr %s", name, r.code, exitUsage, r.stderr)
		}
	}
	if n := fake.Stats().Requests; n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
}
