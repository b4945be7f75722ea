package spotifytest

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestRoutesCoverContract(t *testing.T) {
	s := &Server{}
	rs := s.routes()
	if len(rs) != 97 {
		t.Errorf("%d routes, want the contract's 97", len(rs))
	}
	seen := map[string]bool{}
	for _, r := range rs {
		key := r.Method + " " + r.Path
		if seen[r.Op] || seen[key] {
			t.Errorf("%s (%s) listed twice", r.Op, key)
		}
		seen[r.Op], seen[key] = true, true
		if strings.HasPrefix(r.Path, "/v1/me") && !r.User {
			t.Errorf("%s: /me operations need a user", r.Op)
		}
		if r.Handle == nil {
			t.Errorf("%s: no handler", r.Op)
		}
	}
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode: %v: %.300s", err, b)
	}
}

func (ts *tServer) want(t *testing.T, status int, method, path, body string) []byte {
	t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	resp, got := ts.do(method, path, b, "application/json")
	if resp.StatusCode != status {
		t.Fatalf("%s %s: %d %.300s, want %d", method, path, resp.StatusCode, got, status)
	}
	return got
}

func TestLookupErrors(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	for _, tc := range []struct {
		path, body string
		status     int
	}{
		{"/v1/tracks/not-an-id", `{"error":{"message":"Invalid base62 id","status":400}}`, 400},
		{"/v1/tracks/0000000000000000000000", `{"error":{"message":"Resource not found","status":404}}`, 404},
		{"/v1/tracks?ids=" + strings.Repeat(ts.ids.Tracks[0]+",", 50) + ts.ids.Tracks[1], `{"error":{"message":"Too many ids requested","status":400}}`, 400},
		{"/v1/albums?ids=" + strings.Repeat(ts.ids.Albums[0]+",", 20) + ts.ids.Albums[1], `{"error":{"message":"Too many ids requested","status":400}}`, 400},
		{"/v1/tracks/" + ts.ids.Tracks[0] + "?market=XX", `{"error":{"message":"Invalid market code","status":400}}`, 400},
		{"/v1/search?type=track", `{"error":{"message":"No search query","status":400}}`, 400},
	} {
		resp, b := ts.do("GET", tc.path, nil, "")
		if resp.StatusCode != tc.status || strings.TrimSpace(string(b)) != tc.body {
			t.Errorf("GET %s: %d %s, want %d %s", tc.path, resp.StatusCode, b, tc.status, tc.body)
		}
	}
	// A batch answers null for an unknown ID, in place.
	var many struct{ Tracks []*struct{ ID string } }
	decode(t, ts.get("/v1/tracks?ids="+ts.ids.Tracks[3]+",0000000000000000000000,"+ts.ids.Tracks[4]), &many)
	if len(many.Tracks) != 3 || many.Tracks[1] != nil || many.Tracks[0].ID != ts.ids.Tracks[3] || many.Tracks[2].ID != ts.ids.Tracks[4] {
		t.Errorf("batch with an unknown id: %+v", many.Tracks)
	}
}

func TestDevelopmentModeShapes(t *testing.T) {
	ts := startFake(t, DevelopmentMode)
	var tr map[string]any
	decode(t, ts.get("/v1/tracks/"+ts.ids.Tracks[0]), &tr)
	for _, k := range []string{"popularity", "available_markets"} {
		if _, ok := tr[k]; ok {
			t.Errorf("DevelopmentMode track has %s", k)
		}
	}
	var pl map[string]any
	decode(t, ts.get("/v1/playlists/"+ts.ids.Playlists[0]), &pl)
	if _, ok := pl["tracks"]; ok {
		t.Error("DevelopmentMode playlist has the legacy tracks")
	}
	if _, ok := pl["items"]; !ok {
		t.Error("DevelopmentMode playlist lacks items")
	}
	var me map[string]any
	decode(t, ts.get("/v1/me"), &me)
	for _, k := range []string{"country", "email", "product", "followers", "explicit_content"} {
		if _, ok := me[k]; ok {
			t.Errorf("DevelopmentMode user has %s", k)
		}
	}
	ts2 := startFake(t, ExtendedQuota)
	decode(t, ts2.get("/v1/playlists/"+ts2.ids.Playlists[0]), &pl)
	if _, ok := pl["tracks"]; !ok {
		t.Error("ExtendedQuota playlist lacks the legacy tracks")
	}
}

func TestPlaylistEditing(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	tr := func(i int) string { return "spotify:track:" + ts.ids.Tracks[i] }
	var created struct {
		ID         string `json:"id"`
		SnapshotID string `json:"snapshot_id"`
		Public     bool   `json:"public"`
		Items      page   `json:"items"`
	}
	decode(t, ts.want(t, 201, "POST", "/v1/me/playlists", `{"name":"Mine","public":false}`), &created)
	if created.Public || created.Items.Total != 0 {
		t.Fatalf("created %+v", created)
	}
	base := "/v1/playlists/" + created.ID
	snap := func(b []byte) string {
		var s struct {
			SnapshotID string `json:"snapshot_id"`
		}
		decode(t, b, &s)
		return s.SnapshotID
	}
	s1 := snap(ts.want(t, 201, "POST", base+"/items", `{"uris":["`+tr(1)+`","`+tr(2)+`","`+tr(3)+`"]}`))
	s2 := snap(ts.want(t, 201, "POST", base+"/items?position=0&uris="+tr(4), ""))
	if s1 == s2 || s1 == created.SnapshotID {
		t.Fatal("snapshot_id did not change")
	}
	order := func() []string {
		var p struct {
			Items []struct{ Item struct{ URI string } }
		}
		decode(t, ts.get(base+"/items?limit=50"), &p)
		var out []string
		for _, it := range p.Items {
			out = append(out, it.Item.URI)
		}
		return out
	}
	check := func(want ...string) {
		t.Helper()
		if got := order(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("items %v, want %v", got, want)
		}
	}
	check(tr(4), tr(1), tr(2), tr(3))
	// Move the first two before the end.
	ts.want(t, 200, "PUT", base+"/items", `{"range_start":0,"range_length":2,"insert_before":4,"snapshot_id":"`+s2+`"}`)
	check(tr(2), tr(3), tr(4), tr(1))
	ts.want(t, 200, "PUT", base+"/items", `{"range_start":3,"insert_before":0}`)
	check(tr(1), tr(2), tr(3), tr(4))
	ts.want(t, 400, "PUT", base+"/items", `{"range_start":4,"insert_before":0}`)
	// Remove by position, then by URI.
	ts.want(t, 201, "POST", base+"/items", `{"uris":["`+tr(2)+`"]}`)
	ts.want(t, 200, "DELETE", base+"/items", `{"items":[{"uri":"`+tr(2)+`","positions":[4]}]}`)
	check(tr(1), tr(2), tr(3), tr(4))
	ts.want(t, 400, "DELETE", base+"/items", `{"items":[{"uri":"`+tr(2)+`","positions":[0]}]}`)
	ts.want(t, 200, "DELETE", base+"/tracks", `{"tracks":[{"uri":"`+tr(3)+`"}]}`)
	check(tr(1), tr(2), tr(4))
	ts.want(t, 400, "DELETE", base+"/items", `{"items":[{"uri":"`+tr(1)+`"}],"snapshot_id":"bm90IGEgc25hcHNob3Q="}`)
	// Replace everything.
	ts.want(t, 200, "PUT", base+"/tracks?uris="+tr(7)+","+tr(8), "")
	check(tr(7), tr(8))
	// Details.
	ts.want(t, 200, "PUT", base, `{"name":"Renamed","description":"new"}`)
	var got struct{ Name, Description string }
	decode(t, ts.get(base), &got)
	if got.Name != "Renamed" || got.Description != "new" {
		t.Errorf("details %+v", got)
	}
	ts.want(t, 400, "PUT", base, `{"public":true,"collaborative":true}`)
	// Too many items in one call.
	uris := make([]string, 101)
	for i := range uris {
		uris[i] = `"` + tr(i) + `"`
	}
	ts.want(t, 400, "POST", base+"/items", `{"uris":[`+strings.Join(uris, ",")+`]}`)
	// Someone else's playlist.
	ts.want(t, 403, "POST", "/v1/playlists/"+ts.ids.Playlists[1]+"/items", `{"uris":["`+tr(1)+`"]}`)
	// The new playlist is first in the user's list.
	var mine page
	decode(t, ts.get("/v1/me/playlists?limit=1"), &mine)
	var first struct{ ID string }
	decode(t, mine.Items[0], &first)
	if first.ID != created.ID {
		t.Errorf("first of /me/playlists is %s, want %s", first.ID, created.ID)
	}
}

func TestCatalogPlaylistWrite(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	// The editor owns the big playlists: a refused write changes nothing.
	big := "/v1/playlists/" + ts.ids.Playlist10K + "/items"
	before := ts.get(big + "?offset=9999&limit=1")
	ts.want(t, 403, "DELETE", big, `{"items":[{"uri":"spotify:track:`+ts.ids.Tracks[0]+`"}]}`)
	if after := ts.get(big + "?offset=9999&limit=1"); string(before) != string(after) {
		t.Error("a refused write changed the playlist")
	}
	// The default user owns the first catalog playlist: its derived rows
	// become its own on the first write.
	base := "/v1/playlists/" + ts.ids.Playlists[0]
	var p0 struct {
		SnapshotID string `json:"snapshot_id"`
		Items      struct {
			Total int
			Items []struct{ Item struct{ URI string } }
		}
	}
	decode(t, ts.get(base), &p0)
	first := p0.Items.Items[0].Item.URI
	n := 0
	for _, it := range p0.Items.Items {
		if it.Item.URI == first {
			n++
		}
	}
	ts.want(t, 200, "DELETE", base+"/items", `{"items":[{"uri":"`+first+`"}],"snapshot_id":"`+p0.SnapshotID+`"}`)
	var p1 struct {
		SnapshotID string `json:"snapshot_id"`
		Items      struct{ Total int }
	}
	decode(t, ts.get(base), &p1)
	if p1.Items.Total != p0.Items.Total-n || p1.SnapshotID == p0.SnapshotID {
		t.Errorf("after removing %d rows: total %d (was %d), snapshot %s (was %s)", n, p1.Items.Total, p0.Items.Total, p1.SnapshotID, p0.SnapshotID)
	}
}

func TestPlaylistCover(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	base := "/v1/playlists/" + ts.ids.Playlists[0] + "/images"
	jpeg := base64.StdEncoding.EncodeToString([]byte("\xff\xd8\xff\xe0 a jpeg"))
	resp, b := ts.do("PUT", base, []byte(jpeg), "image/jpeg")
	if resp.StatusCode != 202 || len(b) != 0 {
		t.Fatalf("upload: %d %s", resp.StatusCode, b)
	}
	var imgs []struct {
		URL    string
		Height *int
	}
	decode(t, ts.get(base), &imgs)
	if len(imgs) != 1 || imgs[0].Height != nil || !strings.Contains(imgs[0].URL, "ab67706c") {
		t.Errorf("cover after upload: %+v", imgs)
	}
	big := base64.StdEncoding.EncodeToString(append([]byte("\xff\xd8\xff"), make([]byte, 200_000)...))
	if resp, _ := ts.do("PUT", base, []byte(big), "image/jpeg"); resp.StatusCode != 413 {
		t.Errorf("cover over 256 KB: %d", resp.StatusCode)
	}
	if resp, _ := ts.do("PUT", base, []byte("bm90IGEganBlZw=="), "image/jpeg"); resp.StatusCode != 400 {
		t.Errorf("not a jpeg: %d", resp.StatusCode)
	}
}

func TestLibrary(t *testing.T) {
	ts := startFake(t, DevelopmentMode)
	a, b := ts.ids.Albums[5], ts.ids.Albums[6]
	contains := func(path string) string {
		t.Helper()
		return strings.TrimSpace(string(ts.get(path)))
	}
	ts.want(t, 200, "PUT", "/v1/me/albums?ids="+a, "")
	if got := contains("/v1/me/albums/contains?ids=" + a + "," + b); got != "[true,false]" {
		t.Errorf("contains = %s", got)
	}
	var p page
	decode(t, ts.get("/v1/me/albums?limit=1"), &p)
	var saved struct{ Album struct{ ID string } }
	decode(t, p.Items[0], &saved)
	if saved.Album.ID != a {
		t.Errorf("newest saved album %s, want %s", saved.Album.ID, a)
	}
	ts.want(t, 200, "DELETE", "/v1/me/albums", `{"ids":["`+a+`"]}`)
	if got := contains("/v1/me/albums/contains?ids=" + a); got != "[false]" {
		t.Errorf("after remove: %s", got)
	}
	// /me/library by URI, mixed types.
	uris := "spotify:track:" + ts.ids.Tracks[9] + ",spotify:artist:" + ts.ids.Artists[9] + ",spotify:show:" + ts.ids.Shows[3] + ",spotify:user:" + ts.ids.Users[2] + ",spotify:playlist:" + ts.ids.Playlists[9]
	ts.want(t, 200, "PUT", "/v1/me/library?uris="+uris, "")
	if got := contains("/v1/me/library/contains?uris=" + uris + ",spotify:album:" + b); got != "[true,true,true,true,true,false]" {
		t.Errorf("library contains = %s", got)
	}
	if got := contains("/v1/me/tracks/contains?ids=" + ts.ids.Tracks[9]); got != "[true]" {
		t.Errorf("track saved by URI: %s", got)
	}
	ts.want(t, 200, "DELETE", "/v1/me/library?uris="+uris, "")
	if got := contains("/v1/me/library/contains?uris=" + uris); got != "[false,false,false,false,false]" {
		t.Errorf("after remove: %s", got)
	}
	many := strings.TrimSuffix(strings.Repeat("spotify:track:"+ts.ids.Tracks[0]+",", 41), ",")
	ts.want(t, 400, "PUT", "/v1/me/library?uris="+many, "")
	ts.want(t, 400, "PUT", "/v1/me/library?uris=spotify:nothing:1", "")
}

func TestFollows(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	ar := ts.ids.Artists[100]
	ts.want(t, 204, "PUT", "/v1/me/following?type=artist&ids="+ar, "")
	if got := strings.TrimSpace(string(ts.get("/v1/me/following/contains?type=artist&ids=" + ar))); got != "[true]" {
		t.Errorf("follows = %s", got)
	}
	ts.want(t, 204, "DELETE", "/v1/me/following?type=artist", `{"ids":["`+ar+`"]}`)
	ts.want(t, 204, "PUT", "/v1/me/following?type=user&ids=someone-else", "")
	if got := strings.TrimSpace(string(ts.get("/v1/me/following/contains?type=user&ids=someone-else," + ts.ids.Users[5]))); got != "[true,false]" {
		t.Errorf("follows users = %s", got)
	}
	pl := ts.ids.Playlists[5]
	ts.want(t, 200, "PUT", "/v1/playlists/"+pl+"/followers", "")
	if got := strings.TrimSpace(string(ts.get("/v1/playlists/" + pl + "/followers/contains"))); got != "[true]" {
		t.Errorf("follows playlist = %s", got)
	}
	ts.want(t, 200, "DELETE", "/v1/playlists/"+pl+"/followers", "")
	if got := strings.TrimSpace(string(ts.get("/v1/playlists/" + pl + "/followers/contains?ids=" + ts.ids.User))); got != "[false]" {
		t.Errorf("after unfollow = %s", got)
	}
}

// playerState is the part of the playback state the tests read.
type playerState struct {
	IsPlaying    bool   `json:"is_playing"`
	ProgressMs   int    `json:"progress_ms"`
	RepeatState  string `json:"repeat_state"`
	ShuffleState bool   `json:"shuffle_state"`
	Device       struct {
		ID            string
		VolumePercent *int `json:"volume_percent"`
	}
	Context *struct{ URI string }
	Item    struct{ ID, URI string }
}

func TestPlayer(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	state := func() playerState {
		var s playerState
		decode(t, ts.get("/v1/me/player"), &s)
		return s
	}
	s := state()
	if !s.IsPlaying || s.Context == nil {
		t.Fatalf("the default user's player is idle: %+v", s)
	}
	album := ts.ids.Albums[2]
	ts.want(t, 204, "PUT", "/v1/me/player/play", `{"context_uri":"spotify:album:`+album+`","offset":{"uri":"spotify:track:`+ts.ids.Tracks[23]+`"},"position_ms":2000}`)
	s = state()
	if s.Item.ID != ts.ids.Tracks[23] || s.Context.URI != "spotify:album:"+album || s.ProgressMs < 2000 {
		t.Fatalf("after play: %+v", s)
	}
	ts.want(t, 204, "POST", "/v1/me/player/next", "")
	if s = state(); s.Item.ID != ts.ids.Tracks[24] {
		t.Fatalf("after next: %s, want %s", s.Item.ID, ts.ids.Tracks[24])
	}
	ts.want(t, 204, "POST", "/v1/me/player/queue?uri=spotify:track:"+ts.ids.Tracks[500], "")
	var q struct {
		CurrentlyPlaying struct{ ID string } `json:"currently_playing"`
		Queue            []struct{ ID string }
	}
	decode(t, ts.get("/v1/me/player/queue"), &q)
	if q.CurrentlyPlaying.ID != ts.ids.Tracks[24] || len(q.Queue) == 0 || q.Queue[0].ID != ts.ids.Tracks[500] || q.Queue[1].ID != ts.ids.Tracks[25] {
		t.Fatalf("queue: %+v", q)
	}
	ts.want(t, 204, "POST", "/v1/me/player/next", "")
	if s = state(); s.Item.ID != ts.ids.Tracks[500] || s.Context != nil {
		t.Fatalf("queued item not playing: %+v", s)
	}
	// The plays are in the history, newest first.
	var hist struct {
		Items []struct{ Track struct{ ID string } }
	}
	decode(t, ts.get("/v1/me/player/recently-played?limit=3"), &hist)
	if hist.Items[0].Track.ID != ts.ids.Tracks[500] || hist.Items[1].Track.ID != ts.ids.Tracks[24] || hist.Items[2].Track.ID != ts.ids.Tracks[23] {
		t.Errorf("history: %+v", hist.Items)
	}
	ts.want(t, 204, "PUT", "/v1/me/player/pause", "")
	ts.want(t, 403, "PUT", "/v1/me/player/pause", "")
	ts.want(t, 204, "PUT", "/v1/me/player/seek?position_ms=10000", "")
	if s = state(); s.IsPlaying || s.ProgressMs != 10000 {
		t.Errorf("paused seek: %+v", s)
	}
	ts.want(t, 204, "PUT", "/v1/me/player/repeat?state=track", "")
	ts.want(t, 400, "PUT", "/v1/me/player/repeat?state=forever", "")
	ts.want(t, 204, "PUT", "/v1/me/player/shuffle?state=true", "")
	ts.want(t, 204, "PUT", "/v1/me/player/volume?volume_percent=15", "")
	ts.want(t, 400, "PUT", "/v1/me/player/volume?volume_percent=101", "")
	s = state()
	if s.RepeatState != "track" || !s.ShuffleState || s.Device.VolumePercent == nil || *s.Device.VolumePercent != 15 {
		t.Errorf("settings: %+v", s)
	}
	// Transfer to the speaker, which has no volume control.
	var devs struct{ Devices []struct{ ID string } }
	decode(t, ts.get("/v1/me/player/devices"), &devs)
	ts.want(t, 204, "PUT", "/v1/me/player", `{"device_ids":["`+devs.Devices[2].ID+`"],"play":true}`)
	if s = state(); s.Device.ID != devs.Devices[2].ID || !s.IsPlaying {
		t.Errorf("after transfer: %+v", s)
	}
	b := ts.want(t, 403, "PUT", "/v1/me/player/volume?volume_percent=15", "")
	if !strings.Contains(string(b), "VOLUME_CONTROL_DISALLOW") {
		t.Errorf("volume on the speaker: %s", b)
	}
	ts.want(t, 404, "PUT", "/v1/me/player/play?device_id=nope", "")
	ts.want(t, 400, "PUT", "/v1/me/player/play", `{"context_uri":"spotify:track:`+ts.ids.Tracks[0]+`"}`)
}

func TestPlaylistFields(t *testing.T) {
	ts := startFake(t, DevelopmentMode)
	b := ts.get("/v1/playlists/" + ts.ids.Playlist10K + "/items?limit=2&fields=total,items(added_at,item(name,album(name)))")
	var got map[string]any
	decode(t, b, &got)
	if len(got) != 2 || got["total"] == nil {
		t.Fatalf("fields kept %v", got)
	}
	items := got["items"].([]any)
	row := items[0].(map[string]any)
	item := row["item"].(map[string]any)
	album := item["album"].(map[string]any)
	if len(items) != 2 || len(row) != 2 || len(item) != 2 || len(album) != 1 || album["name"] == nil {
		t.Errorf("fields filtered to %s", b)
	}
	b = ts.get("/v1/playlists/" + ts.ids.Playlists[0] + "?fields=name,items.items(item.id),items.total")
	got = nil
	decode(t, b, &got)
	pl := got["items"].(map[string]any)
	if len(got) != 2 || len(pl) != 2 || len(pl["items"].([]any)[0].(map[string]any)["item"].(map[string]any)) != 1 {
		t.Errorf("dotted fields filtered to %.300s", b)
	}
	for _, bad := range []string{"items(", "!name", "a,,b", "a)"} {
		if resp, _ := ts.do("GET", "/v1/playlists/"+ts.ids.Playlists[0]+"?fields="+bad, nil, ""); resp.StatusCode != 400 {
			t.Errorf("fields=%s: %d, want 400", bad, resp.StatusCode)
		}
	}
}

func TestClientCredentialsAndClock(t *testing.T) {
	at := time.Date(2031, time.May, 4, 10, 0, 0, 0, time.UTC)
	s := NewServer(WithClock(func() time.Time { return at }))
	defer s.Close()
	ts := &tServer{t: t, URL: s.URL, token: s.ClientToken(), ids: s.IDs(), srv: s}
	// Catalog reads work without a user; the user's operations do not.
	ts.get("/v1/playlists/" + ts.ids.Playlist10K + "/items?limit=1")
	ts.get("/v1/shows/" + ts.ids.Shows[0])
	ts.want(t, 403, "GET", "/v1/me", "")
	// The seeded history sits just before the server's clock.
	ts.token = s.UserToken("")
	var h struct {
		Items []struct {
			PlayedAt time.Time `json:"played_at"`
		}
	}
	decode(t, ts.get("/v1/me/player/recently-played?limit=1"), &h)
	if d := at.Sub(h.Items[0].PlayedAt); d <= 0 || d > time.Hour {
		t.Errorf("newest play at %v, clock at %v", h.Items[0].PlayedAt, at)
	}
	// Another user starts with an empty library and an idle player.
	ts.token = s.UserToken("someone-new")
	var lib page
	decode(t, ts.get("/v1/me/tracks"), &lib)
	if lib.Total != 0 {
		t.Errorf("new user has %d saved tracks", lib.Total)
	}
	ts.want(t, 204, "GET", "/v1/me/player", "")
}
