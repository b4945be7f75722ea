package async

import (
	"context"
	"errors"
	"iter"
	"reflect"
	"testing"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// sameAsSync checks that a stream yields what the synchronous iterator
// does, in the same order.
func sameAsSync[T any](t *testing.T, s *Stream[T], seq iter.Seq2[T, error]) {
	t.Helper()
	got, err := s.Collect()
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	var want []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("sync iterator: %v", err)
		}
		want = append(want, v)
	}
	if len(got) != len(want) || !reflect.DeepEqual(got, want) {
		t.Fatalf("stream gave %d items, the sync iterator %d (or other ones)", len(got), len(want))
	}
}

// TestServiceStreams runs every stream of the services against the fake
// and compares it with the synchronous iterator.
func TestServiceStreams(t *testing.T) {
	srv, a := fake(t)
	c, ids, ctx := a.Sync(), srv.IDs(), t.Context()
	small := &spotify.ListOptions{Limit: 7}
	tests := map[string]func(t *testing.T){
		"Albums.Tracks": func(t *testing.T) {
			sameAsSync(t, a.Albums.Tracks(ctx, ids.Albums[3], &spotify.AlbumTracksOptions{ListOptions: spotify.ListOptions{Limit: 3}}),
				c.Albums.TracksAll(ctx, ids.Albums[3], &spotify.AlbumTracksOptions{ListOptions: spotify.ListOptions{Limit: 3}}))
		},
		"Albums.NewReleases": func(t *testing.T) {
			sameAsSync(t, a.Albums.NewReleases(ctx, nil), c.Albums.NewReleasesAll(ctx, nil))
		},
		"Albums.Saved": func(t *testing.T) { sameAsSync(t, a.Albums.Saved(ctx, nil), c.Albums.SavedAll(ctx, nil)) },
		"Artists.Albums": func(t *testing.T) {
			sameAsSync(t, a.Artists.Albums(ctx, ids.Artists[0], nil), c.Artists.AlbumsAll(ctx, ids.Artists[0], nil))
		},
		"Audiobooks.Chapters": func(t *testing.T) {
			sameAsSync(t, a.Audiobooks.Chapters(ctx, ids.Audiobooks[1], nil), c.Audiobooks.ChaptersAll(ctx, ids.Audiobooks[1], nil))
		},
		"Audiobooks.Saved": func(t *testing.T) { sameAsSync(t, a.Audiobooks.Saved(ctx, nil), c.Audiobooks.SavedAll(ctx, nil)) },
		"Categories.List":  func(t *testing.T) { sameAsSync(t, a.Categories.List(ctx, nil), c.Categories.ListAll(ctx, nil)) },
		"Episodes.Saved":   func(t *testing.T) { sameAsSync(t, a.Episodes.Saved(ctx, nil), c.Episodes.SavedAll(ctx, nil)) },
		"Player.RecentlyPlayed": func(t *testing.T) {
			sameAsSync(t, a.Player.RecentlyPlayed(ctx, nil), c.Player.RecentlyPlayedAll(ctx, nil))
		},
		"Playlists.Items": func(t *testing.T) {
			opts := &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: 9, Offset: 4}}
			sameAsSync(t, a.Playlists.Items(ctx, ids.Playlists[0], opts), c.Playlists.ItemsAll(ctx, ids.Playlists[0], opts))
		},
		"Playlists.Tracks": func(t *testing.T) {
			sameAsSync(t, a.Playlists.Tracks(ctx, ids.Playlists[1], nil), c.Playlists.TracksAll(ctx, ids.Playlists[1], nil))
		},
		"Playlists.Mine": func(t *testing.T) { sameAsSync(t, a.Playlists.Mine(ctx, small), c.Playlists.MineAll(ctx, small)) },
		"Playlists.ForUser": func(t *testing.T) {
			sameAsSync(t, a.Playlists.ForUser(ctx, ids.Users[1], small), c.Playlists.ForUserAll(ctx, ids.Users[1], small))
		},
		"Playlists.ForCategory": func(t *testing.T) {
			sameAsSync(t, a.Playlists.ForCategory(ctx, ids.Categories[0], small), c.Playlists.ForCategoryAll(ctx, ids.Categories[0], small))
		},
		"Playlists.Featured": func(t *testing.T) { sameAsSync(t, a.Playlists.Featured(ctx, nil), c.Playlists.FeaturedAll(ctx, nil)) },
		"Search.Tracks": func(t *testing.T) {
			sameAsSync(t, a.Search.Tracks(ctx, "love", nil), c.Search.TracksAll(ctx, "love", nil))
		},
		"Search.Artists": func(t *testing.T) {
			sameAsSync(t, a.Search.Artists(ctx, "the", nil), c.Search.ArtistsAll(ctx, "the", nil))
		},
		"Search.Albums": func(t *testing.T) {
			sameAsSync(t, a.Search.Albums(ctx, "the", nil), c.Search.AlbumsAll(ctx, "the", nil))
		},
		"Search.Playlists": func(t *testing.T) {
			sameAsSync(t, a.Search.Playlists(ctx, "songs", nil), c.Search.PlaylistsAll(ctx, "songs", nil))
		},
		"Search.Shows": func(t *testing.T) { sameAsSync(t, a.Search.Shows(ctx, "the", nil), c.Search.ShowsAll(ctx, "the", nil)) },
		"Search.Episodes": func(t *testing.T) {
			sameAsSync(t, a.Search.Episodes(ctx, "the", nil), c.Search.EpisodesAll(ctx, "the", nil))
		},
		"Search.Audiobooks": func(t *testing.T) {
			sameAsSync(t, a.Search.Audiobooks(ctx, "the", nil), c.Search.AudiobooksAll(ctx, "the", nil))
		},
		"Shows.Episodes": func(t *testing.T) {
			sameAsSync(t, a.Shows.Episodes(ctx, ids.Shows[2], nil), c.Shows.EpisodesAll(ctx, ids.Shows[2], nil))
		},
		"Shows.Saved":  func(t *testing.T) { sameAsSync(t, a.Shows.Saved(ctx, nil), c.Shows.SavedAll(ctx, nil)) },
		"Tracks.Saved": func(t *testing.T) { sameAsSync(t, a.Tracks.Saved(ctx, nil), c.Tracks.SavedAll(ctx, nil)) },
		"Users.FollowedArtists": func(t *testing.T) {
			sameAsSync(t, a.Users.FollowedArtists(ctx, nil), c.Users.FollowedArtistsAll(ctx, nil))
		},
		"Users.TopArtists": func(t *testing.T) { sameAsSync(t, a.Users.TopArtists(ctx, nil), c.Users.TopArtistsAll(ctx, nil)) },
		"Users.TopTracks":  func(t *testing.T) { sameAsSync(t, a.Users.TopTracks(ctx, nil), c.Users.TopTracksAll(ctx, nil)) },
	}
	for name, test := range tests {
		t.Run(name, test)
	}
}

// TestServiceStreamBadOptions: an option the endpoint refuses ends the
// stream with the validation error, before any request.
func TestServiceStreamBadOptions(t *testing.T) {
	srv, a := fake(t)
	_, err := a.Playlists.Items(t.Context(), srv.IDs().Playlist10K, &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: 500}}).Collect()
	if !errors.Is(err, spotify.ErrInvalidInput) || srv.Stats().Requests != 0 {
		t.Fatalf("err = %v after %d requests; want ErrInvalidInput and none", err, srv.Stats().Requests)
	}
}

// manyCase checks one GetMany mirror: results line up with ids, and the
// unknown ID gives nil.
type manyCase struct {
	name        string
	batch, one  string // operation IDs
	run         func(ctx context.Context, ids []string) ([]string, error)
	ids         func(spotifytest.IDs) []string
	forbidInDev bool // the single lookup is gone for Development Mode too
}

func manyCases(a *Client) []manyCase {
	return []manyCase{
		{name: "albums", batch: "get-multiple-albums", one: "get-an-album", ids: func(i spotifytest.IDs) []string { return i.Albums },
			run: func(ctx context.Context, ids []string) ([]string, error) {
				return idsOf(a.Albums.GetMany(ctx, ids, nil).Await(ctx))
			}},
		{name: "artists", batch: "get-multiple-artists", one: "get-an-artist", ids: func(i spotifytest.IDs) []string { return i.Artists },
			run: func(ctx context.Context, ids []string) ([]string, error) {
				return idsOf(a.Artists.GetMany(ctx, ids).Await(ctx))
			}},
		{name: "audiobooks", batch: "get-multiple-audiobooks", one: "get-an-audiobook", ids: func(i spotifytest.IDs) []string { return i.Audiobooks },
			run: func(ctx context.Context, ids []string) ([]string, error) {
				return idsOf(a.Audiobooks.GetMany(ctx, ids, nil).Await(ctx))
			}},
		{name: "chapters", batch: "get-several-chapters", one: "get-a-chapter", ids: func(i spotifytest.IDs) []string { return i.Chapters },
			run: func(ctx context.Context, ids []string) ([]string, error) {
				return idsOf(a.Chapters.GetMany(ctx, ids, nil).Await(ctx))
			}},
		{name: "episodes", batch: "get-multiple-episodes", one: "get-an-episode", ids: func(i spotifytest.IDs) []string { return i.Episodes },
			run: func(ctx context.Context, ids []string) ([]string, error) {
				return idsOf(a.Episodes.GetMany(ctx, ids, nil).Await(ctx))
			}},
		{name: "shows", batch: "get-multiple-shows", one: "get-a-show", ids: func(i spotifytest.IDs) []string { return i.Shows },
			run: func(ctx context.Context, ids []string) ([]string, error) {
				return idsOf(a.Shows.GetMany(ctx, ids, nil).Await(ctx))
			}},
		{name: "tracks", batch: "get-several-tracks", one: "get-track", ids: func(i spotifytest.IDs) []string { return i.Tracks },
			run: func(ctx context.Context, ids []string) ([]string, error) {
				return idsOf(a.Tracks.GetMany(ctx, ids, nil).Await(ctx))
			}},
		{name: "audio features", batch: "get-several-audio-features", one: "get-audio-features", ids: func(i spotifytest.IDs) []string { return i.Tracks },
			forbidInDev: true,
			run: func(ctx context.Context, ids []string) ([]string, error) {
				return idsOf(a.Tracks.AudioFeaturesMany(ctx, ids).Await(ctx))
			}},
	}
}

// idsOf returns the ID of each looked-up object, "" for nil.
func idsOf[T any](got []*T, err error) ([]string, error) {
	out := make([]string, len(got))
	for i, v := range got {
		if v != nil {
			out[i] = reflect.ValueOf(v).Elem().FieldByName("ID").String()
		}
	}
	return out, err
}

// TestGetManyEveryKind runs every batch lookup in both modes.
func TestGetManyEveryKind(t *testing.T) {
	for _, mode := range []spotifytest.Mode{spotifytest.ExtendedQuota, spotifytest.DevelopmentMode} {
		for i := range manyCases(nil) {
			srv, a := fake(t, spotifytest.WithMode(mode))
			tc := manyCases(a)[i]
			t.Run(mode.String()+"/"+tc.name, func(t *testing.T) {
				all := tc.ids(srv.IDs())
				ids := append(all[:min(len(all), 120):min(len(all), 120)], all[0], "0000000000000000000000", all[5])
				got, err := tc.run(t.Context(), ids)
				if mode == spotifytest.DevelopmentMode && tc.forbidInDev {
					if !errors.Is(err, spotify.ErrForbidden) {
						t.Fatalf("err = %v; want ErrForbidden", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				for i, id := range ids {
					want := id
					if id == "0000000000000000000000" {
						want = ""
					}
					if got[i] != want {
						t.Fatalf("result %d = %q; want %q", i, got[i], want)
					}
				}
				st := finalStats(srv)
				if mode == spotifytest.DevelopmentMode && (st.ByOp[tc.batch] != 1 || st.ByOp[tc.one] != len(ids)-2) {
					t.Fatalf("%d batch and %d single requests; want 1 and %d", st.ByOp[tc.batch], st.ByOp[tc.one], len(ids)-2)
				}
				if mode == spotifytest.ExtendedQuota && st.ByOp[tc.one] != 0 {
					t.Fatalf("%d single requests in Extended Quota", st.ByOp[tc.one])
				}
			})
		}
	}
}

// TestFutures smoke-tests a few single-call mirrors.
func TestFutures(t *testing.T) {
	srv, a := fake(t)
	ctx, ids := t.Context(), srv.IDs()
	me, err := a.Users.Me(ctx).Await(ctx)
	if err != nil || me.ID != ids.User {
		t.Fatalf("Me = %v, %v", me, err)
	}
	pl, err := a.Playlists.Get(ctx, ids.Playlists[0], nil).Await(ctx)
	if err != nil || pl.ID != ids.Playlists[0] {
		t.Fatalf("Playlists.Get = %v, %v", pl, err)
	}
	if _, err := a.Tracks.Get(ctx, "0000000000000000000000", nil).Await(ctx); !errors.Is(err, spotify.ErrNotFound) {
		t.Fatalf("unknown track: %v", err)
	}
	if _, err := a.Tracks.Get(ctx, "spotify:album:"+ids.Albums[0], nil).Await(ctx); !errors.Is(err, models.ErrInvalidID) {
		t.Fatalf("album URI: %v", err)
	}
	uri := "spotify:track:" + ids.Tracks[9]
	if _, err := a.Library.Save(ctx, []string{uri}).Await(ctx); err != nil {
		t.Fatal(err)
	}
	in, err := a.Library.Contains(ctx, []string{uri}).Await(ctx)
	if err != nil || len(in) != 1 || !in[0] {
		t.Fatalf("Contains = %v, %v", in, err)
	}
}
