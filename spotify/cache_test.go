package spotify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/cache"
	"github.com/spotflow/spotflow/internal/contract"
	"github.com/spotflow/spotflow/spotifytest"
)

// userKey picks, in a request's context, whose token a perUser source
// hands out.
type userKey struct{}

// perUser is one token source for many users: a backend that calls
// Spotify for whoever is logged in puts the user in the context.
type perUser map[string]string

func (p perUser) Token() (*oauth2.Token, error) { return p.TokenContext(context.Background()) }

func (p perUser) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	u, _ := ctx.Value(userKey{}).(string)
	return &oauth2.Token{AccessToken: p[u]}, nil
}

// everythingPublic makes a server that marks every answer public and
// fresh for an hour: the worst case for a cache shared by users.
func everythingPublic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&publicWriter{ResponseWriter: w}, r)
	})
}

type publicWriter struct{ http.ResponseWriter }

func (w *publicWriter) WriteHeader(status int) {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.ResponseWriter.WriteHeader(status)
}

// TestUsersNeverSeeEachOther: two users' tokens through one client with a
// cache and coalescing, against a server that calls everything public:
// neither ever gets the other's profile, saved tracks or player state.
func TestUsersNeverSeeEachOther(t *testing.T) {
	fake := spotifytest.NewInProcess()
	defer fake.Close()
	srv := httptest.NewServer(everythingPublic(fake.Handler()))
	defer srv.Close()
	ids := fake.IDs()
	users := []string{ids.Users[0], ids.Users[1]}
	tokens := perUser{users[0]: fake.UserToken(users[0]), users[1]: fake.UserToken(users[1])}
	store, err := cache.NewMemory(16 << 20)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(WithBaseURL(srv.URL+"/v1/"), WithTokenSource(tokens), WithCache(store))
	if err != nil {
		t.Fatal(err)
	}
	defer c.http.CloseIdleConnections()
	as := func(u string) context.Context { return context.WithValue(t.Context(), userKey{}, u) }

	// Each user saves a track of their own and plays it.
	for i, u := range users {
		if err := c.Tracks.Save(as(u), []string{ids.Tracks[10+i]}); err != nil {
			t.Fatal(err)
		}
		devices, err := c.Player.Devices(as(u))
		if err != nil || len(devices) == 0 {
			t.Fatalf("devices %v, %v", devices, err)
		}
		opts := &PlayerPlayOptions{DeviceID: devices[0].ID, URIs: []string{"spotify:track:" + ids.Tracks[10+i]}}
		if err := c.Player.Play(as(u), opts); err != nil {
			t.Fatal(err)
		}
	}
	check := func(i int) {
		u, ctx := users[i%2], as(users[i%2])
		own := ids.Tracks[10+i%2]
		me, err := c.Users.Me(ctx)
		if err != nil {
			t.Error(err)
			return
		}
		if me.ID != u {
			t.Errorf("%s got the profile of %s", u, me.ID)
		}
		saved, err := c.Tracks.Saved(ctx, nil)
		if err != nil {
			t.Error(err)
			return
		}
		if len(saved.Items) == 0 || saved.Items[0].Track.ID != own {
			t.Errorf("%s got saved tracks %+v", u, saved.Items)
		}
		st, err := c.Player.State(ctx, nil)
		if err != nil {
			t.Error(err)
			return
		}
		if st.Item.Track == nil || st.Item.Track.ID != own {
			t.Errorf("%s got player state %+v", u, st.Item)
		}
	}
	// Sequential reads (the cache's path) then concurrent ones (the
	// coalescing layer's).
	for i := range 6 {
		check(i)
	}
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() { check(i) })
	}
	wg.Wait()
	if store.Len() == 0 {
		t.Error("nothing was cached: the test proved nothing")
	}
}

// TestCachedPlaylistReadFresh: a cached client re-reads an unchanged
// playlist with 304s only, and reads a changed one fresh, every page of it.
func TestCachedPlaylistReadFresh(t *testing.T) {
	fake := spotifytest.NewServer()
	defer fake.Close()
	ids := fake.IDs()
	store, _ := cache.NewMemory(16 << 20)
	c, err := NewClient(WithBaseURL(fake.URL+"/v1/"), WithCache(store),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: fake.UserToken("")})))
	if err != nil {
		t.Fatal(err)
	}
	defer c.http.CloseIdleConnections()
	ctx := t.Context()
	pl, err := c.Playlists.Create(ctx, "cached", nil)
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, id := range ids.Tracks[:120] {
		uris = append(uris, "spotify:track:"+id)
	}
	for i := 0; i < len(uris); i += 100 {
		if _, err := c.Playlists.AddItems(ctx, pl.ID, uris[i:min(i+100, len(uris))], nil); err != nil {
			t.Fatal(err)
		}
	}
	read := func() []string {
		t.Helper()
		var got []string
		for it, err := range c.Playlists.ItemsAll(ctx, pl.ID, &PlaylistItemsOptions{ListOptions: ListOptions{Limit: 50}}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, it.Item.Track.ID)
		}
		return got
	}
	statuses := func() (ok, notModified int) {
		st := fake.Stats()
		return st.ByStatus[200], st.ByStatus[304]
	}
	first := read()
	ok1, nm1 := statuses()
	again := read()
	ok2, nm2 := statuses()
	if len(again) != 120 || again[119] != first[119] {
		t.Fatalf("second read: %d items", len(again))
	}
	if ok2 != ok1 || nm2-nm1 != 3 {
		t.Errorf("unchanged playlist: %d full answers and %d 304s, want 0 and 3", ok2-ok1, nm2-nm1)
	}
	// Append one: every page's ETag changes with the snapshot, so every
	// page is read fresh, and the new item is there.
	if _, err := c.Playlists.AddItems(ctx, pl.ID, []string{"spotify:track:" + ids.Tracks[200]}, nil); err != nil {
		t.Fatal(err)
	}
	ok3, nm3 := statuses()
	fresh := read()
	ok4, nm4 := statuses()
	if len(fresh) != 121 || fresh[120] != ids.Tracks[200] {
		t.Fatalf("after the change: %d items, last %s", len(fresh), fresh[len(fresh)-1])
	}
	if ok4-ok3 != 3 || nm4 != nm3 {
		t.Errorf("changed playlist: %d full answers and %d 304s, want 3 and 0", ok4-ok3, nm4-nm3)
	}
}

// TestSharedOperations: the operations whose answers a cache shares between
// the clients of one app are, in the contract, GETs any token may call,
// none under /me, /playlists or /users.
func TestSharedOperations(t *testing.T) {
	endpoints, err := contract.LoadEndpoints()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]contract.Endpoint{}
	for _, e := range endpoints {
		byID[e.Op] = e
	}
	for id := range sharedOperations {
		e, ok := byID[id]
		switch {
		case !ok:
			t.Errorf("%s is shared but not in the contract", id)
		case e.Method != http.MethodGet || len(e.Scopes) > 0:
			t.Errorf("%s is shared but is a %s needing %v", id, e.Method, e.Scopes)
		case strings.HasPrefix(e.Path, "/me") || strings.HasPrefix(e.Path, "/playlists") || strings.HasPrefix(e.Path, "/users"):
			t.Errorf("%s (%s) is shared but reads a user's data", id, e.Path)
		}
	}
}

type appOnly struct{ oauth2.TokenSource }

func (appOnly) AppOnly() bool { return true }

// TestScope: only catalog reads made with app tokens are shared; a
// market=from_token, a user operation or a user's token keeps the answer
// to the token's identity.
func TestScope(t *testing.T) {
	app := newIdentities(appOnly{oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "app"})}, nil)
	user := newIdentities(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "user"}), nil)
	req := func(op *operation, query string) *http.Request {
		r := httptest.NewRequest("GET", "http://api.test/v1/x?"+query, nil)
		return r.WithContext(context.WithValue(r.Context(), opKey{}, op))
	}
	for _, c := range []struct {
		name   string
		ids    *identities
		r      *http.Request
		shared bool
	}{
		{"app catalog", app, req(opGetTrack, "market=SE"), true},
		{"app from_token", app, req(opGetTrack, "market=from_token"), false},
		{"app user operation", app, req(opGetCurrentUsersProfile, ""), false},
		{"app playlist", app, req(opGetPlaylist, ""), false},
		{"user catalog", user, req(opGetTrack, ""), false},
	} {
		id, ok := c.ids.scope(c.r)
		if !ok || (id == "") != c.shared {
			t.Errorf("%s: identity %q, ok %v; want shared %v", c.name, id, ok, c.shared)
		}
		if strings.Contains(id, "app") || strings.Contains(id, "user") {
			t.Errorf("%s: identity %q holds the token", c.name, id)
		}
	}
}
