package models

import "github.com/go-json-experiment/json/jsontext"

// Page is one page of an offset-paged list (Spotify's paging object).
type Page[T any] struct {
	Href     string `json:"href"`
	Items    []T    `json:"items"`
	Limit    int    `json:"limit"`
	Next     string `json:"next"`
	Offset   int    `json:"offset"`
	Previous string `json:"previous"`
	Total    int    `json:"total"`
	// Extra holds members the page object had beyond the declared ones.
	Extra jsontext.Value `json:",unknown"`
}

// CursorPage is one page of a cursor-paged list (Spotify's cursor paging
// object), used where items are ordered by time rather than position.
type CursorPage[T any] struct {
	Href    string  `json:"href"`
	Items   []T     `json:"items"`
	Limit   int     `json:"limit"`
	Next    string  `json:"next"`
	Cursors Cursors `json:"cursors"`
	Total   int     `json:"total"`
	// Extra holds members the page object had beyond the declared ones.
	Extra jsontext.Value `json:",unknown"`
}

// Cursors holds the positions a cursor page continues from. It has no Extra
// field so that it stays comparable.
type Cursors struct {
	After  string `json:"after"`
	Before string `json:"before"`
}
