// Package rows flattens playlist items and saved tracks into the rows that
// `spotflow export` writes, as JSON Lines or CSV.
package rows

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spotflow/spotflow/models"
)

// Row is one exported entry: a track or an episode with where and when it
// was added.
type Row struct {
	Position   int       `json:"position"`           // zero-based, in list order
	AddedAt    time.Time `json:"added_at,omitzero"`  // zero when Spotify does not know
	AddedBy    string    `json:"added_by,omitempty"` // user ID; playlists only
	Type       string    `json:"type"`               // "track", "episode", or "" for an unavailable item
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Artists    []string  `json:"artists,omitempty"` // the show's name for an episode
	Album      string    `json:"album,omitempty"`
	DurationMS int       `json:"duration_ms"`
	Explicit   bool      `json:"explicit"`
	URI        string    `json:"uri"`
}

// FromPlaylistItem flattens the playlist row at position pos.
func FromPlaylistItem(pos int, it *models.PlaylistItem) Row {
	r := Row{Position: pos, AddedAt: it.AddedAt.Time, Type: it.Type()}
	if it.AddedBy != nil {
		r.AddedBy = it.AddedBy.ID
	}
	switch {
	case it.Track() != nil:
		r.setTrack(it.Track())
	case it.Episode() != nil:
		e := it.Episode()
		r.ID, r.Name, r.DurationMS, r.Explicit, r.URI = e.ID, e.Name, e.DurationMS, e.Explicit, e.URI
		if e.Show != nil {
			r.Artists = []string{e.Show.Name}
		}
	}
	return r
}

// FromSavedTrack flattens the saved track at position pos of the library.
func FromSavedTrack(pos int, st *models.SavedTrack) Row {
	r := Row{Position: pos, AddedAt: st.AddedAt.Time, Type: "track"}
	r.setTrack(&st.Track)
	return r
}

func (r *Row) setTrack(t *models.Track) {
	r.ID, r.Name, r.Album, r.DurationMS, r.Explicit, r.URI = t.ID, t.Name, t.Album.Name, t.DurationMS, t.Explicit, t.URI
	for _, a := range t.Artists {
		r.Artists = append(r.Artists, a.Name)
	}
}

// Writer writes rows in one format. Call Flush at the end.
type Writer interface {
	Write(Row) error
	Flush() error
}

// NewWriter returns a writer of format "jsonl" or "csv" on w.
func NewWriter(w io.Writer, format string) (Writer, error) {
	switch format {
	case "jsonl":
		return &jsonlWriter{enc: json.NewEncoder(w)}, nil
	case "csv":
		return &csvWriter{w: csv.NewWriter(w)}, nil
	}
	return nil, fmt.Errorf("unknown export format %q (want jsonl or csv)", format)
}

type jsonlWriter struct{ enc *json.Encoder }

func (j *jsonlWriter) Write(r Row) error { return j.enc.Encode(r) }
func (j *jsonlWriter) Flush() error      { return nil }

// CSVHeader is the first line of a CSV export.
var CSVHeader = []string{"position", "added_at", "added_by", "type", "id", "name", "artists", "album", "duration_ms", "explicit", "uri"}

type csvWriter struct {
	w          *csv.Writer
	headerDone bool
}

func (c *csvWriter) Write(r Row) error {
	if !c.headerDone {
		c.headerDone = true
		if err := c.w.Write(CSVHeader); err != nil {
			return err
		}
	}
	added := ""
	if !r.AddedAt.IsZero() {
		added = r.AddedAt.UTC().Format(time.RFC3339)
	}
	return c.w.Write([]string{
		strconv.Itoa(r.Position), added, r.AddedBy, r.Type, r.ID, r.Name,
		strings.Join(r.Artists, "; "), r.Album, strconv.Itoa(r.DurationMS), strconv.FormatBool(r.Explicit), r.URI,
	})
}

// Flush writes the header even for an empty export, so the file always
// says what its columns are.
func (c *csvWriter) Flush() error {
	if !c.headerDone {
		c.headerDone = true
		if err := c.w.Write(CSVHeader); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}
