package async_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
	"github.com/spotflow/spotflow/spotifytest"
)

// newClient returns an async client of a fake Spotify, as an app would
// build one for the real service: a token source, a limiter shared by
// every client of the app (here unpaced, since the fake has no limit) and
// the async layer on top.
func newClient(srv *spotifytest.Server, opts ...async.Option) *async.Client {
	lim, err := ratelimit.New(ratelimit.WithRate(rate.Inf, 0))
	if err != nil {
		log.Fatal(err)
	}
	token := &oauth2.Token{AccessToken: srv.UserToken("")}
	c, err := spotify.NewClient(
		spotify.WithBaseURL(srv.URL+"/v1/"),
		spotify.WithTokenSource(oauth2.StaticTokenSource(token)),
		spotify.WithLimiter(lim),
	)
	if err != nil {
		log.Fatal(err)
	}
	a, err := async.New(c, opts...)
	if err != nil {
		log.Fatal(err)
	}
	return a
}

// Stream a 10,000-item playlist: pages after the first are fetched eight
// at a time while the items arrive in order.
func Example() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	client := newClient(srv, async.WithPrefetch(8))
	ctx := context.Background()

	n, episodes := 0, 0
	for item, err := range client.Playlists.Items(ctx, srv.IDs().Playlist10K, nil).All() {
		if err != nil {
			log.Fatal(err)
		}
		n++
		if item.Content().Track == nil {
			episodes++
		}
	}
	fmt.Println(n, "items,", episodes, "episodes")
	// Output: 10000 items, 0 episodes
}

// Look up many tracks at once. A Development Mode app is refused the batch
// endpoint; GetMany then falls back to single lookups, fanned out, and
// remembers that for the client. The unknown ID costs a single lookup
// too (answered 404, hence nil).
func ExampleTracksService_GetMany() {
	srv := spotifytest.NewServer(spotifytest.WithMode(spotifytest.DevelopmentMode))
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	tracks := srv.IDs().Tracks
	ids := []string{tracks[0], tracks[1], tracks[0], "0000000000000000000000"}
	got, err := client.Tracks.GetMany(ctx, ids, nil).Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(got), "results")
	fmt.Println("duplicates share a result:", got[0] == got[2])
	fmt.Println("unknown ID:", got[3])
	srv.Close() // waits until every request is counted
	st := srv.Stats()
	fmt.Println("batch requests:", st.ByOp["get-several-tracks"], "single requests:", st.ByOp["get-track"])
	// Output:
	// 4 results
	// duplicates share a result: true
	// unknown ID: <nil>
	// batch requests: 1 single requests: 3
}

// A pipeline: artists, then their albums, then the albums' tracks, each
// step fanned out with a bound, the order of the input kept.
func ExampleMap_pipeline() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	artists := srv.IDs().Artists[:3]
	albums, err := async.Map(ctx, artists, 4, func(ctx context.Context, id string) ([]models.ArtistDiscographyAlbum, error) {
		return client.Artists.Albums(ctx, id, nil).Collect()
	})
	if err != nil {
		log.Fatal(err)
	}
	var albumIDs []string
	for _, list := range albums {
		for _, al := range list {
			albumIDs = append(albumIDs, al.ID)
		}
	}
	tracks, err := async.Map(ctx, albumIDs, 8, func(ctx context.Context, id string) ([]models.SimplifiedTrack, error) {
		return client.Albums.Tracks(ctx, id, nil).Collect()
	})
	if err != nil {
		log.Fatal(err)
	}
	total := 0
	for _, list := range tracks {
		total += len(list)
	}
	fmt.Println(len(artists), "artists,", len(albumIDs), "albums,", total, "tracks")
	// Output: 3 artists, 20 albums, 200 tracks
}

// Futures run single calls concurrently.
func ExampleTracksService_Get() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	ids := srv.IDs()
	track := client.Tracks.Get(ctx, ids.Tracks[0], nil)
	album := client.Albums.Get(ctx, ids.Albums[0], nil)
	t, err := track.Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	a, err := album.Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.ID == ids.Tracks[0], a.ID == ids.Albums[0])
	// Output: true true
}
