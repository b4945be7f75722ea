package rows

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/spotflow/spotflow/models"
)

const itemJSON = `{
  "added_at": "2024-05-01T10:00:00Z",
  "added_by": {"id": "alice", "type": "user"},
  "is_local": false,
  "item": {
    "type": "track", "id": "6rqhFgbbKwnb9MLmUQDhG6", "name": "Doxy, \"take 2\"",
    "uri": "spotify:track:6rqhFgbbKwnb9MLmUQDhG6", "duration_ms": 291000, "explicit": false,
    "artists": [{"name": "Miles Davis"}, {"name": "Sonny Rollins"}],
    "album": {"name": "Bags' Groove"}
  }
}`

const episodeJSON = `{
  "added_at": null,
  "track": {"type": "episode", "id": "512ojhOuo1ktJprKbVcKyQ", "name": "Ep. 1", "uri": "spotify:episode:512ojhOuo1ktJprKbVcKyQ",
            "duration_ms": 60000, "explicit": true, "show": {"name": "A Show"}}
}`

func decode(t *testing.T, s string) *models.PlaylistItem {
	t.Helper()
	var it models.PlaylistItem
	if err := models.Unmarshal([]byte(s), &it); err != nil {
		t.Fatal(err)
	}
	return &it
}

func TestFromPlaylistItem(t *testing.T) {
	r := FromPlaylistItem(7, decode(t, itemJSON))
	want := Row{
		Position: 7, AddedAt: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), AddedBy: "alice", Type: "track",
		ID: "6rqhFgbbKwnb9MLmUQDhG6", Name: `Doxy, "take 2"`, Artists: []string{"Miles Davis", "Sonny Rollins"},
		Album: "Bags' Groove", DurationMS: 291000, URI: "spotify:track:6rqhFgbbKwnb9MLmUQDhG6",
	}
	if !r.AddedAt.Equal(want.AddedAt) || r.Name != want.Name || r.Album != want.Album || r.AddedBy != "alice" ||
		strings.Join(r.Artists, "|") != "Miles Davis|Sonny Rollins" || r.DurationMS != 291000 || r.Position != 7 {
		t.Errorf("got %+v\nwant %+v", r, want)
	}

	e := FromPlaylistItem(0, decode(t, episodeJSON))
	if e.Type != "episode" || e.Name != "Ep. 1" || !e.Explicit || len(e.Artists) != 1 || e.Artists[0] != "A Show" || !e.AddedAt.IsZero() {
		t.Errorf("episode row %+v", e)
	}

	empty := FromPlaylistItem(3, &models.PlaylistItem{})
	if empty.Type != "" || empty.ID != "" || empty.Position != 3 {
		t.Errorf("unavailable item row %+v", empty)
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "csv")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range []string{itemJSON, episodeJSON} {
		if err := w.Write(FromPlaylistItem(i, decode(t, s))); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := `position,added_at,added_by,type,id,name,artists,album,duration_ms,explicit,uri
0,2024-05-01T10:00:00Z,alice,track,6rqhFgbbKwnb9MLmUQDhG6,"Doxy, ""take 2""",Miles Davis; Sonny Rollins,Bags' Groove,291000,false,spotify:track:6rqhFgbbKwnb9MLmUQDhG6
1,,,episode,512ojhOuo1ktJprKbVcKyQ,Ep. 1,A Show,,60000,true,spotify:episode:512ojhOuo1ktJprKbVcKyQ
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Errorf("does not read back: %v, %d records", err, len(recs))
	}
}

func TestCSVEmptyHasHeader(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "csv")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != strings.Join(CSVHeader, ",")+"\n" {
		t.Errorf("empty export: %q", buf.String())
	}
}

func TestJSONL(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, "jsonl")
	st := models.SavedTrack{AddedAt: models.Time{Time: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}}
	st.Track.ID, st.Track.Name, st.Track.URI = "6rqhFgbbKwnb9MLmUQDhG6", "Doxy", "spotify:track:6rqhFgbbKwnb9MLmUQDhG6"
	for i := range 3 {
		if err := w.Write(FromSavedTrack(i, &st)); err != nil {
			t.Fatal(err)
		}
	}
	_ = w.Flush()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	var r Row
	if err := json.Unmarshal([]byte(lines[2]), &r); err != nil {
		t.Fatal(err)
	}
	if r.Position != 2 || r.Type != "track" || r.ID != st.Track.ID || !r.AddedAt.Equal(st.AddedAt.Time) {
		t.Errorf("row %+v", r)
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := NewWriter(&bytes.Buffer{}, "xml"); err == nil {
		t.Error("xml accepted")
	}
}
