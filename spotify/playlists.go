package spotify

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// PlaylistsService calls the playlist endpoints.
type PlaylistsService service

// playlistMaxURIs is uris_max of the playlist item endpoints.
const playlistMaxURIs = 100

// MaxCoverSize is the largest cover image Spotify accepts: 256 KiB of
// base64 payload, so about 192 KiB of JPEG.
const MaxCoverSize = 256 << 10

// PlaylistOptions selects what a playlist lookup returns.
type PlaylistOptions struct {
	Market string // see MarketOptions
	// Fields filters the answer with Spotify's field syntax, e.g.
	// "name,items(total)". Fields Spotify leaves out stay zero.
	Fields string
	// AdditionalTypes lists the item types besides tracks the caller
	// understands: AdditionalTypeEpisode (tracks are always included). It
	// is checked, but the playlist calls always ask for both types
	// (additional_types=track,episode), so that an episode is never sent
	// in a track's shape: a caller that wants tracks only skips the rows
	// whose Type is "episode".
	AdditionalTypes []string
}

// PlaylistItemsOptions selects a page of a playlist's items.
type PlaylistItemsOptions struct {
	ListOptions // Limit at most 50 (100 for the legacy Tracks)
	PlaylistOptions
}

// PlaylistCreateOptions sets up a new playlist. The zero value makes a
// public, non-collaborative playlist without description.
type PlaylistCreateOptions struct {
	Private bool // keep it off the user's profile; needs playlist-modify-private
	// Collaborative lets other users edit it. Collaborative playlists are
	// always private, so this also makes it private.
	Collaborative bool
	Description   string
}

// PlaylistChanges are the details [PlaylistsService.ChangeDetails] sets;
// nil and empty fields are left as they are.
type PlaylistChanges struct {
	Name          string  `json:"name,omitzero"`
	Public        *bool   `json:"public,omitzero"`
	Collaborative *bool   `json:"collaborative,omitzero"` // only private playlists can be collaborative
	Description   *string `json:"description,omitzero"`   // a pointer to "" clears it
}

// PlaylistAddItemsOptions says where added items go.
type PlaylistAddItemsOptions struct {
	// Position is the zero-based index the first item is inserted at; nil
	// appends.
	Position *int
}

// PlaylistItemRef names playlist entries to remove: every occurrence of
// URI, or only those at Positions (zero-based, in the snapshot removed
// from). Spotify's current reference documents only uri; positions are sent
// when given.
type PlaylistItemRef struct {
	URI       string `json:"uri"`
	Positions []int  `json:"positions,omitzero"`
}

// PlaylistItemRefs returns refs removing every occurrence of each of uris.
func PlaylistItemRefs(uris ...string) []PlaylistItemRef {
	refs := make([]PlaylistItemRef, len(uris))
	for i, u := range uris {
		refs[i].URI = u
	}
	return refs
}

// PlaylistRemoveItemsOptions qualifies a removal.
type PlaylistRemoveItemsOptions struct {
	// SnapshotID is the playlist version positions refer to; Spotify
	// applies the removal to that version even if the playlist changed
	// since. When it is the playlist's current version, it also lets the
	// client resend a removal that failed without being applied (see
	// [PlaylistsService.RemoveItems]).
	SnapshotID string
}

// PlaylistReorderOptions qualifies a reorder.
type PlaylistReorderOptions struct {
	RangeLength int // how many items move; 0 moves one
	// SnapshotID is the playlist version the positions refer to. When it
	// is the playlist's current version, it also lets the client resend a
	// move that failed without being applied (see
	// [PlaylistsService.ReorderItems]).
	SnapshotID string
}

// PlaylistFeaturedOptions selects a page of featured playlists.
type PlaylistFeaturedOptions struct {
	ListOptions        // Limit at most 50
	Locale      string // see CategoryOptions
}

var opGetPlaylist = &operation{id: "get-playlist", method: http.MethodGet, route: "/playlists/{playlist_id}"}

// Get returns one playlist, by ID, URI or URL, with the first page of its
// items embedded.
//
//   - Endpoint: GET /v1/playlists/{playlist_id}
//   - Scopes: no scope needed for public playlists; playlist-read-private for
//     private ones and playlist-read-collaborative for collaborative ones.
//   - Limits: one playlist per request. The embedded page holds up to 100
//     items; [PlaylistsService.Items] pages through the rest.
//
//spotify:operation get-playlist
func (s *PlaylistsService) Get(ctx context.Context, id string, opts *PlaylistOptions) (*models.Playlist, error) {
	rid, err := parseID(id, models.KindPlaylist)
	if err != nil {
		return nil, err
	}
	o := derefOr(opts)
	q := query{}
	if err := q.playlist(s.c, o); err != nil {
		return nil, err
	}
	path := "playlists/" + url.PathEscape(rid)
	p := new(models.Playlist)
	if err := s.c.get(ctx, opGetPlaylist, path, q.values(), p); err != nil {
		return nil, err
	}
	if o.Fields == "" { // a fields filter may leave out type and id
		if msg := checkObject(p, rid); msg != "" {
			return nil, invalidReply(opGetPlaylist, path, msg)
		}
	}
	return p, nil
}

var opGetPlaylistsItems = &operation{id: "get-playlists-items", method: http.MethodGet, route: "/playlists/{playlist_id}/items"}

// Items returns one page of a playlist's items, tracks and episodes (it
// always sends additional_types=track,episode). A page with more items
// than asked for is refused before they are decoded.
//
//   - Endpoint: GET /v1/playlists/{playlist_id}/items
//   - Scopes: playlist-read-private for private playlists; none for public
//     ones.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-playlists-items
func (s *PlaylistsService) Items(ctx context.Context, id string, opts *PlaylistItemsOptions) (*models.Page[models.PlaylistItem], error) {
	return s.items(ctx, opGetPlaylistsItems, "/items", 50, id, opts)
}

// ItemsAll iterates over every item of a playlist from opts.Offset on,
// fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/playlists/{playlist_id}/items, once per page
//   - Scopes: playlist-read-private for private playlists; none for public
//     ones.
//   - Limits: limit 1-50 per page.
func (s *PlaylistsService) ItemsAll(ctx context.Context, id string, opts *PlaylistItemsOptions) iter.Seq2[models.PlaylistItem, error] {
	return s.itemsAll(ctx, opGetPlaylistsItems, id, opts, 50, s.Items)
}

var opGetPlaylistsTracks = &operation{id: "get-playlists-tracks", method: http.MethodGet, route: "/playlists/{playlist_id}/tracks"}

// Tracks returns one page of a playlist's items from the legacy endpoint.
//
//   - Endpoint: GET /v1/playlists/{playlist_id}/tracks
//   - Scopes: playlist-read-private for private playlists; none for public
//     ones.
//   - Limits: limit 1-100 per page, default 20.
//
// Deprecated: use [PlaylistsService.Items] (GET
// /v1/playlists/{playlist_id}/items), which Spotify made its replacement on
// 2026-02-12. This endpoint still answers, in Development Mode too.
//
//spotify:operation get-playlists-tracks
func (s *PlaylistsService) Tracks(ctx context.Context, id string, opts *PlaylistItemsOptions) (*models.Page[models.PlaylistItem], error) {
	return s.items(ctx, opGetPlaylistsTracks, "/tracks", 100, id, opts)
}

// TracksAll iterates over every item of a playlist from the legacy endpoint,
// fetching pages of opts.Limit (default 100) lazily as the loop asks.
//
//   - Endpoint: GET /v1/playlists/{playlist_id}/tracks, once per page
//   - Scopes: playlist-read-private for private playlists; none for public
//     ones.
//   - Limits: limit 1-100 per page.
//
// Deprecated: use [PlaylistsService.ItemsAll]; Spotify replaced this endpoint
// with /v1/playlists/{playlist_id}/items on 2026-02-12.
func (s *PlaylistsService) TracksAll(ctx context.Context, id string, opts *PlaylistItemsOptions) iter.Seq2[models.PlaylistItem, error] {
	return s.itemsAll(ctx, opGetPlaylistsTracks, id, opts, 100, s.Tracks)
}

func (s *PlaylistsService) itemsAll(ctx context.Context, op *operation, id string, opts *PlaylistItemsOptions, limit int,
	one func(context.Context, string, *PlaylistItemsOptions) (*models.Page[models.PlaylistItem], error)) iter.Seq2[models.PlaylistItem, error] {
	o := derefOr(opts)
	o.Limit = orDefault(o.Limit, limit)
	return paging.Offset(ctx, o.Offset, func(ctx context.Context, offset int) (*models.Page[models.PlaylistItem], error) {
		o.Offset = offset
		return one(ctx, id, &o)
	}, walkOptions(op, o.Limit)...)
}

func (s *PlaylistsService) items(ctx context.Context, op *operation, suffix string, maxLimit int, id string, opts *PlaylistItemsOptions) (*models.Page[models.PlaylistItem], error) {
	pid, err := pathID(id, models.KindPlaylist)
	if err != nil {
		return nil, err
	}
	o := derefOr(opts)
	q := query{}
	if err := q.playlist(s.c, o.PlaylistOptions); err != nil {
		return nil, err
	}
	return getPage[models.PlaylistItem](ctx, s.c, op, "playlists/"+pid+suffix, q, o.ListOptions, maxLimit)
}

// playlistItemTypes is the additional_types every call that answers
// playlist rows sends: without "episode", Spotify may answer an episode in
// a track's shape.
const playlistItemTypes = AdditionalTypeTrack + "," + AdditionalTypeEpisode

func (q query) playlist(c *Client, o PlaylistOptions) error {
	if err := q.market(c, o.Market); err != nil {
		return err
	}
	q.set("fields", o.Fields)
	if err := q.additionalTypes(o.AdditionalTypes); err != nil {
		return err
	}
	q.set("additional_types", playlistItemTypes)
	return nil
}

var opGetAListOfCurrentUsersPlaylists = &operation{id: "get-a-list-of-current-users-playlists", method: http.MethodGet, route: "/me/playlists"}

// Mine returns one page of the playlists the current user owns or follows.
//
//   - Endpoint: GET /v1/me/playlists
//   - Scopes: playlist-read-private (and playlist-read-collaborative for
//     collaborative ones).
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-a-list-of-current-users-playlists
func (s *PlaylistsService) Mine(ctx context.Context, opts *ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
	return s.playlistPage(ctx, opGetAListOfCurrentUsersPlaylists, "me/playlists", opts)
}

// MineAll iterates over the current user's playlists from opts.Offset on,
// fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/me/playlists, once per page
//   - Scopes: playlist-read-private (and playlist-read-collaborative for
//     collaborative ones).
//   - Limits: limit 1-50 per page.
func (s *PlaylistsService) MineAll(ctx context.Context, opts *ListOptions) iter.Seq2[models.SimplifiedPlaylist, error] {
	return playlistsAll(ctx, opGetAListOfCurrentUsersPlaylists, opts, func(ctx context.Context, o *ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
		return s.Mine(ctx, o)
	})
}

var opGetListUsersPlaylists = &operation{id: "get-list-users-playlists", method: http.MethodGet, route: "/users/{user_id}/playlists"}

// ForUser returns one page of the public playlists of the user userID (a
// user ID, URI or URL), and of their private ones when userID is the
// current user.
//
//   - Endpoint: GET /v1/users/{user_id}/playlists
//   - Scopes: playlist-read-private, playlist-read-collaborative.
//   - Limits: limit 1-50 per page, default 20.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; there is no
// replacement for other users, and [PlaylistsService.Mine] lists the current
// user's. Extended Quota apps can still call it.
//
//spotify:operation get-list-users-playlists
func (s *PlaylistsService) ForUser(ctx context.Context, userID string, opts *ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
	uid, err := pathID(userID, models.KindUser)
	if err != nil {
		return nil, err
	}
	return s.playlistPage(ctx, opGetListUsersPlaylists, "users/"+uid+"/playlists", opts)
}

// ForUserAll iterates over a user's playlists from opts.Offset on, fetching
// pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/users/{user_id}/playlists, once per page
//   - Scopes: playlist-read-private, playlist-read-collaborative.
//   - Limits: limit 1-50 per page.
//
// Deprecated: as [PlaylistsService.ForUser]: deprecated on 2026-02-08 and
// removed for Development Mode apps.
func (s *PlaylistsService) ForUserAll(ctx context.Context, userID string, opts *ListOptions) iter.Seq2[models.SimplifiedPlaylist, error] {
	return playlistsAll(ctx, opGetListUsersPlaylists, opts, func(ctx context.Context, o *ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
		return s.ForUser(ctx, userID, o)
	})
}

var opGetACategoriesPlaylists = &operation{id: "get-a-categories-playlists", method: http.MethodGet, route: "/browse/categories/{category_id}/playlists"}

// ForCategory returns one page of the playlists of a browse category (see
// [CategoriesService.Get] for category IDs).
//
//   - Endpoint: GET /v1/browse/categories/{category_id}/playlists
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-50 per page, default 20.
//
// Deprecated: Spotify cut new apps off category playlists on 2024-11-27 and
// deprecated the endpoint in its OpenAPI definition on 2024-12-23, with no
// replacement. Development Mode apps get a 403 matching [ErrForbidden];
// Extended Quota apps that had access before then can still call it.
//
//spotify:operation get-a-categories-playlists
func (s *PlaylistsService) ForCategory(ctx context.Context, categoryID string, opts *ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
	cid, err := checkCategoryID(categoryID)
	if err != nil {
		return nil, err
	}
	return getWrappedPage[models.SimplifiedPlaylist](ctx, s.c, opGetACategoriesPlaylists, "browse/categories/"+cid+"/playlists", "playlists", query{}, derefOr(opts), 50)
}

// ForCategoryAll iterates over a category's playlists from opts.Offset on,
// fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/browse/categories/{category_id}/playlists, once per
//     page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-50 per page.
//
// Deprecated: as [PlaylistsService.ForCategory]: cut off for new apps on
// 2024-11-27, deprecated on 2024-12-23.
func (s *PlaylistsService) ForCategoryAll(ctx context.Context, categoryID string, opts *ListOptions) iter.Seq2[models.SimplifiedPlaylist, error] {
	return playlistsAll(ctx, opGetACategoriesPlaylists, opts, func(ctx context.Context, o *ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
		return s.ForCategory(ctx, categoryID, o)
	})
}

var opGetFeaturedPlaylists = &operation{id: "get-featured-playlists", method: http.MethodGet, route: "/browse/featured-playlists"}

// Featured returns one page of Spotify's featured playlists and the
// localized headline shown with them (e.g. "Popular Playlists").
//
//   - Endpoint: GET /v1/browse/featured-playlists
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-50 per page, default 20.
//
// Deprecated: Spotify cut new apps off featured playlists on 2024-11-27 and
// deprecated the endpoint in its OpenAPI definition on 2024-12-23, with no
// replacement. Development Mode apps get a 403 matching [ErrForbidden];
// Extended Quota apps that had access before then can still call it.
//
//spotify:operation get-featured-playlists
func (s *PlaylistsService) Featured(ctx context.Context, opts *PlaylistFeaturedOptions) (page *models.Page[models.SimplifiedPlaylist], message string, err error) {
	o := derefOr(opts)
	q := query{}
	if err := q.page(o.ListOptions, 50); err != nil {
		return nil, "", err
	}
	if err := q.locale(o.Locale); err != nil {
		return nil, "", err
	}
	page = new(models.Page[models.SimplifiedPlaylist])
	target := models.Members(map[string]any{"message": &message, "playlists": page.Within(pageBound(o.Limit, 50))})
	if err := s.c.get(ctx, opGetFeaturedPlaylists, "browse/featured-playlists", q.values(), target); err != nil {
		return nil, "", err
	}
	return page, message, nil
}

// FeaturedAll iterates over the featured playlists from opts.Offset on,
// fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/browse/featured-playlists, once per page
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-50 per page.
//
// Deprecated: as [PlaylistsService.Featured]: cut off for new apps on
// 2024-11-27, deprecated on 2024-12-23.
func (s *PlaylistsService) FeaturedAll(ctx context.Context, opts *PlaylistFeaturedOptions) iter.Seq2[models.SimplifiedPlaylist, error] {
	o := derefOr(opts)
	o.Limit = orDefault(o.Limit, 50)
	return paging.Offset(ctx, o.Offset, func(ctx context.Context, offset int) (*models.Page[models.SimplifiedPlaylist], error) {
		o.Offset = offset
		p, _, err := s.Featured(ctx, &o)
		return p, err
	}, walkOptions(opGetFeaturedPlaylists, o.Limit)...)
}

func (s *PlaylistsService) playlistPage(ctx context.Context, op *operation, path string, opts *ListOptions) (*models.Page[models.SimplifiedPlaylist], error) {
	return getPage[models.SimplifiedPlaylist](ctx, s.c, op, path, query{}, derefOr(opts), 50)
}

func playlistsAll(ctx context.Context, op *operation, opts *ListOptions, one func(context.Context, *ListOptions) (*models.Page[models.SimplifiedPlaylist], error)) iter.Seq2[models.SimplifiedPlaylist, error] {
	o := derefOr(opts)
	o.Limit = orDefault(o.Limit, 50)
	return paging.Offset(ctx, o.Offset, func(ctx context.Context, offset int) (*models.Page[models.SimplifiedPlaylist], error) {
		o.Offset = offset
		return one(ctx, &o)
	}, walkOptions(op, o.Limit)...)
}

// A repeat creates a second playlist.
var opCreatePlaylist = &operation{id: "create-playlist", method: http.MethodPost, route: "/me/playlists", repeat: repeatUnsafe}

// Create makes a playlist named name for the current user and returns it.
// Creating is not safe to repeat, so a request that may have reached
// Spotify is not sent again: a failure wrapping [ErrMaybeApplied] may have
// created it.
//
//   - Endpoint: POST /v1/me/playlists
//   - Scopes: playlist-modify-public, or playlist-modify-private for private
//     and collaborative playlists.
//   - Limits: one playlist per request, never retried once sent.
//
//spotify:operation create-playlist
func (s *PlaylistsService) Create(ctx context.Context, name string, opts *PlaylistCreateOptions) (*models.Playlist, error) {
	return s.create(ctx, opCreatePlaylist, "me/playlists", name, opts)
}

// A repeat creates a second playlist.
var opCreatePlaylistForUser = &operation{id: "create-playlist-for-user", method: http.MethodPost, route: "/users/{user_id}/playlists", repeat: repeatUnsafe}

// CreateForUser makes a playlist named name for the user userID, who must be
// the current user, and returns it.
//
//   - Endpoint: POST /v1/users/{user_id}/playlists
//   - Scopes: playlist-modify-public, or playlist-modify-private for private
//     and collaborative playlists.
//   - Limits: one playlist per request, never retried once sent.
//
// Deprecated: use [PlaylistsService.Create] (POST /v1/me/playlists). Spotify
// deprecated this endpoint on 2026-02-08 and removed it for Development Mode
// apps (new ones from 2026-02-11, existing ones from 2026-03-09), which get a
// 403 matching [ErrForbidden]. Extended Quota apps can still call it.
//
//spotify:operation create-playlist-for-user
func (s *PlaylistsService) CreateForUser(ctx context.Context, userID, name string, opts *PlaylistCreateOptions) (*models.Playlist, error) {
	uid, err := pathID(userID, models.KindUser)
	if err != nil {
		return nil, err
	}
	return s.create(ctx, opCreatePlaylistForUser, "users/"+uid+"/playlists", name, opts)
}

// playlistCreate is the body that creates a playlist.
type playlistCreate struct {
	Name          string `json:"name"`
	Public        bool   `json:"public"`
	Collaborative bool   `json:"collaborative,omitzero"`
	Description   string `json:"description,omitzero"`
}

func (s *PlaylistsService) create(ctx context.Context, op *operation, path, name string, opts *PlaylistCreateOptions) (*models.Playlist, error) {
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("%w: empty playlist name", ErrInvalidInput)
	}
	o := derefOr(opts)
	body := playlistCreate{Name: name, Public: !o.Private && !o.Collaborative, Collaborative: o.Collaborative, Description: o.Description}
	p := new(models.Playlist)
	if err := s.c.send(ctx, op, path, nil, body, p); err != nil {
		return nil, err
	}
	return p, nil
}

var opChangePlaylistDetails = &operation{id: "change-playlist-details", method: http.MethodPut, route: "/playlists/{playlist_id}", repeat: repeatSafe}

// ChangeDetails changes a playlist's name, visibility, collaboration or
// description; fields left nil or empty in changes stay as they are.
//
//   - Endpoint: PUT /v1/playlists/{playlist_id}
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: one playlist per request.
//
//spotify:operation change-playlist-details
func (s *PlaylistsService) ChangeDetails(ctx context.Context, id string, changes PlaylistChanges) error {
	pid, err := pathID(id, models.KindPlaylist)
	if err != nil {
		return err
	}
	if changes == (PlaylistChanges{}) {
		return fmt.Errorf("%w: no playlist details to change", ErrInvalidInput)
	}
	if changes.Name != "" && strings.TrimSpace(changes.Name) == "" {
		return fmt.Errorf("%w: blank playlist name", ErrInvalidInput)
	}
	if changes.Collaborative != nil && *changes.Collaborative && changes.Public != nil && *changes.Public {
		return fmt.Errorf("%w: a public playlist cannot be collaborative", ErrInvalidInput)
	}
	return s.c.send(ctx, opChangePlaylistDetails, "playlists/"+pid, nil, changes, nil)
}

var opGetPlaylistCover = &operation{id: "get-playlist-cover", method: http.MethodGet, route: "/playlists/{playlist_id}/images"}

// Cover returns a playlist's cover images; the URLs expire within days, so
// fetch them again rather than storing them.
//
//   - Endpoint: GET /v1/playlists/{playlist_id}/images
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one playlist per request.
//
//spotify:operation get-playlist-cover
func (s *PlaylistsService) Cover(ctx context.Context, id string) ([]models.Image, error) {
	pid, err := pathID(id, models.KindPlaylist)
	if err != nil {
		return nil, err
	}
	var imgs []models.Image
	if err := s.c.get(ctx, opGetPlaylistCover, "playlists/"+pid+"/images", nil, &imgs); err != nil {
		return nil, err
	}
	return imgs, nil
}

var opUploadCustomPlaylistCover = &operation{id: "upload-custom-playlist-cover", method: http.MethodPut, route: "/playlists/{playlist_id}/images", repeat: repeatSafe}

// UploadCover replaces a playlist's cover with the JPEG image jpeg (the
// file's bytes; they are base64-encoded here). Images that are not JPEG or
// whose encoding exceeds [MaxCoverSize] are refused before sending. Spotify
// processes the image asynchronously: [PlaylistsService.Cover] may show the
// old one for a while.
//
//   - Endpoint: PUT /v1/playlists/{playlist_id}/images
//   - Scopes: ugc-image-upload, and playlist-modify-public or
//     playlist-modify-private.
//   - Limits: one JPEG of at most 256 KiB once base64-encoded
//     ([MaxCoverSize]), about 192 KiB of file.
//
//spotify:operation upload-custom-playlist-cover
func (s *PlaylistsService) UploadCover(ctx context.Context, id string, jpeg []byte) error {
	pid, err := pathID(id, models.KindPlaylist)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(jpeg, []byte{0xFF, 0xD8, 0xFF}) {
		return fmt.Errorf("%w: the cover image is not a JPEG", ErrInvalidInput)
	}
	if n := base64.StdEncoding.EncodedLen(len(jpeg)); n > MaxCoverSize {
		return fmt.Errorf("%w: the cover image is %d bytes in base64, over Spotify's %d", ErrInvalidInput, n, MaxCoverSize)
	}
	enc := make([]byte, base64.StdEncoding.EncodedLen(len(jpeg)))
	base64.StdEncoding.Encode(enc, jpeg)
	return s.c.do(ctx, &request{op: opUploadCustomPlaylistCover, path: "playlists/" + pid + "/images", raw: enc, ctype: "image/jpeg"}, nil)
}

// A repeat adds the items a second time.
var opAddItemsToPlaylist = &operation{id: "add-items-to-playlist", method: http.MethodPost, route: "/playlists/{playlist_id}/items", repeat: repeatUnsafe}

// AddItems adds tracks and episodes, given as spotify: URIs or
// open.spotify.com URLs, to a playlist and returns the playlist's new
// snapshot ID. Any number may be given: they are sent 100 per request in
// order, each chunk's position following the previous chunk's, so the
// playlist ends up with uris in the order given. Adding is not safe to
// repeat, so a request that may have reached Spotify is not sent again
// blindly: for every chunk after the first, the client knows the snapshot
// ID the previous chunk left, and when the server answers that the chunk
// failed (500, 502, 503) it reads the playlist's snapshot_id; unchanged
// means the chunk was not added, and it is sent again. After any other
// failure that leaves the chunk's fate unknown (a 504, a dropped
// connection, a timeout, a cut or unusable answer) the chunk may still be
// under way at the server, and no read proves otherwise. The call then
// stops: its error says how many items were added before, and wraps
// [ErrMaybeApplied] when the failed chunk may have been added too.
//
//   - Endpoint: POST /v1/playlists/{playlist_id}/items
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: 100 URIs per request; longer lists are split into chunks of
//     100, sent in order, and the first failure ends the call.
//
//spotify:operation add-items-to-playlist
func (s *PlaylistsService) AddItems(ctx context.Context, id string, uris []string, opts *PlaylistAddItemsOptions) (string, error) {
	return s.add(ctx, opAddItemsToPlaylist, "/items", id, uris, opts)
}

// A repeat adds the items a second time.
var opAddTracksToPlaylist = &operation{id: "add-tracks-to-playlist", method: http.MethodPost, route: "/playlists/{playlist_id}/tracks", repeat: repeatUnsafe}

// AddTracks adds items through the legacy endpoint, as
// [PlaylistsService.AddItems] does.
//
//   - Endpoint: POST /v1/playlists/{playlist_id}/tracks
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: 100 URIs per request; longer lists are split into chunks of
//     100, sent in order, and the first failure ends the call.
//
// Deprecated: use [PlaylistsService.AddItems] (POST
// /v1/playlists/{playlist_id}/items), which Spotify made its replacement on
// 2026-02-12. This endpoint still answers, in Development Mode too.
//
//spotify:operation add-tracks-to-playlist
func (s *PlaylistsService) AddTracks(ctx context.Context, id string, uris []string, opts *PlaylistAddItemsOptions) (string, error) {
	return s.add(ctx, opAddTracksToPlaylist, "/tracks", id, uris, opts)
}

// playlistAdd is the body that adds items.
type playlistAdd struct {
	URIs     []string `json:"uris"`
	Position *int     `json:"position,omitzero"`
}

func (s *PlaylistsService) add(ctx context.Context, op *operation, suffix, id string, uris []string, opts *PlaylistAddItemsOptions) (string, error) {
	pid, err := pathID(id, models.KindPlaylist)
	if err != nil {
		return "", err
	}
	parsed, err := parseURIs(uris, playableKind)
	if err != nil {
		return "", err
	}
	var pos *int
	if p := derefOr(opts).Position; p != nil {
		if *p < 0 {
			return "", fmt.Errorf("%w: position %d is negative", ErrInvalidInput, *p)
		}
		pos = new(int)
		*pos = *p
	}
	return s.addParsed(ctx, op, pid, suffix, parsed, pos, 0, "")
}

// addParsed posts checked URIs to playlist pid in chunks; pos (nil to
// append) advances by each chunk's size. before counts items already sent
// by the caller, so a failure reports the whole operation's progress; snap
// is the playlist's snapshot after the caller's last change, "" when
// unknown. Each chunk after a success knows the snapshot it follows, so a
// failure the server answered is checked and, if nothing was applied, the
// chunk is sent again.
func (s *PlaylistsService) addParsed(ctx context.Context, op *operation, pid, suffix string, uris []string, pos *int, before int, snap string) (string, error) {
	done := 0
	for _, chunk := range chunks(uris, playlistMaxURIs) {
		body := playlistAdd{URIs: chunk}
		if pos != nil {
			p := *pos + done
			body.Position = &p
		}
		next, err := s.sendChange(ctx, op, pid, "playlists/"+pid+suffix, body, snap)
		if err != nil {
			return snap, progressError(before+done, before+len(uris), err)
		}
		snap = next
		done += len(chunk)
	}
	return snap, nil
}

// progressError says how far a multi-request change got before err.
func progressError(done, total int, err error) error {
	if done == 0 {
		return err
	}
	return fmt.Errorf("%w (after %d of %d items were applied)", err, done, total)
}

// A repeated removal by position may remove rows that moved into those
// positions (removal by URI alone would be safe to repeat).
var opRemoveItemsPlaylist = &operation{id: "remove-items-playlist", method: http.MethodDelete, route: "/playlists/{playlist_id}/items", repeat: repeatUnsafe}

// RemoveItems removes entries from a playlist and returns its new snapshot
// ID. Each ref removes every occurrence of its URI, or only the
// occurrences at its positions; [PlaylistItemRefs] builds refs from URIs.
// Any number of refs may be given: they are sent 100 per request, each
// against opts.SnapshotID when set. Refs with positions spanning more than
// one request need opts.SnapshotID, since otherwise each removal would
// shift the positions of the next.
//
// A removal by position is not safe to repeat, so a request that failed
// after it may have reached Spotify is sent again only when the server
// answered that it failed (500, 502, 503) and the playlist did not change:
// the client knows the snapshot ID it had before the request
// (opts.SnapshotID for the first, the previous request's answer for the
// next ones) and reads it back unchanged. Otherwise the error wraps
// [ErrMaybeApplied].
//
//   - Endpoint: DELETE /v1/playlists/{playlist_id}/items
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: 100 items per request; longer lists are split into chunks of
//     100, sent in order, and the first failure ends the call.
//
//spotify:operation remove-items-playlist
func (s *PlaylistsService) RemoveItems(ctx context.Context, id string, refs []PlaylistItemRef, opts *PlaylistRemoveItemsOptions) (string, error) {
	return s.remove(ctx, opRemoveItemsPlaylist, "/items", "items", id, refs, opts)
}

// A repeated removal by position may remove rows that moved into those
// positions (removal by URI alone would be safe to repeat).
var opRemoveTracksPlaylist = &operation{id: "remove-tracks-playlist", method: http.MethodDelete, route: "/playlists/{playlist_id}/tracks", repeat: repeatUnsafe}

// RemoveTracks removes entries through the legacy endpoint, as
// [PlaylistsService.RemoveItems] does.
//
//   - Endpoint: DELETE /v1/playlists/{playlist_id}/tracks
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: 100 items per request; longer lists are split into chunks of
//     100, sent in order, and the first failure ends the call.
//
// Deprecated: use [PlaylistsService.RemoveItems] (DELETE
// /v1/playlists/{playlist_id}/items), which Spotify made its replacement on
// 2026-02-12. This endpoint still answers, in Development Mode too.
//
//spotify:operation remove-tracks-playlist
func (s *PlaylistsService) RemoveTracks(ctx context.Context, id string, refs []PlaylistItemRef, opts *PlaylistRemoveItemsOptions) (string, error) {
	return s.remove(ctx, opRemoveTracksPlaylist, "/tracks", "tracks", id, refs, opts)
}

func (s *PlaylistsService) remove(ctx context.Context, op *operation, suffix, key, id string, refs []PlaylistItemRef, opts *PlaylistRemoveItemsOptions) (string, error) {
	pid, err := pathID(id, models.KindPlaylist)
	if err != nil {
		return "", err
	}
	parsed, err := parseRefs(refs)
	if err != nil {
		return "", err
	}
	snapshot := derefOr(opts).SnapshotID
	if snapshot == "" && len(parsed) > playlistMaxURIs && hasPositions(parsed) {
		return "", fmt.Errorf("%w: removing by position in more than %d refs needs a snapshot ID", ErrInvalidInput, playlistMaxURIs)
	}
	snap := snapshot
	done := 0
	for _, chunk := range chunks(parsed, playlistMaxURIs) {
		body := map[string]any{key: chunk}
		if snapshot != "" {
			body["snapshot_id"] = snapshot
		}
		next, err := s.sendChange(ctx, op, pid, "playlists/"+pid+suffix, body, snap)
		if err != nil {
			return snap, progressError(done, len(parsed), err)
		}
		snap = next
		done += len(chunk)
	}
	return snap, nil
}

func parseRefs(refs []PlaylistItemRef) ([]PlaylistItemRef, error) {
	if len(refs) == 0 {
		return nil, fmt.Errorf("%w: no playlist items given", ErrInvalidInput)
	}
	out := make([]PlaylistItemRef, len(refs))
	for i, r := range refs {
		u, err := parseURI(r.URI, playableKind)
		if err != nil {
			return nil, err
		}
		for _, p := range r.Positions {
			if p < 0 {
				return nil, fmt.Errorf("%w: position %d of %s is negative", ErrInvalidInput, p, u)
			}
		}
		out[i] = PlaylistItemRef{URI: u, Positions: r.Positions}
	}
	return out, nil
}

func hasPositions(refs []PlaylistItemRef) bool {
	for _, r := range refs {
		if len(r.Positions) > 0 {
			return true
		}
	}
	return false
}

// A repeated reorder moves the range again (the replace form alone would
// be safe to repeat).
var opReorderOrReplacePlaylistsItems = &operation{id: "reorder-or-replace-playlists-items", method: http.MethodPut, route: "/playlists/{playlist_id}/items", repeat: repeatUnsafe}

// ReorderItems moves opts.RangeLength items (default 1) starting at
// rangeStart to before the item at insertBefore, and returns the
// playlist's new snapshot ID. To move items to the end, insertBefore is the
// playlist's length. The same endpoint replaces all items: see
// [PlaylistsService.ReplaceItems].
//
// A move repeated moves the range again, so a request that failed after it
// may have reached Spotify (a 5xx, a dropped connection, a cut answer) is
// not sent again blindly. Set opts.SnapshotID to the playlist's current
// snapshot ID to make it safe when the server answers that the move failed
// (500, 502, 503): the client then reads the playlist's snapshot_id, and if
// it is still opts.SnapshotID the move was not applied (Spotify gives a
// playlist a new snapshot with every change), so it is sent again. After a
// 504, a dropped connection, a timeout or a cut or unusable answer the move
// may still be under way, and no read proves otherwise. In those cases, or
// without a snapshot ID, the error wraps [ErrMaybeApplied]: read the
// playlist before moving anything again.
//
//   - Endpoint: PUT /v1/playlists/{playlist_id}/items
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: one range moved per request; the endpoint's replace form takes
//     at most 100 URIs per request.
//
//spotify:operation reorder-or-replace-playlists-items
func (s *PlaylistsService) ReorderItems(ctx context.Context, id string, rangeStart, insertBefore int, opts *PlaylistReorderOptions) (string, error) {
	return s.reorder(ctx, opReorderOrReplacePlaylistsItems, "/items", id, rangeStart, insertBefore, opts)
}

// A repeated reorder moves the range again (the replace form alone would
// be safe to repeat).
var opReorderOrReplacePlaylistsTracks = &operation{id: "reorder-or-replace-playlists-tracks", method: http.MethodPut, route: "/playlists/{playlist_id}/tracks", repeat: repeatUnsafe}

// ReorderTracks reorders items through the legacy endpoint, as
// [PlaylistsService.ReorderItems] does. The same endpoint replaces items:
// see [PlaylistsService.ReplaceTracks].
//
//   - Endpoint: PUT /v1/playlists/{playlist_id}/tracks
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: one range moved per request; the endpoint's replace form takes
//     at most 100 URIs per request.
//
// Deprecated: use [PlaylistsService.ReorderItems] (PUT
// /v1/playlists/{playlist_id}/items), which Spotify made its replacement on
// 2026-02-12. This endpoint still answers, in Development Mode too.
//
//spotify:operation reorder-or-replace-playlists-tracks
func (s *PlaylistsService) ReorderTracks(ctx context.Context, id string, rangeStart, insertBefore int, opts *PlaylistReorderOptions) (string, error) {
	return s.reorder(ctx, opReorderOrReplacePlaylistsTracks, "/tracks", id, rangeStart, insertBefore, opts)
}

// playlistReorder is the body that moves a range of items.
type playlistReorder struct {
	RangeStart   int    `json:"range_start"`
	InsertBefore int    `json:"insert_before"`
	RangeLength  int    `json:"range_length,omitzero"`
	SnapshotID   string `json:"snapshot_id,omitzero"`
}

func (s *PlaylistsService) reorder(ctx context.Context, op *operation, suffix, id string, rangeStart, insertBefore int, opts *PlaylistReorderOptions) (string, error) {
	pid, err := pathID(id, models.KindPlaylist)
	if err != nil {
		return "", err
	}
	o := derefOr(opts)
	if rangeStart < 0 || insertBefore < 0 || o.RangeLength < 0 {
		return "", fmt.Errorf("%w: reorder positions must not be negative (range_start %d, insert_before %d, range_length %d)",
			ErrInvalidInput, rangeStart, insertBefore, o.RangeLength)
	}
	body := playlistReorder{RangeStart: rangeStart, InsertBefore: insertBefore, RangeLength: o.RangeLength, SnapshotID: o.SnapshotID}
	return s.sendChange(ctx, op, pid, "playlists/"+pid+suffix, body, o.SnapshotID)
}

// ReplaceItems replaces all of a playlist's items with uris (tracks and
// episodes, as spotify: URIs or open.spotify.com URLs) and returns its new
// snapshot ID; no uris empties the playlist. Spotify replaces at most 100
// items per request, so for more the first 100 replace the playlist and the
// rest are appended as [PlaylistsService.AddItems] does: the change is then
// not atomic, and a failure part way leaves the playlist with the items
// sent so far (the error says how many). The first request shares its
// operation with [PlaylistsService.ReorderItems], which is not safe to
// repeat: if it fails after it may have reached Spotify, the error wraps
// [ErrMaybeApplied].
//
//   - Endpoint: PUT /v1/playlists/{playlist_id}/items, then POST
//     /v1/playlists/{playlist_id}/items for items past the first 100
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: 100 URIs per request; longer lists take one PUT and then a POST
//     per further 100, not atomically.
func (s *PlaylistsService) ReplaceItems(ctx context.Context, id string, uris []string) (string, error) {
	return s.replace(ctx, opReorderOrReplacePlaylistsItems, opAddItemsToPlaylist, "/items", id, uris)
}

// ReplaceTracks replaces items through the legacy endpoints, as
// [PlaylistsService.ReplaceItems] does.
//
//   - Endpoint: PUT /v1/playlists/{playlist_id}/tracks, then POST
//     /v1/playlists/{playlist_id}/tracks for items past the first 100
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: 100 URIs per request; longer lists take one PUT and then a POST
//     per further 100, not atomically.
//
// Deprecated: use [PlaylistsService.ReplaceItems]; Spotify replaced these
// endpoints with /v1/playlists/{playlist_id}/items on 2026-02-12. They still
// answer, in Development Mode too.
func (s *PlaylistsService) ReplaceTracks(ctx context.Context, id string, uris []string) (string, error) {
	return s.replace(ctx, opReorderOrReplacePlaylistsTracks, opAddTracksToPlaylist, "/tracks", id, uris)
}

// replace replaces a playlist's items with the PUT of put, then appends
// what passes one request's worth with the POSTs of add.
func (s *PlaylistsService) replace(ctx context.Context, put, add *operation, suffix, id string, uris []string) (string, error) {
	pid, err := pathID(id, models.KindPlaylist)
	if err != nil {
		return "", err
	}
	parsed := []string{}
	if len(uris) > 0 {
		if parsed, err = parseURIs(uris, playableKind); err != nil {
			return "", err
		}
	}
	first, rest := parsed[:min(len(parsed), playlistMaxURIs)], parsed[min(len(parsed), playlistMaxURIs):]
	snap, err := s.sendChange(ctx, put, pid, "playlists/"+pid+suffix, map[string][]string{"uris": first}, "")
	if err != nil || len(rest) == 0 {
		return snap, err
	}
	return s.addParsed(ctx, add, pid, suffix, rest, nil, len(first), snap)
}
