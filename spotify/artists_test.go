package spotify

import (
	"context"
	"strings"
	"testing"
)

const artistID = "0TnOYISbd1XYRBk9myaseg"

func TestArtistCalls(t *testing.T) {
	artist := catFixture(t, "find_artist.json")
	runCatCases(t, []catCase{
		{name: "Get", reply: artist, method: "GET", path: "artists/" + artistID,
			call: func(ctx context.Context, c *Client) error {
				a, err := c.Artists.Get(ctx, "https://open.spotify.com/artist/"+artistID+"?si=x")
				if err != nil {
					return err
				}
				return expect(a.ID == artistID && a.Name == "Pitbull", "%q %q", a.ID, a.Name)
			}},
		{name: "GetMany", reply: `{"artists":[` + artist + `,null]}`, method: "GET", path: "artists",
			query: "ids=" + artistID + "%2C" + albumID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Artists.GetMany(ctx, []string{artistID, albumID})
				if err != nil {
					return err
				}
				return expect(len(got) == 2 && got[0].Name == "Pitbull" && got[1] == nil, "%v", got)
			}},
		{name: "Albums", reply: pageOf(`{"id":"`+albumID+`","name":"Climate Change","album_group":"album"}`, 1, 0, 1),
			method: "GET", path: "artists/" + artistID + "/albums", query: "include_groups=album%2Cappears_on&limit=10&market=US",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Artists.Albums(ctx, artistID, &ArtistAlbumsOptions{
					ListOptions:   ListOptions{Limit: 10},
					IncludeGroups: []IncludeGroup{IncludeGroupAlbum, IncludeGroupAppearsOn},
					Market:        "US",
				})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 1 && p.Items[0].Name == "Climate Change", "%+v", p)
			}},
		{name: "TopTracks", reply: `{"tracks":[` + catFixture(t, "find_track.json") + `]}`,
			method: "GET", path: "artists/" + artistID + "/top-tracks", query: "market=DE",
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Artists.TopTracks(ctx, artistID, &MarketOptions{Market: "DE"})
				if err != nil {
					return err
				}
				return expect(len(got) == 1 && got[0].Name == "Timber", "%v", got)
			}},
		{name: "RelatedArtists", reply: `{"artists":[` + artist + `]}`,
			method: "GET", path: "artists/" + artistID + "/related-artists",
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Artists.RelatedArtists(ctx, "spotify:artist:"+artistID)
				if err != nil {
					return err
				}
				return expect(len(got) == 1 && got[0].Name == "Pitbull", "%v", got)
			}},
	})
}

func TestArtistAlbumsAllPagesBy10(t *testing.T) {
	item := `{"id":"` + albumID + `"}`
	c, seen := catServer(t, pageOf(item, 10, 0, 12), pageOf(item, 2, 10, 12))
	n := 0
	for _, err := range c.Artists.AlbumsAll(context.Background(), artistID, &ArtistAlbumsOptions{IncludeGroups: []IncludeGroup{IncludeGroupSingle}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	calls := seen()
	if n != 12 || len(calls) != 2 {
		t.Fatalf("%d items in %d requests", n, len(calls))
	}
	checkCatCall(t, calls[1], "GET", "artists/"+artistID+"/albums", "include_groups=single&limit=10&offset=10", "")
}

func TestArtistGetManyChunksTo50(t *testing.T) {
	ids := catIDs(51)
	c, seen := catServer(t, nullsOf("artists", 50), nullsOf("artists", 1))
	got, err := c.Artists.GetMany(context.Background(), ids)
	if err != nil || len(got) != 51 {
		t.Fatalf("%d results, %v", len(got), err)
	}
	calls := seen()
	if len(calls) != 2 || !strings.HasSuffix(calls[1].query, ids[50]) {
		t.Fatalf("requests %+v", calls)
	}
}

func TestArtistRefusesBadInput(t *testing.T) {
	c, seen := catServer(t, "{}")
	ctx := context.Background()
	_, err := c.Artists.Get(ctx, "spotify:album:"+albumID)
	wantInputError(t, "album URI", err, seen)
	_, err = c.Artists.GetMany(ctx, nil)
	wantInputError(t, "no IDs", err, seen)
	_, err = c.Artists.Albums(ctx, artistID, &ArtistAlbumsOptions{ListOptions: ListOptions{Limit: 11}})
	wantInputError(t, "limit 11", err, seen)
	_, err = c.Artists.Albums(ctx, artistID, &ArtistAlbumsOptions{IncludeGroups: []IncludeGroup{"ep"}})
	wantInputError(t, "unknown group", err, seen)
	_, err = c.Artists.TopTracks(ctx, artistID, &MarketOptions{Market: "USA"})
	wantInputError(t, "bad market", err, seen)
	_, err = c.Artists.RelatedArtists(ctx, "")
	wantInputError(t, "empty ID", err, seen)
}
