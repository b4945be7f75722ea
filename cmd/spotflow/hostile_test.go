package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"

	"github.com/spotflow/spotflow/spotifytest"
)

// hostileNames serves the fake through a proxy that puts terminal control
// sequences, a bidirectional override and a forged table row into every
// name the fake sends, as a hostile server (or any Spotify user, who names
// their own playlists and profile) could.
func hostileNames(t *testing.T, fake *spotifytest.Server) string {
	t.Helper()
	const evil = `\u001b]0;owned\u0007\u001b[2J\u202e\r\nforged row\t`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.Handler().ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		body := bytes.ReplaceAll(rec.Body.Bytes(), []byte(`"name":"`), []byte(`"name":"`+evil))
		w.Write(bytes.ReplaceAll(body, []byte(`"display_name":"`), []byte(`"display_name":"`+evil)))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// The tables and lines spotflow prints for people show what a server sent
// with its control characters escaped: a name cannot move the cursor,
// clear the screen, retitle the terminal, reverse the text or forge a row.
func TestOutputForPeopleEscapesServerText(t *testing.T) {
	fake := startFake(t)
	url := hostileNames(t, fake)
	ids := fake.IDs()
	c := newCLI(t)
	c.browser = browser(t, nil)
	app := []string{"--base-url", url + "/v1/", "--accounts-url", url, "--client-id", fake.ClientID, "--progress", "off"}
	secret := []string{"--client-secret", fake.ClientSecret}
	for _, args := range [][]string{
		append(secret, "get", "spotify:track:"+ids.Tracks[0], "--format", "table"),
		append(secret, "get", "spotify:album:"+ids.Albums[0], "--format", "table"),
		append(secret, "get", "spotify:playlist:"+ids.Playlists[0], "--format", "table"),
		append(secret, "search", "a", "--type", "track,artist", "--limit", "3", "--format", "table"),
		append(secret, "tracks", ids.Tracks[0], ids.Tracks[1], "--format", "table"),
		append(secret, "demo", "--artists", "1", "--lookups", "1"),
		{"--redirect-uri", loopbackURI(t), "login"},
		{"whoami"},
	} {
		r := c.run(append(app, args...)...).ok(t)
		for _, line := range strings.Split(r.stdout, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "forged row") {
				t.Errorf("%s: a name forged a row: %q", args, line)
			}
			for _, c := range line {
				if unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c) {
					t.Errorf("%s: output carries %U: %q", args, c, line)
					break
				}
			}
		}
	}
}
