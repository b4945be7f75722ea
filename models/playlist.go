package models

import "github.com/go-json-experiment/json/jsontext"

// Playlist is a full playlist (PlaylistObject). Its rows come under "items"
// since 2026 and under "tracks" before; both decode, and
// [Playlist.ItemsPage] returns whichever was sent.
type Playlist struct {
	Collaborative bool           `json:"collaborative"`
	Description   string         `json:"description"`
	ExternalURLs  ExternalURLs   `json:"external_urls"`
	Followers     Followers      `json:"followers"`
	Href          string         `json:"href"`
	ID            string         `json:"id"`
	Images        []Image        `json:"images"`
	Name          string         `json:"name"`
	Owner         PlaylistOwner  `json:"owner"`
	PrimaryColor  string         `json:"primary_color"` // undocumented; usually empty
	Public        *bool          `json:"public"`        // nil: not relevant
	SnapshotID    string         `json:"snapshot_id"`
	Items         *PlaylistPage  `json:"items"`  // current shape
	Tracks        *PlaylistPage  `json:"tracks"` // legacy shape
	Type          string         `json:"type"`   // "playlist"
	URI           string         `json:"uri"`
	Extra         jsontext.Value `json:",unknown"`
}

// PlaylistPage is a page of playlist rows (PagingPlaylistTrackObject).
type PlaylistPage = Page[PlaylistItem]

// ItemsPage returns the first page of rows, from "items" or the legacy
// "tracks"; it is never nil (an empty page when the playlist has neither).
func (p *Playlist) ItemsPage() *PlaylistPage {
	switch {
	case p.Items != nil:
		return p.Items
	case p.Tracks != nil:
		return p.Tracks
	}
	return &PlaylistPage{}
}

// SimplifiedPlaylist is a playlist as listed in pages, without its rows
// (SimplifiedPlaylistObject). The link to its rows is under "items" or the
// legacy "tracks"; [SimplifiedPlaylist.ItemsRef] returns either.
type SimplifiedPlaylist struct {
	Collaborative bool               `json:"collaborative"`
	Description   string             `json:"description"`
	ExternalURLs  ExternalURLs       `json:"external_urls"`
	Href          string             `json:"href"`
	ID            string             `json:"id"`
	Images        []Image            `json:"images"`
	Name          string             `json:"name"`
	Owner         PlaylistOwner      `json:"owner"`
	PrimaryColor  string             `json:"primary_color"` // undocumented; usually empty
	Public        *bool              `json:"public"`        // nil: not relevant
	SnapshotID    string             `json:"snapshot_id"`
	Items         *PlaylistTracksRef `json:"items"`  // current shape
	Tracks        *PlaylistTracksRef `json:"tracks"` // legacy shape
	Type          string             `json:"type"`   // "playlist"
	URI           string             `json:"uri"`
	Extra         jsontext.Value     `json:",unknown"`
}

// ItemsRef returns the link to the playlist's rows and their count, from
// "items" or the legacy "tracks".
func (p *SimplifiedPlaylist) ItemsRef() PlaylistTracksRef {
	switch {
	case p.Items != nil:
		return *p.Items
	case p.Tracks != nil:
		return *p.Tracks
	}
	return PlaylistTracksRef{}
}

// PlaylistTracksRef links to a playlist's rows (PlaylistTracksRefObject).
type PlaylistTracksRef struct {
	Href  string         `json:"href"`
	Total int            `json:"total"`
	Extra jsontext.Value `json:",unknown"`
}

// PlaylistUser is a user as seen in a playlist, e.g. who added a row
// (PlaylistUserObject).
type PlaylistUser struct {
	ExternalURLs ExternalURLs   `json:"external_urls"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Type         string         `json:"type"` // "user"
	URI          string         `json:"uri"`
	Extra        jsontext.Value `json:",unknown"`
}

// PlaylistOwner is the owner of a playlist (PlaylistOwnerObject).
type PlaylistOwner struct {
	DisplayName  string         `json:"display_name"`
	ExternalURLs ExternalURLs   `json:"external_urls"`
	Href         string         `json:"href"`
	ID           string         `json:"id"`
	Type         string         `json:"type"` // "user"
	URI          string         `json:"uri"`
	Extra        jsontext.Value `json:",unknown"`
}

// PlaylistItem is one row of a playlist (PlaylistTrackObject). Its track or
// episode is under "item" since 2026 and under "track" before; use
// [PlaylistItem.Content], [PlaylistItem.Track] or [PlaylistItem.Episode]
// rather than the two fields.
type PlaylistItem struct {
	AddedAt Time          `json:"added_at"` // zero for some very old playlists
	AddedBy *PlaylistUser `json:"added_by"` // nil for some very old playlists
	IsLocal bool          `json:"is_local"`
	Item    Playable      `json:"item,omitzero"`  // current shape
	Legacy  Playable      `json:"track,omitzero"` // legacy shape
	// PrimaryColor and VideoThumbnail are undocumented members of legacy
	// rows, usually null.
	PrimaryColor   string          `json:"primary_color"`
	VideoThumbnail *VideoThumbnail `json:"video_thumbnail"`
	Extra          jsontext.Value  `json:",unknown"`
}

// PlaylistTrack is the schema name of [PlaylistItem].
type PlaylistTrack = PlaylistItem

// Content returns the row's track or episode, from "item" or the legacy
// "track".
func (it *PlaylistItem) Content() *Playable {
	if !it.Item.IsNull() || it.Legacy.IsNull() {
		return &it.Item
	}
	return &it.Legacy
}

// Track returns the row's track, or nil when it holds something else.
func (it *PlaylistItem) Track() *Track { return it.Content().Track }

// Episode returns the row's episode, or nil when it holds something else.
func (it *PlaylistItem) Episode() *Episode { return it.Content().Episode }

// Type returns the type of the row's content: "track", "episode", another
// type Spotify added, or "" when the row is empty (an unavailable item) or
// when a fields filter left out the type and every member that tells a
// track from an episode. A row without "type" is typed from its URI, its
// link, its track and episode flags, or members only one of the two has
// (album, artists or show, ...), so that fields=items(item(name,album(name)))
// still gives tracks.
func (it *PlaylistItem) Type() string { return it.Content().Type }

// VideoThumbnail is the undocumented video thumbnail of a playlist row.
type VideoThumbnail struct {
	URL   string         `json:"url"`
	Extra jsontext.Value `json:",unknown"`
}

// SnapshotID identifies a version of a playlist; it is the answer of the
// endpoints that change a playlist.
type SnapshotID struct {
	SnapshotID string         `json:"snapshot_id"`
	Extra      jsontext.Value `json:",unknown"`
}
