package spotifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Scope sets of the contract (internal/contract/facts/endpoints.tsv, column scopes).
var (
	scLibRead      = []string{"user-library-read"}
	scLibModify    = []string{"user-library-modify"}
	scPlayPos      = []string{"user-read-playback-position"}
	scEpisodesRead = []string{"user-library-read", "user-read-playback-position"}
	scLibraryAll   = []string{"user-library-modify", "user-follow-modify", "playlist-modify-public"}
	scLibraryCheck = []string{"user-library-read", "user-follow-read", "playlist-read-private"}
	scPlayState    = []string{"user-read-playback-state"}
	scPlayModify   = []string{"user-modify-playback-state"}
	scCurrently    = []string{"user-read-currently-playing"}
	scQueue        = []string{"user-read-currently-playing", "user-read-playback-state"}
	scRecently     = []string{"user-read-recently-played"}
	scPlRead       = []string{"playlist-read-private"}
	scPlReadUsers  = []string{"playlist-read-private", "playlist-read-collaborative"}
	scPlModify     = []string{"playlist-modify-public", "playlist-modify-private"}
	scCover        = []string{"ugc-image-upload", "playlist-modify-public", "playlist-modify-private"}
	scProfile      = []string{"user-read-private", "user-read-email"}
	scFollowRead   = []string{"user-follow-read"}
	scFollowModify = []string{"user-follow-modify"}
	scTop          = []string{"user-top-read"}
)

// routes lists every operation of the contract, one route each.
//
// DevRemoved marks what a Development Mode app can no longer call:
//   - November 2024 (new apps): related artists, recommendations, genre
//     seeds, audio features (one and several), audio analysis, featured
//     playlists, category playlists;
//   - February 2026: the batch ?ids= lookups (albums, artists, audiobooks,
//     chapters, episodes, shows, tracks), new releases, categories (list,
//     one, playlists), markets, artist top tracks, GET /users/{id}, and
//     GET and POST /users/{id}/playlists (POST /me/playlists replaces it).
//
// The type-specific library and follow operations and /playlists/{id}/tracks
// are deprecated in favour of /me/library and /playlists/{id}/items but not
// removed, so they stay callable in both modes.
func (s *Server) routes() []route {
	h := s.adapt
	return []route{
		// Albums
		{Op: "get-multiple-albums", Method: "GET", Path: "/v1/albums", DevRemoved: true, Handle: h(hSeveral(kAlbum, "albums", 20))},
		{Op: "get-an-album", Method: "GET", Path: "/v1/albums/{id}", Handle: h(hAlbum)},
		{Op: "get-an-albums-tracks", Method: "GET", Path: "/v1/albums/{id}/tracks", Handle: h(hAlbumTracks)},
		{Op: "get-new-releases", Method: "GET", Path: "/v1/browse/new-releases", DevRemoved: true, Handle: h(hNewReleases)},
		{Op: "remove-albums-user", Method: "DELETE", Path: "/v1/me/albums", Scopes: scLibModify, User: true, Handle: h(hUnsave(kAlbum, 20))},
		{Op: "get-users-saved-albums", Method: "GET", Path: "/v1/me/albums", Scopes: scLibRead, User: true, Handle: h(hSaved(kAlbum))},
		{Op: "save-albums-user", Method: "PUT", Path: "/v1/me/albums", Scopes: scLibModify, User: true, Handle: h(hSave(kAlbum, 20))},
		{Op: "check-users-saved-albums", Method: "GET", Path: "/v1/me/albums/contains", Scopes: scLibRead, User: true, Handle: h(hSavedContains(kAlbum, 20))},

		// Artists
		{Op: "get-multiple-artists", Method: "GET", Path: "/v1/artists", DevRemoved: true, Handle: h(hSeveral(kArtist, "artists", 50))},
		{Op: "get-an-artist", Method: "GET", Path: "/v1/artists/{id}", Handle: h(hArtist)},
		{Op: "get-an-artists-albums", Method: "GET", Path: "/v1/artists/{id}/albums", Handle: h(hArtistAlbums)},
		{Op: "get-an-artists-related-artists", Method: "GET", Path: "/v1/artists/{id}/related-artists", DevRemoved: true, Handle: h(hRelatedArtists)},
		{Op: "get-an-artists-top-tracks", Method: "GET", Path: "/v1/artists/{id}/top-tracks", DevRemoved: true, Handle: h(hTopTracks)},

		// Audiobooks and chapters
		{Op: "get-multiple-audiobooks", Method: "GET", Path: "/v1/audiobooks", DevRemoved: true, Handle: h(hSeveral(kAudiobook, "audiobooks", 50))},
		{Op: "get-an-audiobook", Method: "GET", Path: "/v1/audiobooks/{id}", Handle: h(hAudiobook)},
		{Op: "get-audiobook-chapters", Method: "GET", Path: "/v1/audiobooks/{id}/chapters", Handle: h(hAudiobookChapters)},
		{Op: "remove-audiobooks-user", Method: "DELETE", Path: "/v1/me/audiobooks", Scopes: scLibModify, User: true, Handle: h(hUnsave(kAudiobook, 50))},
		{Op: "get-users-saved-audiobooks", Method: "GET", Path: "/v1/me/audiobooks", Scopes: scLibRead, User: true, Handle: h(hSaved(kAudiobook))},
		{Op: "save-audiobooks-user", Method: "PUT", Path: "/v1/me/audiobooks", Scopes: scLibModify, User: true, Handle: h(hSave(kAudiobook, 50))},
		{Op: "check-users-saved-audiobooks", Method: "GET", Path: "/v1/me/audiobooks/contains", Scopes: scLibRead, User: true, Handle: h(hSavedContains(kAudiobook, 50))},
		{Op: "get-several-chapters", Method: "GET", Path: "/v1/chapters", DevRemoved: true, Handle: h(hSeveral(kChapter, "chapters", 50))},
		{Op: "get-a-chapter", Method: "GET", Path: "/v1/chapters/{id}", Handle: h(hChapter)},

		// Categories
		{Op: "get-categories", Method: "GET", Path: "/v1/browse/categories", DevRemoved: true, Handle: h(hCategories)},
		{Op: "get-a-category", Method: "GET", Path: "/v1/browse/categories/{category_id}", DevRemoved: true, Handle: h(hCategory)},
		{Op: "get-a-categories-playlists", Method: "GET", Path: "/v1/browse/categories/{category_id}/playlists", DevRemoved: true, Handle: h(hCategoryPlaylists)},
		{Op: "get-featured-playlists", Method: "GET", Path: "/v1/browse/featured-playlists", DevRemoved: true, Handle: h(hFeaturedPlaylists)},

		// Episodes and shows
		{Op: "get-multiple-episodes", Method: "GET", Path: "/v1/episodes", Scopes: scPlayPos, DevRemoved: true, Handle: h(hSeveral(kEpisode, "episodes", 50))},
		{Op: "get-an-episode", Method: "GET", Path: "/v1/episodes/{id}", Scopes: scPlayPos, Handle: h(hEpisode)},
		{Op: "remove-episodes-user", Method: "DELETE", Path: "/v1/me/episodes", Scopes: scLibModify, User: true, Handle: h(hUnsave(kEpisode, 50))},
		{Op: "get-users-saved-episodes", Method: "GET", Path: "/v1/me/episodes", Scopes: scEpisodesRead, User: true, Handle: h(hSaved(kEpisode))},
		{Op: "save-episodes-user", Method: "PUT", Path: "/v1/me/episodes", Scopes: scLibModify, User: true, Handle: h(hSave(kEpisode, 50))},
		{Op: "check-users-saved-episodes", Method: "GET", Path: "/v1/me/episodes/contains", Scopes: scLibRead, User: true, Handle: h(hSavedContains(kEpisode, 50))},
		{Op: "remove-shows-user", Method: "DELETE", Path: "/v1/me/shows", Scopes: scLibModify, User: true, Handle: h(hUnsave(kShow, 50))},
		{Op: "get-users-saved-shows", Method: "GET", Path: "/v1/me/shows", Scopes: scLibRead, User: true, Handle: h(hSaved(kShow))},
		{Op: "save-shows-user", Method: "PUT", Path: "/v1/me/shows", Scopes: scLibModify, User: true, Handle: h(hSave(kShow, 50))},
		{Op: "check-users-saved-shows", Method: "GET", Path: "/v1/me/shows/contains", Scopes: scLibRead, User: true, Handle: h(hSavedContains(kShow, 50))},
		{Op: "get-multiple-shows", Method: "GET", Path: "/v1/shows", DevRemoved: true, Handle: h(hSeveral(kShow, "shows", 50))},
		{Op: "get-a-show", Method: "GET", Path: "/v1/shows/{id}", Scopes: scPlayPos, Handle: h(hShow)},
		{Op: "get-a-shows-episodes", Method: "GET", Path: "/v1/shows/{id}/episodes", Scopes: scPlayPos, Handle: h(hShowEpisodes)},

		// Genres, markets, recommendations, audio features
		{Op: "get-recommendation-genres", Method: "GET", Path: "/v1/recommendations/available-genre-seeds", DevRemoved: true, Handle: h(hGenreSeeds)},
		{Op: "get-available-markets", Method: "GET", Path: "/v1/markets", DevRemoved: true, Handle: h(hMarkets)},
		{Op: "get-recommendations", Method: "GET", Path: "/v1/recommendations", DevRemoved: true, Handle: h(hRecommendations)},
		{Op: "get-audio-analysis", Method: "GET", Path: "/v1/audio-analysis/{id}", DevRemoved: true, Handle: h(hAudioAnalysis)},
		{Op: "get-several-audio-features", Method: "GET", Path: "/v1/audio-features", DevRemoved: true, Handle: h(hSeveralAudioFeatures)},
		{Op: "get-audio-features", Method: "GET", Path: "/v1/audio-features/{id}", DevRemoved: true, Handle: h(hAudioFeatures)},

		// Library (2026)
		{Op: "remove-library-items", Method: "DELETE", Path: "/v1/me/library", Scopes: scLibraryAll, User: true, Handle: h(hLibraryChange(false))},
		{Op: "save-library-items", Method: "PUT", Path: "/v1/me/library", Scopes: scLibraryAll, User: true, Handle: h(hLibraryChange(true))},
		{Op: "check-library-contains", Method: "GET", Path: "/v1/me/library/contains", Scopes: scLibraryCheck, User: true, Handle: h(hLibraryContains)},

		// Player
		{Op: "get-information-about-the-users-current-playback", Method: "GET", Path: "/v1/me/player", Scopes: scPlayState, User: true, Handle: h(hPlaybackState)},
		{Op: "transfer-a-users-playback", Method: "PUT", Path: "/v1/me/player", Scopes: scPlayModify, User: true, Handle: h(hTransfer)},
		{Op: "get-the-users-currently-playing-track", Method: "GET", Path: "/v1/me/player/currently-playing", Scopes: scCurrently, User: true, Handle: h(hCurrentlyPlaying)},
		{Op: "get-a-users-available-devices", Method: "GET", Path: "/v1/me/player/devices", Scopes: scPlayState, User: true, Handle: h(hDevices)},
		{Op: "skip-users-playback-to-next-track", Method: "POST", Path: "/v1/me/player/next", Scopes: scPlayModify, User: true, Handle: h(hNext)},
		{Op: "pause-a-users-playback", Method: "PUT", Path: "/v1/me/player/pause", Scopes: scPlayModify, User: true, Handle: h(hPause)},
		{Op: "start-a-users-playback", Method: "PUT", Path: "/v1/me/player/play", Scopes: scPlayModify, User: true, Handle: h(hPlay)},
		{Op: "skip-users-playback-to-previous-track", Method: "POST", Path: "/v1/me/player/previous", Scopes: scPlayModify, User: true, Handle: h(hPrevious)},
		{Op: "get-queue", Method: "GET", Path: "/v1/me/player/queue", Scopes: scQueue, User: true, Handle: h(hQueue)},
		{Op: "add-to-queue", Method: "POST", Path: "/v1/me/player/queue", Scopes: scPlayModify, User: true, Handle: h(hAddToQueue)},
		{Op: "get-recently-played", Method: "GET", Path: "/v1/me/player/recently-played", Scopes: scRecently, User: true, Handle: h(hRecentlyPlayed)},
		{Op: "set-repeat-mode-on-users-playback", Method: "PUT", Path: "/v1/me/player/repeat", Scopes: scPlayModify, User: true, Handle: h(hRepeat)},
		{Op: "seek-to-position-in-currently-playing-track", Method: "PUT", Path: "/v1/me/player/seek", Scopes: scPlayModify, User: true, Handle: h(hSeek)},
		{Op: "toggle-shuffle-for-users-playback", Method: "PUT", Path: "/v1/me/player/shuffle", Scopes: scPlayModify, User: true, Handle: h(hShuffle)},
		{Op: "set-volume-for-users-playback", Method: "PUT", Path: "/v1/me/player/volume", Scopes: scPlayModify, User: true, Handle: h(hVolume)},

		// Playlists
		{Op: "get-a-list-of-current-users-playlists", Method: "GET", Path: "/v1/me/playlists", Scopes: scPlRead, User: true, Handle: h(hMyPlaylists)},
		{Op: "create-playlist", Method: "POST", Path: "/v1/me/playlists", Scopes: scPlModify, User: true, Handle: h(hCreatePlaylist(false))},
		{Op: "get-playlist", Method: "GET", Path: "/v1/playlists/{playlist_id}", Handle: h(hPlaylist)},
		{Op: "change-playlist-details", Method: "PUT", Path: "/v1/playlists/{playlist_id}", Scopes: scPlModify, User: true, Handle: h(hChangePlaylist)},
		{Op: "get-playlist-cover", Method: "GET", Path: "/v1/playlists/{playlist_id}/images", Handle: h(hPlaylistCover)},
		{Op: "upload-custom-playlist-cover", Method: "PUT", Path: "/v1/playlists/{playlist_id}/images", Scopes: scCover, User: true, Handle: h(hUploadCover)},
		{Op: "remove-items-playlist", Method: "DELETE", Path: "/v1/playlists/{playlist_id}/items", Scopes: scPlModify, User: true, Handle: h(hRemoveItems("items"))},
		{Op: "get-playlists-items", Method: "GET", Path: "/v1/playlists/{playlist_id}/items", Scopes: scPlRead, Handle: h(hPlaylistItems(itemsMaxLimit))},
		{Op: "add-items-to-playlist", Method: "POST", Path: "/v1/playlists/{playlist_id}/items", Scopes: scPlModify, User: true, Handle: h(hAddItems)},
		{Op: "reorder-or-replace-playlists-items", Method: "PUT", Path: "/v1/playlists/{playlist_id}/items", Scopes: scPlModify, User: true, Handle: h(hUpdateItems)},
		{Op: "remove-tracks-playlist", Method: "DELETE", Path: "/v1/playlists/{playlist_id}/tracks", Scopes: scPlModify, User: true, Handle: h(hRemoveItems("tracks"))},
		{Op: "get-playlists-tracks", Method: "GET", Path: "/v1/playlists/{playlist_id}/tracks", Scopes: scPlRead, Handle: h(hPlaylistItems(tracksMaxLimit))},
		{Op: "add-tracks-to-playlist", Method: "POST", Path: "/v1/playlists/{playlist_id}/tracks", Scopes: scPlModify, User: true, Handle: h(hAddItems)},
		{Op: "reorder-or-replace-playlists-tracks", Method: "PUT", Path: "/v1/playlists/{playlist_id}/tracks", Scopes: scPlModify, User: true, Handle: h(hUpdateItems)},
		{Op: "get-list-users-playlists", Method: "GET", Path: "/v1/users/{user_id}/playlists", Scopes: scPlReadUsers, DevRemoved: true, Handle: h(hUserPlaylists)},
		{Op: "create-playlist-for-user", Method: "POST", Path: "/v1/users/{user_id}/playlists", Scopes: scPlModify, User: true, DevRemoved: true, Handle: h(hCreatePlaylist(true))},

		// Search
		{Op: "search", Method: "GET", Path: "/v1/search", Handle: h(hSearch)},

		// Tracks
		{Op: "remove-tracks-user", Method: "DELETE", Path: "/v1/me/tracks", Scopes: scLibModify, User: true, Handle: h(hUnsave(kTrack, 50))},
		{Op: "get-users-saved-tracks", Method: "GET", Path: "/v1/me/tracks", Scopes: scLibRead, User: true, Handle: h(hSaved(kTrack))},
		{Op: "save-tracks-user", Method: "PUT", Path: "/v1/me/tracks", Scopes: scLibModify, User: true, Handle: h(hSave(kTrack, 50))},
		{Op: "check-users-saved-tracks", Method: "GET", Path: "/v1/me/tracks/contains", Scopes: scLibRead, User: true, Handle: h(hSavedContains(kTrack, 50))},
		{Op: "get-several-tracks", Method: "GET", Path: "/v1/tracks", DevRemoved: true, Handle: h(hSeveral(kTrack, "tracks", 50))},
		{Op: "get-track", Method: "GET", Path: "/v1/tracks/{id}", Handle: h(hTrack)},

		// Users and follows
		{Op: "get-current-users-profile", Method: "GET", Path: "/v1/me", Scopes: scProfile, User: true, Handle: h(hMe)},
		{Op: "unfollow-artists-users", Method: "DELETE", Path: "/v1/me/following", Scopes: scFollowModify, User: true, Handle: h(hFollowChange(false))},
		{Op: "get-followed", Method: "GET", Path: "/v1/me/following", Scopes: scFollowRead, User: true, Handle: h(hFollowed)},
		{Op: "follow-artists-users", Method: "PUT", Path: "/v1/me/following", Scopes: scFollowModify, User: true, Handle: h(hFollowChange(true))},
		{Op: "check-current-user-follows", Method: "GET", Path: "/v1/me/following/contains", Scopes: scFollowRead, User: true, Handle: h(hFollowContains)},
		{Op: "get-users-top-artists", Method: "GET", Path: "/v1/me/top/artists", Scopes: scTop, User: true, Handle: h(hTop(kArtist))},
		{Op: "get-users-top-tracks", Method: "GET", Path: "/v1/me/top/tracks", Scopes: scTop, User: true, Handle: h(hTop(kTrack))},
		{Op: "unfollow-playlist", Method: "DELETE", Path: "/v1/playlists/{playlist_id}/followers", Scopes: scPlModify, User: true, Handle: h(hFollowPlaylist(false))},
		{Op: "follow-playlist", Method: "PUT", Path: "/v1/playlists/{playlist_id}/followers", Scopes: scPlModify, User: true, Handle: h(hFollowPlaylist(true))},
		{Op: "check-if-user-follows-playlist", Method: "GET", Path: "/v1/playlists/{playlist_id}/followers/contains", Handle: h(hFollowsPlaylist)},
		{Op: "get-users-profile", Method: "GET", Path: "/v1/users/{user_id}", DevRemoved: true, Handle: h(hUser)},
	}
}

// req bundles what a handler needs: the server, the exchange and what the
// middleware learned about the caller.
type req struct {
	s *Server
	w http.ResponseWriter
	r *http.Request
	c *call
	v *view

	version string // mixed into the ETag: a playlist's snapshot ID
}

type handler func(q *req)

// adapt turns a handler into the function a route carries.
func (s *Server) adapt(fn handler) func(http.ResponseWriter, *http.Request, *call) {
	return func(w http.ResponseWriter, r *http.Request, c *call) {
		fn(&req{s: s, w: w, r: r, c: c})
	}
}

// view returns the renderer for this request, with market applied.
func (q *req) view(market bool) *view {
	if q.v == nil {
		api := "http://" + q.r.Host + "/v1"
		q.v = &view{c: q.s.cat, dev: q.c.Mode == DevelopmentMode, market: market, api: api}
		q.v.cache = q.s.cat.cacheFor(api)
	}
	return q.v
}

// marketView checks the market parameter and returns the renderer, or
// answers 400 and returns nil.
func (q *req) marketView() *view {
	m := q.r.URL.Query().Get("market")
	if m != "" && m != "from_token" && !q.s.cat.marketSet[m] {
		q.fail(http.StatusBadRequest, "Invalid market code")
		return nil
	}
	return q.view(m != "")
}

// userID is the caller's user ID; "" for client credentials.
func (q *req) userID() string { return q.c.UserID }

func (q *req) fail(status int, msg string) { writeError(q.w, status, msg) }

// failReason answers with the error object and Spotify's reason field, as
// the player commands do.
func (q *req) failReason(status int, msg, reason string) {
	writeJSON(q.w, status, map[string]any{"error": map[string]any{"status": status, "message": msg, "reason": reason}})
}

func (q *req) notFound() { q.fail(http.StatusNotFound, "Resource not found") }

// raw answers with pre-rendered JSON.
func (q *req) raw(status int, b []byte) {
	if status == http.StatusOK && q.conditional(b) {
		return
	}
	h := q.w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	q.w.WriteHeader(status)
	_, _ = q.w.Write(b)
}

func (q *req) json(status int, v any) { q.raw(status, mustJSON(v)) }

// empty answers with a status and no body, as Spotify's write operations do.
func (q *req) empty(status int) {
	q.w.Header().Set("Content-Length", "0")
	q.w.WriteHeader(status)
}

// limits reads limit and offset with the operation's default and maximum.
func (q *req) limits(def, max int) (limit, offset int, ok bool) {
	return q.limitsMin(1, def, max)
}

func (q *req) limitsMin(min, def, max int) (limit, offset int, ok bool) {
	qv := q.r.URL.Query()
	limit, offset = def, 0
	if s := qv.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < min || n > max {
			q.fail(http.StatusBadRequest, "Invalid limit")
			return 0, 0, false
		}
		limit = n
	}
	if s := qv.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			q.fail(http.StatusBadRequest, "Invalid offset")
			return 0, 0, false
		}
		offset = n
	}
	return limit, offset, true
}

// pageURL is the request's URL with offset and limit replaced, absolute
// against the host the client used.
func (q *req) pageURL(offset, limit int) string {
	return pageURL("http://"+q.r.Host+q.r.URL.Path, q.r.URL.Query(), offset, limit)
}

// pageURL builds base?offset=..&limit=..&<other parameters sorted>.
func pageURL(base string, params url.Values, offset, limit int) string {
	var b strings.Builder
	b.WriteString(base)
	b.WriteString("?offset=")
	b.WriteString(strconv.Itoa(offset))
	b.WriteString("&limit=")
	b.WriteString(strconv.Itoa(limit))
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "offset" && k != "limit" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range params[k] {
			b.WriteByte('&')
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// newPage fills the links of an offset page over total items.
func newPage(base string, params url.Values, offset, limit, total int) pageJSON {
	p := pageJSON{
		href:   pageURL(base, params, offset, limit),
		limit:  limit,
		offset: offset,
		total:  total,
	}
	if limit > 0 && offset+limit < total {
		p.next = pageURL(base, params, offset+limit, limit)
	}
	if offset > 0 {
		prev := max(offset-limit, 0)
		p.prev = pageURL(base, params, prev, limit)
	}
	return p
}

// page starts the paging object of this request.
func (q *req) page(offset, limit, total int) pageJSON {
	return newPage("http://"+q.r.Host+q.r.URL.Path, q.r.URL.Query(), offset, limit, total)
}

// span clips [offset, offset+limit) to n items.
func span(offset, limit, n int) (int, int) {
	if offset > n {
		offset = n
	}
	end := min(offset+limit, n)
	return offset, end
}

// ids reads the comma-separated ids parameter: at most max base62 IDs.
func (q *req) ids(max int) ([]string, bool) {
	s := q.r.URL.Query().Get("ids")
	if s == "" {
		q.fail(http.StatusBadRequest, "Missing required parameter: ids")
		return nil, false
	}
	return q.checkIDs(strings.Split(s, ","), max)
}

func (q *req) checkIDs(ids []string, max int) ([]string, bool) {
	if len(ids) > max {
		q.fail(http.StatusBadRequest, "Too many ids requested")
		return nil, false
	}
	for _, id := range ids {
		if !isBase62ID(id) {
			q.fail(http.StatusBadRequest, "Invalid base62 id")
			return nil, false
		}
	}
	return ids, true
}

// pathObject resolves the path parameter name to an object of kind k,
// answering 400 for a malformed ID and 404 for an unknown one.
func (q *req) pathObject(name string, k kind) (int, bool) {
	id := q.r.PathValue(name)
	if !isBase62ID(id) {
		q.fail(http.StatusBadRequest, "Invalid base62 id")
		return 0, false
	}
	i, ok := q.s.cat.lookup(k, id)
	if !ok {
		q.notFound()
		return 0, false
	}
	return i, true
}

// maxBody bounds request bodies; the cover upload is the largest.
const maxBody = 1 << 20

// body decodes a JSON request body into v. An empty body leaves v alone.
func (q *req) body(v any) bool {
	b, err := io.ReadAll(io.LimitReader(q.r.Body, maxBody))
	if err != nil {
		q.fail(http.StatusBadRequest, "Could not read the request body")
		return false
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return true
	}
	if err := json.Unmarshal(b, v); err != nil {
		q.fail(http.StatusBadRequest, "Error parsing JSON.")
		return false
	}
	return true
}

// parseURI splits spotify:TYPE:ID. Users' IDs are not base62.
func parseURI(s string) (kind, string, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] != "spotify" {
		return kNone, "", false
	}
	var k kind
	switch parts[1] {
	case "track":
		k = kTrack
	case "album":
		k = kAlbum
	case "artist":
		k = kArtist
	case "playlist":
		k = kPlaylist
	case "show":
		k = kShow
	case "episode":
		k = kEpisode
	case "audiobook":
		k = kAudiobook
	case "user":
		return kUser, parts[2], parts[2] != ""
	default:
		return kNone, "", false
	}
	return k, parts[2], isBase62ID(parts[2])
}
