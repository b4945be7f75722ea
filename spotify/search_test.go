package spotify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/models"
)

func TestSearchQueryAndDecode(t *testing.T) {
	c, rec := recordingClient(t, replyWith(200, catFixture(t, "search_trackplaylist.json")))
	r, err := c.Search.Search(context.Background(), "holiday year:2001", []SearchType{SearchTypeTrack, SearchTypePlaylist},
		&SearchOptions{ListOptions: ListOptions{Limit: 2, Offset: 4}, Market: "SE", IncludeExternal: IncludeExternalAudio})
	if err != nil {
		t.Fatal(err)
	}
	checkCall(t, rec.only(t), "GET", "search", url.Values{
		"q": {"holiday year:2001"}, "type": {"track,playlist"}, "limit": {"2"}, "offset": {"4"},
		"market": {"SE"}, "include_external": {"audio"},
	})
	if r.Tracks == nil || r.Playlists == nil || len(r.Tracks.Items) != 2 || r.Tracks.Total != 95757 {
		t.Fatalf("decoded %+v", r)
	}
	if r.Albums != nil || r.Artists != nil || r.Shows != nil || r.Episodes != nil || r.Audiobooks != nil {
		t.Errorf("types not searched decoded as non-nil: %+v", r)
	}
}

// TestSearchResultEncodesOnlyTypesSearched checks that a result written
// back as JSON, by models.Marshal or by encoding/json, has a member for each
// type searched and none for the others: no "albums": null.
func TestSearchResultEncodesOnlyTypesSearched(t *testing.T) {
	c, _ := recordingClient(t, replyWith(200, catFixture(t, "search_trackplaylist.json")))
	r, err := c.Search.Search(context.Background(), "holiday", []SearchType{SearchTypeTrack, SearchTypePlaylist}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := models.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"models.Marshal": v2, "encoding/json": v1} {
		var members map[string]json.RawMessage
		if err := json.Unmarshal(b, &members); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(members) != 2 || members["tracks"] == nil || members["playlists"] == nil {
			keys := make([]string, 0, len(members))
			for k := range members {
				keys = append(keys, k)
			}
			t.Errorf("%s wrote members %v; want tracks and playlists only", name, keys)
		}
	}
	// An empty page of a type searched is still written.
	empty := &SearchResult{Albums: &models.Page[models.SimplifiedAlbum]{}}
	if b, err := models.Marshal(empty); err != nil || !strings.Contains(string(b), `"albums":{`) {
		t.Errorf("empty page of a type searched: %s, %v", b, err)
	}
}

func TestSearchEveryType(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
		typ := r.URL.Query().Get("type")
		return 200, `{"` + typ + `s":{"items":[{"id":"` + trackID + `","name":"x"}],"total":1,"limit":10,"offset":0,"next":null}}`
	})
	counts := map[string]int{}
	count := func(name string, seq func(yield func(struct{}, error) bool)) {
		for _, err := range seq {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			counts[name]++
		}
	}
	count("track", dropItems(c.Search.TracksAll(ctx, "q", nil)))
	count("artist", dropItems(c.Search.ArtistsAll(ctx, "q", nil)))
	count("album", dropItems(c.Search.AlbumsAll(ctx, "q", nil)))
	count("playlist", dropItems(c.Search.PlaylistsAll(ctx, "q", nil)))
	count("show", dropItems(c.Search.ShowsAll(ctx, "q", nil)))
	count("episode", dropItems(c.Search.EpisodesAll(ctx, "q", nil)))
	count("audiobook", dropItems(c.Search.AudiobooksAll(ctx, "q", nil)))
	reqs := rec.all()
	if len(reqs) != 7 {
		t.Fatalf("%d requests, want 7", len(reqs))
	}
	for _, req := range reqs {
		typ := req.Query.Get("type")
		if counts[typ] != 1 || req.Query.Get("limit") != "10" {
			t.Errorf("type %s: %d items, query %v", typ, counts[typ], req.Query)
		}
	}
}

// drop forgets the items of an iterator, keeping its errors.
func dropItems[T any](seq func(yield func(T, error) bool)) func(yield func(struct{}, error) bool) {
	return func(yield func(struct{}, error) bool) {
		for _, err := range seq {
			if !yield(struct{}{}, err) {
				return
			}
		}
	}
}

func TestSearchAllPagesAndStopsAtOffsetCap(t *testing.T) {
	// An endless result: every page is full and has a next link.
	c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		items := ""
		for i := range 10 {
			if i > 0 {
				items += ","
			}
			items += fmt.Sprintf(`{"id":%q,"name":"t%d"}`, testID(off+i), off+i)
		}
		return 200, fmt.Sprintf(`{"tracks":{"items":[%s],"total":100000,"limit":10,"offset":%d,"next":"https://api.spotify.com/v1/search?offset=%d&limit=10"}}`, items, off, off+10)
	})
	n := 0
	for _, err := range c.Search.TracksAll(context.Background(), "q", &SearchOptions{ListOptions: ListOptions{Offset: 980}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	reqs := rec.all()
	if n != 30 || len(reqs) != 3 || reqs[2].Query.Get("offset") != "1000" {
		t.Fatalf("got %d items in %d requests", n, len(reqs))
	}
}

func TestSearchRefusesBadInput(t *testing.T) {
	c, rec := recordingClient(t, replyWith(200, "{}"))
	ctx := context.Background()
	tr := []SearchType{SearchTypeTrack}
	checks := map[string]error{}
	_, checks["empty query"] = c.Search.Search(ctx, "  ", tr, nil)
	_, checks["no types"] = c.Search.Search(ctx, "q", nil, nil)
	_, checks["unknown type"] = c.Search.Search(ctx, "q", []SearchType{"podcast"}, nil)
	_, checks["limit 11"] = c.Search.Search(ctx, "q", tr, &SearchOptions{ListOptions: ListOptions{Limit: 11}})
	_, checks["offset 1001"] = c.Search.Search(ctx, "q", tr, &SearchOptions{ListOptions: ListOptions{Offset: 1001}})
	_, checks["include_external"] = c.Search.Search(ctx, "q", tr, &SearchOptions{IncludeExternal: "video"})
	_, checks["market"] = c.Search.Tracks(ctx, "q", &SearchOptions{Market: "se"})
	for name, err := range checks {
		wantRefused(t, name, err, rec)
	}
}
