package spotify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/spotflow/spotflow/models"
)

// This file also holds the helpers of the tests of the catalog services
// (albums, artists, tracks, audiobooks, chapters, episodes, shows).

// catCall is one request a catalog test server saw.
type catCall struct {
	method, path, query, body string
}

// catServer returns a client whose server records every request and
// answers the n-th with replies[n] (the last one repeating; none answers an
// empty 200), and a function returning the requests seen so far.
func catServer(t *testing.T, replies ...string) (*Client, func() []catCall) {
	t.Helper()
	var mu sync.Mutex
	var calls []catCall
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		n := len(calls)
		calls = append(calls, catCall{r.Method, strings.TrimPrefix(r.URL.Path, "/v1/"), r.URL.Query().Encode(), string(b)})
		mu.Unlock()
		if len(replies) == 0 {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, replies[min(n, len(replies)-1)])
	})
	return c, func() []catCall {
		mu.Lock()
		defer mu.Unlock()
		return append([]catCall(nil), calls...)
	}
}

// catCase is one call of a catalog method and the one request it must make.
type catCase struct {
	name   string
	reply  string // body of the 200 answer
	call   func(context.Context, *Client) error
	method string
	path   string // below /v1/
	query  string // encoded, keys sorted
	body   string // JSON; "" for none
}

func runCatCases(t *testing.T, cases []catCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			c, seen := catServer(t, tt.reply)
			if err := tt.call(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			calls := seen()
			if len(calls) != 1 {
				t.Fatalf("%d requests, want 1: %+v", len(calls), calls)
			}
			checkCatCall(t, calls[0], tt.method, tt.path, tt.query, tt.body)
		})
	}
}

func checkCatCall(t *testing.T, got catCall, method, path, query, body string) {
	t.Helper()
	if got.method != method || got.path != path || got.query != query {
		t.Errorf("request %s %s?%s, want %s %s?%s", got.method, got.path, got.query, method, path, query)
	}
	if body == "" || got.body == "" {
		if body != got.body {
			t.Errorf("body %q, want %q", got.body, body)
		}
		return
	}
	var g, w any
	if err := json.Unmarshal([]byte(got.body), &g); err != nil {
		t.Fatalf("body %q: %v", got.body, err)
	}
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		t.Fatalf("wanted body %q: %v", body, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("body %s, want %s", got.body, body)
	}
}

// catFixture returns a recorded Spotify answer as a string.
func catFixture(t *testing.T, name string) string {
	t.Helper()
	return string(readFixture(t, name))
}

// catIDs returns n distinct valid IDs.
func catIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%022d", i)
	}
	return out
}

// expect returns an error saying what was decoded when ok is false.
func expect(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf("decoded "+format, args...)
}

// nullsOf returns a batch answer under key with n null entries.
func nullsOf(key string, n int) string {
	return `{"` + key + `":[` + strings.TrimSuffix(strings.Repeat("null,", n), ",") + `]}`
}

// pageOf returns a page answer of n items from offset, total in all.
func pageOf(item string, n, offset, total int) string {
	items := strings.TrimSuffix(strings.Repeat(item+",", n), ",")
	next := "null"
	if offset+n < total {
		next = `"https://api.spotify.com/v1/next"`
	}
	return fmt.Sprintf(`{"items":[%s],"offset":%d,"limit":%d,"total":%d,"next":%s}`, items, offset, n, total, next)
}

// wantInputError checks that err is an input error and nothing was sent.
func wantInputError(t *testing.T, name string, err error, seen func() []catCall) {
	t.Helper()
	if !errors.Is(err, ErrInvalidInput) && !errors.Is(err, models.ErrInvalidID) {
		t.Errorf("%s: got %v, want an input error", name, err)
	}
	if n := len(seen()); n != 0 {
		t.Errorf("%s: %d requests were sent", name, n)
	}
}

const albumID = "0sNOF9WDwhWunNAHPD3Baj"

func TestAlbumCalls(t *testing.T) {
	album, saved := catFixture(t, "find_album.json"), catFixture(t, "current_users_albums.json")
	runCatCases(t, []catCase{
		{name: "Get", reply: album, method: "GET", path: "albums/" + albumID, query: "market=SE",
			call: func(ctx context.Context, c *Client) error {
				a, err := c.Albums.Get(ctx, "spotify:album:"+albumID, &MarketOptions{Market: "SE"})
				if err != nil {
					return err
				}
				return expect(a.ID == albumID && a.Name == "She's So Unusual", "%q %q", a.ID, a.Name)
			}},
		{name: "Tracks", reply: pageOf(`{"id":"`+trackID+`","name":"Money Changes Everything"}`, 1, 5, 6),
			method: "GET", path: "albums/" + albumID + "/tracks", query: "limit=10&market=from_token&offset=5",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Albums.Tracks(ctx, albumID, &AlbumTracksOptions{ListOptions{10, 5}, "from_token"})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 1 && p.Items[0].Name == "Money Changes Everything" && p.Total == 6, "%+v", p)
			}},
		{name: "NewReleases", reply: `{"albums":` + pageOf(`{"id":"`+albumID+`","name":"New"}`, 1, 0, 1) + `}`,
			method: "GET", path: "browse/new-releases", query: "limit=1",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Albums.NewReleases(ctx, &AlbumNewReleasesOptions{ListOptions{Limit: 1}})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 1 && p.Items[0].Name == "New", "%+v", p)
			}},
		{name: "Saved", reply: saved, method: "GET", path: "me/albums", query: "limit=20",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Albums.Saved(ctx, &AlbumSavedOptions{ListOptions: ListOptions{Limit: 20}})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 2 && p.Items[0].Album.Name == "Love In The Future" && !p.Items[0].AddedAt.IsZero(), "%+v", p.Items)
			}},
		{name: "Save", method: "PUT", path: "me/albums", query: "ids=" + albumID,
			call: func(ctx context.Context, c *Client) error { return c.Albums.Save(ctx, []string{albumID}) }},
		{name: "RemoveSaved", method: "DELETE", path: "me/albums", query: "ids=" + albumID,
			call: func(ctx context.Context, c *Client) error { return c.Albums.RemoveSaved(ctx, []string{albumID}) }},
		{name: "CheckSaved", reply: "[true]", method: "GET", path: "me/albums/contains", query: "ids=" + albumID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Albums.CheckSaved(ctx, []string{albumID})
				if err != nil {
					return err
				}
				return expect(len(got) == 1 && got[0], "%v", got)
			}},
	})
}

func TestAlbumGetManyChunksInOrderWithNulls(t *testing.T) {
	ids := catIDs(25)
	first := `{"albums":[{"id":"` + ids[0] + `","type":"album","name":"First"},` + strings.Repeat("null,", 18) + `null]}`
	c, seen := catServer(t, first, nullsOf("albums", 5))
	got, err := c.Albums.GetMany(context.Background(), ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 25 || got[0] == nil || got[0].Name != "First" || got[1] != nil || got[24] != nil {
		t.Fatalf("got %d results: %v", len(got), got)
	}
	calls := seen()
	if len(calls) != 2 {
		t.Fatalf("%d requests, want 2", len(calls))
	}
	checkCatCall(t, calls[0], "GET", "albums", "ids="+strings.Join(ids[:20], "%2C"), "")
	checkCatCall(t, calls[1], "GET", "albums", "ids="+strings.Join(ids[20:], "%2C"), "")
}

// TestBatchAnswersLineUpWithTheIDs: a batch answer that cannot be lined up
// with the IDs asked (fewer entries, more entries, an entry for another ID
// or of another type) is refused rather than padded, trimmed or shifted.
func TestBatchAnswersLineUpWithTheIDs(t *testing.T) {
	ids := catIDs(3)
	album := func(id, typ string) string { return `{"id":"` + id + `","type":"` + typ + `"}` }
	for name, reply := range map[string]string{
		"short":           `{"albums":[` + album(ids[0], "album") + `,null]}`,
		"long":            `{"albums":[null,null,null,` + album(ids[0], "album") + `]}`,
		"missing":         `{}`,
		"null":            `null`,
		"another album":   `{"albums":[null,` + album(ids[2], "album") + `,null]}`,
		"another type":    `{"albums":[` + album(ids[0], "artist") + `,null,null]}`,
		"an empty object": `{"albums":[{},null,null]}`,
	} {
		c, _ := catServer(t, reply)
		got, err := c.Albums.GetMany(context.Background(), ids, nil)
		if !errors.Is(err, ErrInvalidReply) || got != nil {
			t.Errorf("%s: got %v, %v; want ErrInvalidReply", name, got, err)
		}
	}
}

func TestAlbumSaveChunksTo20InQuery(t *testing.T) {
	ids := catIDs(21)
	c, seen := catServer(t)
	if err := c.Albums.Save(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	calls := seen()
	if len(calls) != 2 {
		t.Fatalf("%d requests, want 2", len(calls))
	}
	checkCatCall(t, calls[0], "PUT", "me/albums", "ids="+strings.Join(ids[:20], "%2C"), "")
	checkCatCall(t, calls[1], "PUT", "me/albums", "ids="+ids[20], "")
}

func TestAlbumIteratorsWalkEveryPage(t *testing.T) {
	item := `{"id":"` + trackID + `"}`
	c, seen := catServer(t, pageOf(item, 50, 0, 60), pageOf(item, 10, 50, 60))
	n := 0
	for _, err := range c.Albums.TracksAll(context.Background(), albumID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	calls := seen()
	if n != 60 || len(calls) != 2 {
		t.Fatalf("%d items in %d requests", n, len(calls))
	}
	checkCatCall(t, calls[1], "GET", "albums/"+albumID+"/tracks", "limit=50&offset=50", "")

	c, seen = catServer(t, `{"albums":`+pageOf(`{"id":"`+albumID+`"}`, 2, 0, 2)+`}`)
	for _, err := range c.Albums.NewReleasesAll(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkCatCall(t, seen()[0], "GET", "browse/new-releases", "limit=50", "")

	c, seen = catServer(t, pageOf(`{"added_at":"2024-01-02T03:04:05Z","album":{"id":"`+albumID+`"}}`, 1, 3, 4))
	for a, err := range c.Albums.SavedAll(context.Background(), &AlbumSavedOptions{ListOptions: ListOptions{Offset: 3}}) {
		if err != nil || a.Album.ID != albumID {
			t.Fatalf("%+v, %v", a, err)
		}
	}
	checkCatCall(t, seen()[0], "GET", "me/albums", "limit=50&offset=3", "")
}

func TestAlbumRefusesBadInput(t *testing.T) {
	c, seen := catServer(t, "{}")
	ctx := context.Background()
	_, err := c.Albums.Get(ctx, "spotify:track:"+albumID, nil)
	wantInputError(t, "track URI", err, seen)
	_, err = c.Albums.GetMany(ctx, nil, nil)
	wantInputError(t, "no IDs", err, seen)
	_, err = c.Albums.GetMany(ctx, []string{albumID, "bad id"}, nil)
	wantInputError(t, "one bad ID", err, seen)
	_, err = c.Albums.GetMany(ctx, []string{albumID}, &MarketOptions{Market: "se"})
	wantInputError(t, "bad market", err, seen)
	_, err = c.Albums.NewReleases(ctx, &AlbumNewReleasesOptions{ListOptions{Limit: 51}})
	wantInputError(t, "limit 51", err, seen)
	_, err = c.Albums.Saved(ctx, &AlbumSavedOptions{ListOptions: ListOptions{Offset: -1}})
	wantInputError(t, "negative offset", err, seen)
	wantInputError(t, "save none", c.Albums.Save(ctx, []string{}), seen)
	wantInputError(t, "remove artist", c.Albums.RemoveSaved(ctx, []string{"spotify:artist:" + albumID}), seen)
	_, err = c.Albums.CheckSaved(ctx, nil)
	wantInputError(t, "check none", err, seen)
	for _, err := range c.Albums.TracksAll(ctx, "../me", nil) {
		wantInputError(t, "iterator with bad ID", err, seen)
	}
}

// joinIDs is ids as an encoded ids= query value.
func joinIDs(ids []string) string { return strings.Join(ids, "%2C") }

// bools returns n JSON booleans, alternating from true.
func bools(n int) string {
	b := make([]string, n)
	for i := range b {
		b[i] = fmt.Sprint(i%2 == 0)
	}
	return strings.Join(b, ",")
}
