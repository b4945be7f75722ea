package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/models"
)

func TestGetJSON(t *testing.T) {
	fake := startFake(t)
	ids := fake.IDs()
	cases := []struct {
		arg, kind, wantType string
	}{
		{"spotify:track:" + ids.Tracks[0], "", "track"},
		{"https://open.spotify.com/album/" + ids.Albums[0] + "?si=x", "", "album"},
		{ids.Artists[0], "artist", "artist"},
		{"spotify:playlist:" + ids.Playlists[0], "", "playlist"},
		{"spotify:show:" + ids.Shows[0], "", "show"},
		{"spotify:episode:" + ids.Episodes[0], "", "episode"},
		{"spotify:audiobook:" + ids.Audiobooks[0], "", "audiobook"},
		// Spotify's contract types a chapter "episode", and the fake follows it.
		{"spotify:chapter:" + ids.Chapters[0], "", "episode"},
		{ids.Users[0], "user", "user"},
	}
	for _, tc := range cases {
		t.Run(tc.arg, func(t *testing.T) {
			args := []string{"get", tc.arg}
			if tc.kind != "" {
				args = append(args, "--type", tc.kind)
			}
			r := newCLI(t).run(against(fake, args...)...).ok(t)
			var obj struct {
				Type string `json:"type"`
				ID   string `json:"id"`
				Name string `json:"name"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &obj); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
			}
			ref, _ := models.Parse(tc.arg)
			if ref.ID == "" {
				ref.ID = tc.arg
			}
			if obj.Type != tc.wantType || obj.ID != ref.ID {
				t.Errorf("got type %q id %q, want %q %q", obj.Type, obj.ID, tc.wantType, ref.ID)
			}
			noSecrets(t, fake, r.stdout, r.stderr)
		})
	}
}

func TestGetTable(t *testing.T) {
	fake := startFake(t)
	ids := fake.IDs()
	c := newCLI(t)
	var out strings.Builder
	for _, arg := range []string{
		"spotify:track:" + ids.Tracks[0],
		"spotify:album:" + ids.Albums[0],
		"spotify:artist:" + ids.Artists[0],
		"spotify:playlist:" + ids.Playlist10K,
	} {
		r := c.run(against(fake, "get", arg, "--format", "table")...).ok(t)
		out.WriteString("$ spotflow get " + arg + " --format table\n" + r.stdout + "\n")
	}
	golden(t, "get_table.golden", out.String())
}

func TestGetMarket(t *testing.T) {
	fake := startFake(t)
	r := newCLI(t).run(against(fake, "--market", "SE", "get", "spotify:track:"+fake.IDs().Tracks[0])...).ok(t)
	var tr struct {
		IsPlayable *bool `json:"is_playable"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.IsPlayable == nil {
		t.Errorf("is_playable missing: --market was not sent")
	}
	fake.Close() // counts every request
	if got := fake.Requests(); len(got) == 0 || !strings.Contains(got[len(got)-1].Query, "market=SE") {
		t.Errorf("last request %+v has no market=SE", got)
	}
}

func TestGetUsageErrors(t *testing.T) {
	fake := startFake(t)
	track := fake.IDs().Tracks[0]
	cases := map[string][]string{
		"bare ID without --type": {"get", track},
		"wrong --type":           {"get", "spotify:track:" + track, "--type", "album"},
		"unknown --type":         {"get", track, "--type", "podcast"},
		"bad ID":                 {"get", "spotify:track:nope"},
		"bad format":             {"get", "spotify:track:" + track, "--format", "xml"},
		"no argument":            {"get"},
		"two arguments":          {"get", "spotify:track:" + track, "spotify:track:" + track},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			r := newCLI(t).run(against(fake, args...)...)
			if r.code != exitUsage {
				t.Errorf("exit code %d, want %d\nstderr: %s", r.code, exitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, "Run 'spotflow get --help' for usage.") {
				t.Errorf("stderr does not point to help:\n%s", r.stderr)
			}
		})
	}
	if n := fake.Stats().Requests; n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
}

func TestGetNotFound(t *testing.T) {
	fake := startFake(t)
	r := newCLI(t).run(against(fake, "get", "spotify:track:0000000000000000000000")...)
	if r.code != exitError {
		t.Fatalf("exit code %d, want %d", r.code, exitError)
	}
	if !strings.Contains(r.stderr, "404") {
		t.Errorf("stderr does not say 404:\n%s", r.stderr)
	}
}

func TestGetWithFake(t *testing.T) {
	// --fake: no credentials, no server of the test's own. The catalog is
	// fixed by the default seed, so a test's fake has the same IDs.
	fake := startFake(t)
	track := fake.IDs().Tracks[0]
	r := newCLI(t).run("--fake", "--progress", "off", "get", "spotify:track:"+track, "--format", "table").ok(t)
	if !strings.Contains(r.stdout, "spotify:track:"+track) {
		t.Errorf("output:\n%s", r.stdout)
	}
}

// TestFakeFlag runs the catalog commands against the embedded fake: no
// credentials, no server of the test's own.
func TestFakeFlag(t *testing.T) {
	fake := startFake(t) // the same default catalog, for its IDs
	ids := fake.IDs()
	for name, args := range map[string][]string{
		"search": {"search", "wild", "--format", "table"},
		"tracks": {"tracks", ids.Tracks[0], ids.Tracks[1], "--format", "table"},
		"export": {"export", "playlist", "spotify:playlist:" + ids.Playlists[0], "--format", "csv"},
	} {
		t.Run(name, func(t *testing.T) {
			r := newCLI(t).run(append([]string{"--fake", "--progress", "off"}, args...)...).ok(t)
			if !strings.Contains(r.stdout, "spotify:") {
				t.Errorf("output:\n%s", r.stdout)
			}
		})
	}
}

func TestVerboseLogsWithoutSecrets(t *testing.T) {
	fake := startFake(t)
	r := newCLI(t).run(against(fake, "-v", "get", "spotify:track:"+fake.IDs().Tracks[0])...).ok(t)
	if !strings.Contains(r.stderr, "tracks/"+fake.IDs().Tracks[0]) {
		t.Errorf("--verbose logged no request:\n%s", r.stderr)
	}
	noSecrets(t, fake, r.stderr)
}
