package spotify

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// UsersService calls the user profile, follow and top items endpoints.
type UsersService service

// FollowType is the kind of thing followed: an artist or a user.
type FollowType string

// The kinds of thing [UsersService.Follow] follows.
const (
	FollowArtist FollowType = "artist"
	FollowUser   FollowType = "user"
)

// TimeRange is the period top items are computed over.
type TimeRange string

// The periods top items are computed over. Spotify's contract gives no
// enum; these are the three values its reference documents.
const (
	TimeRangeShort  TimeRange = "short_term"  // about the last 4 weeks
	TimeRangeMedium TimeRange = "medium_term" // about the last 6 months (Spotify's default)
	TimeRangeLong   TimeRange = "long_term"   // about the last year, plus new data as it comes
)

// followMaxIDs is ids_max of the /me/following endpoints.
const followMaxIDs = 50

// UserTopOptions selects a page of the user's top artists or tracks.
type UserTopOptions struct {
	ListOptions           // Limit at most 50
	TimeRange   TimeRange // empty leaves Spotify's default, TimeRangeMedium
}

// UserFollowedArtistsOptions selects a page of followed artists.
type UserFollowedArtistsOptions struct {
	Limit int    // 1-50, default 20
	After string // the cursor (last artist ID) of the previous page
}

// UserFollowPlaylistOptions qualifies following a playlist.
type UserFollowPlaylistOptions struct {
	// Private keeps the playlist off the user's public profile.
	Private bool
}

// UserFollowsPlaylistOptions qualifies the follow check of a playlist.
type UserFollowsPlaylistOptions struct {
	// UserID is the user asked about. Spotify now answers for the current
	// user only and documents the parameter as deprecated; leave it empty.
	UserID string
}

var opGetCurrentUsersProfile = &operation{id: "get-current-users-profile", method: http.MethodGet, route: "/me"}

// Me returns the current user's profile. The country, email, explicit
// content and product fields need the user-read-private and user-read-email
// scopes, and are no longer sent to Development Mode apps.
//
//   - Endpoint: GET /v1/me
//   - Scopes: user-read-private, user-read-email.
//   - Limits: one request.
//
//spotify:operation get-current-users-profile
func (s *UsersService) Me(ctx context.Context) (*models.PrivateUser, error) {
	u := new(models.PrivateUser)
	if err := s.c.get(ctx, opGetCurrentUsersProfile, "me", nil, u); err != nil {
		return nil, err
	}
	if msg := checkObject(u, ""); msg != "" {
		return nil, invalidReply(opGetCurrentUsersProfile, "me", msg)
	}
	return u, nil
}

var opGetUsersProfile = &operation{id: "get-users-profile", method: http.MethodGet, route: "/users/{user_id}"}

// Get returns a user's public profile. userID is a user ID (not base62:
// user names such as "smedjan" are IDs), a spotify:user: URI or a URL.
//
//   - Endpoint: GET /v1/users/{user_id}
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one user per request.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; there is no
// replacement. Extended Quota apps can still call it.
//
//spotify:operation get-users-profile
func (s *UsersService) Get(ctx context.Context, userID string) (*models.PublicUser, error) {
	uid, err := pathID(userID, models.KindUser)
	if err != nil {
		return nil, err
	}
	u := new(models.PublicUser)
	if err := s.c.get(ctx, opGetUsersProfile, "users/"+uid, nil, u); err != nil {
		return nil, err
	}
	if msg := checkObject(u, ""); msg != "" { // user IDs are names: their case may differ
		return nil, invalidReply(opGetUsersProfile, "users/"+uid, msg)
	}
	return u, nil
}

var opFollowArtistsUsers = &operation{id: "follow-artists-users", method: http.MethodPut, route: "/me/following", repeat: repeatSafe}

// Follow makes the current user follow artists or users, by ID, URI or URL.
// Any number may be given: they are sent 50 per request, in order.
//
//   - Endpoint: PUT /v1/me/following
//   - Scopes: user-follow-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Save] with artist or user URIs (PUT
// /v1/me/library), which Spotify made its replacement on 2026-02-12. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation follow-artists-users
func (s *UsersService) Follow(ctx context.Context, t FollowType, ids []string) error {
	return s.changeFollow(ctx, opFollowArtistsUsers, t, ids)
}

var opUnfollowArtistsUsers = &operation{id: "unfollow-artists-users", method: http.MethodDelete, route: "/me/following", repeat: repeatSafe}

// Unfollow makes the current user stop following artists or users, as
// [UsersService.Follow] takes them.
//
//   - Endpoint: DELETE /v1/me/following
//   - Scopes: user-follow-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Remove] with artist or user URIs (DELETE
// /v1/me/library), which Spotify made its replacement on 2026-02-12. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation unfollow-artists-users
func (s *UsersService) Unfollow(ctx context.Context, t FollowType, ids []string) error {
	return s.changeFollow(ctx, opUnfollowArtistsUsers, t, ids)
}

var opCheckCurrentUserFollows = &operation{id: "check-current-user-follows", method: http.MethodGet, route: "/me/following/contains"}

// Follows reports, for each of ids (artists or users, as
// [UsersService.Follow] takes them), whether the current user follows it;
// the answer lines up with ids.
//
//   - Endpoint: GET /v1/me/following/contains
//   - Scopes: user-follow-read.
//   - Limits: 50 IDs per request; longer lists are asked about in chunks of
//     50, one after another.
//
// Deprecated: use [LibraryService.Contains] with artist or user URIs (GET
// /v1/me/library/contains), which Spotify made its replacement on 2026-02-12.
// This endpoint still answers, in Development Mode too.
//
//spotify:operation check-current-user-follows
func (s *UsersService) Follows(ctx context.Context, t FollowType, ids []string) ([]bool, error) {
	kind, err := followKind(t)
	if err != nil {
		return nil, err
	}
	parsed, err := parseIDs(ids, kind)
	if err != nil {
		return nil, err
	}
	out := make([]bool, 0, len(parsed))
	for _, chunk := range chunks(parsed, followMaxIDs) {
		var got []bool
		q := url.Values{"type": {string(t)}, "ids": {strings.Join(chunk, ",")}}
		if err := s.c.get(ctx, opCheckCurrentUserFollows, "me/following/contains", q, &got); err != nil {
			return nil, err
		}
		got = append(got, make([]bool, max(0, len(chunk)-len(got)))...)
		out = append(out, got[:len(chunk)]...)
	}
	return out, nil
}

func (s *UsersService) changeFollow(ctx context.Context, op *operation, t FollowType, ids []string) error {
	kind, err := followKind(t)
	if err != nil {
		return err
	}
	parsed, err := parseIDs(ids, kind)
	if err != nil {
		return err
	}
	for _, chunk := range chunks(parsed, followMaxIDs) {
		q := url.Values{"type": {string(t)}, "ids": {strings.Join(chunk, ",")}}
		if err := s.c.send(ctx, op, "me/following", q, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

func followKind(t FollowType) (models.Kind, error) {
	switch t {
	case FollowArtist:
		return models.KindArtist, nil
	case FollowUser:
		return models.KindUser, nil
	}
	return "", fmt.Errorf("%w: follow type %q is not artist or user", ErrInvalidInput, t)
}

var opGetFollowed = &operation{id: "get-followed", method: http.MethodGet, route: "/me/following"}

// FollowedArtists returns one page of the artists the current user follows.
//
//   - Endpoint: GET /v1/me/following
//   - Scopes: user-follow-read.
//   - Limits: limit 1-50 per page, default 20; paged by cursor (After).
//
//spotify:operation get-followed
func (s *UsersService) FollowedArtists(ctx context.Context, opts *UserFollowedArtistsOptions) (*models.CursorPage[models.Artist], error) {
	o := derefOr(opts)
	if o.Limit < 0 || o.Limit > 50 {
		return nil, fmt.Errorf("%w: limit %d is outside 1..50", ErrInvalidInput, o.Limit)
	}
	q := query{"type": {"artist"}}
	q.setInt("limit", o.Limit)
	q.set("after", o.After)
	p := new(models.CursorPage[models.Artist])
	target := models.Members(map[string]any{"artists": p.Within(pageBound(o.Limit, 50))})
	if err := s.c.get(ctx, opGetFollowed, "me/following", q.values(), target); err != nil {
		return nil, err
	}
	return p, nil
}

// FollowedArtistsAll iterates over the artists the current user follows,
// from opts.After on, fetching pages of opts.Limit (default 50) lazily as
// the loop asks.
//
//   - Endpoint: GET /v1/me/following, once per page
//   - Scopes: user-follow-read.
//   - Limits: limit 1-50 per page.
func (s *UsersService) FollowedArtistsAll(ctx context.Context, opts *UserFollowedArtistsOptions) iter.Seq2[models.Artist, error] {
	o := derefOr(opts)
	o.Limit = orDefault(o.Limit, 50)
	start := o.After
	return paging.Cursor(ctx, func(ctx context.Context, after string) (*models.CursorPage[models.Artist], error) {
		o.After = after
		if after == "" {
			o.After = start
		}
		return s.FollowedArtists(ctx, &o)
	}, walkOptions(opGetFollowed, o.Limit)...)
}

var opGetUsersTopArtists = &operation{id: "get-users-top-artists", method: http.MethodGet, route: "/me/top/artists"}

// TopArtists returns one page of the current user's top artists.
//
//   - Endpoint: GET /v1/me/top/artists
//   - Scopes: user-top-read.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-users-top-artists
func (s *UsersService) TopArtists(ctx context.Context, opts *UserTopOptions) (*models.Page[models.Artist], error) {
	return topPage[models.Artist](ctx, s.c, opGetUsersTopArtists, "me/top/artists", opts)
}

// TopArtistsAll iterates over the current user's top artists from
// opts.Offset on, fetching pages of opts.Limit (default 50) lazily as the
// loop asks.
//
//   - Endpoint: GET /v1/me/top/artists, once per page
//   - Scopes: user-top-read.
//   - Limits: limit 1-50 per page.
func (s *UsersService) TopArtistsAll(ctx context.Context, opts *UserTopOptions) iter.Seq2[models.Artist, error] {
	return topAll(ctx, opGetUsersTopArtists, opts, s.TopArtists)
}

var opGetUsersTopTracks = &operation{id: "get-users-top-tracks", method: http.MethodGet, route: "/me/top/tracks"}

// TopTracks returns one page of the current user's top tracks.
//
//   - Endpoint: GET /v1/me/top/tracks
//   - Scopes: user-top-read.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-users-top-tracks
func (s *UsersService) TopTracks(ctx context.Context, opts *UserTopOptions) (*models.Page[models.Track], error) {
	return topPage[models.Track](ctx, s.c, opGetUsersTopTracks, "me/top/tracks", opts)
}

// TopTracksAll iterates over the current user's top tracks from
// opts.Offset on, fetching pages of opts.Limit (default 50) lazily as the
// loop asks.
//
//   - Endpoint: GET /v1/me/top/tracks, once per page
//   - Scopes: user-top-read.
//   - Limits: limit 1-50 per page.
func (s *UsersService) TopTracksAll(ctx context.Context, opts *UserTopOptions) iter.Seq2[models.Track, error] {
	return topAll(ctx, opGetUsersTopTracks, opts, s.TopTracks)
}

func topPage[T any](ctx context.Context, c *Client, op *operation, path string, opts *UserTopOptions) (*models.Page[T], error) {
	o := derefOr(opts)
	switch o.TimeRange {
	case "", TimeRangeShort, TimeRangeMedium, TimeRangeLong:
	default:
		return nil, fmt.Errorf("%w: time range %q is not short_term, medium_term or long_term", ErrInvalidInput, o.TimeRange)
	}
	q := query{}
	q.set("time_range", string(o.TimeRange))
	return getPage[T](ctx, c, op, path, q, o.ListOptions, 50)
}

func topAll[T any](ctx context.Context, op *operation, opts *UserTopOptions, one func(context.Context, *UserTopOptions) (*models.Page[T], error)) iter.Seq2[T, error] {
	o := derefOr(opts)
	o.Limit = orDefault(o.Limit, 50)
	return paging.Offset(ctx, o.Offset, func(ctx context.Context, offset int) (*models.Page[T], error) {
		o.Offset = offset
		return one(ctx, &o)
	}, walkOptions(op, o.Limit)...)
}

var opFollowPlaylist = &operation{id: "follow-playlist", method: http.MethodPut, route: "/playlists/{playlist_id}/followers", repeat: repeatSafe}

// FollowPlaylist makes the current user follow a playlist, by ID, URI or
// URL; it shows on their public profile unless opts.Private.
//
//   - Endpoint: PUT /v1/playlists/{playlist_id}/followers
//   - Scopes: playlist-modify-public, or playlist-modify-private with
//     opts.Private.
//   - Limits: one playlist per request.
//
// Deprecated: use [LibraryService.Save] with the playlist's URI (PUT
// /v1/me/library), which Spotify made its replacement on 2026-02-12. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation follow-playlist
func (s *UsersService) FollowPlaylist(ctx context.Context, playlistID string, opts *UserFollowPlaylistOptions) error {
	pid, err := pathID(playlistID, models.KindPlaylist)
	if err != nil {
		return err
	}
	body := map[string]bool{"public": !derefOr(opts).Private}
	return s.c.send(ctx, opFollowPlaylist, "playlists/"+pid+"/followers", nil, body, nil)
}

var opUnfollowPlaylist = &operation{id: "unfollow-playlist", method: http.MethodDelete, route: "/playlists/{playlist_id}/followers", repeat: repeatSafe}

// UnfollowPlaylist makes the current user stop following a playlist, by
// ID, URI or URL; for their own playlist, this is how it is deleted.
//
//   - Endpoint: DELETE /v1/playlists/{playlist_id}/followers
//   - Scopes: playlist-modify-public for public playlists,
//     playlist-modify-private for private ones.
//   - Limits: one playlist per request.
//
// Deprecated: use [LibraryService.Remove] with the playlist's URI (DELETE
// /v1/me/library), which Spotify made its replacement on 2026-02-12. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation unfollow-playlist
func (s *UsersService) UnfollowPlaylist(ctx context.Context, playlistID string) error {
	pid, err := pathID(playlistID, models.KindPlaylist)
	if err != nil {
		return err
	}
	return s.c.send(ctx, opUnfollowPlaylist, "playlists/"+pid+"/followers", nil, nil, nil)
}

var opCheckIfUserFollowsPlaylist = &operation{id: "check-if-user-follows-playlist", method: http.MethodGet, route: "/playlists/{playlist_id}/followers/contains"}

// FollowsPlaylist reports whether the current user follows a playlist, by
// ID, URI or URL.
//
//   - Endpoint: GET /v1/playlists/{playlist_id}/followers/contains
//   - Scopes: no scope needed for public playlists; playlist-read-private for
//     private ones.
//   - Limits: one playlist and at most 1 user ID per request (opts.UserID,
//     which Spotify documents as deprecated).
//
// Deprecated: use [LibraryService.Contains] with the playlist's URI (GET
// /v1/me/library/contains), which Spotify made its replacement on 2026-02-12.
// This endpoint still answers, in Development Mode too.
//
//spotify:operation check-if-user-follows-playlist
func (s *UsersService) FollowsPlaylist(ctx context.Context, playlistID string, opts *UserFollowsPlaylistOptions) (bool, error) {
	pid, err := pathID(playlistID, models.KindPlaylist)
	if err != nil {
		return false, err
	}
	var q url.Values
	if u := derefOr(opts).UserID; u != "" {
		uid, err := parseID(u, models.KindUser)
		if err != nil {
			return false, err
		}
		q = url.Values{"ids": {uid}}
	}
	path := "playlists/" + pid + "/followers/contains"
	var got []bool
	if err := s.c.get(ctx, opCheckIfUserFollowsPlaylist, path, q, &got); err != nil {
		return false, err
	}
	if len(got) != 1 {
		return false, &Error{Status: http.StatusOK, Method: http.MethodGet, Endpoint: path, sentinel: ErrInvalidReply,
			Message: fmt.Sprintf("%d booleans where one was expected", len(got))}
	}
	return got[0], nil
}
