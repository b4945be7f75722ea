package models

import "github.com/go-json-experiment/json/jsontext"

// AudiobookBase holds the fields of every audiobook object (AudiobookBase).
type AudiobookBase struct {
	Authors          []Author     `json:"authors"`
	AvailableMarkets Markets      `json:"available_markets"`
	Copyrights       []Copyright  `json:"copyrights"`
	Description      string       `json:"description"` // without HTML
	HTMLDescription  string       `json:"html_description"`
	Edition          string       `json:"edition"`
	Explicit         bool         `json:"explicit"`
	ExternalURLs     ExternalURLs `json:"external_urls"`
	Href             string       `json:"href"`
	ID               string       `json:"id"`
	Images           []Image      `json:"images"`
	Languages        []string     `json:"languages"`
	MediaType        string       `json:"media_type"`
	Name             string       `json:"name"`
	Narrators        []Narrator   `json:"narrators"`
	Publisher        string       `json:"publisher"`
	Type             string       `json:"type"` // "audiobook"
	URI              string       `json:"uri"`
	TotalChapters    int          `json:"total_chapters"`
}

// Audiobook is a full audiobook with its first page of chapters
// (AudiobookObject).
type Audiobook struct {
	AudiobookBase `json:",inline"`
	Chapters      Page[SimplifiedChapter] `json:"chapters"`
	Extra         jsontext.Value          `json:",unknown"`
}

// SimplifiedAudiobook is an audiobook as listed and nested in chapters
// (SimplifiedAudiobookObject).
type SimplifiedAudiobook struct {
	AudiobookBase `json:",inline"`
	Extra         jsontext.Value `json:",unknown"`
}

// SavedAudiobook is an audiobook in the user's library
// (SavedAudiobookObject).
type SavedAudiobook struct {
	AddedAt   Time           `json:"added_at"`
	Audiobook Audiobook      `json:"audiobook"`
	Extra     jsontext.Value `json:",unknown"`
}

// ChapterBase holds the fields of every chapter object (ChapterBase).
type ChapterBase struct {
	AudioPreviewURL      string               `json:"audio_preview_url"`
	AvailableMarkets     Markets              `json:"available_markets"`
	ChapterNumber        int                  `json:"chapter_number"`
	Description          string               `json:"description"` // without HTML
	HTMLDescription      string               `json:"html_description"`
	DurationMS           int                  `json:"duration_ms"`
	Explicit             bool                 `json:"explicit"`
	ExternalURLs         ExternalURLs         `json:"external_urls"`
	Href                 string               `json:"href"`
	ID                   string               `json:"id"`
	Images               []Image              `json:"images"`
	IsPlayable           bool                 `json:"is_playable"`
	Languages            []string             `json:"languages"`
	Name                 string               `json:"name"`
	ReleaseDate          string               `json:"release_date"`
	ReleaseDatePrecision ReleaseDatePrecision `json:"release_date_precision"`
	ResumePoint          *ResumePoint         `json:"resume_point"`
	Type                 string               `json:"type"` // "chapter" (the spec says "episode")
	URI                  string               `json:"uri"`
	Restrictions         *Restrictions        `json:"restrictions"`
}

// Chapter is a full chapter (ChapterObject).
type Chapter struct {
	ChapterBase `json:",inline"`
	Audiobook   *SimplifiedAudiobook `json:"audiobook"`
	Extra       jsontext.Value       `json:",unknown"`
}

// SimplifiedChapter is a chapter as listed in an audiobook
// (SimplifiedChapterObject).
type SimplifiedChapter struct {
	ChapterBase `json:",inline"`
	Extra       jsontext.Value `json:",unknown"`
}
