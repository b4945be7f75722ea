package models

import "github.com/go-json-experiment/json/jsontext"

// Category is a browse category (CategoryObject).
type Category struct {
	Href  string         `json:"href"`
	Icons []Image        `json:"icons"`
	ID    string         `json:"id"`
	Name  string         `json:"name"`
	Extra jsontext.Value `json:",unknown"`
}

// Cursor is the schema name of [Cursors] (CursorObject).
type Cursor = Cursors

// Page types under their schema names.
type (
	PagingPlaylist               = Page[SimplifiedPlaylist]     // PagingPlaylistObject
	PagingArtistDiscographyAlbum = Page[ArtistDiscographyAlbum] // PagingArtistDiscographyAlbumObject
	PagingSimplifiedAlbum        = Page[SimplifiedAlbum]        // PagingSimplifiedAlbumObject
	PagingSavedAlbum             = Page[SavedAlbum]             // PagingSavedAlbumObject
	PagingSimplifiedTrack        = Page[SimplifiedTrack]        // PagingSimplifiedTrackObject
	PagingSavedTrack             = Page[SavedTrack]             // PagingSavedTrackObject
	PagingTrack                  = Page[Track]                  // PagingTrackObject
	PagingPlaylistTrack          = Page[PlaylistItem]           // PagingPlaylistTrackObject
	PagingSimplifiedShow         = Page[SimplifiedShow]         // PagingSimplifiedShowObject
	PagingSavedShow              = Page[SavedShow]              // PagingSavedShowObject
	PagingSimplifiedEpisode      = Page[SimplifiedEpisode]      // PagingSimplifiedEpisodeObject
	PagingSavedEpisode           = Page[SavedEpisode]           // PagingSavedEpisodeObject
	PagingSimplifiedAudiobook    = Page[SimplifiedAudiobook]    // PagingSimplifiedAudiobookObject
	PagingSavedAudiobook         = Page[SavedAudiobook]         // PagingSavedAudiobookObject
	PagingArtist                 = Page[Artist]                 // PagingArtistObject
	PagingSimplifiedChapter      = Page[SimplifiedChapter]      // PagingSimplifiedChapterObject
	CursorPagingPlayHistory      = CursorPage[PlayHistory]      // CursorPagingPlayHistoryObject
	CursorPagingSimplifiedArtist = CursorPage[Artist]           // CursorPagingSimplifiedArtistObject (holds full artists)
	PagingFeaturedPlaylist       = FeaturedPlaylists            // PagingFeaturedPlaylistObject
)

// SearchItems is the answer of the search endpoint: one page per type
// searched, nil for the types not searched.
type SearchItems struct {
	Tracks     *Page[Track]               `json:"tracks"`
	Artists    *Page[Artist]              `json:"artists"`
	Albums     *Page[SimplifiedAlbum]     `json:"albums"`
	Playlists  *Page[SimplifiedPlaylist]  `json:"playlists"`
	Shows      *Page[SimplifiedShow]      `json:"shows"`
	Episodes   *Page[SimplifiedEpisode]   `json:"episodes"`
	Audiobooks *Page[SimplifiedAudiobook] `json:"audiobooks"`
	Extra      jsontext.Value             `json:",unknown"`
}

// FollowedArtists is the answer of GET /me/following: a cursor page of
// artists under "artists".
type FollowedArtists struct {
	Artists CursorPage[Artist] `json:"artists"`
	Extra   jsontext.Value     `json:",unknown"`
}

// NewReleases is the answer of GET /browse/new-releases (PagedAlbums).
type NewReleases struct {
	Albums Page[SimplifiedAlbum] `json:"albums"`
	Extra  jsontext.Value        `json:",unknown"`
}

// FeaturedPlaylists is the answer of the featured and category playlist
// endpoints: a message and a page of playlists
// (PagingFeaturedPlaylistObject).
type FeaturedPlaylists struct {
	Message   string                   `json:"message"`
	Playlists Page[SimplifiedPlaylist] `json:"playlists"`
	Extra     jsontext.Value           `json:",unknown"`
}

// Categories is the answer of GET /browse/categories (PagedCategories).
type Categories struct {
	Categories Page[Category] `json:"categories"`
	Extra      jsontext.Value `json:",unknown"`
}

// ManyTracks is the answer of a batch track lookup; an entry is nil where
// Spotify answered null for an unknown ID.
type ManyTracks struct {
	Tracks []*Track       `json:"tracks"`
	Extra  jsontext.Value `json:",unknown"`
}

// ManyAlbums is the answer of a batch album lookup (nil for unknown IDs).
type ManyAlbums struct {
	Albums []*Album       `json:"albums"`
	Extra  jsontext.Value `json:",unknown"`
}

// ManyArtists is the answer of a batch artist lookup and of related
// artists (nil for unknown IDs).
type ManyArtists struct {
	Artists []*Artist      `json:"artists"`
	Extra   jsontext.Value `json:",unknown"`
}

// ManyShows is the answer of a batch show lookup (ManySimplifiedShows; nil
// for unknown IDs).
type ManyShows struct {
	Shows []*SimplifiedShow `json:"shows"`
	Extra jsontext.Value    `json:",unknown"`
}

// ManyEpisodes is the answer of a batch episode lookup (nil for unknown
// IDs).
type ManyEpisodes struct {
	Episodes []*Episode     `json:"episodes"`
	Extra    jsontext.Value `json:",unknown"`
}

// ManyAudiobooks is the answer of a batch audiobook lookup (nil for unknown
// IDs).
type ManyAudiobooks struct {
	Audiobooks []*Audiobook   `json:"audiobooks"`
	Extra      jsontext.Value `json:",unknown"`
}

// ManyChapters is the answer of a batch chapter lookup (nil for unknown
// IDs).
type ManyChapters struct {
	Chapters []*Chapter     `json:"chapters"`
	Extra    jsontext.Value `json:",unknown"`
}

// ManyAudioFeatures is the answer of a batch audio features lookup (nil
// for unknown IDs).
type ManyAudioFeatures struct {
	AudioFeatures []*AudioFeatures `json:"audio_features"`
	Extra         jsontext.Value   `json:",unknown"`
}

// ManyDevices is the answer of GET /me/player/devices.
type ManyDevices struct {
	Devices []Device       `json:"devices"`
	Extra   jsontext.Value `json:",unknown"`
}

// Genres is the answer of the available genre seeds endpoint (ManyGenres).
type Genres struct {
	Genres []string       `json:"genres"`
	Extra  jsontext.Value `json:",unknown"`
}

// MarketList is the answer of GET /markets: the country codes where Spotify
// is available (the Markets response).
type MarketList struct {
	Markets []string       `json:"markets"`
	Extra   jsontext.Value `json:",unknown"`
}
