package spotifytest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// page is the part of a paging object the tests read.
type page struct {
	Href     string            `json:"href"`
	Items    []json.RawMessage `json:"items"`
	Limit    int               `json:"limit"`
	Next     *string           `json:"next"`
	Offset   int               `json:"offset"`
	Previous *string           `json:"previous"`
	Total    int               `json:"total"`
	Cursors  *struct {
		After  string `json:"after"`
		Before string `json:"before"`
	} `json:"cursors"`
}

func decodePage(t *testing.T, b []byte) page {
	t.Helper()
	var p page
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("decode page: %v: %.200s", err, b)
	}
	return p
}

// pathOf strips the fake's base URL from an absolute link.
func (ts *tServer) pathOf(t *testing.T, link string) string {
	t.Helper()
	if !strings.HasPrefix(link, ts.URL+"/v1/") {
		t.Fatalf("link %q is not absolute against %s", link, ts.URL)
	}
	return strings.TrimPrefix(link, ts.URL)
}

func TestLimitValidation(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	album, pl := ts.ids.Albums[0], ts.ids.Playlist10K
	for _, tc := range []struct {
		path string
		msg  string
	}{
		{"/v1/albums/" + album + "/tracks?limit=0", "Invalid limit"},
		{"/v1/albums/" + album + "/tracks?limit=51", "Invalid limit"},
		{"/v1/albums/" + album + "/tracks?limit=ten", "Invalid limit"},
		{"/v1/albums/" + album + "/tracks?offset=-1", "Invalid offset"},
		{"/v1/playlists/" + pl + "/items?limit=51", "Invalid limit"},
		{"/v1/playlists/" + pl + "/tracks?limit=101", "Invalid limit"},
		{"/v1/artists/" + ts.ids.Artists[0] + "/albums?limit=11", "Invalid limit"},
		{"/v1/search?q=a&type=track&limit=11", "Invalid limit"},
		{"/v1/search?q=a&type=track&offset=1001", "Invalid offset"},
		{"/v1/me/tracks?limit=51", "Invalid limit"},
		{"/v1/me/player/recently-played?limit=51", "Invalid limit"},
		{"/v1/me/following?type=artist&limit=51", "Invalid limit"},
	} {
		resp, b := ts.do("GET", tc.path, nil, "")
		want := `{"error":{"message":"` + tc.msg + `","status":400}}`
		if resp.StatusCode != 400 || strings.TrimSpace(string(b)) != want {
			t.Errorf("GET %s: %d %s, want 400 %s", tc.path, resp.StatusCode, b, want)
		}
	}
	// The maxima themselves are fine.
	for _, path := range []string{
		"/v1/playlists/" + pl + "/tracks?limit=100",
		"/v1/playlists/" + pl + "/items?limit=50",
		"/v1/search?q=a&type=track&limit=10",
		"/v1/artists/" + ts.ids.Artists[0] + "/albums?limit=10",
	} {
		ts.get(path)
	}
}

func TestDefaultLimits(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	for _, tc := range []struct {
		path  string
		limit int
	}{
		{"/v1/playlists/" + ts.ids.Playlist10K + "/items", 20},
		{"/v1/artists/" + ts.ids.Artists[0] + "/albums", 5},
		{"/v1/shows/" + ts.ids.Shows[0] + "/episodes", 20},
	} {
		p := decodePage(t, ts.get(tc.path))
		if p.Limit != tc.limit || len(p.Items) != tc.limit {
			t.Errorf("%s: limit %d with %d items, want %d", tc.path, p.Limit, len(p.Items), tc.limit)
		}
	}
	var s struct{ Tracks page }
	if err := json.Unmarshal(ts.get("/v1/search?q=the&type=track"), &s); err != nil {
		t.Fatal(err)
	}
	if s.Tracks.Limit != 5 || len(s.Tracks.Items) != 5 {
		t.Errorf("search: limit %d with %d items, want 5", s.Tracks.Limit, len(s.Tracks.Items))
	}
}

// TestPlaylist10KWalk follows next links through the 10,000-item playlist
// and sees every item once, with consistent totals and previous links.
func TestPlaylist10KWalk(t *testing.T) {
	ts := startFake(t, DevelopmentMode)
	path := "/v1/playlists/" + ts.ids.Playlist10K + "/items?limit=50"
	seen := map[string]bool{}
	pages, offset := 0, 0
	for path != "" {
		p := decodePage(t, ts.get(path))
		if p.Total != 10_000 || p.Offset != offset || p.Limit != 50 {
			t.Fatalf("page %d: total %d offset %d limit %d", pages, p.Total, p.Offset, p.Limit)
		}
		if (p.Previous == nil) != (offset == 0) {
			t.Fatalf("offset %d: previous %v", offset, p.Previous)
		}
		for _, it := range p.Items {
			var row struct {
				Item  struct{ ID string } `json:"item"`
				Track *json.RawMessage    `json:"track"`
			}
			if err := json.Unmarshal(it, &row); err != nil {
				t.Fatal(err)
			}
			if row.Track != nil {
				t.Fatal("DevelopmentMode rows must not carry the legacy track key")
			}
			if seen[row.Item.ID] {
				t.Fatalf("track %s seen twice", row.Item.ID)
			}
			seen[row.Item.ID] = true
		}
		offset += len(p.Items)
		pages++
		path = ""
		if p.Next != nil {
			path = ts.pathOf(t, *p.Next)
		}
	}
	if len(seen) != 10_000 || pages != 200 {
		t.Fatalf("walked %d items in %d pages, want 10000 in 200", len(seen), pages)
	}
}

func TestPlaylist100KLastPage(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	p := decodePage(t, ts.get("/v1/playlists/"+ts.ids.Playlist100K+"/tracks?offset=99950&limit=100"))
	if p.Total != 100_000 || len(p.Items) != 50 || p.Next != nil || p.Previous == nil {
		t.Fatalf("total %d items %d next %v previous %v", p.Total, len(p.Items), p.Next, p.Previous)
	}
	prev, _ := url.Parse(*p.Previous)
	if prev.Query().Get("offset") != "99850" || prev.Query().Get("limit") != "100" {
		t.Errorf("previous = %s", *p.Previous)
	}
	// Past the end: an empty page, no next.
	p = decodePage(t, ts.get("/v1/playlists/"+ts.ids.Playlist100K+"/items?offset=100000"))
	if len(p.Items) != 0 || p.Next != nil {
		t.Errorf("past the end: %d items, next %v", len(p.Items), p.Next)
	}
}

func TestLinksUseRequestHost(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	req, _ := http.NewRequest("GET", ts.URL+"/v1/albums/"+ts.ids.Albums[0]+"/tracks?limit=2&market=SE", nil)
	req.Host = "fake.example:8080"
	req.Header.Set("Authorization", "Bearer "+ts.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p page
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	want := "http://fake.example:8080/v1/albums/" + ts.ids.Albums[0] + "/tracks?offset=2&limit=2&market=SE"
	if p.Next == nil || *p.Next != want {
		t.Errorf("next = %v, want %s", p.Next, want)
	}
	if p.Total != 10 || p.Previous != nil {
		t.Errorf("total %d previous %v", p.Total, p.Previous)
	}
}

func TestFollowedArtistsCursor(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	path := "/v1/me/following?type=artist&limit=7"
	var got []string
	for path != "" {
		var w struct{ Artists page }
		if err := json.Unmarshal(ts.get(path), &w); err != nil {
			t.Fatal(err)
		}
		p := w.Artists
		for _, it := range p.Items {
			var a struct{ ID string }
			_ = json.Unmarshal(it, &a)
			got = append(got, a.ID)
		}
		path = ""
		if p.Next != nil {
			if p.Cursors == nil || p.Cursors.After != got[len(got)-1] {
				t.Fatalf("cursors %+v, last id %s", p.Cursors, got[len(got)-1])
			}
			path = ts.pathOf(t, *p.Next)
		}
		if p.Total != 30 {
			t.Fatalf("total %d, want 30", p.Total)
		}
	}
	if len(got) != 30 {
		t.Fatalf("walked %d artists, want 30", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("artists out of cursor order at %d", i)
		}
	}
}

func TestRecentlyPlayedCursors(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	type play struct {
		PlayedAt string `json:"played_at"`
	}
	// Backwards with before: every play once, newest first.
	path := "/v1/me/player/recently-played?limit=20"
	var times []string
	var oldest string
	for path != "" {
		p := decodePage(t, ts.get(path))
		for _, it := range p.Items {
			var h play
			_ = json.Unmarshal(it, &h)
			times = append(times, h.PlayedAt)
		}
		oldest = p.Cursors.Before
		path = ""
		if p.Next != nil {
			path = ts.pathOf(t, *p.Next)
		}
	}
	if len(times) != 75 {
		t.Fatalf("walked %d plays, want 75", len(times))
	}
	for i := 1; i < len(times); i++ {
		if times[i] >= times[i-1] {
			t.Fatalf("plays not newest first at %d: %s then %s", i, times[i-1], times[i])
		}
	}
	// Forwards with after from just before the oldest: the same plays.
	ms, _ := strconv.ParseInt(oldest, 10, 64)
	path = "/v1/me/player/recently-played?limit=50&after=" + strconv.FormatInt(ms-1, 10)
	n := 0
	for path != "" {
		p := decodePage(t, ts.get(path))
		n += len(p.Items)
		path = ""
		if p.Next != nil {
			path = ts.pathOf(t, *p.Next)
		}
	}
	if n != 75 {
		t.Fatalf("walked %d plays forwards, want 75", n)
	}
	resp, _ := ts.do("GET", "/v1/me/player/recently-played?after=1&before=2", nil, "")
	if resp.StatusCode != 400 {
		t.Errorf("after and before: %d, want 400", resp.StatusCode)
	}
}
