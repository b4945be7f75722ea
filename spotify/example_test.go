package spotify_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// newClient returns a client of a fake Spotify. Against the real service,
// leave out WithBaseURL and take the token source from the auth package.
func newClient(srv *spotifytest.Server) *spotify.Client {
	token := &oauth2.Token{AccessToken: srv.UserToken("")}
	c, err := spotify.NewClient(
		spotify.WithBaseURL(srv.URL+"/v1/"),
		spotify.WithTokenSource(oauth2.StaticTokenSource(token)),
	)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// Look up a track by ID, URI or open.spotify.com link.
func ExampleTracksService_Get() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	id := srv.IDs().Tracks[0]
	byID, err := client.Tracks.Get(ctx, id, nil)
	if err != nil {
		log.Fatal(err)
	}
	byURL, err := client.Tracks.Get(ctx, "https://open.spotify.com/intl-de/track/"+id+"?si=abc", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(byID.URI == "spotify:track:"+id, byURL.ID == byID.ID)
	// Output: true true
}

// Walk every page of a 10,000-item playlist lazily; breaking out of the
// loop stops the walk.
func ExamplePlaylistsService_ItemsAll() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	client := newClient(srv)

	n := 0
	for _, err := range client.Playlists.ItemsAll(context.Background(), srv.IDs().Playlist10K, nil) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "items")
	// Output: 10000 items
}

// Errors match a sentinel of their class with errors.Is and carry the
// details of the call with errors.As. Bad input fails before any request.
func ExampleError() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	client := newClient(srv)
	ctx := context.Background()

	_, err := client.Tracks.Get(ctx, "0000000000000000000000", nil)
	var se *spotify.Error
	if errors.As(err, &se) {
		fmt.Println(errors.Is(err, spotify.ErrNotFound), se.Status)
	}

	_, err = client.Albums.Get(ctx, "spotify:track:"+srv.IDs().Tracks[0], nil)
	fmt.Println(err)
	// Output:
	// true 404
	// spotify: invalid ID: "spotify:track:pG5qSekpUkLG7pIdGsZYKS" is a track URI, want an album
}

// A fields filter that leaves out each row's type still gives tracks: the
// rows are typed from what they hold (here, an album).
func ExamplePlaylistsService_Get_fields() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	client := newClient(srv)

	pl, err := client.Playlists.Get(context.Background(), srv.IDs().Playlist10K,
		&spotify.PlaylistOptions{Fields: "name,items(items(item(name,album(name))))"})
	if err != nil {
		log.Fatal(err)
	}
	rows := pl.ItemsPage().Items
	tracks := 0
	for i := range rows {
		if t := rows[i].Track(); t != nil && t.Name != "" && t.Album.Name != "" {
			tracks++
		}
	}
	fmt.Println(len(rows) > 0, tracks == len(rows))
	// Output: true true
}
