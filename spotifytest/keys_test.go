package spotifytest

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/internal/fixtures"
)

// keySet collects the paths of every key of a JSON document. Arrays
// contribute the union of their elements' keys under "[]"; nulls add
// nothing below their own key.
func keySet(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := prefix + "." + k
			out[p] = true
			keySet(e, p, out)
		}
	case []any:
		for _, e := range x {
			keySet(e, prefix+"[]", out)
		}
	}
}

func keysOf(t *testing.T, b []byte) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode: %v: %.200s", err, b)
	}
	out := map[string]bool{}
	keySet(v, "", out)
	return out
}

// keyException excuses a difference: a key (or a key.key path) wherever
// it appears, with everything below it, in the fixtures named (all when
// none), in the direction given.
type keyException struct {
	key      string
	extra    bool // the fake has it and the recording not; false: the reverse
	fixtures []string
	reason   string
}

// keyExceptions are the documented differences between the recorded bodies
// (Spotify before February 2026, from zmb3/spotify's test data) and the
// fake in ExtendedQuota. Besides these, the February 2026 names of the
// playlist keys are compared as the legacy ones they duplicate (see
// normalizeKey).
var keyExceptions = []keyException{
	// What the contract requires and older recordings lack (SOURCE.md).
	{"album.artists", true, nil, "SimplifiedAlbumObject requires artists; older nested albums lack them"},
	{"album.release_date", true, nil, "AlbumBase requires release_date"},
	{"album.release_date_precision", true, nil, "AlbumBase requires release_date_precision"},
	{"total_tracks", true, nil, "AlbumBase requires total_tracks; older albums lack it"},
	{"label", true, nil, "AlbumObject requires label; some recorded albums lack it"},
	{"show", true, []string{"get_episode.json"}, "EpisodeObject requires its show; the recording lacks it"},
	{"images[].height", true, []string{"search_trackplaylist.json"}, "ImageObject requires height (nullable); recorded playlist images lack it"},
	{"images[].width", true, []string{"search_trackplaylist.json"}, "ImageObject requires width (nullable); recorded playlist images lack it"},

	// Fields Spotify sends today that the older recordings predate.
	{"is_local", true, nil, "every track carries is_local today"},
	{"is_private_session", true, nil, "DeviceObject.is_private_session"},
	{"supports_volume", true, nil, "DeviceObject.supports_volume"},
	{"actions", true, nil, "the player's actions, as Spotify sends them: {\"disallows\": {...}}"},
	{"currently_playing_type", true, nil, "CurrentlyPlayingObject.currently_playing_type"},
	{"smart_shuffle", true, nil, "sent by Spotify's player since 2023"},
	{"description", true, []string{"search_trackplaylist.json"}, "SimplifiedPlaylistObject.description"},
	{"snapshot_id", true, []string{"search_trackplaylist.json"}, "SimplifiedPlaylistObject.snapshot_id"},
	{"primary_color", true, []string{"search_trackplaylist.json"}, "sent with playlists (always null)"},
	{"owner.display_name", true, []string{"search_trackplaylist.json"}, "PlaylistOwnerObject.display_name"},

	// Recorded fields the fake leaves out.
	{"track.episode", false, nil, "legacy flag of tracks in playlists, not in the contract"},
	{"track.track", false, nil, "legacy flag of tracks in playlists, not in the contract"},
	{"track.resume_point", false, []string{"playlist_items_episodes_and_tracks.json"}, "episodes in playlist rows are rendered once for everyone, without a user's resume point"},
}

// excused reports whether the difference at path in fixture is documented.
func excused(exceptions []keyException, fixture, path string, extra bool) bool {
	for _, e := range exceptions {
		if e.extra != extra || (e.fixtures != nil && !contains(e.fixtures, fixture)) {
			continue
		}
		k := "." + e.key
		if strings.HasSuffix(path, k) || strings.Contains(path, k+".") || strings.Contains(path, k+"[]") {
			return true
		}
	}
	return false
}

// normalizeKey maps the February 2026 names of the fake's playlist keys to
// the legacy ones of the recordings: a row's "item" to "track", a
// playlist's "items" to "tracks". In ExtendedQuota the fake sends both, so
// the legacy paths are there too and the renamed ones add nothing new.
func normalizeKey(path string, playlist bool) string {
	if playlist && strings.HasPrefix(path, ".items") && !strings.HasPrefix(path, ".items[]") {
		path = ".tracks" + strings.TrimPrefix(path, ".items")
	}
	r := strings.NewReplacer("items[].item.", "items[].track.", "items[].items.", "items[].tracks.").Replace(path + ".")
	return r[:len(r)-1]
}

// keyCase pairs a recorded body with the fake's answer to the same request.
type keyCase struct {
	fixture    string
	path       string // request to the fake, with placeholders
	playlist   bool   // the body is a full playlist
	devRemoved bool   // the operation is refused in DevelopmentMode
}

var keyCases = []keyCase{
	{fixture: "find_track.json", path: "/v1/tracks/{track}"},
	{fixture: "find_artist.json", path: "/v1/artists/{artist}"},
	{fixture: "find_album.json", path: "/v1/albums/{album}"},
	{fixture: "find_albums.json", path: "/v1/albums?ids={album},{album2}", devRemoved: true},
	{fixture: "find_tracks_simple.json", path: "/v1/tracks?ids={track},{track2}", devRemoved: true},
	{fixture: "find_tracks_notfound.json", path: "/v1/tracks?ids={track},0000000000000000000000", devRemoved: true},
	{fixture: "get_episode.json", path: "/v1/episodes/{episode}"},
	{fixture: "get_show.json", path: "/v1/shows/{show}"},
	{fixture: "get_show_episodes.json", path: "/v1/shows/{show}/episodes"},
	{fixture: "get_playlist.json", path: "/v1/playlists/{playlist}", playlist: true},
	{fixture: "playlist_tracks.json", path: "/v1/playlists/{playlist}/tracks"},
	{fixture: "playlist_items_episodes_and_tracks.json", path: "/v1/playlists/{mixed}/tracks?additional_types=track,episode"},
	{fixture: "current_users_albums.json", path: "/v1/me/albums"},
	{fixture: "current_users_tracks.json", path: "/v1/me/tracks"},
	{fixture: "current_users_top_artists.json", path: "/v1/me/top/artists"},
	{fixture: "get_audio_analysis.json", path: "/v1/audio-analysis/{track}", devRemoved: true},
	{fixture: "player_available_devices.json", path: "/v1/me/player/devices"},
	{fixture: "player_currently_playing.json", path: "/v1/me/player/currently-playing"},
	{fixture: "player_state.json", path: "/v1/me/player"},
	{fixture: "player_recently_played.json", path: "/v1/me/player/recently-played"},
	{fixture: "search_trackplaylist.json", path: "/v1/search?q=the&type=track,playlist"},
	{fixture: "search_tracks.json", path: "/v1/search?q=the&type=track"},
}

// devDropped are the recorded fields Spotify stopped sending to Development
// Mode apps in February 2026 and the fake leaves out in DevelopmentMode (the
// contract marks them deprecated and does not require them; the deprecated
// fields it requires, such as an album's popularity or available_markets,
// stay).
var devDropped = []keyException{
	{"popularity", false, nil, "dropped for Development Mode (tracks, artists)"},
	{"followers", false, nil, "dropped for Development Mode (artists)"},
	{"genres", false, nil, "dropped for Development Mode (artists)"},
	{"available_markets", false, nil, "dropped for Development Mode (tracks, chapters)"},
	{"language", false, nil, "deprecated for languages; dropped for Development Mode"},
}

// TestKeysMatchFixtures compares, for every recorded body in
// internal/fixtures, the fake's key set with the recording's, in
// ExtendedQuota and, with the February 2026 removals, in DevelopmentMode.
func TestKeysMatchFixtures(t *testing.T) {
	t.Run("ExtendedQuota", func(t *testing.T) { testKeys(t, ExtendedQuota, keyExceptions) })
	t.Run("DevelopmentMode", func(t *testing.T) {
		testKeys(t, DevelopmentMode, append(append([]keyException(nil), keyExceptions...), devDropped...))
	})
}

func testKeys(t *testing.T, mode Mode, exceptions []keyException) {
	ts := startFake(t, mode)
	vars := contractVars(ts.ids)
	vars["mixed"] = ts.ids.Playlists[4] // every fifth playlist mixes in episodes
	covered := map[string]bool{}
	for _, kc := range keyCases {
		covered[kc.fixture] = true
		if mode == DevelopmentMode && kc.devRemoved {
			continue
		}
		t.Run(strings.TrimSuffix(kc.fixture, ".json"), func(t *testing.T) {
			want, err := fixtures.Read(kc.fixture)
			if err != nil {
				t.Fatal(err)
			}
			got := ts.fetch(t, expand(kc.path, vars))
			norm := map[string]bool{}
			for k := range keysOf(t, got) {
				norm[normalizeKey(k, kc.playlist)] = true
			}
			compareKeys(t, exceptions, kc.fixture, keysOf(t, want), norm)
		})
	}
	for _, name := range fixtures.Names() {
		if !covered[name] {
			t.Errorf("fixture %s has no key comparison", name)
		}
	}
}

func compareKeys(t *testing.T, exceptions []keyException, fixture string, want, got map[string]bool) {
	t.Helper()
	var missing, extra []string
	for k := range want {
		if !got[k] && !excused(exceptions, fixture, k, false) {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] && !excused(exceptions, fixture, k, true) {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("keys of the recording the fake lacks:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("keys the fake adds:\n  %s", strings.Join(extra, "\n  "))
	}
}
