package models

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/spotflow/spotflow/internal/fixtures"
)

// readFixture returns the bytes of one recorded body.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := fixtures.Read(name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// fixtureTypes maps every fixture to a constructor of the model of the
// endpoint it answers (see FIXTURES.tsv).
var fixtureTypes = map[string]func() any{
	"current_users_albums.json":               func() any { return new(Page[SavedAlbum]) },
	"current_users_top_artists.json":          func() any { return new(Page[Artist]) },
	"current_users_tracks.json":               func() any { return new(Page[SavedTrack]) },
	"find_album.json":                         func() any { return new(Album) },
	"find_albums.json":                        func() any { return new(ManyAlbums) },
	"find_artist.json":                        func() any { return new(Artist) },
	"find_track.json":                         func() any { return new(Track) },
	"find_tracks_notfound.json":               func() any { return new(ManyTracks) },
	"find_tracks_simple.json":                 func() any { return new(ManyTracks) },
	"get_audio_analysis.json":                 func() any { return new(AudioAnalysis) },
	"get_episode.json":                        func() any { return new(Episode) },
	"get_playlist.json":                       func() any { return new(Playlist) },
	"get_show.json":                           func() any { return new(Show) },
	"get_show_episodes.json":                  func() any { return new(Page[SimplifiedEpisode]) },
	"player_available_devices.json":           func() any { return new(ManyDevices) },
	"player_currently_playing.json":           func() any { return new(CurrentlyPlaying) },
	"player_recently_played.json":             func() any { return new(CursorPage[PlayHistory]) },
	"player_state.json":                       func() any { return new(CurrentlyPlayingContext) },
	"playlist_items_episodes_and_tracks.json": func() any { return new(Page[PlaylistItem]) },
	"playlist_tracks.json":                    func() any { return new(Page[PlaylistItem]) },
	"search_trackplaylist.json":               func() any { return new(SearchItems) },
	"search_tracks.json":                      func() any { return new(SearchItems) },
}

func TestEveryFixtureHasAModel(t *testing.T) {
	for _, name := range fixtures.Names() {
		if fixtureTypes[name] == nil {
			t.Errorf("fixture %s has no model in fixtureTypes", name)
		}
	}
}

func TestFixturesDecode(t *testing.T) {
	for name, mk := range fixtureTypes {
		t.Run(name, func(t *testing.T) {
			data := readFixture(t, name)
			// Real bodies must take the fast, strict path.
			if err := json.Unmarshal(data, mk()); err != nil {
				t.Errorf("strict decode: %v", err)
			}
			if err := Unmarshal(data, mk()); err != nil {
				t.Errorf("Unmarshal: %v", err)
			}
		})
	}
}

func TestFixturesRoundTripKeepKeys(t *testing.T) {
	for name, mk := range fixtureTypes {
		t.Run(name, func(t *testing.T) {
			data := readFixture(t, name)
			v := mk()
			if err := Unmarshal(data, v); err != nil {
				t.Fatal(err)
			}
			out, err := Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if missing := missingKeyPaths(t, data, out); len(missing) > 0 {
				t.Errorf("re-encoding lost %d key paths, e.g. %q", len(missing), missing[:min(5, len(missing))])
			}
			// Decoding the re-encoded body gives the same model.
			v2 := mk()
			if err := Unmarshal(out, v2); err != nil {
				t.Fatal(err)
			}
			out2, err := Marshal(v2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, out2) {
				t.Errorf("second round trip differs")
			}
		})
	}
}

// missingKeyPaths returns the key paths of input missing from output, both
// decoded into map[string]any. Array elements share the path "[]".
func missingKeyPaths(tb testing.TB, input, output []byte) []string {
	tb.Helper()
	var in, out any
	if err := json.Unmarshal(input, &in); err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(output, &out); err != nil {
		tb.Fatal(err)
	}
	want, got := map[string]bool{}, map[string]bool{}
	keyPaths(in, "", want)
	keyPaths(out, "", got)
	var missing []string
	for p := range want {
		if !got[p] {
			missing = append(missing, p)
		}
	}
	slices.Sort(missing)
	return missing
}

// keyPaths adds every key path under v to set.
func keyPaths(v any, prefix string, set map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p := prefix + "." + k
			set[p] = true
			keyPaths(x, p, set)
		}
	case []any:
		for _, x := range v {
			keyPaths(x, prefix+"[]", set)
		}
	}
}

func TestMissingKeyPathsHelper(t *testing.T) {
	in := []byte(`{"a":{"b":1,"c":[{"d":null}]},"e":null}`)
	if got := missingKeyPaths(t, in, []byte(`{"a":{"b":2,"c":[{"d":[]}]},"e":{}}`)); len(got) != 0 {
		t.Errorf("got %q, want none missing", got)
	}
	if got := missingKeyPaths(t, in, []byte(`{"a":{"c":[]},"e":null}`)); !slices.Equal(got, []string{".a.b", ".a.c[].d"}) {
		t.Errorf("got %q", got)
	}
}

// rewriteNumbers turns every integer literal of a JSON text into a float:
// alternately 12 -> 12.0 and 12 -> 1.2E1.
func rewriteNumbers(b []byte) []byte {
	var out []byte
	n := 0
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '"':
			end := stringEnd(b, i)
			out = append(out, b[i:end]...)
			i = end
		case c == '-' || c >= '0' && c <= '9':
			end := valueEnd(b, i)
			lit := string(b[i:end])
			if !strings.ContainsAny(lit, ".eE") {
				n++
				if n%2 == 0 {
					lit += ".0"
				} else if f, err := strconv.ParseFloat(lit, 64); err == nil {
					lit = strconv.FormatFloat(f, 'E', -1, 64)
				}
			}
			out = append(out, lit...)
			i = end
		default:
			out = append(out, c)
			i++
		}
	}
	return out
}

// nullArrays turns every array of a JSON text into null.
func nullArrays(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		switch b[i] {
		case '"':
			end := stringEnd(b, i)
			out = append(out, b[i:end]...)
			i = end
		case '[':
			out = append(out, "null"...)
			i = valueEnd(b, i)
		default:
			out = append(out, b[i])
			i++
		}
	}
	return out
}

func TestRewriteHelpers(t *testing.T) {
	if got := string(rewriteNumbers([]byte(`{"a":12,"b":"3","c":[1,2.5,-7,1e3]}`))); got != `{"a":1.2E+01,"b":"3","c":[1.0,2.5,-7E+00,1e3]}` {
		t.Errorf("rewriteNumbers: %s", got)
	}
	if got := string(nullArrays([]byte(`{"a":[1,[2]],"b":"[x]","c":[]}`))); got != `{"a":null,"b":"[x]","c":null}` {
		t.Errorf("nullArrays: %s", got)
	}
}

func TestFixturesTolerateFloatsAndNulls(t *testing.T) {
	for name, mk := range fixtureTypes {
		t.Run(name, func(t *testing.T) {
			data := readFixture(t, name)
			want := mk()
			if err := Unmarshal(data, want); err != nil {
				t.Fatal(err)
			}
			floats := rewriteNumbers(data)
			if !jsontext.Value(floats).IsValid() {
				t.Fatal("rewritten fixture is not valid JSON")
			}
			got := mk()
			if err := Unmarshal(floats, got); err != nil {
				t.Fatalf("integers as floats: %v", err)
			}
			if !reflect.DeepEqual(marshalNoExtra(t, got), marshalNoExtra(t, want)) {
				t.Errorf("integers as floats decode differently")
			}
			for _, variant := range [][]byte{nullArrays(data), nullArrays(floats)} {
				if err := Unmarshal(variant, mk()); err != nil {
					t.Errorf("arrays as null: %v", err)
				}
			}
		})
	}
}

// marshalNoExtra encodes v and decodes it into a generic value, for
// comparing models.
func marshalNoExtra(tb testing.TB, v any) any {
	tb.Helper()
	b, err := Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}
