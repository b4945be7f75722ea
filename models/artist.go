package models

import "github.com/go-json-experiment/json/jsontext"

// Artist is a full artist (ArtistObject).
type Artist struct {
	ExternalURLs ExternalURLs   `json:"external_urls"`
	Followers    Followers      `json:"followers"`
	Genres       []string       `json:"genres"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Images       []Image        `json:"images"` // widest first
	Name         string         `json:"name"`
	Popularity   int            `json:"popularity"` // 0-100
	Type         string         `json:"type"`       // "artist"
	URI          string         `json:"uri"`
	Extra        jsontext.Value `json:",unknown"`
}

// SimplifiedArtist is an artist as nested in tracks and albums
// (SimplifiedArtistObject).
type SimplifiedArtist struct {
	ExternalURLs ExternalURLs   `json:"external_urls"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Type         string         `json:"type"` // "artist"
	URI          string         `json:"uri"`
	Extra        jsontext.Value `json:",unknown"`
}
