package spotify

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestUserProfiles(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, `{"id":"smedjan","type":"user","display_name":"Smedjan","email":"s@example.com","country":"SE","product":"premium"}`))
	me, err := c.Users.Me(ctx)
	if err != nil || me.ID != "smedjan" || me.Email != "s@example.com" {
		t.Fatalf("Me: %+v, %v", me, err)
	}
	checkCall(t, rec.only(t), "GET", "me", nil)

	c, rec = recordingClient(t, replyWith(200, `{"id":"smedjan","display_name":"Smedjan","type":"user"}`))
	u, err := c.Users.Get(ctx, "spotify:user:smedjan")
	if err != nil || u.DisplayName != "Smedjan" {
		t.Fatalf("Get: %+v, %v", u, err)
	}
	checkCall(t, rec.only(t), "GET", "users/smedjan", nil)
}

func TestUserFollowArtistsAndUsers(t *testing.T) {
	ctx := context.Background()
	artists := testURIs("artist", 60)
	ids := make([]string, len(artists))
	for i, a := range artists {
		ids[i] = strings.TrimPrefix(a, "spotify:artist:")
	}
	for _, tt := range []struct {
		method string
		call   func(*UsersService) error
	}{
		{"PUT", func(s *UsersService) error { return s.Follow(ctx, FollowArtist, artists) }},
		{"DELETE", func(s *UsersService) error { return s.Unfollow(ctx, FollowArtist, artists) }},
	} {
		c, rec := recordingClient(t, replyWith(204, ""))
		if err := tt.call(c.Users); err != nil {
			t.Fatal(err)
		}
		reqs := rec.all()
		if len(reqs) != 2 {
			t.Fatalf("%s: %d requests, want 2", tt.method, len(reqs))
		}
		checkCall(t, reqs[0], tt.method, "me/following", url.Values{"type": {"artist"}, "ids": {strings.Join(ids[:50], ",")}})
		checkCall(t, reqs[1], tt.method, "me/following", url.Values{"type": {"artist"}, "ids": {strings.Join(ids[50:], ",")}})
	}

	c, rec := recordingClient(t, replyWith(200, `[true,false]`))
	got, err := c.Users.Follows(ctx, FollowUser, []string{"smedjan", "spotify:user:other"})
	if err != nil || len(got) != 2 || !got[0] || got[1] {
		t.Fatalf("Follows: %v, %v", got, err)
	}
	checkCall(t, rec.only(t), "GET", "me/following/contains", url.Values{"type": {"user"}, "ids": {"smedjan,other"}})

	c, rec = recordingClient(t, replyWith(204, ""))
	wantRefused(t, "bad type", c.Users.Follow(ctx, "playlist", ids[:1]), rec)
	wantRefused(t, "no IDs", c.Users.Unfollow(ctx, FollowUser, nil), rec)
	wantRefused(t, "track URI as artist", c.Users.Follow(ctx, FollowArtist, []string{"spotify:track:" + trackID}), rec)
}

func TestUserFollowedArtistsCursor(t *testing.T) {
	c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
		if n == 0 {
			return 200, `{"artists":{"items":[{"id":"a1","name":"A1"},{"id":"a2","name":"A2"}],"next":"https://api.spotify.com/v1/me/following?type=artist&after=a2&limit=2","cursors":{"after":"a2"},"limit":2,"total":3}}`
		}
		return 200, `{"artists":{"items":[{"id":"a3","name":"A3"}],"next":null,"cursors":{"after":null},"limit":2,"total":3}}`
	})
	var names []string
	for a, err := range c.Users.FollowedArtistsAll(context.Background(), &UserFollowedArtistsOptions{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, a.Name)
	}
	reqs := rec.all()
	if strings.Join(names, ",") != "A1,A2,A3" || len(reqs) != 2 {
		t.Fatalf("got %v in %d requests", names, len(reqs))
	}
	checkCall(t, reqs[0], "GET", "me/following", url.Values{"type": {"artist"}, "limit": {"2"}})
	checkCall(t, reqs[1], "GET", "me/following", url.Values{"type": {"artist"}, "limit": {"2"}, "after": {"a2"}})

	_, err := c.Users.FollowedArtists(context.Background(), &UserFollowedArtistsOptions{Limit: 51})
	wantRefused(t, "limit 51", err, &reqLog{})
}

func TestUserTopItems(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, catFixture(t, "current_users_top_artists.json")))
	p, err := c.Users.TopArtists(ctx, &UserTopOptions{ListOptions: ListOptions{Limit: 20}, TimeRange: TimeRangeShort})
	if err != nil || len(p.Items) != 10 || p.Items[0].Name != "insaneintherainmusic" {
		t.Fatalf("TopArtists: %v", err)
	}
	checkCall(t, rec.only(t), "GET", "me/top/artists", url.Values{"limit": {"20"}, "time_range": {"short_term"}})

	c, rec = recordingClient(t, func(n int, r *http.Request) (int, string) {
		off := n * 50
		items := make([]string, 0, 50)
		for i := off; i < 60 && i < off+50; i++ {
			items = append(items, fmt.Sprintf(`{"id":%q,"name":"t%d"}`, testID(i), i))
		}
		next := "null" // a next link on the last page is an invalid reply
		if off+50 < 60 {
			next = fmt.Sprintf(`"https://api.spotify.com/v1/me/top/tracks?offset=%d&limit=50"`, off+50)
		}
		return 200, fmt.Sprintf(`{"items":[%s],"total":60,"limit":50,"offset":%d,"next":%s}`, strings.Join(items, ","), off, next)
	})
	n := 0
	for _, err := range c.Users.TopTracksAll(ctx, &UserTopOptions{TimeRange: TimeRangeLong}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	reqs := rec.all()
	if n != 60 || len(reqs) != 2 {
		t.Fatalf("%d tracks in %d requests", n, len(reqs))
	}
	checkCall(t, reqs[1], "GET", "me/top/tracks", url.Values{"limit": {"50"}, "offset": {"50"}, "time_range": {"long_term"}})

	c, rec = recordingClient(t, replyWith(200, "{}"))
	_, err = c.Users.TopTracks(ctx, &UserTopOptions{TimeRange: "forever"})
	wantRefused(t, "time range", err, rec)
	_, err = c.Users.TopArtists(ctx, &UserTopOptions{ListOptions: ListOptions{Limit: 51}})
	wantRefused(t, "limit", err, rec)
}

func TestUserPlaylistFollowing(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, ""))
	if err := c.Users.FollowPlaylist(ctx, playlistID, &UserFollowPlaylistOptions{Private: true}); err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	checkCall(t, got, "PUT", "playlists/"+playlistID+"/followers", nil)
	checkJSONBody(t, got, `{"public":false}`)

	c, rec = recordingClient(t, replyWith(200, ""))
	if err := c.Users.UnfollowPlaylist(ctx, "spotify:playlist:"+playlistID); err != nil {
		t.Fatal(err)
	}
	checkCall(t, rec.only(t), "DELETE", "playlists/"+playlistID+"/followers", nil)

	c, rec = recordingClient(t, replyWith(200, "[true]"))
	ok, err := c.Users.FollowsPlaylist(ctx, playlistID, &UserFollowsPlaylistOptions{UserID: "smedjan"})
	if err != nil || !ok {
		t.Fatalf("FollowsPlaylist: %v, %v", ok, err)
	}
	checkCall(t, rec.only(t), "GET", "playlists/"+playlistID+"/followers/contains", url.Values{"ids": {"smedjan"}})

	c, _ = recordingClient(t, replyWith(200, "[]"))
	if _, err := c.Users.FollowsPlaylist(ctx, playlistID, nil); err == nil {
		t.Fatal("an empty answer was accepted")
	}
}
