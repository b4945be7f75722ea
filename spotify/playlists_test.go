package spotify

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const playlistID = "3cEYpjA9oz9GiPac4AsH4n"

func TestPlaylistGetAndItems(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, catFixture(t, "get_playlist.json")))
	p, err := c.Playlists.Get(ctx, "spotify:playlist:"+playlistID, &PlaylistOptions{Fields: "name", AdditionalTypes: []string{AdditionalTypeEpisode}})
	if err != nil || p.Name == "" {
		t.Fatalf("Get: %+v, %v", p, err)
	}
	// Playlist calls always ask for both types, whatever the caller names.
	checkCall(t, rec.only(t), "GET", "playlists/"+playlistID, url.Values{"fields": {"name"}, "additional_types": {"track,episode"}})

	c, rec = recordingClient(t, replyWith(200, catFixture(t, "playlist_tracks.json")))
	items, err := c.Playlists.Tracks(ctx, playlistID, &PlaylistItemsOptions{ListOptions: ListOptions{Limit: 100}})
	if err != nil || len(items.Items) != 40 {
		t.Fatalf("Tracks: %v", err)
	}
	checkCall(t, rec.only(t), "GET", "playlists/"+playlistID+"/tracks", url.Values{"limit": {"100"}, "additional_types": {"track,episode"}})
	_, err = c.Playlists.Items(ctx, playlistID, &PlaylistItemsOptions{ListOptions: ListOptions{Limit: 100}})
	if !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("Items with limit 100: %v", err)
	}
}

func TestPlaylistListsAndIterators(t *testing.T) {
	ctx := context.Background()
	page := func(wrap string, off, total int) string {
		items := []string{}
		for i := off; i < total && i < off+2; i++ {
			items = append(items, fmt.Sprintf(`{"id":%q,"name":"p%d"}`, testID(i), i))
		}
		next := "null"
		if off+2 < total {
			next = fmt.Sprintf(`"https://api.spotify.com/v1/list?offset=%d&limit=2"`, off+2)
		}
		p := fmt.Sprintf(`{"items":[%s],"total":%d,"limit":2,"offset":%d,"next":%s}`, strings.Join(items, ","), total, off, next)
		if wrap != "" {
			p = `{"message":"Popular Playlists","` + wrap + `":` + p + `}`
		}
		return p
	}
	tests := []struct {
		name string
		wrap string
		walk func(*PlaylistsService) func(func(struct{}, error) bool)
		path string
	}{
		{"mine", "", func(s *PlaylistsService) func(func(struct{}, error) bool) {
			return dropItems(s.MineAll(ctx, &ListOptions{Limit: 2}))
		}, "me/playlists"},
		{"for user", "", func(s *PlaylistsService) func(func(struct{}, error) bool) {
			return dropItems(s.ForUserAll(ctx, "spotify:user:smedjan", &ListOptions{Limit: 2}))
		}, "users/smedjan/playlists"},
		{"for category", "playlists", func(s *PlaylistsService) func(func(struct{}, error) bool) {
			return dropItems(s.ForCategoryAll(ctx, "dinner", &ListOptions{Limit: 2}))
		}, "browse/categories/dinner/playlists"},
		{"featured", "playlists", func(s *PlaylistsService) func(func(struct{}, error) bool) {
			return dropItems(s.FeaturedAll(ctx, &PlaylistFeaturedOptions{ListOptions: ListOptions{Limit: 2}, Locale: "sv_SE"}))
		}, "browse/featured-playlists"},
		{"items", "", func(s *PlaylistsService) func(func(struct{}, error) bool) {
			return dropItems(s.ItemsAll(ctx, playlistID, &PlaylistItemsOptions{ListOptions: ListOptions{Limit: 2}}))
		}, "playlists/" + playlistID + "/items"},
		{"tracks", "", func(s *PlaylistsService) func(func(struct{}, error) bool) {
			return dropItems(s.TracksAll(ctx, playlistID, &PlaylistItemsOptions{ListOptions: ListOptions{Limit: 2}}))
		}, "playlists/" + playlistID + "/tracks"},
	}
	for _, tt := range tests {
		c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
			return 200, page(tt.wrap, 2*n, 5)
		})
		n := 0
		for _, err := range tt.walk(c.Playlists) {
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			n++
		}
		reqs := rec.all()
		if n != 5 || len(reqs) != 3 {
			t.Fatalf("%s: %d items in %d requests", tt.name, n, len(reqs))
		}
		want := url.Values{"limit": {"2"}, "offset": {"4"}}
		if tt.name == "featured" {
			want.Set("locale", "sv_SE")
		}
		if strings.HasPrefix(tt.path, "playlists/") {
			want.Set("additional_types", "track,episode")
		}
		checkCall(t, reqs[2], "GET", tt.path, want)
	}

	c, _ := recordingClient(t, replyWith(200, page("playlists", 0, 1)))
	p, msg, err := c.Playlists.Featured(ctx, nil)
	if err != nil || msg != "Popular Playlists" || len(p.Items) != 1 {
		t.Fatalf("Featured: %v, %q, %v", p, msg, err)
	}
}

func TestPlaylistCreateAndChange(t *testing.T) {
	ctx := context.Background()
	created := `{"id":"` + playlistID + `","name":"New","snapshot_id":"s1"}`
	yes, no, empty := true, false, ""
	tests := []struct {
		name   string
		call   func(*PlaylistsService) error
		method string
		path   string
		body   string
	}{
		{"create", func(s *PlaylistsService) error {
			_, err := s.Create(ctx, "New", nil)
			return err
		}, "POST", "me/playlists", `{"name":"New","public":true}`},
		{"create collaborative", func(s *PlaylistsService) error {
			_, err := s.Create(ctx, "New", &PlaylistCreateOptions{Collaborative: true, Description: "d"})
			return err
		}, "POST", "me/playlists", `{"name":"New","public":false,"collaborative":true,"description":"d"}`},
		{"create for user", func(s *PlaylistsService) error {
			_, err := s.CreateForUser(ctx, "smedjan", "New", &PlaylistCreateOptions{Private: true})
			return err
		}, "POST", "users/smedjan/playlists", `{"name":"New","public":false}`},
		{"change", func(s *PlaylistsService) error {
			return s.ChangeDetails(ctx, playlistID, PlaylistChanges{Name: "N", Public: &no, Collaborative: &yes, Description: &empty})
		}, "PUT", "playlists/" + playlistID, `{"name":"N","public":false,"collaborative":true,"description":""}`},
		{"change public only", func(s *PlaylistsService) error {
			return s.ChangeDetails(ctx, playlistID, PlaylistChanges{Public: &yes})
		}, "PUT", "playlists/" + playlistID, `{"public":true}`},
	}
	for _, tt := range tests {
		c, rec := recordingClient(t, replyWith(201, created))
		if err := tt.call(c.Playlists); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := rec.only(t)
		checkCall(t, got, tt.method, tt.path, nil)
		checkJSONBody(t, got, tt.body)
	}

	c, rec := recordingClient(t, replyWith(201, created))
	_, err := c.Playlists.Create(ctx, " ", nil)
	wantRefused(t, "blank name", err, rec)
	wantRefused(t, "no changes", c.Playlists.ChangeDetails(ctx, playlistID, PlaylistChanges{}), rec)
	wantRefused(t, "public collaborative", c.Playlists.ChangeDetails(ctx, playlistID, PlaylistChanges{Public: &yes, Collaborative: &yes}), rec)
	_, err = c.Playlists.CreateForUser(ctx, "", "x", nil)
	wantRefused(t, "no user", err, rec)
}

func TestPlaylistCover(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, `[{"url":"https://i.scdn.co/image/x","height":640,"width":640}]`))
	imgs, err := c.Playlists.Cover(ctx, playlistID)
	if err != nil || len(imgs) != 1 || imgs[0].URL != "https://i.scdn.co/image/x" {
		t.Fatalf("Cover: %+v, %v", imgs, err)
	}
	checkCall(t, rec.only(t), "GET", "playlists/"+playlistID+"/images", nil)

	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{7}, 1000)...)
	c, rec = recordingClient(t, replyWith(202, ""))
	if err := c.Playlists.UploadCover(ctx, playlistID, jpeg); err != nil {
		t.Fatal(err)
	}
	got := rec.only(t)
	checkCall(t, got, "PUT", "playlists/"+playlistID+"/images", nil)
	if got.CType != "image/jpeg" || got.Body != base64.StdEncoding.EncodeToString(jpeg) {
		t.Errorf("upload sent %q with a %d-byte body", got.CType, len(got.Body))
	}

	c, rec = recordingClient(t, replyWith(202, ""))
	png := []byte("\x89PNG\r\n\x1a\n....")
	wantRefused(t, "png", c.Playlists.UploadCover(ctx, playlistID, png), rec)
	wantRefused(t, "empty", c.Playlists.UploadCover(ctx, playlistID, nil), rec)
	fits := append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, MaxCoverSize/4*3-3)...)
	tooBig := append(fits, 0)
	wantRefused(t, "too big", c.Playlists.UploadCover(ctx, playlistID, tooBig), rec)
	if err := c.Playlists.UploadCover(ctx, playlistID, fits); err != nil {
		t.Fatalf("largest cover refused: %v", err)
	}
}

func TestPlaylistAddChunksKeepOrderAndPosition(t *testing.T) {
	ctx := context.Background()
	uris := append(testURIs("track", 200), testURIs("episode", 50)...)
	for _, legacy := range []bool{false, true} {
		c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
			return 201, fmt.Sprintf(`{"snapshot_id":"s%d"}`, n)
		})
		pos := 5
		add, suffix := c.Playlists.AddItems, "/items"
		if legacy {
			add, suffix = c.Playlists.AddTracks, "/tracks"
		}
		snap, err := add(ctx, playlistID, uris, &PlaylistAddItemsOptions{Position: &pos})
		if err != nil || snap != "s2" {
			t.Fatalf("add: %q, %v", snap, err)
		}
		reqs := rec.all()
		if len(reqs) != 3 {
			t.Fatalf("%d requests, want 3", len(reqs))
		}
		for i, want := range []struct{ from, to, pos int }{{0, 100, 5}, {100, 200, 105}, {200, 250, 205}} {
			checkCall(t, reqs[i], "POST", "playlists/"+playlistID+suffix, nil)
			checkJSONBody(t, reqs[i], fmt.Sprintf(`{"uris":["%s"],"position":%d}`, strings.Join(uris[want.from:want.to], `","`), want.pos))
		}
	}

	c, rec := recordingClient(t, replyWith(201, `{"snapshot_id":"s"}`))
	if _, err := c.Playlists.AddItems(ctx, playlistID, uris[:2], nil); err != nil {
		t.Fatal(err)
	}
	checkJSONBody(t, rec.only(t), `{"uris":["`+uris[0]+`","`+uris[1]+`"]}`)
}

// The second chunk fails with a 500 after the playlist changed (its
// snapshot is no longer the one the first chunk left): the call stops,
// says how far it got, and that the chunk may have been added.
func TestPlaylistAddReportsProgress(t *testing.T) {
	c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
		switch {
		case r.Method == http.MethodGet:
			return 200, `{"snapshot_id":"s2"}`
		case n == 1:
			return 500, `{"error":{"status":500,"message":"Server error"}}`
		}
		return 201, `{"snapshot_id":"s1"}`
	})
	snap, err := c.Playlists.AddItems(context.Background(), playlistID, testURIs("track", 250), nil)
	if snap != "s1" || !errors.Is(err, ErrServer) || !errors.Is(err, ErrMaybeApplied) || !strings.Contains(err.Error(), "after 100 of 250") {
		t.Fatalf("got %q, %v", snap, err)
	}
	if reqs := rec.all(); len(reqs) != 3 || reqs[2].Method != http.MethodGet || reqs[2].Query.Get("fields") != "snapshot_id" {
		t.Fatalf("%d requests (%+v); want 2 POSTs and the snapshot check", len(reqs), reqs)
	}
}

// The second chunk fails with a 500 and the playlist still has the
// snapshot the first chunk left: nothing was added, so the chunk is sent
// again and the call completes.
func TestPlaylistAddResendsWhenSnapshotUnchanged(t *testing.T) {
	c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
		switch {
		case r.Method == http.MethodGet:
			return 200, `{"snapshot_id":"s1"}`
		case n == 1:
			return 502, `{"error":{"status":502,"message":"Bad gateway"}}`
		}
		return 201, `{"snapshot_id":"s1"}`
	})
	snap, err := c.Playlists.AddItems(context.Background(), playlistID, testURIs("track", 250), nil)
	if snap != "s1" || err != nil {
		t.Fatalf("got %q, %v", snap, err)
	}
	var methods []string
	for _, r := range rec.all() {
		methods = append(methods, r.Method)
	}
	if want := []string{"POST", "POST", "GET", "POST", "POST"}; !slices.Equal(methods, want) {
		t.Fatalf("requests %v, want %v", methods, want)
	}
}

func TestPlaylistRemove(t *testing.T) {
	ctx := context.Background()
	uris := testURIs("track", 150)
	refs := PlaylistItemRefs(uris...)
	refs[0].Positions = []int{0, 7}
	for _, legacy := range []bool{false, true} {
		c, rec := recordingClient(t, replyWith(200, `{"snapshot_id":"s2"}`))
		remove, suffix, key := c.Playlists.RemoveItems, "/items", "items"
		if legacy {
			remove, suffix, key = c.Playlists.RemoveTracks, "/tracks", "tracks"
		}
		snap, err := remove(ctx, playlistID, refs, &PlaylistRemoveItemsOptions{SnapshotID: "s1"})
		if err != nil || snap != "s2" {
			t.Fatalf("remove: %q, %v", snap, err)
		}
		reqs := rec.all()
		if len(reqs) != 2 {
			t.Fatalf("%d requests, want 2", len(reqs))
		}
		checkCall(t, reqs[0], "DELETE", "playlists/"+playlistID+suffix, nil)
		first := `{"uri":"` + uris[0] + `","positions":[0,7]},` + refsJSON(uris[1:100])
		checkJSONBody(t, reqs[0], `{"`+key+`":[`+first+`],"snapshot_id":"s1"}`)
		checkJSONBody(t, reqs[1], `{"`+key+`":[`+refsJSON(uris[100:])+`],"snapshot_id":"s1"}`)
	}

	c, rec := recordingClient(t, replyWith(200, `{"snapshot_id":"s2"}`))
	_, err := c.Playlists.RemoveItems(ctx, playlistID, refs, nil)
	wantRefused(t, "positions over chunks without snapshot", err, rec)
	_, err = c.Playlists.RemoveItems(ctx, playlistID, nil, nil)
	wantRefused(t, "nothing", err, rec)
	_, err = c.Playlists.RemoveItems(ctx, playlistID, []PlaylistItemRef{{URI: uris[0], Positions: []int{-1}}}, nil)
	wantRefused(t, "negative position", err, rec)
	_, err = c.Playlists.RemoveItems(ctx, playlistID, PlaylistItemRefs("spotify:album:"+trackID), nil)
	wantRefused(t, "album", err, rec)
}

// refsJSON is the JSON of PlaylistItemRefs(uris...), without brackets.
func refsJSON(uris []string) string {
	return `{"uri":"` + strings.Join(uris, `"},{"uri":"`) + `"}`
}

func TestPlaylistReorderAndReplace(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, `{"snapshot_id":"s2"}`))
	if _, err := c.Playlists.ReorderItems(ctx, playlistID, 0, 10, nil); err != nil {
		t.Fatal(err)
	}
	checkJSONBody(t, rec.only(t), `{"range_start":0,"insert_before":10}`)

	c, rec = recordingClient(t, replyWith(200, `{"snapshot_id":"s2"}`))
	snap, err := c.Playlists.ReorderTracks(ctx, playlistID, 9, 0, &PlaylistReorderOptions{RangeLength: 2, SnapshotID: "s1"})
	if err != nil || snap != "s2" {
		t.Fatalf("reorder: %q, %v", snap, err)
	}
	got := rec.only(t)
	checkCall(t, got, "PUT", "playlists/"+playlistID+"/tracks", nil)
	checkJSONBody(t, got, `{"range_start":9,"insert_before":0,"range_length":2,"snapshot_id":"s1"}`)
	c, rec = recordingClient(t, replyWith(200, `{"snapshot_id":"s2"}`))
	_, err = c.Playlists.ReorderItems(ctx, playlistID, -1, 0, nil)
	wantRefused(t, "negative range start", err, rec)
	_, err = c.Playlists.ReorderItems(ctx, playlistID, 0, 1, &PlaylistReorderOptions{RangeLength: -1})
	wantRefused(t, "negative range length", err, rec)

	uris := testURIs("track", 250)
	for _, legacy := range []bool{false, true} {
		c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
			return 200, fmt.Sprintf(`{"snapshot_id":"s%d"}`, n)
		})
		replace, suffix := c.Playlists.ReplaceItems, "/items"
		if legacy {
			replace, suffix = c.Playlists.ReplaceTracks, "/tracks"
		}
		snap, err := replace(ctx, playlistID, uris)
		if err != nil || snap != "s2" {
			t.Fatalf("replace: %q, %v", snap, err)
		}
		reqs := rec.all()
		if len(reqs) != 3 {
			t.Fatalf("%d requests, want 3", len(reqs))
		}
		for i, want := range []struct {
			method   string
			from, to int
		}{{"PUT", 0, 100}, {"POST", 100, 200}, {"POST", 200, 250}} {
			checkCall(t, reqs[i], want.method, "playlists/"+playlistID+suffix, nil)
			checkJSONBody(t, reqs[i], `{"uris":["`+strings.Join(uris[want.from:want.to], `","`)+`"]}`)
		}
	}

	c, rec = recordingClient(t, replyWith(200, `{"snapshot_id":"s9"}`))
	if snap, err := c.Playlists.ReplaceItems(ctx, playlistID, nil); err != nil || snap != "s9" {
		t.Fatalf("clear: %q, %v", snap, err)
	}
	checkJSONBody(t, rec.only(t), `{"uris":[]}`)
}

// laggingPlaylist serves a playlist on which the second request of a
// change is still under way, or not yet visible, when the client learns
// that its attempt failed: the snapshot read that follows the failure sees
// the playlist as it was before, and the change lands (or shows) only once
// that read is answered. So behaves a server whose gateway gave up (504)
// or whose answer never came (a stall, a reset) while the API went on
// working, and one whose reads lag behind its writes.
type laggingPlaylist struct {
	fail func(p *laggingPlaylist, w http.ResponseWriter, r *http.Request, apply func())

	mu      sync.Mutex
	posts   int
	applied map[string]int // times each request (by its first URI) was applied
	version int            // changes applied
	visible int            // changes a read sees
	pending func()         // a change still under way
}

func (p *laggingPlaylist) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodGet {
		p.mu.Lock()
		snap := fmt.Sprintf("s%d", p.visible)
		pending := p.pending
		p.pending = nil
		p.mu.Unlock()
		fmt.Fprintf(w, `{"snapshot_id":%q}`, snap)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		if pending != nil {
			pending()
		}
		p.mu.Lock()
		p.visible = p.version
		p.mu.Unlock()
		return
	}
	var body struct{ URIs []string }
	_ = json.NewDecoder(r.Body).Decode(&body)
	apply := func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.applied[body.URIs[0]]++
		p.version++
	}
	p.mu.Lock()
	p.posts++
	second := p.posts == 2
	p.mu.Unlock()
	if second {
		p.fail(p, w, r, apply)
		return
	}
	apply()
	p.mu.Lock()
	p.visible = p.version
	snap := fmt.Sprintf("s%d", p.version)
	p.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"snapshot_id":%q}`, snap)
}

// later leaves apply to run once the next snapshot read is answered.
func (p *laggingPlaylist) later(apply func()) {
	p.mu.Lock()
	p.pending = apply
	p.mu.Unlock()
}

// A snapshot read proves that a change was not applied only when the
// server answered that it failed. After a 504 (the gateway gave up; the
// API may still be at work), a failure with no answer (a stall, a reset:
// the request may still be under way) or a 2xx whose body is unusable
// (the change was applied, whatever a lagging read says), the read proves
// nothing: the request is not sent again, and the error says it may have
// been applied.
func TestPlaylistAddNoResendWhileTheChangeMayBeUnderWay(t *testing.T) {
	for _, tt := range []struct {
		name string
		fail func(p *laggingPlaylist, w http.ResponseWriter, r *http.Request, apply func())
	}{
		{"504", func(p *laggingPlaylist, w http.ResponseWriter, r *http.Request, apply func()) {
			p.later(apply)
			w.WriteHeader(http.StatusGatewayTimeout)
			io.WriteString(w, `{"error":{"status":504,"message":"Gateway timeout"}}`)
		}},
		{"stall", func(p *laggingPlaylist, w http.ResponseWriter, r *http.Request, apply func()) {
			p.later(apply)
			<-r.Context().Done() // the client gives up at the progress timeout
		}},
		{"reset", func(p *laggingPlaylist, w http.ResponseWriter, r *http.Request, apply func()) {
			p.later(apply)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				panic(err)
			}
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}},
		{"201 with an unusable body", func(p *laggingPlaylist, w http.ResponseWriter, r *http.Request, apply func()) {
			apply() // applied, but the next read does not see it yet
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"snapshot_id":`)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &laggingPlaylist{fail: tt.fail, applied: map[string]int{}}
			var opts []Option
			if tt.name == "stall" {
				opts = append(opts, WithProgressTimeout(200*time.Millisecond))
			}
			c := newTestClient(t, p.ServeHTTP, opts...)
			uris := testURIs("track", 150)
			_, err := c.Playlists.AddItems(context.Background(), playlistID, uris, nil)
			if !errors.Is(err, ErrMaybeApplied) {
				t.Errorf("error %v, want ErrMaybeApplied", err)
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			if n := p.applied[uris[100]]; n > 1 {
				t.Errorf("the second request was applied %d times", n)
			}
		})
	}
}
