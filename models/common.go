package models

import "github.com/go-json-experiment/json/jsontext"

// Every object type has an Extra field holding the members Spotify sent that
// the type does not declare, as one JSON object (nil when there were none).
// [Marshal] writes them back after the declared fields, so decoding and
// re-encoding keeps every member. Read one with e.g.
//
//	var m map[string]any
//	err := models.Unmarshal(track.Extra, &m)

// ExternalURLs holds known external URLs of an object (ExternalUrlObject).
type ExternalURLs struct {
	Spotify string         `json:"spotify"` // the open.spotify.com URL
	Extra   jsontext.Value `json:",unknown"`
}

// ExternalIDs holds known external IDs of a track or album
// (ExternalIdObject).
type ExternalIDs struct {
	ISRC  string         `json:"isrc"` // International Standard Recording Code
	EAN   string         `json:"ean"`  // International Article Number
	UPC   string         `json:"upc"`  // Universal Product Code
	Extra jsontext.Value `json:",unknown"`
}

// Followers holds follower information (FollowersObject).
type Followers struct {
	Href  string         `json:"href"` // always empty: the Web API does not serve follower lists
	Total int            `json:"total"`
	Extra jsontext.Value `json:",unknown"`
}

// Image is one size of an image (ImageObject). Height and Width are 0 when
// Spotify does not know them.
type Image struct {
	URL    string         `json:"url"`
	Height int            `json:"height"`
	Width  int            `json:"width"`
	Extra  jsontext.Value `json:",unknown"`
}

// RestrictionReason says why content is restricted. Spotify may add reasons;
// unknown ones are kept as sent.
type RestrictionReason string

// Known restriction reasons.
const (
	RestrictionMarket          RestrictionReason = "market"
	RestrictionProduct         RestrictionReason = "product"
	RestrictionExplicit        RestrictionReason = "explicit"
	RestrictionPaymentRequired RestrictionReason = "payment_required"
)

// Restrictions is present on an object when a content restriction applies
// (TrackRestrictionObject, AlbumRestrictionObject, ...).
type Restrictions struct {
	Reason RestrictionReason `json:"reason"`
	Extra  jsontext.Value    `json:",unknown"`
}

// TrackRestriction is the restriction object of a track.
type TrackRestriction = Restrictions

// AlbumRestriction is the restriction object of an album.
type AlbumRestriction = Restrictions

// EpisodeRestriction is the restriction object of an episode.
type EpisodeRestriction = Restrictions

// ChapterRestriction is the restriction object of a chapter.
type ChapterRestriction = Restrictions

// Copyright is a copyright statement (CopyrightObject).
type Copyright struct {
	Text  string         `json:"text"`
	Type  CopyrightType  `json:"type"`
	Extra jsontext.Value `json:",unknown"`
}

// CopyrightType is the kind of a copyright statement.
type CopyrightType string

// Copyright types.
const (
	CopyrightC CopyrightType = "C" // the copyright
	CopyrightP CopyrightType = "P" // the sound recording (performance) copyright
)

// Author is an author of an audiobook (AuthorObject).
type Author struct {
	Name  string         `json:"name"`
	Extra jsontext.Value `json:",unknown"`
}

// Narrator is a narrator of an audiobook (NarratorObject).
type Narrator struct {
	Name  string         `json:"name"`
	Extra jsontext.Value `json:",unknown"`
}

// ResumePoint is the user's position in an episode or chapter
// (ResumePointObject).
type ResumePoint struct {
	FullyPlayed      bool           `json:"fully_played"`
	ResumePositionMS int            `json:"resume_position_ms"`
	Extra            jsontext.Value `json:",unknown"`
}

// ReleaseDatePrecision says how much of a release date is known.
type ReleaseDatePrecision string

// Release date precisions.
const (
	PrecisionYear  ReleaseDatePrecision = "year"
	PrecisionMonth ReleaseDatePrecision = "month"
	PrecisionDay   ReleaseDatePrecision = "day"
)

// Error is the error object of an error response (ErrorObject). Reason is
// sent by some endpoints (player, quota) but not declared by the spec.
type Error struct {
	Status  int            `json:"status"`
	Message string         `json:"message"`
	Reason  string         `json:"reason,omitzero"`
	Extra   jsontext.Value `json:",unknown"`
}

// ErrorResponse is the body of a non-2xx answer: {"error": {...}}.
type ErrorResponse struct {
	Error Error          `json:"error"`
	Extra jsontext.Value `json:",unknown"`
}
