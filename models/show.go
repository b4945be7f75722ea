package models

import "github.com/go-json-experiment/json/jsontext"

// ShowBase holds the fields of every show object (ShowBase).
type ShowBase struct {
	AvailableMarkets   Markets      `json:"available_markets"`
	Copyrights         []Copyright  `json:"copyrights"`
	Description        string       `json:"description"` // without HTML
	HTMLDescription    string       `json:"html_description"`
	Explicit           bool         `json:"explicit"`
	ExternalURLs       ExternalURLs `json:"external_urls"`
	Href               string       `json:"href"`
	ID                 string       `json:"id"`
	Images             []Image      `json:"images"`
	IsExternallyHosted bool         `json:"is_externally_hosted"`
	Languages          []string     `json:"languages"`
	MediaType          string       `json:"media_type"`
	Name               string       `json:"name"`
	Publisher          string       `json:"publisher"`
	Type               string       `json:"type"` // "show"
	URI                string       `json:"uri"`
	TotalEpisodes      int          `json:"total_episodes"`
}

// SimplifiedShow is a show as listed and nested in episodes
// (SimplifiedShowObject).
type SimplifiedShow struct {
	ShowBase `json:",inline"`
	Extra    jsontext.Value `json:",unknown"`
}

// Show is a full show with its first page of episodes (ShowObject).
type Show struct {
	ShowBase `json:",inline"`
	Episodes Page[SimplifiedEpisode] `json:"episodes"`
	Extra    jsontext.Value          `json:",unknown"`
}

// SavedShow is a show in the user's library (SavedShowObject).
type SavedShow struct {
	AddedAt Time           `json:"added_at"`
	Show    SimplifiedShow `json:"show"`
	Extra   jsontext.Value `json:",unknown"`
}

// EpisodeBase holds the fields of every episode object (EpisodeBase).
type EpisodeBase struct {
	AudioPreviewURL      string               `json:"audio_preview_url"`
	Description          string               `json:"description"` // without HTML
	HTMLDescription      string               `json:"html_description"`
	DurationMS           int                  `json:"duration_ms"`
	Explicit             bool                 `json:"explicit"`
	ExternalURLs         ExternalURLs         `json:"external_urls"`
	Href                 string               `json:"href"`
	ID                   string               `json:"id"`
	Images               []Image              `json:"images"`
	IsExternallyHosted   bool                 `json:"is_externally_hosted"`
	IsPlayable           bool                 `json:"is_playable"`
	Language             string               `json:"language"` // deprecated: use Languages
	Languages            []string             `json:"languages"`
	Name                 string               `json:"name"`
	ReleaseDate          string               `json:"release_date"`
	ReleaseDatePrecision ReleaseDatePrecision `json:"release_date_precision"`
	ResumePoint          *ResumePoint         `json:"resume_point"` // needs user-read-playback-position
	Type                 string               `json:"type"`         // "episode"
	URI                  string               `json:"uri"`
	Restrictions         *Restrictions        `json:"restrictions"`
}

// Episode is a full episode (EpisodeObject). Show is nil when Spotify leaves
// it out, as it does in some answers.
type Episode struct {
	EpisodeBase `json:",inline"`
	Show        *SimplifiedShow `json:"show"`
	// TrackFlag and EpisodeFlag are the "track" and "episode" booleans that
	// legacy playlist rows add to their entries; nil when not sent.
	TrackFlag   *bool          `json:"track,omitzero"`
	EpisodeFlag *bool          `json:"episode,omitzero"`
	Extra       jsontext.Value `json:",unknown"`
}

// SimplifiedEpisode is an episode as listed in a show
// (SimplifiedEpisodeObject).
type SimplifiedEpisode struct {
	EpisodeBase `json:",inline"`
	Extra       jsontext.Value `json:",unknown"`
}

// SavedEpisode is an episode in the user's library (SavedEpisodeObject).
type SavedEpisode struct {
	AddedAt Time           `json:"added_at"`
	Episode Episode        `json:"episode"`
	Extra   jsontext.Value `json:",unknown"`
}
