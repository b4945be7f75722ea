package async

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// fake starts a spotifytest server and returns it with an async client.
// The client's limiter does not pace: the fake has no rate window unless a
// test asks for one.
func fake(tb testing.TB, opts ...spotifytest.Option) (*spotifytest.Server, *Client) {
	tb.Helper()
	srv := spotifytest.NewServer(opts...)
	tb.Cleanup(srv.Close)
	lim, err := ratelimit.New(ratelimit.WithRate(rate.Inf, 0), ratelimit.WithMaxInFlight(0))
	if err != nil {
		tb.Fatal(err)
	}
	a, err := New(syncClient(tb, srv, lim))
	if err != nil {
		tb.Fatal(err)
	}
	return srv, a
}

// syncClient is a client of srv with a token of its default user carrying
// every scope, its requests going through lim.
func syncClient(tb testing.TB, srv *spotifytest.Server, lim *ratelimit.Limiter) *spotify.Client {
	tb.Helper()
	tok := &oauth2.Token{AccessToken: srv.UserToken(""), TokenType: "Bearer"}
	c, err := spotify.NewClient(
		spotify.WithBaseURL(srv.URL+"/v1/"),
		spotify.WithTokenSource(oauth2.StaticTokenSource(tok)),
		spotify.WithLimiter(lim),
	)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// uris returns the URI of each playlist item's track or episode.
func uris(items []models.PlaylistItem) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i] = items[i].Content().URI()
	}
	return out
}

// TestPlaylist10KStream: every item of the 10,000-item playlist, once, in
// the order of a sequential walk, for several prefetch windows.
func TestPlaylist10KStream(t *testing.T) {
	srv, a := fake(t)
	id := srv.IDs().Playlist10K
	var want []models.PlaylistItem
	for it, err := range a.Sync().Playlists.ItemsAll(t.Context(), id, nil) {
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, it)
	}
	wantURIs := uris(want)
	distinct := slices.Clone(wantURIs)
	slices.Sort(distinct)
	if len(want) != 10_000 || len(slices.Compact(distinct)) != 10_000 {
		t.Fatalf("the sequential walk gave %d items, %d distinct; want 10,000 distinct tracks", len(want), len(distinct))
	}
	for _, prefetch := range []int{1, 8, 32} {
		t.Run(fmt.Sprint("prefetch=", prefetch), func(t *testing.T) {
			a, err := New(a.Sync(), WithPrefetch(prefetch))
			if err != nil {
				t.Fatal(err)
			}
			got, err := a.Playlists.Items(t.Context(), id, nil).Collect()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(uris(got), wantURIs) {
				t.Fatalf("streamed %d items, not the %d of the sequential walk in their order", len(got), len(want))
			}
		})
	}
}

// lookupIDs builds 10,000 track IDs: 8,950 distinct catalog tracks, 1,000
// repeats of them and 50 well-formed IDs the catalog does not have, in a
// seeded random order.
func lookupIDs(srv *spotifytest.Server) (ids []string, known map[string]bool) {
	tracks := srv.IDs().Tracks
	r := rand.New(rand.NewPCG(7, 7))
	r.Shuffle(len(tracks), func(i, j int) { tracks[i], tracks[j] = tracks[j], tracks[i] })
	known = make(map[string]bool)
	for _, id := range tracks[:8950] {
		ids = append(ids, id)
		known[id] = true
	}
	for range 1000 {
		ids = append(ids, ids[r.IntN(8950)])
	}
	for i := range 50 {
		ids = append(ids, fmt.Sprintf("0unknown%014d", i))
	}
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids, known
}

// TestTracksGetMany10K looks up 10,000 track IDs with duplicates and
// unknown IDs in both quota modes: batch lookups in Extended Quota, the
// single-ID fallback in Development Mode. A second lookup of 100 of them
// shows the fallback is remembered: it sends no batch request.
func TestTracksGetMany10K(t *testing.T) {
	for _, mode := range []spotifytest.Mode{spotifytest.ExtendedQuota, spotifytest.DevelopmentMode} {
		t.Run(mode.String(), func(t *testing.T) {
			srv, a := fake(t, spotifytest.WithMode(mode))
			ids, known := lookupIDs(srv)
			got, err := a.Tracks.GetMany(t.Context(), ids, nil).Await(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			checkLookup(t, ids, known, got)
			again := ids[:100]
			if _, err := a.Tracks.GetMany(t.Context(), again, nil).Await(t.Context()); err != nil {
				t.Fatal(err)
			}
			st := finalStats(srv)
			distinct, distinctAgain := countDistinct(ids), countDistinct(again)
			wantBatch, wantOne := (distinct+49)/50+(distinctAgain+49)/50, 0
			if mode == spotifytest.DevelopmentMode {
				wantBatch, wantOne = 1, distinct+distinctAgain // one refused probe, then single GETs only
			}
			if b, o := st.ByOp["get-several-tracks"], st.ByOp["get-track"]; b != wantBatch || o != wantOne {
				t.Fatalf("%d batch and %d single requests; want %d and %d", b, o, wantBatch, wantOne)
			}
		})
	}
}

// finalStats closes srv, which waits for every request to be recorded,
// and returns its counters.
func finalStats(srv *spotifytest.Server) spotifytest.Stats {
	srv.Close()
	return srv.Stats()
}

func countDistinct(ids []string) int {
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	return len(seen)
}

func checkLookup(t *testing.T, ids []string, known map[string]bool, got []*models.Track) {
	t.Helper()
	if len(got) != len(ids) {
		t.Fatalf("%d results for %d IDs", len(got), len(ids))
	}
	seen := map[string]*models.Track{}
	for i, id := range ids {
		switch {
		case !known[id] && got[i] != nil:
			t.Fatalf("result %d for unknown %s is %s; want nil", i, id, got[i].ID)
		case known[id] && (got[i] == nil || got[i].ID != id):
			t.Fatalf("result %d for %s is %v", i, id, got[i])
		}
		if p, ok := seen[id]; ok && p != got[i] {
			t.Fatalf("duplicate %s got another pointer", id)
		}
		seen[id] = got[i]
	}
}

// TestStreamsLeaveNoGoroutine: after a completed stream, an abandoned one,
// cancellations at random points and a failure mid-stream, no goroutine of
// the package is left.
func TestStreamsLeaveNoGoroutine(t *testing.T) {
	srv, a := fake(t)
	id := srv.IDs().Playlist10K
	page := func(limit int) func(context.Context, int) (*models.Page[models.PlaylistItem], error) {
		return func(ctx context.Context, offset int) (*models.Page[models.PlaylistItem], error) {
			return a.Sync().Playlists.Items(ctx, id, &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: limit, Offset: offset}})
		}
	}
	// The fake's server and the connections the client keeps open are not
	// the stream's goroutines.
	ignore := []goleak.Option{
		goleak.IgnoreCurrent(),
		goleak.IgnoreAnyFunction("net/http.(*conn).serve"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
	}

	t.Run("completed", func(t *testing.T) {
		n := 0
		for _, err := range a.Playlists.Items(t.Context(), id, nil).All() {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 10_000 {
			t.Fatalf("%d items", n)
		}
		goleak.VerifyNone(t, ignore...)
	})

	t.Run("abandoned", func(t *testing.T) {
		n := 0
		for _, err := range a.Playlists.Items(t.Context(), id, nil).All() {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 1234 {
				break
			}
		}
		goleak.VerifyNone(t, ignore...)
	})

	// Pages of 10 items and stops within the first 1,000 items keep the
	// 100 trials quick while each still cancels with pages in flight.
	t.Run("cancelled", func(t *testing.T) {
		r := rand.New(rand.NewPCG(42, 1))
		for trial := range 100 {
			ctx, cancel := context.WithCancel(t.Context())
			stopAt := r.IntN(1000)
			s := StreamPages(ctx, page(10), WithPrefetch(1+r.IntN(16)))
			if stopAt == 0 {
				cancel()
			}
			n := 0
			for range s.C() {
				if n++; n == stopAt {
					cancel()
				}
			}
			<-s.Done()
			cancel()
			if err := s.Err(); !errors.Is(err, context.Canceled) && (err != nil || n != 10_000) {
				t.Fatalf("trial %d: stopped at %d after %d items: %v", trial, stopAt, n, err)
			}
		}
		goleak.VerifyNone(t, ignore...)
	})

	t.Run("error mid-stream", func(t *testing.T) {
		boom := errors.New("page 17 failed")
		s := StreamPages(t.Context(), func(ctx context.Context, offset int) (*models.Page[models.PlaylistItem], error) {
			if offset == 17*50 {
				return nil, boom
			}
			return page(50)(ctx, offset)
		})
		got, err := s.Collect()
		if !errors.Is(err, boom) || len(got) != 17*50 {
			t.Fatalf("%d items then %v; want 850 then the page's error", len(got), err)
		}
		goleak.VerifyNone(t, ignore...)
	})
}
