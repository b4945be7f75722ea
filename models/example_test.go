package models_test

import (
	"errors"
	"fmt"

	"github.com/spotflow/spotflow/models"
)

func ExampleParse() {
	for _, s := range []string{
		"spotify:track:6rqhFgbbKwnb9MLmUQDhG6",
		"https://open.spotify.com/intl-de/album/4aawyAB9vmqN3uQ7FjRGTy?si=abc",
		"spotify:user:smedjan:playlist:37i9dQZF1DXcBWIGoYBM5M",
		"6rqhFgbbKwnb9MLmUQDhG6",
	} {
		r, err := models.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%q %s %s\n", r.Kind, r.ID, r.URL())
	}
	// Output:
	// "track" 6rqhFgbbKwnb9MLmUQDhG6 https://open.spotify.com/track/6rqhFgbbKwnb9MLmUQDhG6
	// "album" 4aawyAB9vmqN3uQ7FjRGTy https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy
	// "playlist" 37i9dQZF1DXcBWIGoYBM5M https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M
	// "" 6rqhFgbbKwnb9MLmUQDhG6
}

func ExampleParseID() {
	id, err := models.ParseID("https://open.spotify.com/track/6rqhFgbbKwnb9MLmUQDhG6?si=x", models.KindTrack)
	fmt.Println(id, err)

	_, err = models.ParseID("spotify:album:4aawyAB9vmqN3uQ7FjRGTy", models.KindTrack)
	fmt.Println(err)
	fmt.Println(errors.Is(err, models.ErrInvalidID))

	_, err = models.ParseID("../../me/player", models.KindTrack)
	fmt.Println(err)

	user, err := models.ParseID("smedjan", models.KindUser)
	fmt.Println(user, err)
	// Output:
	// 6rqhFgbbKwnb9MLmUQDhG6 <nil>
	// spotify: invalid ID: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy" is an album URI, want a track
	// true
	// spotify: invalid ID: "../../me/player" has '.' in its ID, want base62 (0-9, a-z, A-Z)
	// smedjan <nil>
}

func ExampleMarkets() {
	var album models.SimplifiedAlbum
	err := models.Unmarshal([]byte(`{"name":"x","available_markets":["US","DE","GB","XK-1"]}`), &album)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := &album.AvailableMarkets
	fmt.Println(m.Len(), m.Has("DE"), m.Has("FR"))
	fmt.Println(m.Codes())
	for code := range m.All() {
		if code >= "G" {
			fmt.Println("first from G on:", code)
			break
		}
	}
	b, _ := models.Marshal(m)
	fmt.Println(string(b))
	// Output:
	// 4 true false
	// [DE GB US XK-1]
	// first from G on: GB
	// ["DE","GB","US","XK-1"]
}

func ExamplePlaylistItem() {
	body := []byte(`{"items":[
		{"added_at":"2026-03-01T10:00:00Z","item":{"type":"track","name":"A song","uri":"spotify:track:6rqhFgbbKwnb9MLmUQDhG6"}},
		{"added_at":"2019-05-20T12:35:56Z","track":{"type":"episode","name":"An episode","uri":"spotify:episode:5Xt5DXGzch68nYYamXrNxZ"}},
		{"added_at":"2026-03-02T10:00:00Z","item":{"type":"audiobook_excerpt","name":"Something new"}}
	],"total":3}`)
	var page models.Page[models.PlaylistItem]
	if err := models.Unmarshal(body, &page); err != nil {
		fmt.Println(err)
		return
	}
	for _, row := range page.Items {
		switch {
		case row.Track() != nil:
			fmt.Println("track:", row.Track().Name)
		case row.Episode() != nil:
			fmt.Println("episode:", row.Episode().Name)
		default:
			fmt.Printf("kept a %s: %s\n", row.Type(), row.Content().Raw)
		}
	}
	// Output:
	// track: A song
	// episode: An episode
	// kept a audiobook_excerpt: {"type":"audiobook_excerpt","name":"Something new"}
}
