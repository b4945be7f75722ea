package models

import (
	"bytes"
	stdjson "encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMarkets(t *testing.T) {
	var m Markets
	if m.Len() != 0 || m.Has("US") || len(m.Codes()) != 0 {
		t.Fatal("zero Markets is not empty")
	}
	m.Add("US")
	m.Add("AD")
	m.Add("ZZ")
	m.Add("US")
	m.Add("us")  // not upper case: overflow list
	m.Add("XK1") // not two letters: overflow list
	m.Add("XK1")
	if got, want := m.Codes(), []string{"AD", "US", "ZZ", "us", "XK1"}; !slices.Equal(got, want) {
		t.Errorf("Codes = %q, want %q", got, want)
	}
	if m.Len() != 5 || !m.Has("ZZ") || !m.Has("us") || m.Has("DE") || m.Has("") {
		t.Errorf("Len/Has wrong: %d", m.Len())
	}
	if n := NewMarkets("DE", "FR"); n.Len() != 2 || !n.Has("FR") {
		t.Errorf("NewMarkets: %q", n.Codes())
	}
}

func TestMarketsJSON(t *testing.T) {
	cases := []struct{ in, out string }{
		{`null`, `[]`},
		{`[]`, `[]`},
		{` [ "US" , "AD","GB" ] `, `["AD","GB","US"]`},
		{`["US",null,"\u0044E"]`, `["DE","US"]`},
		{`["A","ABC","de","X\"Y"]`, `["A","ABC","de","X\"Y"]`},
	}
	for _, c := range cases {
		var v struct {
			M Markets `json:"m"`
		}
		if err := Unmarshal([]byte(`{"m":`+c.in+`}`), &v); err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		b, err := Marshal(v.M)
		if err != nil || string(b) != c.out {
			t.Errorf("%s: encoded %s, %v; want %s", c.in, b, err, c.out)
		}
		// encoding/json uses the same codes.
		var std Markets
		if err := stdjson.Unmarshal([]byte(c.in), &std); err != nil {
			t.Errorf("encoding/json %s: %v", c.in, err)
		}
		if b, _ := stdjson.Marshal(std); string(b) != c.out {
			t.Errorf("encoding/json %s: encoded %s, want %s", c.in, b, c.out)
		}
	}
	for _, bad := range []string{`{}`, `"US"`, `[1]`, `[["US"]]`} {
		var m Markets
		if err := Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("%s: want error", bad)
		}
	}
}

func TestTime(t *testing.T) {
	want := time.Date(2017, 5, 27, 20, 7, 54, 721_000_000, time.UTC)
	ok := []struct {
		in   string
		want time.Time
	}{
		{`"2017-05-27T20:07:54.721Z"`, want},
		{`"2017-05-27T22:07:54.721+02:00"`, want},
		{`"2017-05-27T20:07:54.721"`, want},
		{`1495915674721`, want},
		{`1.495915674721E12`, want},
		{`"1495915674721"`, want},
		{`"2017-05-27T20:07:54Z"`, want.Truncate(time.Second)},
		{`"2017-05-27T20:07:54"`, want.Truncate(time.Second)},
		{`"2017-05-27 20:07:54"`, want.Truncate(time.Second)},
		{`"2017-05-27"`, time.Date(2017, 5, 27, 0, 0, 0, 0, time.UTC)},
		{`"2017\u002d05-27T20:07:54Z"`, want.Truncate(time.Second)},
		{`null`, time.Time{}},
		{`""`, time.Time{}},
		{`0`, time.Time{}},
	}
	for _, c := range ok {
		var v struct {
			T Time       `json:"t"`
			M UnixMillis `json:"m"`
		}
		if err := Unmarshal([]byte(`{"t":`+c.in+`,"m":`+c.in+`}`), &v); err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !v.T.Equal(c.want) || !v.M.Equal(c.want) {
			t.Errorf("%s: got %v / %v, want %v", c.in, v.T, v.M, c.want)
		}
	}
	for _, bad := range []string{`"yesterday"`, `true`, `{}`, `"2017-13-01T00:00:00Z"`} {
		var tm Time
		if err := Unmarshal([]byte(bad), &tm); err == nil {
			t.Errorf("%s: want error", bad)
		}
	}
	b, _ := Marshal(struct {
		T Time       `json:"t"`
		M UnixMillis `json:"m"`
		Z Time       `json:"z"`
		N UnixMillis `json:"n"`
	}{Time{want}, UnixMillis{want}, Time{}, UnixMillis{}})
	if got := string(b); got != `{"t":"2017-05-27T20:07:54.721Z","m":1495915674721,"z":null,"n":0}` {
		t.Errorf("Marshal = %s", got)
	}
}

func TestTolerantNumbers(t *testing.T) {
	body := `{"disc_number":2.0,"duration_ms":1.1113535E7,"track_number":"7","popularity":null,
		"name":12,"explicit":true,"album":{"total_tracks":1.2e1,"images":[{"height":640.0,"width":6.4E2,"url":"u"}]}}`
	var tr Track
	if err := Unmarshal([]byte(body), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.DiscNumber != 2 || tr.DurationMS != 11113535 || tr.TrackNumber != 7 || tr.Name != "12" ||
		!tr.Explicit || tr.Album.TotalTracks != 12 || tr.Album.Images[0].Height != 640 || tr.Album.Images[0].Width != 640 {
		t.Errorf("decoded %+v", tr)
	}
	var af AudioFeatures
	if err := Unmarshal([]byte(`{"key":5.0,"mode":1.0,"time_signature":4.0,"tempo":120}`), &af); err != nil {
		t.Fatal(err)
	}
	if af.Key != 5 || af.Mode != 1 || af.TimeSignature != 4 || af.Tempo != 120 {
		t.Errorf("decoded %+v", af)
	}
	for _, bad := range []string{`{"disc_number":1e300}`, `{"disc_number":"x"}`, `{"disc_number":{}}`} {
		var tr Track
		if err := Unmarshal([]byte(bad), &tr); err == nil {
			t.Errorf("%s: want error", bad)
		}
	}
}

func TestTolerantResetsValue(t *testing.T) {
	// The fast pass fails half way; the second pass starts from zero.
	var p Page[SimplifiedArtist]
	if err := Unmarshal([]byte(`{"items":[{"name":"a"},{"name":"b"}],"total":2.0}`), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Total != 2 {
		t.Errorf("got %+v", p)
	}
}

func TestNulls(t *testing.T) {
	body := `{"album":null,"artists":null,"available_markets":null,"external_ids":null,
		"name":null,"linked_from":null,"restrictions":null,"is_playable":null,"duration_ms":null}`
	var tr Track
	if err := Unmarshal([]byte(body), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.Name != "" || tr.Artists != nil || tr.AvailableMarkets.Len() != 0 || tr.IsPlayable != nil {
		t.Errorf("decoded %+v", tr)
	}
}

func TestUnmarshalDoesNotRetainInput(t *testing.T) {
	body := []byte(`{"items":[{"added_at":"2020-01-01T00:00:00Z","track":{"type":"track","name":"n","x":"extra"}},
		{"item":{"type":"video","id":"v1"}}],"total":2,"unknown":"kept"}`)
	var p Page[PlaylistItem]
	if err := Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	before, err := Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range body {
		body[i] = 'X'
	}
	after, _ := Marshal(p)
	if !bytes.Equal(before, after) {
		t.Errorf("decoded value changed with the input buffer:\n%s\n%s", before, after)
	}
	if !strings.Contains(string(after), `"x":"extra"`) || !strings.Contains(string(after), `"unknown":"kept"`) || !strings.Contains(string(after), `"id":"v1"`) {
		t.Errorf("unknown members lost: %s", after)
	}
}

func TestPlaylistShapes(t *testing.T) {
	row := `{"added_at":"2026-03-01T10:00:00Z","is_local":false,%s}`
	trackRow := strings.Replace(row, "%s", `"item":{"type":"track","id":"t1"}`, 1)
	legacyRow := strings.Replace(row, "%s", `"track":{"type":"episode","id":"e1"}`, 1)
	nullRow := strings.Replace(row, "%s", `"track":null`, 1)
	for _, c := range []struct {
		body string
		n    int
	}{
		{`{"id":"p","items":{"items":[` + trackRow + `,` + legacyRow + `,` + nullRow + `],"total":3}}`, 3},
		{`{"id":"p","tracks":{"items":[` + trackRow + `,` + legacyRow + `],"total":2}}`, 2},
		{`{"id":"p"}`, 0},
	} {
		var p Playlist
		if err := Unmarshal([]byte(c.body), &p); err != nil {
			t.Fatal(err)
		}
		page := p.ItemsPage()
		if len(page.Items) != c.n {
			t.Fatalf("%s: %d rows", c.body, len(page.Items))
		}
		if c.n == 0 {
			continue
		}
		if r := page.Items[0]; r.Track() == nil || r.Track().ID != "t1" || r.Episode() != nil || r.Type() != "track" {
			t.Errorf("row 0: %+v", r)
		}
		if r := page.Items[1]; r.Episode() == nil || r.Episode().ID != "e1" || r.Track() != nil || r.Type() != "episode" {
			t.Errorf("row 1: %+v", r)
		}
		if c.n == 3 {
			if r := page.Items[2]; r.Track() != nil || r.Episode() != nil || r.Type() != "" || !r.Content().IsNull() {
				t.Errorf("row 2: %+v", r)
			}
		}
		// Each row keeps its own shape when encoded again.
		out, _ := Marshal(page)
		if missing := missingKeyPaths(t, []byte(c.body[strings.Index(c.body, `{"items"`):len(c.body)-1]), out); len(missing) > 0 {
			t.Errorf("lost %q", missing)
		}
		if strings.Contains(string(out), `"item":null`) {
			t.Errorf("an absent item member was added: %s", out)
		}
	}

	var sp SimplifiedPlaylist
	if err := Unmarshal([]byte(`{"tracks":{"href":"h","total":5}}`), &sp); err != nil || sp.ItemsRef().Total != 5 {
		t.Errorf("legacy ref: %+v %v", sp.ItemsRef(), err)
	}
	if err := Unmarshal([]byte(`{"items":{"href":"h","total":6},"public":null}`), &sp); err != nil || sp.ItemsRef().Total != 6 || sp.Public != nil {
		t.Errorf("current ref: %+v %v", sp.ItemsRef(), err)
	}
}

func TestPlayableFromStream(t *testing.T) {
	// Decoding from a reader-backed decoder may not have the whole object
	// buffered; the slow path must give the same answer.
	body := `{"currently_playing":{"name":"` + strings.Repeat("x", 100000) + `","type":"episode","id":"e","duration_ms":2.0},"queue":[{"type":"track","id":"t"},{"type":"ad"}]}`
	var q Queue
	if err := Unmarshal([]byte(body), &q); err != nil {
		t.Fatal(err)
	}
	if q.CurrentlyPlaying.Episode == nil || q.CurrentlyPlaying.Episode.DurationMS != 2 || len(q.Queue) != 2 || q.Queue[0].Track == nil || q.Queue[1].Type != "ad" || string(q.Queue[1].Raw) != `{"type":"ad"}` {
		t.Errorf("queue %+v", q)
	}
	var q2 Queue
	if err := decodeStream(body, &q2); err != nil {
		t.Fatal(err)
	}
	if q2.CurrentlyPlaying.Episode == nil || q2.CurrentlyPlaying.Episode.ID != "e" || q2.CurrentlyPlaying.Episode.DurationMS != 2 || q2.Queue[0].Track.ID != "t" {
		t.Errorf("stream queue %+v", q2)
	}
}

func TestMemberString(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{`{"a":{"type":"x"},"b":["type"],"type":"track"}`, "track", true},
		{` { "type" : "ep\u0069sode" } `, "episode", true},
		{`{"a":"\"type\":\"no\"","type":"yes"}`, "yes", true},
		{`{"a":1}`, "", true},
		{`{}`, "", true},
		{`{"type":3}`, "", true},
		{`{"a":"unterminated`, "", false},
		{`{"a":[1,2`, "", false},
		{`{"a":1,`, "", false},
		{`[]`, "", true},
		{``, "", false},
	}
	for _, c := range cases {
		got, ok := memberString([]byte(c.in), "type")
		if got != c.want || ok != c.ok {
			t.Errorf("memberString(%s) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestActionsShapes(t *testing.T) {
	for _, body := range []string{
		`{"actions":{"disallows":{"resuming":true,"skipping_prev":true}}}`,
		`{"actions":{"resuming":true,"skipping_prev":true}}`,
	} {
		var s CurrentlyPlayingContext
		if err := Unmarshal([]byte(body), &s); err != nil {
			t.Fatal(err)
		}
		d := s.Actions.Disallowed()
		if !d.Resuming || !d.SkippingPrev || d.Pausing {
			t.Errorf("%s: %+v", body, d)
		}
	}
}

func TestDeviceVolumeNull(t *testing.T) {
	var m ManyDevices
	if err := Unmarshal(readFixture(t, "player_available_devices.json"), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Devices) != 2 || m.Devices[0].VolumePercent == nil || m.Devices[1].VolumePercent != nil {
		t.Errorf("devices %+v", m.Devices)
	}
}

func TestBatchNullEntry(t *testing.T) {
	var m ManyTracks
	if err := Unmarshal(readFixture(t, "find_tracks_notfound.json"), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Tracks) != 2 || m.Tracks[0] == nil || m.Tracks[1] != nil {
		t.Errorf("tracks %v", m.Tracks)
	}
}

func TestFixtureValues(t *testing.T) {
	var p Page[PlaylistItem]
	if err := Unmarshal(readFixture(t, "playlist_tracks.json"), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 40 {
		t.Fatalf("%d rows", len(p.Items))
	}
	markets := 0
	for i, row := range p.Items {
		tr := row.Track()
		if tr == nil || tr.ID == "" || tr.Album.ID == "" || row.AddedAt.IsZero() || tr.TrackFlag == nil || !*tr.TrackFlag {
			t.Fatalf("row %d: %+v", i, row)
		}
		markets += tr.AvailableMarkets.Len()
	}
	if markets == 0 {
		t.Error("no markets decoded")
	}
	var h CursorPage[PlayHistory]
	if err := Unmarshal(readFixture(t, "player_recently_played.json"), &h); err != nil {
		t.Fatal(err)
	}
	if got := h.Items[0].PlayedAt.Time; !got.Equal(time.Date(2017, 5, 27, 20, 7, 54, 721e6, time.UTC)) || h.Cursors.After != "1495915674720" {
		t.Errorf("played_at %v, cursors %+v", got, h.Cursors)
	}
	var st CurrentlyPlayingContext
	if err := Unmarshal(readFixture(t, "player_state.json"), &st); err != nil {
		t.Fatal(err)
	}
	if st.Item.Track == nil || st.Timestamp.IsZero() || st.Device.VolumePercent != nil || st.Context == nil {
		t.Errorf("state %+v", st)
	}
}

func TestPlayableWithEncodingJSON(t *testing.T) {
	var q struct {
		Item Playable `json:"item"`
	}
	if err := stdjson.Unmarshal([]byte(`{"item":{"type":"episode","id":"e","name":"n"}}`), &q); err != nil {
		t.Fatal(err)
	}
	if q.Item.Episode == nil || q.Item.Episode.ID != "e" || q.Item.URI() != "" {
		t.Fatalf("%+v", q.Item)
	}
	b, err := stdjson.Marshal(q.Item)
	if err != nil || !strings.Contains(string(b), `"id":"e"`) {
		t.Errorf("%s %v", b, err)
	}
}
