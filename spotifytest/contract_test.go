package spotifytest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/internal/contract"
)

// contractCase is one request of the contract walk. Paths and bodies name
// catalog objects with {placeholders} (see contractVars); capture may add
// variables from the answer for later cases.
type contractCase struct {
	op      string
	method  string
	path    string
	body    string
	ct      string // content type of body; JSON when empty
	status  int
	capture func(t *testing.T, body []byte, vars map[string]string)
}

// contractCases drive every operation once, in an order where writes find
// what earlier cases made (a created playlist, an active device).
var contractCases = []contractCase{
	// Catalog reads.
	{op: "get-multiple-albums", method: "GET", path: "/albums?ids={album},{album2}&market=SE", status: 200},
	{op: "get-an-album", method: "GET", path: "/albums/{album}", status: 200},
	{op: "get-an-albums-tracks", method: "GET", path: "/albums/{album}/tracks?limit=5&offset=2", status: 200},
	{op: "get-new-releases", method: "GET", path: "/browse/new-releases?limit=3", status: 200},
	{op: "get-multiple-artists", method: "GET", path: "/artists?ids={artist},{artist2}", status: 200},
	{op: "get-an-artist", method: "GET", path: "/artists/{artist}", status: 200},
	{op: "get-an-artists-albums", method: "GET", path: "/artists/{artist}/albums?include_groups=album,single,appears_on&limit=3", status: 200},
	{op: "get-an-artists-related-artists", method: "GET", path: "/artists/{artist}/related-artists", status: 200},
	{op: "get-an-artists-top-tracks", method: "GET", path: "/artists/{artist}/top-tracks?market=SE", status: 200},
	{op: "get-multiple-audiobooks", method: "GET", path: "/audiobooks?ids={book},{book2}", status: 200},
	{op: "get-an-audiobook", method: "GET", path: "/audiobooks/{book}", status: 200},
	{op: "get-audiobook-chapters", method: "GET", path: "/audiobooks/{book}/chapters?limit=3", status: 200},
	{op: "get-categories", method: "GET", path: "/browse/categories?limit=5", status: 200},
	{op: "get-a-category", method: "GET", path: "/browse/categories/{category}", status: 200},
	{op: "get-a-categories-playlists", method: "GET", path: "/browse/categories/{category}/playlists?limit=3", status: 200},
	{op: "get-featured-playlists", method: "GET", path: "/browse/featured-playlists?limit=3", status: 200},
	{op: "get-several-chapters", method: "GET", path: "/chapters?ids={chapter},{chapter2}", status: 200},
	{op: "get-a-chapter", method: "GET", path: "/chapters/{chapter}", status: 200},
	{op: "get-multiple-episodes", method: "GET", path: "/episodes?ids={episode},{episode2}", status: 200},
	{op: "get-an-episode", method: "GET", path: "/episodes/{episode}", status: 200},
	{op: "get-multiple-shows", method: "GET", path: "/shows?ids={show},{show2}", status: 200},
	{op: "get-a-show", method: "GET", path: "/shows/{show}", status: 200},
	{op: "get-a-shows-episodes", method: "GET", path: "/shows/{show}/episodes?limit=4", status: 200},
	{op: "get-several-tracks", method: "GET", path: "/tracks?ids={track},{track2}", status: 200},
	{op: "get-track", method: "GET", path: "/tracks/{track}?market=from_token", status: 200},
	{op: "get-recommendation-genres", method: "GET", path: "/recommendations/available-genre-seeds", status: 200},
	{op: "get-available-markets", method: "GET", path: "/markets", status: 200},
	{op: "get-recommendations", method: "GET", path: "/recommendations?seed_tracks={track}&seed_genres=rock&limit=5", status: 200},
	{op: "get-audio-analysis", method: "GET", path: "/audio-analysis/{track}", status: 200},
	{op: "get-several-audio-features", method: "GET", path: "/audio-features?ids={track},{track2}", status: 200},
	{op: "get-audio-features", method: "GET", path: "/audio-features/{track}", status: 200},
	{op: "search", method: "GET", path: "/search?q=the&type=album&type=artist&type=playlist&type=track&type=show&type=episode&type=audiobook&limit=3", status: 200},

	// Library.
	{op: "save-albums-user", method: "PUT", path: "/me/albums?ids={album}", status: 200},
	{op: "get-users-saved-albums", method: "GET", path: "/me/albums?limit=2", status: 200},
	{op: "check-users-saved-albums", method: "GET", path: "/me/albums/contains?ids={album},{album2}", status: 200},
	{op: "remove-albums-user", method: "DELETE", path: "/me/albums?ids={album}", status: 200},
	{op: "save-audiobooks-user", method: "PUT", path: "/me/audiobooks?ids={book}", status: 200},
	{op: "get-users-saved-audiobooks", method: "GET", path: "/me/audiobooks?limit=2", status: 200},
	{op: "check-users-saved-audiobooks", method: "GET", path: "/me/audiobooks/contains?ids={book}", status: 200},
	{op: "remove-audiobooks-user", method: "DELETE", path: "/me/audiobooks?ids={book}", status: 200},
	{op: "save-episodes-user", method: "PUT", path: "/me/episodes?ids={episode}", status: 200},
	{op: "get-users-saved-episodes", method: "GET", path: "/me/episodes?limit=2", status: 200},
	{op: "check-users-saved-episodes", method: "GET", path: "/me/episodes/contains?ids={episode}", status: 200},
	{op: "remove-episodes-user", method: "DELETE", path: "/me/episodes?ids={episode}", status: 200},
	{op: "save-shows-user", method: "PUT", path: "/me/shows?ids={show}", status: 200},
	{op: "get-users-saved-shows", method: "GET", path: "/me/shows?limit=2", status: 200},
	{op: "check-users-saved-shows", method: "GET", path: "/me/shows/contains?ids={show}", status: 200},
	{op: "remove-shows-user", method: "DELETE", path: "/me/shows?ids={show}", status: 200},
	{op: "save-tracks-user", method: "PUT", path: "/me/tracks", body: `{"ids":["{track}","{track2}"]}`, status: 200},
	{op: "get-users-saved-tracks", method: "GET", path: "/me/tracks?limit=2", status: 200},
	{op: "check-users-saved-tracks", method: "GET", path: "/me/tracks/contains?ids={track},{track2}", status: 200},
	{op: "remove-tracks-user", method: "DELETE", path: "/me/tracks?ids={track2}", status: 200},
	{op: "save-library-items", method: "PUT", path: "/me/library?uris=spotify:album:{album2},spotify:artist:{artist2},spotify:playlist:{other_playlist}", status: 200},
	{op: "check-library-contains", method: "GET", path: "/me/library/contains?uris=spotify:album:{album2},spotify:artist:{artist2},spotify:track:{track}", status: 200},
	{op: "remove-library-items", method: "DELETE", path: "/me/library?uris=spotify:album:{album2}", status: 200},

	// Users and follows.
	{op: "get-current-users-profile", method: "GET", path: "/me", status: 200},
	{op: "get-users-profile", method: "GET", path: "/users/{user}", status: 200},
	{op: "follow-artists-users", method: "PUT", path: "/me/following?type=artist&ids={artist}", status: 204},
	{op: "get-followed", method: "GET", path: "/me/following?type=artist&limit=3", status: 200},
	{op: "check-current-user-follows", method: "GET", path: "/me/following/contains?type=artist&ids={artist},{artist2}", status: 200},
	{op: "unfollow-artists-users", method: "DELETE", path: "/me/following?type=user&ids={user}", status: 204},
	{op: "get-users-top-artists", method: "GET", path: "/me/top/artists?time_range=short_term&limit=3", status: 200},
	{op: "get-users-top-tracks", method: "GET", path: "/me/top/tracks?limit=3&offset=1", status: 200},
	{op: "follow-playlist", method: "PUT", path: "/playlists/{other_playlist}/followers", body: `{"public":true}`, status: 200},
	{op: "check-if-user-follows-playlist", method: "GET", path: "/playlists/{other_playlist}/followers/contains?ids={me}", status: 200},
	{op: "unfollow-playlist", method: "DELETE", path: "/playlists/{other_playlist}/followers", status: 200},

	// Playlists.
	{op: "get-a-list-of-current-users-playlists", method: "GET", path: "/me/playlists?limit=5", status: 200},
	{op: "get-list-users-playlists", method: "GET", path: "/users/{user}/playlists?limit=5", status: 200},
	{op: "create-playlist", method: "POST", path: "/me/playlists", body: `{"name":"Contract","public":false,"description":"made by the contract test"}`, status: 201,
		capture: func(t *testing.T, b []byte, vars map[string]string) { vars["new_playlist"] = jsonField(t, b, "id") }},
	{op: "create-playlist-for-user", method: "POST", path: "/users/{me}/playlists", body: `{"name":"Legacy"}`, status: 201},
	{op: "get-playlist", method: "GET", path: "/playlists/{playlist}", status: 200},
	{op: "change-playlist-details", method: "PUT", path: "/playlists/{new_playlist}", body: `{"name":"Renamed","description":"changed"}`, status: 200},
	{op: "upload-custom-playlist-cover", method: "PUT", path: "/playlists/{new_playlist}/images", body: "{jpeg}", ct: "image/jpeg", status: 202},
	{op: "get-playlist-cover", method: "GET", path: "/playlists/{new_playlist}/images", status: 200},
	{op: "add-items-to-playlist", method: "POST", path: "/playlists/{new_playlist}/items", body: `{"uris":["spotify:track:{track}","spotify:episode:{episode}","spotify:track:{track2}"],"position":0}`, status: 201},
	{op: "get-playlists-items", method: "GET", path: "/playlists/{new_playlist}/items?limit=10&additional_types=track,episode", status: 200},
	{op: "reorder-or-replace-playlists-items", method: "PUT", path: "/playlists/{new_playlist}/items", body: `{"range_start":0,"insert_before":3}`, status: 200},
	{op: "remove-items-playlist", method: "DELETE", path: "/playlists/{new_playlist}/items", body: `{"items":[{"uri":"spotify:track:{track2}"}]}`, status: 200},
	{op: "add-tracks-to-playlist", method: "POST", path: "/playlists/{new_playlist}/tracks?uris=spotify:track:{track3}", status: 201},
	{op: "get-playlists-tracks", method: "GET", path: "/playlists/{pl10k}/tracks?limit=100&offset=9950", status: 200},
	{op: "reorder-or-replace-playlists-tracks", method: "PUT", path: "/playlists/{new_playlist}/tracks", body: `{"uris":["spotify:track:{track}","spotify:track:{track3}"]}`, status: 200},
	{op: "remove-tracks-playlist", method: "DELETE", path: "/playlists/{new_playlist}/tracks", body: `{"tracks":[{"uri":"spotify:track:{track3}"}]}`, status: 200},

	// Player.
	{op: "get-a-users-available-devices", method: "GET", path: "/me/player/devices", status: 200,
		capture: func(t *testing.T, b []byte, vars map[string]string) {
			var d struct{ Devices []struct{ ID string } }
			if err := json.Unmarshal(b, &d); err != nil || len(d.Devices) < 2 {
				t.Fatalf("devices: %v %s", err, b)
			}
			vars["device"] = d.Devices[1].ID
		}},
	{op: "get-information-about-the-users-current-playback", method: "GET", path: "/me/player?market=SE", status: 200},
	{op: "get-the-users-currently-playing-track", method: "GET", path: "/me/player/currently-playing", status: 200},
	{op: "transfer-a-users-playback", method: "PUT", path: "/me/player", body: `{"device_ids":["{device}"],"play":true}`, status: 204},
	{op: "start-a-users-playback", method: "PUT", path: "/me/player/play", body: `{"context_uri":"spotify:album:{album}","offset":{"position":1},"position_ms":1000}`, status: 204},
	{op: "pause-a-users-playback", method: "PUT", path: "/me/player/pause", status: 204},
	{op: "skip-users-playback-to-next-track", method: "POST", path: "/me/player/next", status: 204},
	{op: "skip-users-playback-to-previous-track", method: "POST", path: "/me/player/previous?device_id={device}", status: 204},
	{op: "seek-to-position-in-currently-playing-track", method: "PUT", path: "/me/player/seek?position_ms=5000", status: 204},
	{op: "set-volume-for-users-playback", method: "PUT", path: "/me/player/volume?volume_percent=40", status: 204},
	{op: "toggle-shuffle-for-users-playback", method: "PUT", path: "/me/player/shuffle?state=true", status: 204},
	{op: "set-repeat-mode-on-users-playback", method: "PUT", path: "/me/player/repeat?state=context", status: 204},
	{op: "add-to-queue", method: "POST", path: "/me/player/queue?uri=spotify:episode:{episode}", status: 204},
	{op: "get-queue", method: "GET", path: "/me/player/queue", status: 200},
	{op: "get-recently-played", method: "GET", path: "/me/player/recently-played?limit=5", status: 200},
}

// contractVars are the starting values of the placeholders.
func contractVars(ids IDs) map[string]string {
	jpeg := base64.StdEncoding.EncodeToString([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00fake jpeg data\xff\xd9"))
	return map[string]string{
		"album": ids.Albums[0], "album2": ids.Albums[7],
		"artist": ids.Artists[0], "artist2": ids.Artists[3],
		"track": ids.Tracks[0], "track2": ids.Tracks[11], "track3": ids.Tracks[42],
		"book": ids.Audiobooks[0], "book2": ids.Audiobooks[1],
		"chapter": ids.Chapters[0], "chapter2": ids.Chapters[5],
		"episode": ids.Episodes[0], "episode2": ids.Episodes[31],
		"show": ids.Shows[0], "show2": ids.Shows[1],
		"category": ids.Categories[1],
		"playlist": ids.Playlists[0], "other_playlist": ids.Playlists[1],
		"pl10k": ids.Playlist10K,
		"user":  ids.Users[1], "me": ids.User,
		"jpeg": jpeg,
	}
}

func expand(s string, vars map[string]string) string {
	for k, v := range vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

func jsonField(t *testing.T, b []byte, key string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode: %v", err)
	}
	s, _ := m[key].(string)
	if s == "" {
		t.Fatalf("no %q in %.200s", key, b)
	}
	return s
}

// TestContract drives every operation of the contract through the fake in
// both modes and validates each request and answer against the OpenAPI
// document. In DevelopmentMode the removed operations must answer 403.
func TestContract(t *testing.T) {
	doc, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []Mode{ExtendedQuota, DevelopmentMode} {
		name := map[Mode]string{ExtendedQuota: "ExtendedQuota", DevelopmentMode: "DevelopmentMode"}[mode]
		t.Run(name, func(t *testing.T) {
			ts := startFake(t, mode)
			v, err := contract.NewValidator(doc, ts.URL+"/v1")
			if err != nil {
				t.Fatal(err)
			}
			removed := map[string]bool{}
			for _, rt := range ts.srv.routes() {
				removed[rt.Op] = rt.DevRemoved
			}
			vars := contractVars(ts.ids)
			seen := map[string]bool{}
			for _, tc := range contractCases {
				if seen[tc.op] {
					t.Errorf("%s: listed twice", tc.op)
				}
				seen[tc.op] = true
				want := tc.status
				if mode == DevelopmentMode && removed[tc.op] {
					want = http.StatusForbidden
				}
				runContractCase(t, ts, v, tc, vars, want)
			}
			for _, rt := range ts.srv.routes() {
				if !seen[rt.Op] {
					t.Errorf("%s: no contract case", rt.Op)
				}
			}
		})
	}
}

func runContractCase(t *testing.T, ts *tServer, v *contract.Validator, tc contractCase, vars map[string]string, want int) {
	t.Helper()
	path := expand(tc.path, vars)
	var body []byte
	ct := tc.ct
	if tc.body != "" {
		body = []byte(expand(tc.body, vars))
		if ct == "" {
			ct = "application/json"
		}
	}
	req, err := http.NewRequest(tc.method, ts.URL+"/v1"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Authorization", "Bearer "+ts.token)
	checked, err := v.Request(req, body)
	if checked == nil {
		t.Errorf("%s %s: no route in the contract: %v", tc.method, path, err)
		return
	}
	if err != nil {
		t.Errorf("%s: %v", tc.op, err)
	}
	if checked.Op != tc.op {
		t.Errorf("%s %s: the contract routes it to %s, the case says %s", tc.method, path, checked.Op, tc.op)
	}
	resp, got := ts.do(tc.method, "/v1"+path, body, ct)
	if resp.StatusCode != want {
		t.Errorf("%s: %s %s answered %d, want %d: %.300s", tc.op, tc.method, path, resp.StatusCode, want, got)
		return
	}
	if err := v.Response(checked, resp.StatusCode, resp.Header, got); err != nil {
		t.Errorf("%v", err)
	}
	if tc.capture != nil && resp.StatusCode == tc.status {
		tc.capture(t, got, vars)
	}
}
