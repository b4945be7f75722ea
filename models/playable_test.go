package models

import "testing"

func TestPlayableTypedFromFields(t *testing.T) {
	tests := []struct {
		row  string
		want string
	}{
		{`{"item":{"name":"Song","album":{"name":"Record"}}}`, "track"},
		{`{"track":{"name":"Song","album":{"name":"Record"}}}`, "track"},
		{`{"item":{"uri":"spotify:episode:512ojhOuo1ktJprKbVcKyQ"}}`, "episode"},
		{`{"item":{"href":"https://api.spotify.com/v1/tracks/x","name":"a"}}`, "track"},
		{`{"item":{"name":"a","episode":true,"track":false}}`, "episode"},
		{`{"item":{"name":"Talk","show":{"name":"Pod"}}}`, "episode"},
		{`{"item":{"name":"Talk","description":"d"}}`, "episode"},
		{`{"item":{"name":"Alone"}}`, ""},
		{`{"item":{"type":"chapter","name":"c"}}`, "chapter"},
	}
	for _, tt := range tests {
		var it PlaylistItem
		if err := Unmarshal([]byte(tt.row), &it); err != nil {
			t.Fatalf("%s: %v", tt.row, err)
		}
		if it.Type() != tt.want {
			t.Errorf("%s: type %q, want %q", tt.row, it.Type(), tt.want)
		}
		if (it.Track() != nil) != (tt.want == "track") || (it.Episode() != nil) != (tt.want == "episode") {
			t.Errorf("%s: track %v, episode %v", tt.row, it.Track(), it.Episode())
		}
	}
}

// TestFieldsFilteredPlaylist decodes the shape Spotify answers to
// fields=name,items(items(item(name,album(name)))): no row says its type,
// and every row still gives its track.
func TestFieldsFilteredPlaylist(t *testing.T) {
	body := `{"name":"Road trip","items":{"items":[` +
		`{"item":{"name":"Heroes","album":{"name":"Heroes"}}},` +
		`{"item":{"name":"Sound and Vision","album":{"name":"Low"}}},` +
		`{"item":{"name":"Starman","album":{"name":"The Rise and Fall of Ziggy Stardust"}}}]}}`
	var pl Playlist
	if err := Unmarshal([]byte(body), &pl); err != nil {
		t.Fatal(err)
	}
	rows := pl.ItemsPage().Items
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	for i := range rows {
		tr := rows[i].Track()
		if tr == nil || tr.Name == "" || tr.Album.Name == "" {
			t.Fatalf("row %d: track %+v, type %q", i, tr, rows[i].Type())
		}
	}
}
