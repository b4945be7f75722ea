package spotifytest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// The JSON objects of the Web API, written from the contract's schemas
// (internal/contract/facts/openapi.yml). Fields that the schema marks
// deprecated and does not require are left out in DevelopmentMode (they are
// the ones Spotify dropped for Development Mode apps in February 2026);
// deprecated fields the schema requires (album popularity, label, genres and
// available_markets, show publisher and available_markets, album_group) stay,
// so that bodies validate. `omitzero` drops nil slices and pointers only:
// an empty non-nil slice is still sent as [].

type jURLs struct {
	Spotify string `json:"spotify"`
}

type jImage struct {
	URL    string `json:"url"`
	Height *int   `json:"height"`
	Width  *int   `json:"width"`
}

type jFollowers struct {
	Href  *string `json:"href"`
	Total int     `json:"total"`
}

type jCopyright struct {
	Text string `json:"text"`
	Type string `json:"type"`
}

type jName struct {
	Name string `json:"name"`
}

type jExternalIDs struct {
	ISRC    string `json:"isrc,omitempty"`
	UPC     string `json:"upc,omitempty"`
	Spotify string `json:"spotify,omitempty"` // an episode in a track's shape
}

type jResumePoint struct {
	FullyPlayed      bool `json:"fully_played"`
	ResumePositionMs int  `json:"resume_position_ms"`
}

type jSimpleArtist struct {
	ExternalURLs jURLs  `json:"external_urls"`
	Href         string `json:"href"`
	ID           string `json:"id"`
	Name         string `json:"name"`
	Type         string `json:"type"`
	URI          string `json:"uri"`
}

type jArtist struct {
	ExternalURLs jURLs       `json:"external_urls"`
	Followers    *jFollowers `json:"followers,omitzero"`
	Genres       []string    `json:"genres,omitzero"`
	Href         string      `json:"href"`
	ID           string      `json:"id"`
	Images       []jImage    `json:"images"`
	Name         string      `json:"name"`
	Popularity   *int        `json:"popularity,omitzero"`
	Type         string      `json:"type"`
	URI          string      `json:"uri"`
}

type jSimpleAlbum struct {
	AlbumType            string          `json:"album_type"`
	Artists              []jSimpleArtist `json:"artists"`
	AvailableMarkets     json.RawMessage `json:"available_markets"`
	ExternalURLs         jURLs           `json:"external_urls"`
	Href                 string          `json:"href"`
	ID                   string          `json:"id"`
	Images               []jImage        `json:"images"`
	IsPlayable           *bool           `json:"is_playable,omitzero"`
	Name                 string          `json:"name"`
	ReleaseDate          string          `json:"release_date"`
	ReleaseDatePrecision string          `json:"release_date_precision"`
	TotalTracks          int             `json:"total_tracks"`
	Type                 string          `json:"type"`
	URI                  string          `json:"uri"`
	AlbumGroup           string          `json:"album_group,omitempty"`
}

type jAlbum struct {
	jSimpleAlbum
	Copyrights  []jCopyright `json:"copyrights"`
	ExternalIDs jExternalIDs `json:"external_ids"`
	Genres      []string     `json:"genres"`
	Label       string       `json:"label"`
	Popularity  int          `json:"popularity"`
	// tracks is spliced in by the renderer.
}

type jTrack struct {
	Album            *jSimpleAlbum   `json:"album,omitzero"`
	Artists          []jSimpleArtist `json:"artists"`
	AvailableMarkets json.RawMessage `json:"available_markets,omitzero"`
	DiscNumber       int             `json:"disc_number"`
	DurationMs       int             `json:"duration_ms"`
	Explicit         bool            `json:"explicit"`
	ExternalIDs      *jExternalIDs   `json:"external_ids,omitzero"`
	ExternalURLs     jURLs           `json:"external_urls"`
	Href             string          `json:"href"`
	ID               string          `json:"id"`
	IsLocal          bool            `json:"is_local"`
	IsPlayable       *bool           `json:"is_playable,omitzero"`
	Name             string          `json:"name"`
	Popularity       *int            `json:"popularity,omitzero"`
	PreviewURL       *string         `json:"preview_url"`
	TrackNumber      int             `json:"track_number"`
	Type             string          `json:"type"`
	URI              string          `json:"uri"`
}

type jShow struct {
	AvailableMarkets   json.RawMessage `json:"available_markets"`
	Copyrights         []jCopyright    `json:"copyrights"`
	Description        string          `json:"description"`
	Explicit           bool            `json:"explicit"`
	ExternalURLs       jURLs           `json:"external_urls"`
	Href               string          `json:"href"`
	HTMLDescription    string          `json:"html_description"`
	ID                 string          `json:"id"`
	Images             []jImage        `json:"images"`
	IsExternallyHosted bool            `json:"is_externally_hosted"`
	Languages          []string        `json:"languages"`
	MediaType          string          `json:"media_type"`
	Name               string          `json:"name"`
	Publisher          string          `json:"publisher"`
	TotalEpisodes      int             `json:"total_episodes"`
	Type               string          `json:"type"`
	URI                string          `json:"uri"`
}

type jEpisode struct {
	AudioPreviewURL      *string       `json:"audio_preview_url"`
	Description          string        `json:"description"`
	DurationMs           int           `json:"duration_ms"`
	Explicit             bool          `json:"explicit"`
	ExternalURLs         jURLs         `json:"external_urls"`
	Href                 string        `json:"href"`
	HTMLDescription      string        `json:"html_description"`
	ID                   string        `json:"id"`
	Images               []jImage      `json:"images"`
	IsExternallyHosted   bool          `json:"is_externally_hosted"`
	IsPlayable           bool          `json:"is_playable"`
	Language             string        `json:"language,omitempty"`
	Languages            []string      `json:"languages"`
	Name                 string        `json:"name"`
	ReleaseDate          string        `json:"release_date"`
	ReleaseDatePrecision string        `json:"release_date_precision"`
	ResumePoint          *jResumePoint `json:"resume_point,omitzero"`
	Show                 *jShow        `json:"show,omitzero"`
	Type                 string        `json:"type"`
	URI                  string        `json:"uri"`
}

type jAudiobook struct {
	Authors          []jName         `json:"authors"`
	AvailableMarkets json.RawMessage `json:"available_markets"`
	Copyrights       []jCopyright    `json:"copyrights"`
	Description      string          `json:"description"`
	Edition          string          `json:"edition"`
	Explicit         bool            `json:"explicit"`
	ExternalURLs     jURLs           `json:"external_urls"`
	Href             string          `json:"href"`
	HTMLDescription  string          `json:"html_description"`
	ID               string          `json:"id"`
	Images           []jImage        `json:"images"`
	Languages        []string        `json:"languages"`
	MediaType        string          `json:"media_type"`
	Name             string          `json:"name"`
	Narrators        []jName         `json:"narrators"`
	Publisher        string          `json:"publisher"`
	TotalChapters    int             `json:"total_chapters"`
	Type             string          `json:"type"`
	URI              string          `json:"uri"`
}

type jChapter struct {
	AudioPreviewURL      *string         `json:"audio_preview_url"`
	Audiobook            *jAudiobook     `json:"audiobook,omitzero"`
	AvailableMarkets     json.RawMessage `json:"available_markets,omitzero"`
	ChapterNumber        int             `json:"chapter_number"`
	Description          string          `json:"description"`
	DurationMs           int             `json:"duration_ms"`
	Explicit             bool            `json:"explicit"`
	ExternalURLs         jURLs           `json:"external_urls"`
	Href                 string          `json:"href"`
	HTMLDescription      string          `json:"html_description"`
	ID                   string          `json:"id"`
	Images               []jImage        `json:"images"`
	IsPlayable           bool            `json:"is_playable"`
	Languages            []string        `json:"languages"`
	Name                 string          `json:"name"`
	ReleaseDate          string          `json:"release_date"`
	ReleaseDatePrecision string          `json:"release_date_precision"`
	ResumePoint          *jResumePoint   `json:"resume_point,omitzero"`
	Type                 string          `json:"type"`
	URI                  string          `json:"uri"`
}

type jPlaylistUser struct {
	DisplayName  *string `json:"display_name,omitzero"`
	ExternalURLs jURLs   `json:"external_urls"`
	Href         string  `json:"href"`
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	URI          string  `json:"uri"`
}

type jTracksRef struct {
	Href  string `json:"href"`
	Total int    `json:"total"`
}

type jPlaylist struct {
	Collaborative bool          `json:"collaborative"`
	Description   *string       `json:"description"`
	ExternalURLs  jURLs         `json:"external_urls"`
	Followers     *jFollowers   `json:"followers,omitzero"`
	Href          string        `json:"href"`
	ID            string        `json:"id"`
	Images        []jImage      `json:"images"`
	Items         *jTracksRef   `json:"items,omitzero"`
	Name          string        `json:"name"`
	Owner         jPlaylistUser `json:"owner"`
	PrimaryColor  *string       `json:"primary_color"`
	Public        bool          `json:"public"`
	SnapshotID    string        `json:"snapshot_id"`
	Tracks        *jTracksRef   `json:"tracks,omitzero"`
	Type          string        `json:"type"`
	URI           string        `json:"uri"`
	// items and tracks pages of a full playlist are spliced in.
}

type jExplicit struct {
	FilterEnabled bool `json:"filter_enabled"`
	FilterLocked  bool `json:"filter_locked"`
}

type jUser struct {
	AccountID       string      `json:"account_id,omitempty"`
	Country         string      `json:"country,omitempty"`
	DisplayName     *string     `json:"display_name"`
	Email           string      `json:"email,omitempty"`
	ExplicitContent *jExplicit  `json:"explicit_content,omitzero"`
	ExternalURLs    jURLs       `json:"external_urls"`
	Followers       *jFollowers `json:"followers,omitzero"`
	Href            string      `json:"href"`
	ID              string      `json:"id"`
	Images          []jImage    `json:"images"`
	Product         string      `json:"product,omitempty"`
	Type            string      `json:"type"`
	URI             string      `json:"uri"`
}

type jCategory struct {
	Href  string   `json:"href"`
	Icons []jImage `json:"icons"`
	ID    string   `json:"id"`
	Name  string   `json:"name"`
}

type jDevice struct {
	ID               *string `json:"id"`
	IsActive         bool    `json:"is_active"`
	IsPrivateSession bool    `json:"is_private_session"`
	IsRestricted     bool    `json:"is_restricted"`
	Name             string  `json:"name"`
	SupportsVolume   bool    `json:"supports_volume"`
	Type             string  `json:"type"`
	VolumePercent    *int    `json:"volume_percent"`
}

type jContext struct {
	ExternalURLs jURLs  `json:"external_urls"`
	Href         string `json:"href"`
	Type         string `json:"type"`
	URI          string `json:"uri"`
}

// nVariants is the number of cached renderings per object: mode times
// whether a market was given.
const nVariants = 4

// view renders catalog objects for one request: the mode decides which
// deprecated fields appear, market whether track availability is relinked,
// api is the base of every href.
type view struct {
	c      *catalog
	dev    bool
	market bool
	api    string // e.g. "http://127.0.0.1:1234/v1"
	cache  bool   // api is the one cached renderings were made with

	// episodes says the caller takes episodes in playlist rows
	// (additional_types names "episode"); without it they come in a
	// track's shape, as Spotify sends them to older clients.
	episodes bool
	// resume is the caller's resume point (ms) in the episodes of the
	// playlist rows rendered; nil for a client-credentials call.
	resume map[int32]int
}

func (v *view) variant() int {
	n := 0
	if v.dev {
		n = 2
	}
	if v.market {
		n++
	}
	return n
}

func ptr[T any](x T) *T { return &x }

func (v *view) href(k kind, id string) string {
	return v.api + "/" + k.uriType() + "s/" + id
}

func uri(k kind, id string) string { return "spotify:" + k.uriType() + ":" + id }

func openURL(k kind, id string) jURLs {
	t := k.uriType()
	if k == kChapter {
		t = "chapter"
	}
	return jURLs{Spotify: "https://open.spotify.com/" + t + "/" + id}
}

// images returns the three sizes Spotify serves for covers and portraits.
func images(key uint64) []jImage {
	h := strconv.FormatUint(mix64(key), 16) + strconv.FormatUint(mix64(key+1), 16)
	for len(h) < 32 {
		h += "0"
	}
	h = h[:24]
	return []jImage{
		{URL: "https://i.scdn.co/image/ab67616d0000b273" + h, Height: ptr(640), Width: ptr(640)},
		{URL: "https://i.scdn.co/image/ab67616d00001e02" + h, Height: ptr(300), Width: ptr(300)},
		{URL: "https://i.scdn.co/image/ab67616d00004851" + h, Height: ptr(64), Width: ptr(64)},
	}
}

func imageKey(k kind, idx int) uint64 { return uint64(k)<<40 | uint64(idx) }

func (v *view) simpleArtist(i int32) jSimpleArtist {
	a := &v.c.artists[i]
	return jSimpleArtist{
		ExternalURLs: openURL(kArtist, a.id),
		Href:         v.href(kArtist, a.id),
		ID:           a.id,
		Name:         a.name,
		Type:         "artist",
		URI:          uri(kArtist, a.id),
	}
}

func (v *view) simpleArtists(is []int32) []jSimpleArtist {
	out := make([]jSimpleArtist, len(is))
	for k, i := range is {
		out[k] = v.simpleArtist(i)
	}
	return out
}

func (v *view) artist(i int) jArtist {
	a := &v.c.artists[i]
	o := jArtist{
		ExternalURLs: openURL(kArtist, a.id),
		Href:         v.href(kArtist, a.id),
		ID:           a.id,
		Images:       images(imageKey(kArtist, i)),
		Name:         a.name,
		Type:         "artist",
		URI:          uri(kArtist, a.id),
	}
	if !v.dev {
		o.Followers = &jFollowers{Total: a.followers}
		o.Genres = a.genres
		o.Popularity = ptr(a.popularity)
	}
	return o
}

func (v *view) simpleAlbum(i int) jSimpleAlbum {
	a := &v.c.albums[i]
	o := jSimpleAlbum{
		AlbumType:            a.albumType,
		Artists:              v.simpleArtists(a.artists),
		AvailableMarkets:     v.c.marketsJSON,
		ExternalURLs:         openURL(kAlbum, a.id),
		Href:                 v.href(kAlbum, a.id),
		ID:                   a.id,
		Images:               images(imageKey(kAlbum, i)),
		Name:                 a.name,
		ReleaseDate:          a.releaseDate,
		ReleaseDatePrecision: a.precision,
		TotalTracks:          int(a.nTracks),
		Type:                 "album",
		URI:                  uri(kAlbum, a.id),
	}
	if v.market {
		o.IsPlayable = ptr(true)
	}
	return o
}

func (v *view) album(i int) jAlbum {
	a := &v.c.albums[i]
	y := strconv.Itoa(a.year)
	return jAlbum{
		jSimpleAlbum: v.simpleAlbum(i),
		Copyrights: []jCopyright{
			{Text: "© " + y + " " + a.label, Type: "C"},
			{Text: "℗ " + y + " " + a.label, Type: "P"},
		},
		ExternalIDs: jExternalIDs{UPC: a.upc},
		Genres:      []string{},
		Label:       a.label,
		Popularity:  a.popularity,
	}
}

// track builds a full track (withAlbum) or a simplified one.
func (v *view) track(i int, withAlbum bool) jTrack {
	t := &v.c.tracks[i]
	o := jTrack{
		Artists:      v.simpleArtists(t.artists),
		DiscNumber:   t.disc,
		DurationMs:   t.durationMs,
		Explicit:     t.explicit,
		ExternalURLs: openURL(kTrack, t.id),
		Href:         v.href(kTrack, t.id),
		ID:           t.id,
		Name:         t.name,
		TrackNumber:  t.num,
		Type:         "track",
		URI:          uri(kTrack, t.id),
	}
	if withAlbum {
		al := v.simpleAlbum(int(t.album))
		o.Album = &al
		o.ExternalIDs = &jExternalIDs{ISRC: t.isrc}
	}
	v.setAvailability(&o)
	if !v.dev {
		if withAlbum {
			o.Popularity = ptr(t.popularity)
		}
		// 30-second previews ended for new apps in November 2024; older
		// Extended Quota apps still see them.
		o.PreviewURL = ptr("https://p.scdn.co/mp3-preview/" + t.id[:20] + strconv.FormatUint(mix64(uint64(i))%1e6, 16))
	}
	return o
}

// setAvailability says where o plays, as Spotify does: is_playable when the
// request names a market, else the markets (left out for Development Mode).
func (v *view) setAvailability(o *jTrack) {
	switch {
	case v.market:
		o.IsPlayable = ptr(true)
	case !v.dev:
		o.AvailableMarkets = v.c.marketsJSON
	}
}

// trackJSON is the rendered full track, cached per variant.
func (v *view) trackJSON(i int) []byte {
	var slot = &v.c.trackJSON[v.variant()][i]
	if v.cache {
		if p := slot.Load(); p != nil {
			return *p
		}
	}
	b := mustJSON(v.track(i, true))
	if v.cache {
		slot.Store(&b)
	}
	return b
}

func (v *view) simpleShow(i int) jShow {
	sh := &v.c.shows[i]
	return jShow{
		AvailableMarkets:   v.c.marketsJSON,
		Copyrights:         []jCopyright{},
		Description:        sh.description,
		Explicit:           sh.explicit,
		ExternalURLs:       openURL(kShow, sh.id),
		Href:               v.href(kShow, sh.id),
		HTMLDescription:    "<p>" + sh.description + "</p>",
		ID:                 sh.id,
		Images:             images(imageKey(kShow, i)),
		IsExternallyHosted: false,
		Languages:          []string{sh.language},
		MediaType:          sh.mediaType,
		Name:               sh.name,
		Publisher:          sh.publisher,
		TotalEpisodes:      int(sh.nEpisodes),
		Type:               "show",
		URI:                uri(kShow, sh.id),
	}
}

// episode builds a full episode (withShow) or a simplified one. rp is the
// user's resume point, nil for client-credentials calls.
func (v *view) episode(i int, withShow bool, rp *jResumePoint) jEpisode {
	e := &v.c.episodes[i]
	sh := &v.c.shows[e.show]
	o := jEpisode{
		Description:          e.description,
		DurationMs:           e.durationMs,
		Explicit:             e.explicit,
		ExternalURLs:         openURL(kEpisode, e.id),
		Href:                 v.href(kEpisode, e.id),
		HTMLDescription:      "<p>" + e.description + "</p>",
		ID:                   e.id,
		Images:               images(imageKey(kShow, int(e.show))),
		IsPlayable:           true,
		Languages:            []string{sh.language},
		Name:                 e.name,
		ReleaseDate:          e.releaseDate,
		ReleaseDatePrecision: "day",
		ResumePoint:          rp,
		Type:                 "episode",
		URI:                  uri(kEpisode, e.id),
	}
	if !v.dev {
		o.Language = sh.language
		o.AudioPreviewURL = ptr("https://podz-content.spotifycdn.com/audio/clips/" + e.id + "/clip.mp3")
	}
	if withShow {
		s := v.simpleShow(int(e.show))
		o.Show = &s
	}
	return o
}

// episodeJSON is the rendered full episode without a resume point, cached.
func (v *view) episodeJSON(i int) []byte {
	var slot = &v.c.epJSON[v.variant()][i]
	if v.cache {
		if p := slot.Load(); p != nil {
			return *p
		}
	}
	b := mustJSON(v.episode(i, true, nil))
	if v.cache {
		slot.Store(&b)
	}
	return b
}

// episodeAsTrack renders an episode the way Spotify puts it in a playlist
// row for a caller that did not ask for episodes (no "episode" in
// additional_types): in a track's shape, the show standing in for its
// album and artist, numbered 0 on disc 0, with the episode's own ID, URI
// and type. Spotify's contract has no such object (its TrackObject is
// always of type "track"), so this row is the one answer of the fake that
// does not validate; it is what Spotify sends, and what a client that
// forgets additional_types must be ready for.
func (v *view) episodeAsTrack(i int) jTrack {
	e := &v.c.episodes[i]
	sh := &v.c.shows[e.show]
	show := jSimpleArtist{
		ExternalURLs: openURL(kShow, sh.id),
		Href:         v.href(kShow, sh.id),
		ID:           sh.id,
		Name:         sh.name,
		Type:         "show",
		URI:          uri(kShow, sh.id),
	}
	album := jSimpleAlbum{
		AlbumType:            "compilation",
		Artists:              []jSimpleArtist{show},
		AvailableMarkets:     v.c.marketsJSON,
		ExternalURLs:         show.ExternalURLs,
		Href:                 show.Href,
		ID:                   sh.id,
		Images:               images(imageKey(kShow, int(e.show))),
		Name:                 sh.name,
		ReleaseDate:          e.releaseDate,
		ReleaseDatePrecision: "day",
		TotalTracks:          int(sh.nEpisodes),
		Type:                 "show",
		URI:                  show.URI,
	}
	o := jTrack{
		Album:        &album,
		Artists:      []jSimpleArtist{show},
		DurationMs:   e.durationMs,
		Explicit:     e.explicit,
		ExternalIDs:  &jExternalIDs{Spotify: openURL(kEpisode, e.id).Spotify},
		ExternalURLs: openURL(kEpisode, e.id),
		Href:         v.href(kEpisode, e.id),
		ID:           e.id,
		Name:         e.name,
		Type:         "episode",
		URI:          uri(kEpisode, e.id),
	}
	v.setAvailability(&o)
	if !v.dev {
		o.Popularity = ptr(0)
		o.PreviewURL = ptr("https://podz-content.spotifycdn.com/audio/clips/" + e.id + "/clip.mp3")
	}
	return o
}

func (v *view) simpleAudiobook(i int) jAudiobook {
	b := &v.c.audiobooks[i]
	names := func(ss []string) []jName {
		out := make([]jName, len(ss))
		for k, s := range ss {
			out[k] = jName{Name: s}
		}
		return out
	}
	return jAudiobook{
		Authors:          names(b.authors),
		AvailableMarkets: v.c.marketsJSON,
		Copyrights:       []jCopyright{{Text: "℗ " + b.publisher, Type: "P"}},
		Description:      b.description,
		Edition:          b.edition,
		Explicit:         b.explicit,
		ExternalURLs:     openURL(kAudiobook, b.id),
		Href:             v.href(kAudiobook, b.id),
		HTMLDescription:  "<p>" + b.description + "</p>",
		ID:               b.id,
		Images:           images(imageKey(kAudiobook, i)),
		Languages:        []string{b.language},
		MediaType:        "audio",
		Name:             b.name,
		Narrators:        names(b.narrators),
		Publisher:        b.publisher,
		TotalChapters:    int(b.nChapters),
		Type:             "audiobook",
		URI:              uri(kAudiobook, b.id),
	}
}

func (v *view) chapter(i int, withBook bool, rp *jResumePoint) jChapter {
	ch := &v.c.chapters[i]
	b := &v.c.audiobooks[ch.book]
	desc := ch.name + " of " + b.name + "."
	o := jChapter{
		ChapterNumber:        ch.number,
		Description:          desc,
		DurationMs:           ch.durationMs,
		ExternalURLs:         openURL(kChapter, ch.id),
		Href:                 v.api + "/chapters/" + ch.id,
		HTMLDescription:      "<p>" + desc + "</p>",
		ID:                   ch.id,
		Images:               images(imageKey(kAudiobook, int(ch.book))),
		IsPlayable:           true,
		Languages:            []string{b.language},
		Name:                 ch.name,
		ReleaseDate:          ch.releaseDate,
		ReleaseDatePrecision: "day",
		ResumePoint:          rp,
		Type:                 "episode",
		URI:                  uri(kChapter, ch.id),
	}
	if !v.dev {
		o.AvailableMarkets = v.c.marketsJSON
		o.AudioPreviewURL = ptr("https://podz-content.spotifycdn.com/audio/clips/" + ch.id + "/clip.mp3")
	}
	if withBook {
		a := v.simpleAudiobook(int(ch.book))
		o.Audiobook = &a
	}
	return o
}

func (v *view) category(i int) jCategory {
	c := &v.c.categories[i]
	return jCategory{
		Href: v.api + "/browse/categories/" + c.id,
		Icons: []jImage{{
			URL:    "https://t.scdn.co/media/derived/" + c.id + "_274x274.jpg",
			Height: ptr(274), Width: ptr(274),
		}},
		ID:   c.id,
		Name: c.name,
	}
}

// userRef is what the renderers need to know of a user.
type userRef struct {
	id, displayName string
	followers       int
	country         string
	product         string
	known           bool // in the catalog
}

func (v *view) playlistUser(u userRef, withName bool) jPlaylistUser {
	o := jPlaylistUser{
		ExternalURLs: jURLs{Spotify: "https://open.spotify.com/user/" + u.id},
		Href:         v.api + "/users/" + u.id,
		ID:           u.id,
		Type:         "user",
		URI:          "spotify:user:" + u.id,
	}
	if withName {
		o.DisplayName = ptr(u.displayName)
	}
	return o
}

// publicUser builds a PublicUserObject, or with private set a
// PrivateUserObject of the current user.
func (v *view) publicUser(u userRef, private bool) jUser {
	o := jUser{
		DisplayName:  ptr(u.displayName),
		ExternalURLs: jURLs{Spotify: "https://open.spotify.com/user/" + u.id},
		Href:         v.api + "/users/" + u.id,
		ID:           u.id,
		Images:       []jImage{},
		Type:         "user",
		URI:          "spotify:user:" + u.id,
	}
	if !v.dev {
		o.Followers = &jFollowers{Total: u.followers}
	}
	if private {
		o.AccountID = base62ID(mix64(uint64(len(u.id))) ^ hashString(u.id))
		if !v.dev {
			o.Country = u.country
			o.Email = u.id + "@example.com"
			o.ExplicitContent = &jExplicit{}
			o.Product = u.product
		}
	}
	return o
}

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// Hand-written JSON assembly for pages: items are pre-rendered, and
// encoding/json would re-scan every RawMessage it is given.

// pageJSON is an offset paging object.
type pageJSON struct {
	href          string
	limit, offset int
	total         int
	next, prev    string // "" encodes null
	items         [][]byte
	appendItems   func(b []byte) []byte // writes the items instead of items
	sizeHint      int                   // bytes appendItems will add, about
}

func (p *pageJSON) appendTo(b []byte) []byte {
	b = append(b, `{"href":`...)
	b = appendString(b, p.href)
	b = append(b, `,"items":[`...)
	if p.appendItems != nil {
		b = p.appendItems(b)
	}
	for k, it := range p.items {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(b, `],"limit":`...)
	b = strconv.AppendInt(b, int64(p.limit), 10)
	b = append(b, `,"next":`...)
	b = appendNullString(b, p.next)
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, int64(p.offset), 10)
	b = append(b, `,"previous":`...)
	b = appendNullString(b, p.prev)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(p.total), 10)
	return append(b, '}')
}

func (p *pageJSON) size() int {
	n := 200 + len(p.href) + len(p.next) + len(p.prev) + p.sizeHint
	for _, it := range p.items {
		n += len(it) + 1
	}
	return n
}

func (p *pageJSON) bytes() []byte { return p.appendTo(make([]byte, 0, p.size())) }

// cursorPageJSON is a cursor paging object. The contract's CursorPagingObject
// does not allow null for next or the cursors, so they are left out when
// there is no next page.
type cursorPageJSON struct {
	href          string
	limit         int
	next          string
	after, before string
	total         int // <0 leaves it out
	items         [][]byte
}

func (p *cursorPageJSON) bytes() []byte {
	n := 200
	for _, it := range p.items {
		n += len(it) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"cursors":{`...)
	sep := ""
	if p.after != "" {
		b = append(b, `"after":`...)
		b = appendString(b, p.after)
		sep = ","
	}
	if p.before != "" {
		b = append(b, sep...)
		b = append(b, `"before":`...)
		b = appendString(b, p.before)
	}
	b = append(b, `},"href":`...)
	b = appendString(b, p.href)
	b = append(b, `,"items":[`...)
	for k, it := range p.items {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(b, `],"limit":`...)
	b = strconv.AppendInt(b, int64(p.limit), 10)
	if p.next != "" {
		b = append(b, `,"next":`...)
		b = appendString(b, p.next)
	}
	if p.total >= 0 {
		b = append(b, `,"total":`...)
		b = strconv.AppendInt(b, int64(p.total), 10)
	}
	return append(b, '}')
}

// splice adds "key":raw as the last member of the JSON object obj.
func splice(obj []byte, key string, raw []byte) []byte {
	if len(obj) < 2 {
		return obj
	}
	out := make([]byte, 0, len(obj)+len(key)+len(raw)+4)
	out = append(out, obj[:len(obj)-1]...)
	if len(obj) > 2 {
		out = append(out, ',')
	}
	out = appendString(out, key)
	out = append(out, ':')
	out = append(out, raw...)
	return append(out, '}')
}

// wrap builds {"<key1>":<raw1>,...} from pre-rendered members in order.
func wrap(members ...member) []byte {
	n := 2
	for _, m := range members {
		n += len(m.key) + len(m.raw) + 4
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for k, m := range members {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendString(b, m.key)
		b = append(b, ':')
		b = append(b, m.raw...)
	}
	return append(b, '}')
}

type member struct {
	key string
	raw []byte
}

// mustJSON encodes v without HTML escaping, as Spotify does ("&" stays "&"
// in URLs).
func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only our own types are encoded; they cannot fail.
		return []byte("null")
	}
	b := buf.Bytes()
	return b[:len(b)-1] // Encode adds a newline
}

func jsonString(s string) []byte { return appendString(nil, s) }

func appendNullString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// timestamp formats unix seconds as Spotify does: UTC, second precision.
func timestamp(unix int64) string {
	return time.Unix(unix, 0).UTC().Format("2006-01-02T15:04:05Z")
}
