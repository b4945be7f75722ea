package models

import "github.com/go-json-experiment/json/jsontext"

// AlbumType is the kind of an album. Spotify may send other values (and has
// sent upper-case ones); they are kept as sent.
type AlbumType string

// Known album types.
const (
	AlbumTypeAlbum       AlbumType = "album"
	AlbumTypeSingle      AlbumType = "single"
	AlbumTypeCompilation AlbumType = "compilation"
)

// AlbumGroup is an album's relation to the artist whose albums are listed.
type AlbumGroup string

// Known album groups.
const (
	AlbumGroupAlbum       AlbumGroup = "album"
	AlbumGroupSingle      AlbumGroup = "single"
	AlbumGroupCompilation AlbumGroup = "compilation"
	AlbumGroupAppearsOn   AlbumGroup = "appears_on"
)

// AlbumBase holds the fields every album object has (AlbumBase).
type AlbumBase struct {
	AlbumType            AlbumType            `json:"album_type"`
	TotalTracks          int                  `json:"total_tracks"`
	AvailableMarkets     Markets              `json:"available_markets"`
	ExternalURLs         ExternalURLs         `json:"external_urls"`
	Href                 string               `json:"href"`
	ID                   string               `json:"id"`
	Images               []Image              `json:"images"`
	Name                 string               `json:"name"`
	ReleaseDate          string               `json:"release_date"` // "1981", "1981-12" or "1981-12-15"
	ReleaseDatePrecision ReleaseDatePrecision `json:"release_date_precision"`
	Restrictions         *Restrictions        `json:"restrictions"`
	Type                 string               `json:"type"` // "album"
	URI                  string               `json:"uri"`
}

// SimplifiedAlbum is an album as nested in tracks and lists
// (SimplifiedAlbumObject).
type SimplifiedAlbum struct {
	AlbumBase `json:",inline"`
	Artists   []SimplifiedArtist `json:"artists"`
	Extra     jsontext.Value     `json:",unknown"`
}

// ArtistDiscographyAlbum is an album in an artist's discography
// (ArtistDiscographyAlbumObject).
type ArtistDiscographyAlbum struct {
	AlbumBase  `json:",inline"`
	Artists    []SimplifiedArtist `json:"artists"`
	AlbumGroup AlbumGroup         `json:"album_group"`
	Extra      jsontext.Value     `json:",unknown"`
}

// Album is a full album (AlbumObject).
type Album struct {
	AlbumBase   `json:",inline"`
	Artists     []SimplifiedArtist    `json:"artists"`
	Tracks      Page[SimplifiedTrack] `json:"tracks"`
	Copyrights  []Copyright           `json:"copyrights"`
	ExternalIDs ExternalIDs           `json:"external_ids"`
	Genres      []string              `json:"genres"` // always empty
	Label       string                `json:"label"`
	Popularity  int                   `json:"popularity"` // 0-100
	Extra       jsontext.Value        `json:",unknown"`
}

// SavedAlbum is an album in the user's library (SavedAlbumObject).
type SavedAlbum struct {
	AddedAt Time           `json:"added_at"`
	Album   Album          `json:"album"`
	Extra   jsontext.Value `json:",unknown"`
}
