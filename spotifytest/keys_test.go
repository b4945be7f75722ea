package spotifytest

import (
	"encoding/json"
	"fmt"
	"maps"
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
	{"items[].context", false, []string{"player_recently_played.json"}, "Spotify sends null for a track played outside any context; PlayHistoryObject does not allow null, so the fake leaves it out"},
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
// internal/fixtures, the fake's answer to the same request with the
// recording, in ExtendedQuota and, with the February 2026 removals, in
// DevelopmentMode: the key paths of the whole answers (compareKeys), and
// each object of the fake's answer against the fields every recorded
// object at the same place has (compareObjects).
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
			compareObjects(t, exceptions, kc, want, got)
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

// objectsAt collects the key set of every object in v under its path
// (arrays as "[]"), one entry per object.
func objectsAt(v any, path string, out map[string][]map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		keys := make(map[string]bool, len(x))
		for k, e := range x {
			keys[k] = true
			objectsAt(e, path+"."+k, out)
		}
		out[path] = append(out[path], keys)
	case []any:
		for _, e := range x {
			objectsAt(e, path+"[]", out)
		}
	}
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode: %v: %.200s", err, b)
	}
	return v
}

// compareObjects holds every object of the fake's answer to the fields
// that every recorded object at the same place has: where the key sets of
// compareKeys are unions over all the objects at a place, this checks
// each object, so that one complete track cannot hide nine incomplete
// ones.
func compareObjects(t *testing.T, exceptions []keyException, kc keyCase, want, got []byte) {
	t.Helper()
	recorded := map[string][]map[string]bool{}
	objectsAt(decodeJSON(t, want), "", recorded)
	served := map[string][]map[string]bool{}
	objectsAt(decodeJSON(t, got), "", served)
	missing := map[string]int{}
	for path, objs := range served {
		norm := normalizeKey(path, kc.playlist)
		required := common(recorded[norm])
		for _, keys := range objs {
			has := map[string]bool{}
			for k := range keys {
				p := normalizeKey(path+"."+k, kc.playlist)
				has[p[strings.LastIndexByte(p, '.')+1:]] = true
			}
			for k := range required {
				if !has[k] && !excused(exceptions, kc.fixture, norm+"."+k, false) {
					missing[norm+"."+k]++
				}
			}
		}
	}
	reportMissing(t, missing, "objects of the fake's answer lack fields every recorded object there has")
}

// common is the set of keys every one of objs has.
func common(objs []map[string]bool) map[string]bool {
	if len(objs) == 0 {
		return nil
	}
	out := maps.Clone(objs[0])
	for _, o := range objs[1:] {
		for k := range out {
			if !o[k] {
				delete(out, k)
			}
		}
	}
	return out
}

func reportMissing(t *testing.T, missing map[string]int, what string) {
	t.Helper()
	if len(missing) == 0 {
		return
	}
	var lines []string
	for k, n := range missing {
		lines = append(lines, fmt.Sprintf("%s (%d objects)", k, n))
	}
	sort.Strings(lines)
	t.Errorf("%s:\n  %s", what, strings.Join(lines, "\n  "))
}

const episodeAsTrack = "episode in a track's shape"

// kindOf names the kind of object o, found under key in an object of kind
// parent: a Spotify object by its type ("track", "album", ...), a page, a
// playlist row, a saved item, a play history entry by what it holds, and
// any other object by where it is ("album.external_ids"). Objects of one
// kind are the same object wherever an answer holds them.
func kindOf(o map[string]any, parent, key string) string {
	has := func(k string) bool { _, ok := o[k]; return ok }
	if strings.HasPrefix(parent, episodeAsTrack) {
		return parent + "." + key // the show standing in for album and artist
	}
	if t, ok := o["type"].(string); ok && has("id") && (has("uri") || has("href")) {
		switch {
		case t == "episode" && has("album"):
			return episodeAsTrack // no recording of it
		case t == "episode" && has("chapter_number"):
			return "chapter" // served with type episode, as the contract says
		}
		return t
	}
	switch key {
	case "images", "icons":
		return "image"
	case "devices":
		return "device"
	case "external_urls", "followers", "copyrights", "resume_point", "restrictions", "cursors",
		"device", "explicit_content", "actions", "disallows", "context":
		return key
	}
	switch {
	case has("items") && has("limit") && has("cursors"):
		return "cursor page"
	case has("items") && has("limit") && has("offset"):
		return "page"
	case has("added_at") && has("added_by"):
		return "playlist row"
	case has("added_at"):
		for _, k := range []string{"album", "track", "show", "episode", "audiobook"} {
			if has(k) {
				return "saved " + k
			}
		}
	case has("played_at"):
		return "play history"
	case has("is_playing") && has("device"):
		return "playback state"
	case has("is_playing"):
		return "currently playing"
	}
	return parent + "." + key
}

// objectsByKind collects the key set of every object in v by its kind.
// Call it with parent "" and key the operation that answered v: an answer
// that is none of the kinds kindOf knows is of the kind "answer of" its
// operation.
func objectsByKind(v any, parent, key string, out map[string][]map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		kind := kindOf(x, parent, key)
		if parent == "" && kind == "."+key {
			kind = "answer of " + key
		}
		keys := make(map[string]bool, len(x))
		for k, e := range x {
			keys[k] = true
			objectsByKind(e, kind, k, out)
		}
		out[kind] = append(out[kind], keys)
	case []any:
		for _, e := range x {
			objectsByKind(e, parent, key, out)
		}
	}
}

// kindExceptions are the fields a recorded object of a kind has everywhere
// that the fake may leave out ("kind.field", or "kind.field in op" for one
// operation), and why.
var kindExceptions = map[string]string{
	"play history.context":           "Spotify sends null outside any context; PlayHistoryObject does not allow null, so the fake leaves it out",
	"cursors.before in get-followed": "the followed artists are paged forward only: Spotify's cursors there carry after alone",
}

// renamed are the February 2026 names of recorded fields: a playlist row's
// track is now its item and a playlist's tracks its items. In
// DevelopmentMode the fake sends only the new names.
var renamed = map[string]string{"playlist row.track": "item", "playlist.tracks": "items"}

// TestObjectsHaveRecordedFields holds every object the fake renders, in
// the answer of any read operation and of the links those answers hold, to
// the fields that every recorded object of the same kind has, wherever
// Spotify sent it. TestKeysMatchFixtures compares answers with the
// recordings of the same request; this covers the answers that have no
// recording (top tracks, recommendations, the queue, saved episodes, ...).
func TestObjectsHaveRecordedFields(t *testing.T) {
	for _, mode := range []Mode{ExtendedQuota, DevelopmentMode} {
		t.Run(mode.String(), func(t *testing.T) {
			ts := startFake(t, mode)
			vars := contractVars(ts.ids)
			vars["mixed"] = ts.ids.Playlists[4]
			recorded := map[string][]map[string]bool{}
			for _, kc := range keyCases {
				b, err := fixtures.Read(kc.fixture)
				if err != nil {
					t.Fatal(err)
				}
				// The root of an answer is of the kind of its operation.
				op := ts.opOf(t, expand(kc.path, vars))
				objectsByKind(decodeJSON(t, b), "", op, recorded)
				// What such an answer holds depends on the request (the
				// types searched, the IDs asked): TestKeysMatchFixtures
				// compares it with the same request's answer.
				delete(recorded, "answer of "+op)
			}
			required := map[string]map[string]bool{}
			for kind, objs := range recorded {
				required[kind] = common(objs)
			}
			exceptions := maps.Clone(kindExceptions)
			if mode == DevelopmentMode {
				for _, e := range devDropped {
					for _, kind := range []string{"track", "artist", "album", "episode", "chapter", "user"} {
						exceptions[kind+"."+e.key] = e.reason
					}
				}
			}
			missing := map[string]int{}
			kinds := map[string]bool{}
			for _, c := range crawl(t, ts, mode, 1, 4) {
				market := strings.Contains(c.path, "market=")
				served := map[string][]map[string]bool{}
				objectsByKind(decodeJSON(t, c.body), "", c.op, served)
				for kind, objs := range served {
					kinds[kind] = true
					for _, keys := range objs {
						for k := range required[kind] {
							field := kind + "." + k
							switch {
							case keys[k] || keys[renamed[field]]:
							case exceptions[field] != "" || exceptions[field+" in "+c.op] != "":
							case k == "available_markets" && market:
								// Spotify leaves it out when the request names a market.
							default:
								missing[field+" in "+c.op]++
							}
						}
					}
				}
			}
			reportMissing(t, missing, "objects the fake renders lack fields every recorded object of their kind has")
			for _, kind := range []string{"track", "album", "artist", "playlist", "show", "episode", "user",
				"image", "page", "playlist row", "saved track", "saved album", "play history", "device"} {
				if !kinds[kind] || required[kind] == nil {
					t.Errorf("no %s was compared", kind)
				}
			}
		})
	}
}
