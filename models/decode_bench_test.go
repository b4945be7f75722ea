package models

import (
	"bytes"
	stdjson "encoding/json"
	"testing"
	"time"
)

// The v1* types mirror the models field for field, as a plain
// encoding/json user would write them: markets as []string, times as
// time.Time, no kept unknown members.

type v1ExternalURLs struct {
	Spotify string `json:"spotify"`
}

type v1ExternalIDs struct {
	ISRC string `json:"isrc"`
	EAN  string `json:"ean"`
	UPC  string `json:"upc"`
}

type v1Image struct {
	URL    string `json:"url"`
	Height int    `json:"height"`
	Width  int    `json:"width"`
}

type v1Restrictions struct {
	Reason string `json:"reason"`
}

type v1Artist struct {
	ExternalURLs v1ExternalURLs `json:"external_urls"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Type         string         `json:"type"`
	URI          string         `json:"uri"`
}

type v1AlbumBase struct {
	AlbumType            string          `json:"album_type"`
	TotalTracks          int             `json:"total_tracks"`
	AvailableMarkets     []string        `json:"available_markets"`
	ExternalURLs         v1ExternalURLs  `json:"external_urls"`
	Href                 string          `json:"href"`
	ID                   string          `json:"id"`
	Images               []v1Image       `json:"images"`
	Name                 string          `json:"name"`
	ReleaseDate          string          `json:"release_date"`
	ReleaseDatePrecision string          `json:"release_date_precision"`
	Restrictions         *v1Restrictions `json:"restrictions"`
	Type                 string          `json:"type"`
	URI                  string          `json:"uri"`
}

type v1SimplifiedAlbum struct {
	v1AlbumBase
	Artists []v1Artist `json:"artists"`
}

type v1LinkedTrack struct {
	ExternalURLs v1ExternalURLs `json:"external_urls"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Type         string         `json:"type"`
	URI          string         `json:"uri"`
}

type v1Track struct {
	Album            v1SimplifiedAlbum `json:"album"`
	Artists          []v1Artist        `json:"artists"`
	AvailableMarkets []string          `json:"available_markets"`
	DiscNumber       int               `json:"disc_number"`
	DurationMS       int               `json:"duration_ms"`
	Explicit         bool              `json:"explicit"`
	ExternalIDs      v1ExternalIDs     `json:"external_ids"`
	ExternalURLs     v1ExternalURLs    `json:"external_urls"`
	Href             string            `json:"href"`
	ID               string            `json:"id"`
	IsPlayable       *bool             `json:"is_playable"`
	LinkedFrom       *v1LinkedTrack    `json:"linked_from"`
	Restrictions     *v1Restrictions   `json:"restrictions"`
	Name             string            `json:"name"`
	Popularity       int               `json:"popularity"`
	PreviewURL       string            `json:"preview_url"`
	TrackNumber      int               `json:"track_number"`
	Type             string            `json:"type"`
	URI              string            `json:"uri"`
	IsLocal          bool              `json:"is_local"`
	TrackFlag        *bool             `json:"track"`
	EpisodeFlag      *bool             `json:"episode"`
}

type v1SimplifiedTrack struct {
	Artists          []v1Artist      `json:"artists"`
	AvailableMarkets []string        `json:"available_markets"`
	DiscNumber       int             `json:"disc_number"`
	DurationMS       int             `json:"duration_ms"`
	Explicit         bool            `json:"explicit"`
	ExternalURLs     v1ExternalURLs  `json:"external_urls"`
	Href             string          `json:"href"`
	ID               string          `json:"id"`
	IsPlayable       *bool           `json:"is_playable"`
	LinkedFrom       *v1LinkedTrack  `json:"linked_from"`
	Restrictions     *v1Restrictions `json:"restrictions"`
	Name             string          `json:"name"`
	PreviewURL       string          `json:"preview_url"`
	TrackNumber      int             `json:"track_number"`
	Type             string          `json:"type"`
	URI              string          `json:"uri"`
	IsLocal          bool            `json:"is_local"`
}

type v1Page[T any] struct {
	Href     string `json:"href"`
	Items    []T    `json:"items"`
	Limit    int    `json:"limit"`
	Next     string `json:"next"`
	Offset   int    `json:"offset"`
	Previous string `json:"previous"`
	Total    int    `json:"total"`
}

type v1User struct {
	ExternalURLs v1ExternalURLs `json:"external_urls"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Type         string         `json:"type"`
	URI          string         `json:"uri"`
}

type v1PlaylistItem struct {
	AddedAt        time.Time `json:"added_at"`
	AddedBy        *v1User   `json:"added_by"`
	IsLocal        bool      `json:"is_local"`
	Item           *v1Track  `json:"item"`
	Track          *v1Track  `json:"track"`
	PrimaryColor   string    `json:"primary_color"`
	VideoThumbnail *struct {
		URL string `json:"url"`
	} `json:"video_thumbnail"`
}

type v1Copyright struct {
	Text string `json:"text"`
	Type string `json:"type"`
}

type v1Album struct {
	v1AlbumBase
	Artists     []v1Artist                `json:"artists"`
	Tracks      v1Page[v1SimplifiedTrack] `json:"tracks"`
	Copyrights  []v1Copyright             `json:"copyrights"`
	ExternalIDs v1ExternalIDs             `json:"external_ids"`
	Genres      []string                  `json:"genres"`
	Label       string                    `json:"label"`
	Popularity  int                       `json:"popularity"`
}

type v1ManyAlbums struct {
	Albums []*v1Album `json:"albums"`
}

// BenchmarkDecode decodes two real bodies into the models with [Unmarshal]
// and, side by side, into the plain structs above with encoding/json.
//
//	go test -run=^$ -bench=BenchmarkDecode -benchmem ./models/
func BenchmarkDecode(b *testing.B) {
	cases := []struct {
		fixture string
		models  func() any
		stdlib  func() any
	}{
		{"playlist_tracks.json", func() any { return new(Page[PlaylistItem]) }, func() any { return new(v1Page[v1PlaylistItem]) }},
		{"find_albums.json", func() any { return new(ManyAlbums) }, func() any { return new(v1ManyAlbums) }},
	}
	for _, c := range cases {
		data := readFixture(b, c.fixture)
		b.Run(c.fixture+"/models", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := Unmarshal(data, c.models()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.fixture+"/encoding_json", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := stdjson.Unmarshal(data, c.stdlib()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPlayableLookahead measures the look-ahead that finds the type of
// a playlist row's track before it is decoded: a pass over the object's
// bytes that must stay much faster than decoding them.
func BenchmarkPlayableLookahead(b *testing.B) {
	data := readFixture(b, "playlist_tracks.json")
	i := bytes.Index(data, []byte(`"track" : {`))
	if i < 0 {
		b.Fatal("no track object in the fixture")
	}
	obj := data[i+len(`"track" : `):]
	b.SetBytes(int64(valueEnd(obj, 0)))
	for b.Loop() {
		if s, ok := memberString(obj, "type"); !ok || s != "track" {
			b.Fatalf("memberString = %q, %v", s, ok)
		}
	}
}
