package spotify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/internal/contract"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// contractFixture is what the rows of the contract walk share: the client
// under test, the fake's catalog, and what earlier rows made.
type contractFixture struct {
	c   *spotify.Client
	ids spotifytest.IDs

	playlist string // made by create-playlist, changed by later rows
	snapshot string // the playlist's snapshot ID after add-items-to-playlist
	device   string // the device playback is transferred to
}

func (f *contractFixture) uri(kind, id string) string { return "spotify:" + kind + ":" + id }

// contractRow calls one operation through the client. The calls run in
// table order, so writes find what earlier rows made.
type contractRow struct {
	op string // the operation it covers, as its //spotify:operation directive names it
	// devRemoved marks the operations Spotify removed for Development Mode
	// apps: there the call must fail with ErrForbidden.
	devRemoved bool
	// ops lists the operations of the requests the call makes, in order,
	// when that is not one request to op (chunked batches, replacements).
	ops  []string
	call func(ctx context.Context, f *contractFixture) error
}

func times(op string, n int) []string { return slices.Repeat([]string{op}, n) }

// wantLen fails unless a call returned n items.
func wantLen[T any](got []T, err error, n int) error {
	if err == nil && len(got) != n {
		return fmt.Errorf("got %d items, want %d", len(got), n)
	}
	return err
}

// nonEmpty fails when a call that succeeded returned nothing.
func nonEmpty[T any](v *T, err error) error {
	if err == nil && v == nil {
		return errors.New("got nil and no error")
	}
	return err
}

var contractRows = []contractRow{
	// Albums.
	{op: "get-multiple-albums", devRemoved: true, ops: times("get-multiple-albums", 2), call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Albums.GetMany(ctx, f.ids.Albums[:21], &spotify.MarketOptions{Market: "SE"})
		return wantLen(got, err, 21)
	}},
	{op: "get-an-album", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Albums.Get(ctx, f.uri("album", f.ids.Albums[0]), nil))
	}},
	{op: "get-an-albums-tracks", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Albums.Tracks(ctx, f.ids.Albums[0], &spotify.AlbumTracksOptions{ListOptions: spotify.ListOptions{Limit: 5, Offset: 2}}))
	}},
	{op: "get-new-releases", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Albums.NewReleases(ctx, &spotify.AlbumNewReleasesOptions{ListOptions: spotify.ListOptions{Limit: 3}}))
	}},
	{op: "save-albums-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Albums.Save(ctx, f.ids.Albums[:2])
	}},
	{op: "get-users-saved-albums", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Albums.Saved(ctx, &spotify.AlbumSavedOptions{ListOptions: spotify.ListOptions{Limit: 2}}))
	}},
	{op: "check-users-saved-albums", call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Albums.CheckSaved(ctx, []string{f.ids.Albums[0], f.ids.Albums[7]})
		if err == nil && !slices.Equal(got, []bool{true, false}) {
			return fmt.Errorf("saved %v, want [true false]", got)
		}
		return err
	}},
	{op: "remove-albums-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Albums.RemoveSaved(ctx, f.ids.Albums[:2])
	}},

	// Artists.
	{op: "get-multiple-artists", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Artists.GetMany(ctx, []string{f.ids.Artists[0], f.ids.Artists[3]})
		return wantLen(got, err, 2)
	}},
	{op: "get-an-artist", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Artists.Get(ctx, f.ids.Artists[0]))
	}},
	{op: "get-an-artists-albums", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Artists.Albums(ctx, f.ids.Artists[0], &spotify.ArtistAlbumsOptions{
			ListOptions:   spotify.ListOptions{Limit: 10},
			IncludeGroups: []spotify.IncludeGroup{spotify.IncludeGroupAlbum, spotify.IncludeGroupSingle, spotify.IncludeGroupAppearsOn},
		}))
	}},
	{op: "get-an-artists-related-artists", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Artists.RelatedArtists(ctx, f.ids.Artists[0])
		return err
	}},
	{op: "get-an-artists-top-tracks", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Artists.TopTracks(ctx, f.ids.Artists[0], &spotify.MarketOptions{Market: "SE"})
		return err
	}},

	// Audiobooks and chapters.
	{op: "get-multiple-audiobooks", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Audiobooks.GetMany(ctx, f.ids.Audiobooks[:2], nil)
		return wantLen(got, err, 2)
	}},
	{op: "get-an-audiobook", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Audiobooks.Get(ctx, f.ids.Audiobooks[0], nil))
	}},
	{op: "get-audiobook-chapters", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Audiobooks.Chapters(ctx, f.ids.Audiobooks[0], &spotify.AudiobookChaptersOptions{ListOptions: spotify.ListOptions{Limit: 3}}))
	}},
	{op: "save-audiobooks-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Audiobooks.Save(ctx, f.ids.Audiobooks[:1])
	}},
	{op: "get-users-saved-audiobooks", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Audiobooks.Saved(ctx, &spotify.AudiobookSavedOptions{ListOptions: spotify.ListOptions{Limit: 2}}))
	}},
	{op: "check-users-saved-audiobooks", call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Audiobooks.CheckSaved(ctx, f.ids.Audiobooks[:1])
		return wantLen(got, err, 1)
	}},
	{op: "remove-audiobooks-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Audiobooks.RemoveSaved(ctx, f.ids.Audiobooks[:1])
	}},
	{op: "get-several-chapters", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Chapters.GetMany(ctx, []string{f.ids.Chapters[0], f.ids.Chapters[5]}, nil)
		return wantLen(got, err, 2)
	}},
	{op: "get-a-chapter", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Chapters.Get(ctx, f.ids.Chapters[0], nil))
	}},

	// Browse categories.
	{op: "get-categories", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Categories.List(ctx, &spotify.CategoryListOptions{ListOptions: spotify.ListOptions{Limit: 5}, Locale: "es_MX"}))
	}},
	{op: "get-a-category", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Categories.Get(ctx, f.ids.Categories[1], &spotify.CategoryOptions{Locale: "sv_SE"}))
	}},

	// Episodes.
	{op: "get-multiple-episodes", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Episodes.GetMany(ctx, []string{f.ids.Episodes[0], f.ids.Episodes[31]}, nil)
		return wantLen(got, err, 2)
	}},
	{op: "get-an-episode", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Episodes.Get(ctx, f.ids.Episodes[0], &spotify.MarketOptions{Market: "US"}))
	}},
	{op: "save-episodes-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Episodes.Save(ctx, f.ids.Episodes[:1])
	}},
	{op: "get-users-saved-episodes", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Episodes.Saved(ctx, &spotify.EpisodeSavedOptions{ListOptions: spotify.ListOptions{Limit: 2}}))
	}},
	{op: "check-users-saved-episodes", call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Episodes.CheckSaved(ctx, f.ids.Episodes[:1])
		return wantLen(got, err, 1)
	}},
	{op: "remove-episodes-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Episodes.RemoveSaved(ctx, f.ids.Episodes[:1])
	}},

	// Genres and markets.
	{op: "get-recommendation-genres", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Genres.Seeds(ctx)
		return err
	}},
	{op: "get-available-markets", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Markets.List(ctx)
		return err
	}},

	// Library (2026).
	{op: "save-library-items", ops: times("save-library-items", 2), call: func(ctx context.Context, f *contractFixture) error {
		uris := []string{f.uri("album", f.ids.Albums[7]), f.uri("artist", f.ids.Artists[3]), f.uri("playlist", f.ids.Playlists[1])}
		for _, id := range f.ids.Tracks[100:140] {
			uris = append(uris, f.uri("track", id))
		}
		return f.c.Library.Save(ctx, uris) // 43 URIs: 40, then 3
	}},
	{op: "check-library-contains", call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Library.Contains(ctx, []string{f.uri("album", f.ids.Albums[7]), f.uri("artist", f.ids.Artists[3]), f.uri("track", f.ids.Tracks[0])})
		if err == nil && !slices.Equal(got, []bool{true, true, false}) {
			return fmt.Errorf("contains %v, want [true true false]", got)
		}
		return err
	}},
	{op: "remove-library-items", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Library.Remove(ctx, []string{f.uri("album", f.ids.Albums[7])})
	}},

	// Shows.
	{op: "get-multiple-shows", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Shows.GetMany(ctx, f.ids.Shows[:2], nil)
		return wantLen(got, err, 2)
	}},
	{op: "get-a-show", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Shows.Get(ctx, f.ids.Shows[0], nil))
	}},
	{op: "get-a-shows-episodes", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Shows.Episodes(ctx, f.ids.Shows[0], &spotify.ShowEpisodesOptions{ListOptions: spotify.ListOptions{Limit: 4}}))
	}},
	{op: "save-shows-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Shows.Save(ctx, f.ids.Shows[:1])
	}},
	{op: "get-users-saved-shows", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Shows.Saved(ctx, &spotify.ShowSavedOptions{ListOptions: spotify.ListOptions{Limit: 2}}))
	}},
	{op: "check-users-saved-shows", call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Shows.CheckSaved(ctx, f.ids.Shows[:1])
		return wantLen(got, err, 1)
	}},
	{op: "remove-shows-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Shows.RemoveSaved(ctx, f.ids.Shows[:1], &spotify.MarketOptions{Market: "SE"})
	}},

	// Tracks.
	{op: "get-several-tracks", devRemoved: true, ops: times("get-several-tracks", 2), call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Tracks.GetMany(ctx, f.ids.Tracks[:51], nil)
		return wantLen(got, err, 51)
	}},
	{op: "get-track", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Tracks.Get(ctx, f.ids.Tracks[0], &spotify.MarketOptions{Market: "from_token"}))
	}},
	{op: "save-tracks-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Tracks.Save(ctx, []string{f.ids.Tracks[0], f.ids.Tracks[11]})
	}},
	{op: "save-tracks-user", call: func(ctx context.Context, f *contractFixture) error { // SaveTimestamped, same operation
		at := time.Date(2025, 6, 1, 12, 30, 0, 0, time.UTC)
		return f.c.Tracks.SaveTimestamped(ctx, []spotify.TimestampedTrack{{ID: f.ids.Tracks[5], AddedAt: at}, {ID: f.ids.Tracks[6], AddedAt: at.Add(time.Minute)}})
	}},
	{op: "get-users-saved-tracks", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Tracks.Saved(ctx, &spotify.TrackSavedOptions{ListOptions: spotify.ListOptions{Limit: 2, Offset: 1}, Market: "SE"}))
	}},
	{op: "check-users-saved-tracks", call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Tracks.CheckSaved(ctx, []string{f.ids.Tracks[0], f.ids.Tracks[11]})
		return wantLen(got, err, 2)
	}},
	{op: "remove-tracks-user", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Tracks.RemoveSaved(ctx, f.ids.Tracks[11:12])
	}},
	{op: "get-audio-features", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Tracks.AudioFeatures(ctx, f.ids.Tracks[0]))
	}},
	{op: "get-several-audio-features", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Tracks.AudioFeaturesMany(ctx, f.ids.Tracks[:2])
		return wantLen(got, err, 2)
	}},
	{op: "get-audio-analysis", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Tracks.AudioAnalysis(ctx, f.ids.Tracks[0]))
	}},
	{op: "get-recommendations", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Tracks.Recommendations(ctx,
			spotify.RecommendationSeeds{Tracks: f.ids.Tracks[:1], Genres: []string{"rock"}},
			&spotify.TrackRecommendationsOptions{
				Limit: 5, Market: "SE",
				Min:    map[spotify.Tunable]float64{spotify.TunableEnergy: 0.2, spotify.TunableKey: 2},
				Max:    map[spotify.Tunable]float64{spotify.TunableLoudness: -3},
				Target: map[spotify.Tunable]float64{spotify.TunableTempo: 120.5},
			}))
	}},

	// Search.
	{op: "search", call: func(ctx context.Context, f *contractFixture) error {
		all := []spotify.SearchType{spotify.SearchTypeAlbum, spotify.SearchTypeArtist, spotify.SearchTypePlaylist,
			spotify.SearchTypeTrack, spotify.SearchTypeShow, spotify.SearchTypeEpisode, spotify.SearchTypeAudiobook}
		return nonEmpty(f.c.Search.Search(ctx, "the", all, &spotify.SearchOptions{
			ListOptions: spotify.ListOptions{Limit: 10, Offset: 5}, Market: "US", IncludeExternal: spotify.IncludeExternalAudio,
		}))
	}},

	// Users and follows.
	{op: "get-current-users-profile", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Users.Me(ctx))
	}},
	{op: "get-users-profile", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Users.Get(ctx, f.ids.Users[1]))
	}},
	{op: "follow-artists-users", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Users.Follow(ctx, spotify.FollowArtist, f.ids.Artists[:1])
	}},
	{op: "get-followed", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Users.FollowedArtists(ctx, &spotify.UserFollowedArtistsOptions{Limit: 3, After: f.ids.Artists[0]}))
	}},
	{op: "check-current-user-follows", call: func(ctx context.Context, f *contractFixture) error {
		got, err := f.c.Users.Follows(ctx, spotify.FollowArtist, []string{f.ids.Artists[0], f.ids.Artists[3]})
		return wantLen(got, err, 2)
	}},
	{op: "unfollow-artists-users", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Users.Unfollow(ctx, spotify.FollowUser, f.ids.Users[1:2])
	}},
	{op: "get-users-top-artists", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Users.TopArtists(ctx, &spotify.UserTopOptions{ListOptions: spotify.ListOptions{Limit: 3}, TimeRange: spotify.TimeRangeShort}))
	}},
	{op: "get-users-top-tracks", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Users.TopTracks(ctx, &spotify.UserTopOptions{ListOptions: spotify.ListOptions{Limit: 3, Offset: 1}}))
	}},
	{op: "follow-playlist", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Users.FollowPlaylist(ctx, f.ids.Playlists[1], nil)
	}},
	{op: "check-if-user-follows-playlist", call: func(ctx context.Context, f *contractFixture) error {
		ok, err := f.c.Users.FollowsPlaylist(ctx, f.ids.Playlists[1], &spotify.UserFollowsPlaylistOptions{UserID: f.ids.User})
		if err == nil && !ok {
			return errors.New("does not follow the playlist it just followed")
		}
		return err
	}},
	{op: "unfollow-playlist", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Users.UnfollowPlaylist(ctx, f.ids.Playlists[1])
	}},

	// Playlists.
	{op: "get-a-list-of-current-users-playlists", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Playlists.Mine(ctx, &spotify.ListOptions{Limit: 5}))
	}},
	{op: "get-list-users-playlists", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Playlists.ForUser(ctx, f.ids.Users[1], &spotify.ListOptions{Limit: 5}))
	}},
	{op: "get-a-categories-playlists", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Playlists.ForCategory(ctx, f.ids.Categories[1], &spotify.ListOptions{Limit: 3}))
	}},
	{op: "get-featured-playlists", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		p, _, err := f.c.Playlists.Featured(ctx, &spotify.PlaylistFeaturedOptions{ListOptions: spotify.ListOptions{Limit: 3}})
		return nonEmpty(p, err)
	}},
	{op: "create-playlist", call: func(ctx context.Context, f *contractFixture) error {
		p, err := f.c.Playlists.Create(ctx, "Contract", &spotify.PlaylistCreateOptions{Private: true, Description: "made by the contract test"})
		if err != nil {
			return err
		}
		f.playlist = p.ID
		return nil
	}},
	{op: "create-playlist-for-user", devRemoved: true, call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Playlists.CreateForUser(ctx, f.ids.User, "Legacy", nil))
	}},
	{op: "get-playlist", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Playlists.Get(ctx, f.ids.Playlists[0], &spotify.PlaylistOptions{Market: "SE", AdditionalTypes: []string{spotify.AdditionalTypeEpisode}}))
	}},
	{op: "change-playlist-details", call: func(ctx context.Context, f *contractFixture) error {
		desc, public, collab := "changed", false, true
		return f.c.Playlists.ChangeDetails(ctx, f.playlist, spotify.PlaylistChanges{Name: "Renamed", Description: &desc, Public: &public, Collaborative: &collab})
	}},
	{op: "upload-custom-playlist-cover", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Playlists.UploadCover(ctx, f.playlist, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00fake jpeg data\xff\xd9"))
	}},
	{op: "get-playlist-cover", call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Playlists.Cover(ctx, f.playlist)
		return err
	}},
	{op: "add-items-to-playlist", call: func(ctx context.Context, f *contractFixture) error {
		zero := 0
		snap, err := f.c.Playlists.AddItems(ctx, f.playlist,
			[]string{f.uri("track", f.ids.Tracks[0]), f.uri("episode", f.ids.Episodes[0]), f.uri("track", f.ids.Tracks[11])},
			&spotify.PlaylistAddItemsOptions{Position: &zero})
		f.snapshot = snap
		return err
	}},
	{op: "get-playlists-items", call: func(ctx context.Context, f *contractFixture) error {
		p, err := f.c.Playlists.Items(ctx, f.playlist, &spotify.PlaylistItemsOptions{
			ListOptions:     spotify.ListOptions{Limit: 10},
			PlaylistOptions: spotify.PlaylistOptions{Market: "from_token", AdditionalTypes: []string{spotify.AdditionalTypeTrack, spotify.AdditionalTypeEpisode}},
		})
		if err == nil && p.Total != 3 {
			return fmt.Errorf("%d items, want 3", p.Total)
		}
		return err
	}},
	{op: "reorder-or-replace-playlists-items", call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Playlists.ReorderItems(ctx, f.playlist, 0, 3, &spotify.PlaylistReorderOptions{RangeLength: 2, SnapshotID: f.snapshot})
		return err
	}},
	{op: "remove-items-playlist", call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Playlists.RemoveItems(ctx, f.playlist, spotify.PlaylistItemRefs(f.uri("track", f.ids.Tracks[11])),
			&spotify.PlaylistRemoveItemsOptions{SnapshotID: f.snapshot})
		return err
	}},
	{op: "add-tracks-to-playlist", call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Playlists.AddTracks(ctx, f.playlist, []string{f.uri("track", f.ids.Tracks[42])}, nil)
		return err
	}},
	{op: "get-playlists-tracks", call: func(ctx context.Context, f *contractFixture) error {
		p, err := f.c.Playlists.Tracks(ctx, f.ids.Playlist10K, &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: 100, Offset: 9950}})
		if err == nil && len(p.Items) != 50 {
			return fmt.Errorf("%d items at the end of the 10,000, want 50", len(p.Items))
		}
		return err
	}},
	{op: "reorder-or-replace-playlists-tracks", call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Playlists.ReorderTracks(ctx, f.playlist, 1, 0, &spotify.PlaylistReorderOptions{RangeLength: 1})
		return err
	}},
	{op: "remove-tracks-playlist", call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Playlists.RemoveTracks(ctx, f.playlist, spotify.PlaylistItemRefs(f.uri("track", f.ids.Tracks[42])), nil)
		return err
	}},
	// ReplaceItems and ReplaceTracks use the same operations: a PUT of the
	// first 100, then POSTs of the rest.
	{op: "reorder-or-replace-playlists-items", ops: []string{"reorder-or-replace-playlists-items", "add-items-to-playlist"}, call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Playlists.ReplaceItems(ctx, f.playlist, trackURIs(f, 150))
		return err
	}},
	{op: "reorder-or-replace-playlists-tracks", ops: []string{"reorder-or-replace-playlists-tracks", "add-tracks-to-playlist"}, call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Playlists.ReplaceTracks(ctx, f.playlist, trackURIs(f, 101))
		return err
	}},

	// Player.
	{op: "get-a-users-available-devices", call: func(ctx context.Context, f *contractFixture) error {
		ds, err := f.c.Player.Devices(ctx)
		if err != nil {
			return err
		}
		if len(ds) < 2 {
			return fmt.Errorf("%d devices, want 2 or more", len(ds))
		}
		f.device = ds[1].ID
		return nil
	}},
	{op: "get-information-about-the-users-current-playback", call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Player.State(ctx, &spotify.PlayerStateOptions{Market: "SE", AdditionalTypes: []string{spotify.AdditionalTypeEpisode}})
		return err
	}},
	{op: "get-the-users-currently-playing-track", call: func(ctx context.Context, f *contractFixture) error {
		_, err := f.c.Player.CurrentlyPlaying(ctx, nil)
		return err
	}},
	{op: "transfer-a-users-playback", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.Transfer(ctx, f.device, true)
	}},
	{op: "start-a-users-playback", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.Play(ctx, &spotify.PlayerPlayOptions{
			ContextURI: f.uri("album", f.ids.Albums[0]), Offset: &spotify.PlayerOffset{Position: 1}, PositionMS: 1000,
		})
	}},
	{op: "start-a-users-playback", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.Play(ctx, &spotify.PlayerPlayOptions{
			DeviceID: f.device,
			URIs:     []string{f.uri("track", f.ids.Tracks[3]), f.uri("episode", f.ids.Episodes[2])},
			Offset:   &spotify.PlayerOffset{URI: f.uri("episode", f.ids.Episodes[2])},
		})
	}},
	{op: "pause-a-users-playback", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.Pause(ctx, nil)
	}},
	{op: "skip-users-playback-to-next-track", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.Next(ctx, nil)
	}},
	{op: "skip-users-playback-to-previous-track", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.Previous(ctx, &spotify.PlayerDeviceOptions{DeviceID: f.device})
	}},
	{op: "seek-to-position-in-currently-playing-track", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.Seek(ctx, 5000, nil)
	}},
	{op: "set-volume-for-users-playback", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.SetVolume(ctx, 40, nil)
	}},
	{op: "toggle-shuffle-for-users-playback", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.SetShuffle(ctx, true, nil)
	}},
	{op: "set-repeat-mode-on-users-playback", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.SetRepeat(ctx, spotify.RepeatContext, nil)
	}},
	{op: "add-to-queue", call: func(ctx context.Context, f *contractFixture) error {
		return f.c.Player.AddToQueue(ctx, f.uri("episode", f.ids.Episodes[0]), nil)
	}},
	{op: "get-queue", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Player.Queue(ctx))
	}},
	{op: "get-recently-played", call: func(ctx context.Context, f *contractFixture) error {
		return nonEmpty(f.c.Player.RecentlyPlayed(ctx, &spotify.PlayerRecentlyPlayedOptions{Limit: 5, Before: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}))
	}},
}

func trackURIs(f *contractFixture, n int) []string {
	uris := make([]string, n)
	for i := range uris {
		uris[i] = f.uri("track", f.ids.Tracks[200+i])
	}
	return uris
}

// TestContract calls every operation through the real client against the
// fake, in both of the fake's modes, and checks each request the client
// sends and each answer it gets against Spotify's OpenAPI contract. In
// Development Mode the operations Spotify removed for such apps must fail
// with ErrForbidden.
func TestContract(t *testing.T) {
	doc, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	checkContractRows(t, doc)
	for _, mode := range []spotifytest.Mode{spotifytest.ExtendedQuota, spotifytest.DevelopmentMode} {
		t.Run(mode.String(), func(t *testing.T) { runContract(t, doc, mode) })
	}
}

func runContract(t *testing.T, doc *openapi3.T, mode spotifytest.Mode) {
	srv := spotifytest.NewServer(spotifytest.WithMode(mode))
	t.Cleanup(srv.Close)
	v, err := contract.NewValidator(doc, srv.URL+"/v1")
	if err != nil {
		t.Fatal(err)
	}
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	tr := &contract.Transport{Base: base, Validator: v}
	// One attempt per request, so every request the table expects is
	// exactly one exchange.
	lim, err := ratelimit.New(ratelimit.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	c, err := spotify.NewClient(
		spotify.WithBaseURL(srv.URL+"/v1/"),
		spotify.WithHTTPClient(&http.Client{Transport: tr}),
		spotify.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.UserToken("")})),
		spotify.WithLimiter(lim),
	)
	if err != nil {
		t.Fatal(err)
	}
	f := &contractFixture{c: c, ids: srv.IDs()}
	ctx := t.Context()
	requests, seen := 0, map[string]bool{}
	for _, row := range contractRows {
		removed := mode == spotifytest.DevelopmentMode && row.devRemoved
		err := row.call(ctx, f)
		want := row.ops
		if len(want) == 0 || removed {
			want = []string{row.op}
		}
		exs := tr.Take()
		checkExchanges(t, row.op, exs, want)
		requests += len(exs)
		for _, ex := range exs {
			seen[ex.Op] = true
		}
		switch {
		case removed:
			var se *spotify.Error
			if !errors.Is(err, spotify.ErrForbidden) || !errors.As(err, &se) || se.Status != http.StatusForbidden {
				t.Errorf("%s: removed for Development Mode, got %v, want a 403 matching ErrForbidden", row.op, err)
			}
		case err != nil:
			t.Errorf("%s: %v", row.op, err)
		}
	}
	if n := len(contract.Operations(doc)); len(seen) != n {
		t.Errorf("requests reached %d operations of the contract's %d", len(seen), n)
	}
	t.Logf("%d rows: %d requests and answers to %d operations checked against the contract", len(contractRows), requests, len(seen))
}

// checkExchanges checks that a row's requests went to the operations it
// expects, in order, and that each request and answer validated.
func checkExchanges(t *testing.T, op string, got []contract.Exchange, want []string) {
	t.Helper()
	ops := make([]string, len(got))
	for i, ex := range got {
		ops[i] = ex.Op
		if ex.Err != nil {
			t.Errorf("%s: %s %s (%d) breaks the contract: %v", op, ex.Method, ex.Path, ex.Status, ex.Err)
		}
	}
	if !slices.Equal(ops, want) {
		t.Errorf("%s: requests went to %q, want %q", op, ops, want)
	}
}

// checkContractRows fails when an operation of the contract, or one the
// client annotates with //spotify:operation, has no row: adding an
// endpoint without a contract row fails here.
func checkContractRows(t *testing.T, doc *openapi3.T) {
	t.Helper()
	directives, err := operationDirectives(".")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, r := range contractRows {
		rows[r.op] = true
		if _, ok := directives[r.op]; !ok {
			t.Errorf("row %s names no //spotify:operation of the client", r.op)
		}
	}
	for op, where := range directives {
		if !rows[op] {
			t.Errorf("%s (%s) has no contract row", op, where)
		}
	}
	for _, op := range contract.Operations(doc) {
		if _, ok := directives[op]; !ok {
			t.Errorf("the contract's %s has no //spotify:operation in the client", op)
		}
	}
	if len(directives) != len(contract.Operations(doc)) {
		t.Errorf("%d directives for %d operations of the contract", len(directives), len(contract.Operations(doc)))
	}
}

var directiveRE = regexp.MustCompile(`^//spotify:operation\s+(\S+)\s*$`)

// operationDirectives returns the operation ID of every //spotify:operation
// directive in the non-test Go files of dir, with the file and line it is
// on. An operation annotated twice is an error.
func operationDirectives(dir string) (map[string]string, error) {
	decls, err := spotify.ParseOperations(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, m := range decls.Methods {
		if prev, dup := out[m.Directive]; dup {
			return nil, fmt.Errorf("%s annotated twice: %s and %s", m.Directive, prev, m.Pos)
		}
		out[m.Directive] = m.Pos
	}
	return out, nil
}
