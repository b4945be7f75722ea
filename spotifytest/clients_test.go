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
}
