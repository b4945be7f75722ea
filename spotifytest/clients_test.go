package spotifytest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The tests in this file hold the fake to what other clients than ours
// send and expect (spotipy, tekore, spoffy, spotify-sdk): trailing
// slashes, token parameters in the query string, the flags inside
// playlist rows, and episodes in a track's shape for clients that do not
// ask for episodes.

// TestTrailingSlashes checks that a path with a trailing slash is served
// as the path without it, with the same answer, for every operation.
func TestTrailingSlashes(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	vars := contractVars(ts.ids)
	vars["new_playlist"] = ts.ids.Playlists[0]
	n := 0
	for _, tc := range contractCases {
		if tc.method != http.MethodGet {
			continue
		}
		path, query, _ := strings.Cut(expand(tc.path, vars), "?")
		if query != "" {
			query = "?" + query
		}
		want := ts.want(t, tc.status, "GET", "/v1"+path+query, "")
		got := ts.want(t, tc.status, "GET", "/v1"+path+"/"+query, "")
		if tc.op != "get-the-users-currently-playing-track" && tc.op != "get-information-about-the-users-current-playback" &&
			!bytes.Equal(got, want) {
			t.Errorf("%s: %s/ answers\n%.300s\nwant\n%.300s", tc.op, path, got, want)
		}
		n++
	}
	if n < 50 {
		t.Errorf("only %d GET operations tried", n)
	}
	// Writes too, and the method check still holds.
	ts.want(t, http.StatusOK, "PUT", "/v1/me/tracks/?ids="+ts.ids.Tracks[5], "")
	if !bytes.Contains(ts.want(t, http.StatusOK, "GET", "/v1/me/tracks/contains/?ids="+ts.ids.Tracks[5], ""), []byte("[true]")) {
		t.Error("the save through a trailing slash did not take")
	}
	resp, _ := ts.do("POST", "/v1/me/", nil, "")
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
		t.Errorf("POST /v1/me/: %d, Allow %q; want 405, GET", resp.StatusCode, resp.Header.Get("Allow"))
	}
	for _, p := range []string{"/v1/tracks/", "/v1/nowhere/", "/v1/me/nowhere/"} {
		if resp, b := ts.do("GET", p, nil, ""); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %d %.200s, want 404 or 400", p, resp.StatusCode, b)
		}
	}
	// The log keeps the path as it was sent.
	var last Request
	for _, rq := range ts.srv.Requests() {
		if rq.Op == "get-current-users-profile" {
			last = rq
		}
	}
	if last.Path != "/v1/me/" {
		t.Errorf("the log shows %q for GET /v1/me/", last.Path)
	}
}

// tokenPost sends POST /api/token with query and form as given, and the
// client's credentials in HTTP Basic when basic is set.
func tokenPost(t *testing.T, s *Server, query, form url.Values, basic bool) answer {
	t.Helper()
	req, err := http.NewRequest("POST", s.TokenURL()+"?"+query.Encode(), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(s.ClientID, s.ClientSecret)
	}
	return do(t, s, req)
}

// TestTokenParametersInQueryString checks that the accounts service reads
// its parameters from the query string as well as from the form body, as
// Spotify's does (spoffy sends grant_type there), the body first.
func TestTokenParametersInQueryString(t *testing.T) {
	s := newTest(t)
	token := func(a answer) string {
		t.Helper()
		var m map[string]any
		if err := json.Unmarshal(a.body, &m); a.status != http.StatusOK || err != nil {
			t.Fatalf("token request: %d %s", a.status, a.body)
		}
		tok, _ := m["access_token"].(string)
		return tok
	}
	cc := url.Values{"grant_type": {"client_credentials"}}
	if a := send(t, s, "GET", "/v1/things/x", token(tokenPost(t, s, cc, nil, true))); a.status != http.StatusOK {
		t.Errorf("a token got with grant_type in the query is refused: %d", a.status)
	}
	all := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID}, "client_secret": {s.ClientSecret}}
	token(tokenPost(t, s, all, nil, false))
	refresh := s.RefreshToken("")
	token(tokenPost(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}, nil, true))

	wantOAuthError(t, tokenPost(t, s, nil, nil, true), 400, "unsupported_grant_type", "grant_type parameter is missing")
	wantOAuthError(t, tokenPost(t, s, cc, url.Values{"grant_type": {"password"}}, true),
		400, "unsupported_grant_type", "grant_type parameter is invalid")
	wrong := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID}, "client_secret": {"wrong"}}
	wantOAuthError(t, tokenPost(t, s, wrong, nil, false), 401, "invalid_client", "Invalid client secret")

	// The request log keeps no secret sent in a query string.
	for _, rq := range s.Requests() {
		if strings.Contains(rq.Query, s.ClientSecret) || strings.Contains(rq.Query, refresh) {
			t.Errorf("the log keeps a secret: %+v", rq)
		}
	}
}

// rowItems decodes the rows of a playlist page (or of a full playlist's
// items or tracks page) into their item objects, under key.
func rowItems(t *testing.T, b []byte, key string) []map[string]any {
	t.Helper()
	var page struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, row := range page.Items {
		var item map[string]any
		if err := json.Unmarshal(row[key], &item); err != nil {
			t.Fatalf("row %s: %v", key, err)
		}
		out = append(out, item)
	}
	return out
}

// TestPlaylistRowFlags checks the booleans "episode" and "track" that
// Spotify sends inside playlist rows (tekore refuses rows without them),
// on every playlist read, and only there.
func TestPlaylistRowFlags(t *testing.T) {
	for _, mode := range []Mode{ExtendedQuota, DevelopmentMode} {
		ts := startFake(t, mode)
		mixed := ts.ids.Playlists[4]
		keys := []string{"item", "track"}
		if mode == DevelopmentMode {
			keys = keys[:1]
		}
		var tracks, episodes int
		for _, path := range []string{
			"/v1/playlists/" + mixed + "/items?limit=50&additional_types=track,episode",
			"/v1/playlists/" + mixed + "/items?limit=50",
			"/v1/playlists/" + mixed + "/tracks?limit=100&additional_types=episode",
		} {
			if mode == DevelopmentMode && strings.Contains(path, "/tracks") {
				continue
			}
			b := ts.get(path)
			for _, key := range keys {
				for _, it := range rowItems(t, b, key) {
					isEpisode := strings.HasPrefix(it["uri"].(string), "spotify:episode:")
					if it["episode"] != isEpisode || it["track"] != !isEpisode {
						t.Errorf("%s: %s %s has episode=%v track=%v", path, key, it["uri"], it["episode"], it["track"])
					}
					if isEpisode {
						episodes++
					} else {
						tracks++
					}
				}
			}
		}
		if tracks == 0 || episodes == 0 {
			t.Errorf("%v: %d tracks and %d episodes seen, want both", mode, tracks, episodes)
		}
		for _, path := range []string{"/v1/tracks/" + ts.ids.Tracks[0], "/v1/episodes/" + ts.ids.Episodes[0], "/v1/search?q=the&type=track"} {
			if b := ts.get(path); bytes.Contains(b, []byte(`"episode":false`)) || bytes.Contains(b, []byte(`"episode":true`)) {
				t.Errorf("%s carries the playlist-row flags: %.200s", path, b)
			}
		}
	}
}

// TestEpisodesInTrackShape checks that a playlist read without "episode"
// in additional_types gets its episodes in a track's shape, as Spotify
// answers clients that predate episodes, and with it gets episodes.
func TestEpisodesInTrackShape(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	mixed := ts.ids.Playlists[4]
	check := func(path, key string, asEpisodes bool) {
		t.Helper()
		n := 0
		b := ts.get(path)
		if key == "playlist.items" || key == "playlist.tracks" {
			var pl map[string]json.RawMessage
			if err := json.Unmarshal(b, &pl); err != nil {
				t.Fatal(err)
			}
			b, key = pl[strings.TrimPrefix(key, "playlist.")], map[string]string{"playlist.items": "item", "playlist.tracks": "track"}[key]
		}
		for _, it := range rowItems(t, b, key) {
			uri := it["uri"].(string)
			if !strings.HasPrefix(uri, "spotify:episode:") {
				continue
			}
			n++
			id := strings.TrimPrefix(uri, "spotify:episode:")
			_, hasShow := it["show"]
			album, _ := it["album"].(map[string]any)
			switch {
			case it["type"] != "episode" || it["id"] != id || !strings.HasSuffix(it["href"].(string), "/v1/episodes/"+id):
				t.Errorf("%s: %s is not named as the episode: %v", path, uri, it)
			case asEpisodes && (!hasShow || album != nil || it["description"] == nil || it["resume_point"] == nil):
				t.Errorf("%s: %s is not an episode: %v", path, uri, it)
			case !asEpisodes && (hasShow || album == nil || album["type"] != "show" || it["artists"] == nil ||
				it["track_number"] != 0.0 || it["disc_number"] != 0.0 || it["description"] != nil):
				t.Errorf("%s: %s is not in a track's shape: %v", path, uri, it)
			case !asEpisodes && it["external_ids"].(map[string]any)["spotify"] != "https://open.spotify.com/episode/"+id:
				t.Errorf("%s: %s external_ids %v", path, uri, it["external_ids"])
			}
		}
		if n == 0 {
			t.Errorf("%s: no episode among the rows", path)
		}
	}
	check("/v1/playlists/"+mixed+"/items?limit=50", "item", false)
	check("/v1/playlists/"+mixed+"/items?limit=50&additional_types=track", "item", false)
	check("/v1/playlists/"+mixed+"/tracks?limit=100", "track", false)
	check("/v1/playlists/"+mixed, "playlist.items", false)
	check("/v1/playlists/"+mixed+"/items?limit=50&additional_types=track,episode", "item", true)
	check("/v1/playlists/"+mixed+"/tracks?limit=100&additional_types=episode", "track", true)
	check("/v1/playlists/"+mixed+"?additional_types=episode", "playlist.tracks", true)
}

// A secret sent in the query string of a request that misses the token
// endpoint (a trailing slash, another case, a typo) or that an API request
// carries (RFC 6750's access_token parameter, which Spotify does not read)
// is not kept by the request log either: Request promises no secret,
// whatever the path.
func TestRequestLogWithholdsSecretsOnEveryPath(t *testing.T) {
	s := newTest(t)
	refresh := s.RefreshToken("")
	tok := s.ClientToken()
	secrets := url.Values{"grant_type": {"refresh_token"}, "client_secret": {s.ClientSecret},
		"refresh_token": {refresh}, "code": {"AQcode-secret"}, "code_verifier": {"verifier-secret-0123456789"},
		"access_token": {tok}}
	for _, path := range []string{"/api/token/", "/API/token", "/api/tokens", "/v1/things/x", "/v1/nowhere"} {
		req, err := http.NewRequest(http.MethodPost, s.URL+path+"?"+secrets.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		do(t, s, req)
	}
	// Pairs url.ParseQuery drops: a bad escape, a semicolon.
	for _, q := range []string{"client_secret=" + s.ClientSecret + "%zz", "a=1;client_secret=" + s.ClientSecret} {
		req, err := http.NewRequest(http.MethodPost, s.URL+"/api/token/?"+q, nil)
		if err != nil {
			t.Fatal(err)
		}
		do(t, s, req)
	}
	for _, rq := range s.Requests() {
		for _, secret := range []string{s.ClientSecret, refresh, "AQcode-secret", "verifier-secret-0123456789", tok} {
			if strings.Contains(rq.Query, secret) {
				t.Errorf("%s %s: the log keeps a secret: %s", rq.Method, rq.Path, rq.Query)
				break
			}
		}
	}
}
