package models

import "github.com/go-json-experiment/json/jsontext"

// Track is a full track (TrackObject).
type Track struct {
	Album            SimplifiedAlbum    `json:"album"`
	Artists          []SimplifiedArtist `json:"artists"`
	AvailableMarkets Markets            `json:"available_markets"`
	DiscNumber       int                `json:"disc_number"`
	DurationMS       int                `json:"duration_ms"`
	Explicit         bool               `json:"explicit"`
	ExternalIDs      ExternalIDs        `json:"external_ids"`
	ExternalURLs     ExternalURLs       `json:"external_urls"`
	Href             string             `json:"href"`
	ID               string             `json:"id"`
	// IsPlayable is set only when a market was given (track relinking).
	IsPlayable *bool `json:"is_playable"`
	// LinkedFrom is the track originally asked for, when relinking replaced it.
	LinkedFrom   *LinkedTrack  `json:"linked_from"`
	Restrictions *Restrictions `json:"restrictions"`
	Name         string        `json:"name"`
	Popularity   int           `json:"popularity"`  // 0-100
	PreviewURL   string        `json:"preview_url"` // a 30 s MP3; often empty
	TrackNumber  int           `json:"track_number"`
	Type         string        `json:"type"` // "track"
	URI          string        `json:"uri"`
	IsLocal      bool          `json:"is_local"`
	// TrackFlag and EpisodeFlag are the "track" and "episode" booleans that
	// legacy playlist rows add to their entries; nil when not sent.
	TrackFlag   *bool          `json:"track,omitzero"`
	EpisodeFlag *bool          `json:"episode,omitzero"`
	Extra       jsontext.Value `json:",unknown"`
}

// SimplifiedTrack is a track without album, external IDs and popularity, as
// listed in an album (SimplifiedTrackObject).
type SimplifiedTrack struct {
	Artists          []SimplifiedArtist `json:"artists"`
	AvailableMarkets Markets            `json:"available_markets"`
	DiscNumber       int                `json:"disc_number"`
	DurationMS       int                `json:"duration_ms"`
	Explicit         bool               `json:"explicit"`
	ExternalURLs     ExternalURLs       `json:"external_urls"`
	Href             string             `json:"href"`
	ID               string             `json:"id"`
	IsPlayable       *bool              `json:"is_playable"` // set only with a market
	LinkedFrom       *LinkedTrack       `json:"linked_from"`
	Restrictions     *Restrictions      `json:"restrictions"`
	Name             string             `json:"name"`
	PreviewURL       string             `json:"preview_url"`
	TrackNumber      int                `json:"track_number"`
	Type             string             `json:"type"` // "track"
	URI              string             `json:"uri"`
	IsLocal          bool               `json:"is_local"`
	Extra            jsontext.Value     `json:",unknown"`
}

// LinkedTrack names the track originally requested when track relinking
// served another one (LinkedTrackObject).
type LinkedTrack struct {
	ExternalURLs ExternalURLs   `json:"external_urls"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Type         string         `json:"type"` // "track"
	URI          string         `json:"uri"`
	Extra        jsontext.Value `json:",unknown"`
}

// SavedTrack is a track in the user's library (SavedTrackObject).
type SavedTrack struct {
	AddedAt Time           `json:"added_at"`
	Track   Track          `json:"track"`
	Extra   jsontext.Value `json:",unknown"`
}

// Recommendations is the answer of the recommendations endpoint
// (RecommendationsObject).
type Recommendations struct {
	Seeds  []RecommendationSeed `json:"seeds"`
	Tracks []Track              `json:"tracks"`
	Extra  jsontext.Value       `json:",unknown"`
}

// RecommendationSeed describes one seed of a recommendation
// (RecommendationSeedObject).
type RecommendationSeed struct {
	AfterFilteringSize int            `json:"afterFilteringSize"`
	AfterRelinkingSize int            `json:"afterRelinkingSize"`
	Href               string         `json:"href"` // empty for genre seeds
	ID                 string         `json:"id"`
	InitialPoolSize    int            `json:"initialPoolSize"`
	Type               string         `json:"type"` // "artist", "track" or "genre"
	Extra              jsontext.Value `json:",unknown"`
}
