package spotify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// TestLookupsRefuseWrongObjects has one row per single-object lookup and
// one case per way its answer can be wrong: null, an empty object, an
// object of another type, another object than the one asked for. Each is
// an error matching ErrInvalidReply that names the endpoint.
func TestLookupsRefuseWrongObjects(t *testing.T) {
	const otherID = "0000000000000000000009"
	lookups := []struct {
		name, typ, id string
		call          func(ctx context.Context, c *Client, id string) error
	}{
		{"track", "track", trackID, func(ctx context.Context, c *Client, id string) error {
			_, err := c.Tracks.Get(ctx, id, nil)
			return err
		}},
		{"album", "album", albumID, func(ctx context.Context, c *Client, id string) error {
			_, err := c.Albums.Get(ctx, id, nil)
			return err
		}},
		{"artist", "artist", artistID, func(ctx context.Context, c *Client, id string) error { _, err := c.Artists.Get(ctx, id); return err }},
		{"show", "show", showID, func(ctx context.Context, c *Client, id string) error { _, err := c.Shows.Get(ctx, id, nil); return err }},
		{"episode", "episode", episodeID, func(ctx context.Context, c *Client, id string) error {
			_, err := c.Episodes.Get(ctx, id, nil)
			return err
		}},
		{"audiobook", "audiobook", audiobookID, func(ctx context.Context, c *Client, id string) error {
			_, err := c.Audiobooks.Get(ctx, id, nil)
			return err
		}},
		{"chapter", "chapter", chapterID, func(ctx context.Context, c *Client, id string) error {
			_, err := c.Chapters.Get(ctx, id, nil)
			return err
		}},
		{"audio features", "audio_features", trackID, func(ctx context.Context, c *Client, id string) error {
			_, err := c.Tracks.AudioFeatures(ctx, id)
			return err
		}},
		{"playlist", "playlist", playlistID, func(ctx context.Context, c *Client, id string) error {
			_, err := c.Playlists.Get(ctx, id, nil)
			return err
		}},
	}
	for _, l := range lookups {
		wrong := map[string]string{
			"null":          `null`,
			"empty object":  `{}`,
			"another type":  `{"id":"` + l.id + `","type":"album_or_track","name":"x"}`,
			"another ID":    `{"id":"` + otherID + `","type":"` + l.typ + `","name":"x"}`,
			"no type or ID": `{"name":"x"}`,
		}
		if l.typ == "album" {
			wrong["another type"] = `{"id":"` + l.id + `","type":"track"}`
		}
		for name, body := range wrong {
			t.Run(l.name+"/"+name, func(t *testing.T) {
				c, _ := recordingClient(t, replyWith(200, body))
				err := l.call(context.Background(), c, l.id)
				var e *Error
				if !errors.Is(err, ErrInvalidReply) || !errors.As(err, &e) || e.Endpoint == "" || e.Method != "GET" {
					t.Fatalf("err = %v, want an *Error matching ErrInvalidReply naming the endpoint", err)
				}
				if strings.Contains(err.Error(), "album_or_track") {
					t.Fatalf("the error quotes the server: %v", err)
				}
			})
		}
		t.Run(l.name+"/right", func(t *testing.T) {
			c, _ := recordingClient(t, replyWith(200, `{"id":"`+l.id+`","type":"`+l.typ+`","name":"x"}`))
			if err := l.call(context.Background(), c, l.id); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("relinked track", func(t *testing.T) {
		c, _ := recordingClient(t, replyWith(200, `{"id":"`+otherID+`","type":"track","linked_from":{"id":"`+trackID+`"}}`))
		if _, err := c.Tracks.Get(context.Background(), trackID, &MarketOptions{Market: "SE"}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("audio analysis", func(t *testing.T) {
		for _, body := range []string{`null`, `{}`} {
			c, _ := recordingClient(t, replyWith(200, body))
			if _, err := c.Tracks.AudioAnalysis(context.Background(), trackID); !errors.Is(err, ErrInvalidReply) {
				t.Errorf("%s: %v, want ErrInvalidReply", body, err)
			}
		}
	})
	t.Run("user", func(t *testing.T) {
		c, _ := recordingClient(t, replyWith(200, `{}`))
		if _, err := c.Users.Me(context.Background()); !errors.Is(err, ErrInvalidReply) {
			t.Errorf("Me: %v, want ErrInvalidReply", err)
		}
	})
	t.Run("fields filter", func(t *testing.T) {
		// A filtered playlist may lack type and id: that is what was asked.
		c, _ := recordingClient(t, replyWith(200, `{"name":"x"}`))
		if _, err := c.Playlists.Get(context.Background(), playlistID, &PlaylistOptions{Fields: "name"}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestListsLongerThanAskedAreRefused: a page with more items than its
// limit and a contains answer with more booleans than IDs are refused.
func TestListsLongerThanAskedAreRefused(t *testing.T) {
	c, _ := recordingClient(t, replyWith(200, pageOf(`{"id":"x"}`, 3, 0, 3)))
	if _, err := c.Albums.Saved(context.Background(), &AlbumSavedOptions{ListOptions: ListOptions{Limit: 2}}); !errors.Is(err, ErrInvalidReply) {
		t.Errorf("page of 3 for limit 2: %v", err)
	}
	c, _ = recordingClient(t, replyWith(200, `[true,false,true]`))
	if _, err := c.Albums.CheckSaved(context.Background(), []string{albumID, albumID}); !errors.Is(err, ErrInvalidReply) {
		t.Errorf("3 answers for 2 IDs: %v", err)
	}
	c, _ = recordingClient(t, replyWith(200, `[true]`))
	if _, err := c.Albums.CheckSaved(context.Background(), []string{albumID, albumID}); !errors.Is(err, ErrInvalidReply) {
		t.Errorf("1 answer for 2 IDs: %v", err)
	}
}

// TestWalkErrorsNameTheEndpoint: a walk that a server makes loop ends with
// an error matching ErrInvalidReply, spotify's and paging's alike, that
// names the endpoint by its route.
func TestWalkErrorsNameTheEndpoint(t *testing.T) {
	loop := func(n int, _ any) (int, string) {
		items := make([]string, 10)
		for i := range items {
			items[i] = fmt.Sprintf(`{"item":{"type":"track","id":%q}}`, testID(10*n+i))
		}
		return 200, `{"items":[` + strings.Join(items, ",") +
			`],"next":"https://api.spotify.com/v1/playlists/x/items?offset=0&limit=10"}`
	}
	c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) { return loop(n, r) })
	n := 0
	var err error
	for _, e := range c.Playlists.ItemsAll(context.Background(), playlistID, &PlaylistItemsOptions{ListOptions: ListOptions{Limit: 10}}) {
		if e != nil {
			err = e
			break
		}
		n++
	}
	var pe *paging.Error
	if !errors.Is(err, ErrInvalidReply) || !errors.Is(err, models.ErrInvalidReply) || !errors.As(err, &pe) ||
		pe.Endpoint != "GET /playlists/{playlist_id}/items" {
		t.Fatalf("err = %v, want a paging.Error naming the route", err)
	}
	if n != 10 || len(rec.all()) != 1 {
		t.Fatalf("%d items in %d requests", n, len(rec.all()))
	}
}
