package spotifytest

import (
	"net/http"
	"testing"
)

// revalidate sends GET path with If-None-Match: tag.
func (ts *tServer) revalidate(path, tag string) (*http.Response, []byte) {
	ts.t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ts.token)
	req.Header.Set("If-None-Match", tag)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b [1]byte
	n, _ := resp.Body.Read(b[:])
	return resp, b[:n]
}

func TestConditionalGET(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	cases := []struct {
		name, path, cacheControl string
	}{
		{"catalog", "/v1/tracks/" + ts.ids.Tracks[0], CacheControlCatalog},
		{"catalog page", "/v1/albums/" + ts.ids.Albums[0] + "/tracks?limit=2", CacheControlCatalog},
		{"search", "/v1/search?q=a&type=track", CacheControlCatalog},
		{"user", "/v1/me", CacheControlPrivate},
		{"saved", "/v1/me/tracks", CacheControlPrivate},
		{"playlist", "/v1/playlists/" + ts.ids.Playlists[0], CacheControlPrivate},
		{"episode with resume point", "/v1/episodes/" + ts.ids.Episodes[0], CacheControlPrivate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, _ := ts.do("GET", c.path, nil, "")
			tag := resp.Header.Get("ETag")
			if resp.StatusCode != 200 || len(tag) < 3 || tag[0] != '"' {
				t.Fatalf("status %d, ETag %q", resp.StatusCode, tag)
			}
			if got := resp.Header.Get("Cache-Control"); got != c.cacheControl {
				t.Errorf("Cache-Control %q, want %q", got, c.cacheControl)
			}
			for _, inm := range []string{tag, "W/" + tag, `"other", ` + tag, "*"} {
				resp, b := ts.revalidate(c.path, inm)
				if resp.StatusCode != http.StatusNotModified || len(b) != 0 {
					t.Errorf("If-None-Match %s: status %d, body %q", inm, resp.StatusCode, b)
				}
				if resp.Header.Get("ETag") != tag || resp.Header.Get("Cache-Control") != c.cacheControl {
					t.Errorf("304 headers %v", resp.Header)
				}
			}
			if resp, _ := ts.revalidate(c.path, `"stale"`); resp.StatusCode != 200 {
				t.Errorf("a stale tag: status %d, want 200", resp.StatusCode)
			}
		})
	}
	// Writes and errors carry no validator.
	resp, _ := ts.do("GET", "/v1/tracks/notanid", nil, "")
	if resp.StatusCode != 400 || resp.Header.Get("ETag") != "" {
		t.Errorf("error answer: %d, ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
}

// Every page of a playlist gets a new ETag when the playlist changes, the
// pages whose rows did not move included; an unchanged playlist keeps its
// ETags.
func TestPlaylistETagFollowsSnapshot(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	var created struct{ ID string }
	decode(t, ts.want(t, 201, "POST", "/v1/me/playlists", `{"name":"Mine"}`), &created)
	base := "/v1/playlists/" + created.ID
	ts.want(t, 201, "POST", base+"/items", `{"uris":["spotify:track:`+ts.ids.Tracks[0]+`","spotify:track:`+ts.ids.Tracks[1]+`"]}`)
	paths := []string{base, base + "/items?offset=0&limit=1", base + "/items?offset=1&limit=1"}
	tags := func() []string {
		var out []string
		for _, p := range paths {
			resp, _ := ts.do("GET", p, nil, "")
			out = append(out, resp.Header.Get("ETag"))
		}
		return out
	}
	before := tags()
	if again := tags(); again[0] != before[0] || again[1] != before[1] || again[2] != before[2] {
		t.Fatalf("ETags moved without a change: %v then %v", before, again)
	}
	// Append a row: the first two rows stay where they were.
	ts.want(t, 201, "POST", base+"/items", `{"uris":["spotify:track:`+ts.ids.Tracks[2]+`"]}`)
	after := tags()
	for i := range paths {
		if after[i] == before[i] {
			t.Errorf("%s: ETag %s kept after the playlist changed", paths[i], after[i])
		}
		if resp, _ := ts.revalidate(paths[i], before[i]); resp.StatusCode != 200 {
			t.Errorf("%s revalidated with the old ETag: %d, want 200", paths[i], resp.StatusCode)
		}
	}
}
