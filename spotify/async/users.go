package async

import (
	"context"
	"iter"
	"slices"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// UsersService runs the user, follow and top-items calls of
// [spotify.UsersService].
type UsersService service

// Me is the asynchronous [spotify.UsersService.Me].
func (s *UsersService) Me(ctx context.Context) *Future[*models.PrivateUser] {
	return run(ctx, s.a.c.Users.Me)
}

// Get is the asynchronous [spotify.UsersService.Get].
//
// Deprecated: see [spotify.UsersService.Get].
func (s *UsersService) Get(ctx context.Context, userID string) *Future[*models.PublicUser] {
	return run(ctx, func(ctx context.Context) (*models.PublicUser, error) {
		return s.a.c.Users.Get(ctx, userID)
	})
}

// Follow is the asynchronous [spotify.UsersService.Follow].
//
// Deprecated: use [LibraryService.Save]; see [spotify.UsersService.Follow].
func (s *UsersService) Follow(ctx context.Context, t spotify.FollowType, ids []string) *Future[struct{}] {
	ids = slices.Clone(ids)
	return do(ctx, func(ctx context.Context) error {
		return s.a.c.Users.Follow(ctx, t, ids)
	})
}

// Unfollow is the asynchronous [spotify.UsersService.Unfollow].
//
// Deprecated: use [LibraryService.Remove]; see [spotify.UsersService.Unfollow].
func (s *UsersService) Unfollow(ctx context.Context, t spotify.FollowType, ids []string) *Future[struct{}] {
	ids = slices.Clone(ids)
	return do(ctx, func(ctx context.Context) error {
		return s.a.c.Users.Unfollow(ctx, t, ids)
	})
}

// Follows is the asynchronous [spotify.UsersService.Follows].
//
// Deprecated: use [LibraryService.Contains]; see [spotify.UsersService.Follows].
func (s *UsersService) Follows(ctx context.Context, t spotify.FollowType, ids []string) *Future[[]bool] {
	ids = slices.Clone(ids)
	return run(ctx, func(ctx context.Context) ([]bool, error) {
		return s.a.c.Users.Follows(ctx, t, ids)
	})
}

// FollowedArtists streams the artists the current user follows, one page
// after another (the list is cursor-paged); see
// [spotify.UsersService.FollowedArtistsAll].
func (s *UsersService) FollowedArtists(ctx context.Context, opts *spotify.UserFollowedArtistsOptions) *Stream[models.Artist] {
	o := clone(opts)
	return streamIter(ctx, func(ctx context.Context) iter.Seq2[models.Artist, error] {
		return s.a.c.Users.FollowedArtistsAll(ctx, o)
	})
}

// TopArtists streams the current user's top artists, in pages of
// opts.Limit (default 50) fetched concurrently.
func (s *UsersService) TopArtists(ctx context.Context, opts *spotify.UserTopOptions) *Stream[models.Artist] {
	return pageOpts(ctx, s.a, "GET /me/top/artists", opts, 50, topList, s.a.c.Users.TopArtists)
}

// TopTracks streams the current user's top tracks, in pages of opts.Limit
// (default 50) fetched concurrently.
func (s *UsersService) TopTracks(ctx context.Context, opts *spotify.UserTopOptions) *Stream[models.Track] {
	return pageOpts(ctx, s.a, "GET /me/top/tracks", opts, 50, topList, s.a.c.Users.TopTracks)
}

func topList(o *spotify.UserTopOptions) *spotify.ListOptions { return &o.ListOptions }

// FollowPlaylist is the asynchronous [spotify.UsersService.FollowPlaylist].
//
// Deprecated: use [LibraryService.Save]; see [spotify.UsersService.FollowPlaylist].
func (s *UsersService) FollowPlaylist(ctx context.Context, playlistID string, opts *spotify.UserFollowPlaylistOptions) *Future[struct{}] {
	return command(ctx, opts, func(ctx context.Context, o *spotify.UserFollowPlaylistOptions) error {
		return s.a.c.Users.FollowPlaylist(ctx, playlistID, o)
	})
}

// UnfollowPlaylist is the asynchronous [spotify.UsersService.UnfollowPlaylist].
//
// Deprecated: use [LibraryService.Remove]; see [spotify.UsersService.UnfollowPlaylist].
func (s *UsersService) UnfollowPlaylist(ctx context.Context, playlistID string) *Future[struct{}] {
	return do(ctx, func(ctx context.Context) error {
		return s.a.c.Users.UnfollowPlaylist(ctx, playlistID)
	})
}

// FollowsPlaylist is the asynchronous [spotify.UsersService.FollowsPlaylist].
//
// Deprecated: use [LibraryService.Contains]; see [spotify.UsersService.FollowsPlaylist].
func (s *UsersService) FollowsPlaylist(ctx context.Context, playlistID string, opts *spotify.UserFollowsPlaylistOptions) *Future[bool] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.UserFollowsPlaylistOptions) (bool, error) {
		return s.a.c.Users.FollowsPlaylist(ctx, playlistID, o)
	})
}
