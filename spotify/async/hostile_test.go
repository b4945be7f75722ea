package async

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/internal/contract"
	"github.com/spotflow/spotflow/internal/hostile"
	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
)

// listPlaylist is the ID the list handlers serve under.
const listPlaylist = "37i9dQZF1DXcBWIGoYBM5M"

// listHandler serves l as the items of a playlist, the way Spotify writes
// them (item i is the track whose ID is i in 22 digits), with the faults
// of l's server.
func listHandler(l hostile.List) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/playlists/"+listPlaylist+"/items" {
			http.NotFound(w, r)
			return
		}
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		p := l.Page(offset, limit)
		b := make([]byte, 0, 64+len(p.Items)*100)
		b = append(b, `{"href":"x","items":[`...)
		for i, v := range p.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = fmt.Appendf(b, `{"is_local":false,"item":{"type":"track","id":"%022d","uri":"spotify:track:%022d"}}`, v, v)
		}
		b = fmt.Appendf(b, `],"limit":%d,"offset":%d`, limit, offset)
		if l.Total != hostile.TotalMissing {
			b = fmt.Appendf(b, `,"total":%d`, p.Total)
		}
		if p.Next != "" {
			b = fmt.Appendf(b, `,"next":%q`, p.Next)
		} else {
			b = append(b, `,"next":null`...)
		}
		b = append(b, '}')
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
}

// listClient is a client whose requests h serves, in memory or, with
// sockets, through an httptest server.
func listClient(t *testing.T, h http.Handler, sockets bool) *spotify.Client {
	t.Helper()
	lim, err := ratelimit.New(ratelimit.WithRate(rate.Inf, 0), ratelimit.WithMaxInFlight(0), ratelimit.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	opts := []spotify.Option{
		spotify.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "token"})),
		spotify.WithLimiter(lim),
	}
	if sockets {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		opts = append(opts, spotify.WithBaseURL(srv.URL+"/v1/"))
	} else {
		opts = append(opts, spotify.WithBaseURL("http://api.spotify.test/v1/"),
			spotify.WithHTTPClient(&http.Client{Transport: handlerTransport{h}}))
	}
	c, err := spotify.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// handlerTransport serves requests with a handler, in memory.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// rowInts turns the rows of a walk back into the list's ints.
func rowInts(seq func(func(models.PlaylistItem, error) bool)) outcome {
	var o outcome
	for it, err := range seq {
		if err != nil {
			o.err = err
			break
		}
		n := -1
		if t := it.Track(); t != nil {
			n, _ = strconv.Atoi(t.ID)
		}
		o.items = append(o.items, n)
	}
	return o
}

// TestPlaylistItemsProperty serves 1,000 random lists (internal/hostile:
// lengths 0 to 5,000; pages short, long and empty at random offsets;
// totals true, high, low, missing; next links that loop) as playlists, and
// walks each through the client: Playlists.ItemsAll, the reference, and
// async Playlists.Items with prefetch 1, 4 and 16. Each walk delivers the
// list in order, each item once, all of it or a prefix and an error
// matching ErrInvalidReply; every stream delivers what the walk does.
// Most lists are served in memory; every 50th through a real HTTP server.
// The seed is in every failure message.
func TestPlaylistItemsProperty(t *testing.T) {
	const seed = 1403
	r := rand.New(rand.NewPCG(seed, 3))
	for i := range 1000 {
		l := hostile.Random(r)
		l.Limit = 10 + r.IntN(41) // the endpoint's 1-50, kept off the slowest
		if l.Cap > l.Limit {
			l.Cap = l.Limit
		}
		c := listClient(t, listHandler(l), i%50 == 0)
		opts := &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: l.Limit, Offset: l.Start}}
		checkStreams(t, fmt.Sprintf("seed %d, list %d", seed, i), l, func(prefetch int) outcome {
			if prefetch == 0 {
				return rowInts(c.Playlists.ItemsAll(t.Context(), listPlaylist, opts))
			}
			a, err := New(c, WithPrefetch(prefetch))
			if err != nil {
				t.Fatal(err)
			}
			return rowInts(a.Playlists.Items(t.Context(), listPlaylist, opts).All())
		})
	}
}

// heapInUse returns the bytes in the spans of the heap holding objects,
// garbage included.
func heapInUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestStreamHugeTotal: a first page that says its playlist holds
// MaxInt64 items (or 10^8, or just under what a list may hold) costs no
// memory: the stream delivers its first item with the heap under 50 MB,
// and ends with an error or at the real end of the list.
func TestStreamHugeTotal(t *testing.T) {
	const limit, real = 50, 120
	for _, total := range []int{math.MaxInt64, 100_000_000, 9_999_999} {
		t.Run(strconv.Itoa(total), func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				var rows []string
				n := 1 // the first page holds one item, as in the wild
				if offset > 0 {
					n = min(limit, max(0, real-offset))
				}
				for i := offset; i < offset+n; i++ {
					rows = append(rows, fmt.Sprintf(`{"item":{"type":"track","id":"%022d"}}`, i))
				}
				next := "null"
				if offset+n < real {
					next = fmt.Sprintf(`"https://api.spotify.com/v1/playlists/x/items?offset=%d&limit=%d"`, offset+n, limit)
				}
				fmt.Fprintf(w, `{"items":[%s],"next":%s,"total":%d,"limit":%d,"offset":%d}`, strings.Join(rows, ","), next, total, limit, offset)
			})
			a, err := New(listClient(t, h, false), WithPrefetch(16))
			if err != nil {
				t.Fatal(err)
			}
			runtime.GC()
			base := heapInUse()
			got := 0
			var end error
			for _, err := range a.Playlists.Items(t.Context(), listPlaylist, nil).All() {
				if err != nil {
					end = err
					break
				}
				if got++; got == 1 {
					if used := heapInUse() - min(base, heapInUse()); used > 50<<20 {
						t.Fatalf("%d MB of heap at the first item", used>>20)
					}
				}
			}
			switch {
			case got == 0:
				t.Fatalf("no item delivered: %v", end)
			case end == nil && got != real:
				t.Fatalf("%d items and no error; the list has %d", got, real)
			case end != nil && !invalidReply(end):
				t.Fatalf("after %d items: %v, want ErrInvalidReply", got, end)
			}
			t.Logf("%d items, then %v", got, end)
		})
	}
}

// TestStreamErrorsNameTheRoute: every paged stream names its endpoint in
// its errors by the contract's method and route, and that route is the one
// its requests went to. The server answers each page with a next link
// back to offset 0, under every key a wrapped answer may use.
func TestStreamErrorsNameTheRoute(t *testing.T) {
	endpoints, err := contract.LoadEndpoints()
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, e := range endpoints {
		routes[e.Method+" "+e.Path] = true
	}
	page := `{"items":[{}],"total":5,"limit":1,"offset":0,"next":"https://api.spotify.com/v1/x?offset=0&limit=1"}`
	body := `{"items":[{}],"total":5,"limit":1,"offset":0,"next":"https://api.spotify.com/v1/x?offset=0&limit=1"`
	for _, key := range []string{"albums", "categories", "playlists", "tracks", "artists", "shows", "episodes", "audiobooks"} {
		body += `,"` + key + `":` + page
	}
	body += "}"
	var seen []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, strings.TrimPrefix(r.URL.Path, "/v1"))
		io.WriteString(w, body)
	})
	a, err := New(listClient(t, h, false), WithPrefetch(1))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	const id = "0000000000000000000001"
	streams := map[string]func() error{
		"Albums.Tracks":         func() error { return drain(a.Albums.Tracks(ctx, id, nil)) },
		"Albums.NewReleases":    func() error { return drain(a.Albums.NewReleases(ctx, nil)) },
		"Albums.Saved":          func() error { return drain(a.Albums.Saved(ctx, nil)) },
		"Artists.Albums":        func() error { return drain(a.Artists.Albums(ctx, id, nil)) },
		"Audiobooks.Chapters":   func() error { return drain(a.Audiobooks.Chapters(ctx, id, nil)) },
		"Audiobooks.Saved":      func() error { return drain(a.Audiobooks.Saved(ctx, nil)) },
		"Categories.List":       func() error { return drain(a.Categories.List(ctx, nil)) },
		"Episodes.Saved":        func() error { return drain(a.Episodes.Saved(ctx, nil)) },
		"Playlists.Items":       func() error { return drain(a.Playlists.Items(ctx, id, nil)) },
		"Playlists.Tracks":      func() error { return drain(a.Playlists.Tracks(ctx, id, nil)) },
		"Playlists.Mine":        func() error { return drain(a.Playlists.Mine(ctx, nil)) },
		"Playlists.ForUser":     func() error { return drain(a.Playlists.ForUser(ctx, "smedjan", nil)) },
		"Playlists.ForCategory": func() error { return drain(a.Playlists.ForCategory(ctx, "dinner", nil)) },
		"Playlists.Featured":    func() error { return drain(a.Playlists.Featured(ctx, nil)) },
		"Search.Tracks":         func() error { return drain(a.Search.Tracks(ctx, "q", nil)) },
		"Shows.Episodes":        func() error { return drain(a.Shows.Episodes(ctx, id, nil)) },
		"Shows.Saved":           func() error { return drain(a.Shows.Saved(ctx, nil)) },
		"Tracks.Saved":          func() error { return drain(a.Tracks.Saved(ctx, nil)) },
		"Users.TopArtists":      func() error { return drain(a.Users.TopArtists(ctx, nil)) },
		"Users.TopTracks":       func() error { return drain(a.Users.TopTracks(ctx, nil)) },
	}
	for name, stream := range streams {
		seen = nil
		err := stream()
		var pe *paging.Error
		if !errors.As(err, &pe) || !invalidReply(err) {
			t.Errorf("%s: %v, want a *paging.Error", name, err)
			continue
		}
		if !routes[pe.Endpoint] {
			t.Errorf("%s: the error names %q, not a route of the contract", name, pe.Endpoint)
		}
		if len(seen) == 0 || !matchesRoute(strings.TrimPrefix(pe.Endpoint, "GET "), seen[0]) {
			t.Errorf("%s: the error names %q; the request went to %v", name, pe.Endpoint, seen)
		}
	}
}

// drain reads a stream to its end and returns its error.
func drain[T any](s *Stream[T]) error {
	_, err := s.Collect()
	return err
}

// matchesRoute reports whether path is an instance of the route template.
func matchesRoute(route, path string) bool {
	r, p := strings.Split(route, "/"), strings.Split(path, "/")
	if len(r) != len(p) {
		return false
	}
	for i := range r {
		if !strings.HasPrefix(r[i], "{") && r[i] != p[i] {
			return false
		}
	}
	return true
}
