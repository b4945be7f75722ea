package spotify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/ratelimit"
)

// fixedBody answers every request with the same body, from memory.
type fixedBody struct {
	mu   sync.Mutex
	body []byte
}

func (m *fixedBody) RoundTrip(req *http.Request) (*http.Response, error) {
	m.mu.Lock()
	body := m.body
	m.mu.Unlock()
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

func fixedBodyClient(t *testing.T, rt http.RoundTripper) *Client {
	t.Helper()
	lim, err := ratelimit.New(ratelimit.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(
		WithBaseURL("https://api.spotify.test/v1/"),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken})),
		WithLimiter(lim),
		WithHTTPClient(&http.Client{Transport: rt}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// hostileBody fills the list at path (members joined by '.', "" for an
// answer that is itself a list) with elem until the body is about size
// bytes long.
func hostileBody(path, elem string, size int) []byte {
	var head, tail strings.Builder
	if path == "" {
		head.WriteString("[")
		tail.WriteString("]")
	} else {
		keys := strings.Split(path, ".")
		for _, k := range keys {
			head.WriteString(`{"` + k + `":`)
		}
		head.WriteString("[")
		tail.WriteString("]")
		tail.WriteString(strings.Repeat("}", len(keys)))
	}
	n := max(1, (size-head.Len()-tail.Len())/(len(elem)+1))
	elems := bytes.Repeat([]byte(elem+","), n) // one copy loop, fast under -race too
	return slices.Concat([]byte(head.String()), elems[:len(elems)-1], []byte(tail.String()))
}

// nestedElem is one element whose arrays (under the names the models use)
// hold about size bytes of empty objects and strings.
func nestedElem(size int) string {
	names := []string{"artists", "images", "items", "segments", "copyrights", "genres"}
	per := size / len(names) / 3
	var b strings.Builder
	b.WriteString("{")
	for i, name := range names {
		if i > 0 {
			b.WriteString(",")
		}
		elem := "{}"
		if name == "genres" {
			elem = `""`
		}
		b.WriteString(`"` + name + `":[` + strings.TrimSuffix(strings.Repeat(elem+",", per), ",") + `]`)
	}
	b.WriteString("}")
	return b.String()
}

// shapes are the hostile bodies each answer is tried with, at the byte cap.
var shapes = []struct {
	name string
	body func(path string, size int) []byte
}{
	{"empty objects", func(path string, size int) []byte { return hostileBody(path, "{}", size) }},
	{"long array", func(path string, size int) []byte { return hostileBody(path, "null", size) }},
	{"long nested arrays", func(path string, size int) []byte { return hostileBody(path, nestedElem(size-64), size) }},
	{"deep arrays", func(path string, size int) []byte {
		d := (size - len(path) - 16) / 2
		return hostileBody(path, strings.Repeat("[", d)+strings.Repeat("]", d), size)
	}},
	{"deep objects", func(path string, size int) []byte {
		d := (size - len(path) - 16) / 7
		return hostileBody(path, strings.Repeat(`{"a":`, d)+"1"+strings.Repeat("}", d), size)
	}},
}

// hostileAnswer is one kind of answer an endpoint gives: the call that asks for
// it, and where its list is (or its longest array, for a single object).
type hostileAnswer struct {
	name string
	path string
	call func(ctx context.Context, c *Client) error
}

func ignore[T any](_ T, err error) error { return err }

// hostileAnswers has a row per model type an endpoint returns, batch answers
// included: every endpoint family.
var hostileAnswers = []hostileAnswer{
	{"album", "tracks.items", func(ctx context.Context, c *Client) error { return ignore(c.Albums.Get(ctx, albumID, nil)) }},
	{"albums (batch)", "albums", func(ctx context.Context, c *Client) error {
		return ignore(c.Albums.GetMany(ctx, []string{albumID}, nil))
	}},
	{"album tracks page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Albums.Tracks(ctx, albumID, nil)) }},
	{"new releases (wrapped page)", "albums.items", func(ctx context.Context, c *Client) error { return ignore(c.Albums.NewReleases(ctx, nil)) }},
	{"saved albums page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Albums.Saved(ctx, nil)) }},
	{"contains (booleans)", "", func(ctx context.Context, c *Client) error { return ignore(c.Albums.CheckSaved(ctx, []string{albumID})) }},
	{"artist", "genres", func(ctx context.Context, c *Client) error { return ignore(c.Artists.Get(ctx, artistID)) }},
	{"artists (batch)", "artists", func(ctx context.Context, c *Client) error { return ignore(c.Artists.GetMany(ctx, []string{artistID})) }},
	{"artist albums page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Artists.Albums(ctx, artistID, nil)) }},
	{"artist top tracks", "tracks", func(ctx context.Context, c *Client) error { return ignore(c.Artists.TopTracks(ctx, artistID, nil)) }},
	{"related artists", "artists", func(ctx context.Context, c *Client) error { return ignore(c.Artists.RelatedArtists(ctx, artistID)) }},
	{"audiobook", "chapters.items", func(ctx context.Context, c *Client) error { return ignore(c.Audiobooks.Get(ctx, audiobookID, nil)) }},
	{"audiobooks (batch)", "audiobooks", func(ctx context.Context, c *Client) error {
		return ignore(c.Audiobooks.GetMany(ctx, []string{audiobookID}, nil))
	}},
	{"audiobook chapters page", "items", func(ctx context.Context, c *Client) error {
		return ignore(c.Audiobooks.Chapters(ctx, audiobookID, nil))
	}},
	{"saved audiobooks page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Audiobooks.Saved(ctx, nil)) }},
	{"category", "icons", func(ctx context.Context, c *Client) error { return ignore(c.Categories.Get(ctx, "dinner", nil)) }},
	{"categories (wrapped page)", "categories.items", func(ctx context.Context, c *Client) error { return ignore(c.Categories.List(ctx, nil)) }},
	{"chapter", "images", func(ctx context.Context, c *Client) error { return ignore(c.Chapters.Get(ctx, chapterID, nil)) }},
	{"chapters (batch)", "chapters", func(ctx context.Context, c *Client) error {
		return ignore(c.Chapters.GetMany(ctx, []string{chapterID}, nil))
	}},
	{"episode", "images", func(ctx context.Context, c *Client) error { return ignore(c.Episodes.Get(ctx, episodeID, nil)) }},
	{"episodes (batch)", "episodes", func(ctx context.Context, c *Client) error {
		return ignore(c.Episodes.GetMany(ctx, []string{episodeID}, nil))
	}},
	{"saved episodes page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Episodes.Saved(ctx, nil)) }},
	{"genre seeds", "genres", func(ctx context.Context, c *Client) error { return ignore(c.Genres.Seeds(ctx)) }},
	{"markets", "markets", func(ctx context.Context, c *Client) error { return ignore(c.Markets.List(ctx)) }},
	{"library contains", "", func(ctx context.Context, c *Client) error {
		return ignore(c.Library.Contains(ctx, []string{"spotify:track:" + trackID}))
	}},
	{"playback state", "item.artists", func(ctx context.Context, c *Client) error { return ignore(c.Player.State(ctx, nil)) }},
	{"currently playing", "item.artists", func(ctx context.Context, c *Client) error { return ignore(c.Player.CurrentlyPlaying(ctx, nil)) }},
	{"devices", "devices", func(ctx context.Context, c *Client) error { return ignore(c.Player.Devices(ctx)) }},
	{"queue", "queue", func(ctx context.Context, c *Client) error { return ignore(c.Player.Queue(ctx)) }},
	{"recently played (cursor page)", "items", func(ctx context.Context, c *Client) error { return ignore(c.Player.RecentlyPlayed(ctx, nil)) }},
	{"playlist", "items.items", func(ctx context.Context, c *Client) error { return ignore(c.Playlists.Get(ctx, playlistID, nil)) }},
	{"playlist items page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Playlists.Items(ctx, playlistID, nil)) }},
	{"playlist tracks page (legacy)", "items", func(ctx context.Context, c *Client) error { return ignore(c.Playlists.Tracks(ctx, playlistID, nil)) }},
	{"my playlists page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Playlists.Mine(ctx, nil)) }},
	{"category playlists (wrapped page)", "playlists.items", func(ctx context.Context, c *Client) error {
		return ignore(c.Playlists.ForCategory(ctx, "dinner", nil))
	}},
	{"featured playlists (wrapped page)", "playlists.items", func(ctx context.Context, c *Client) error {
		_, _, err := c.Playlists.Featured(ctx, nil)
		return err
	}},
	{"playlist cover", "", func(ctx context.Context, c *Client) error { return ignore(c.Playlists.Cover(ctx, playlistID)) }},
	{"playlist snapshot", "snapshot_id", func(ctx context.Context, c *Client) error {
		return ignore(c.Playlists.ReplaceItems(ctx, playlistID, []string{"spotify:track:" + trackID}))
	}},
	{"search", "tracks.items", func(ctx context.Context, c *Client) error {
		return ignore(c.Search.Search(ctx, "q", []SearchType{SearchTypeTrack, SearchTypeAlbum}, nil))
	}},
	{"show", "episodes.items", func(ctx context.Context, c *Client) error { return ignore(c.Shows.Get(ctx, showID, nil)) }},
	{"shows (batch)", "shows", func(ctx context.Context, c *Client) error { return ignore(c.Shows.GetMany(ctx, []string{showID}, nil)) }},
	{"show episodes page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Shows.Episodes(ctx, showID, nil)) }},
	{"saved shows page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Shows.Saved(ctx, nil)) }},
	{"track", "artists", func(ctx context.Context, c *Client) error { return ignore(c.Tracks.Get(ctx, trackID, nil)) }},
	{"tracks (batch)", "tracks", func(ctx context.Context, c *Client) error {
		return ignore(c.Tracks.GetMany(ctx, []string{trackID}, nil))
	}},
	{"saved tracks page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Tracks.Saved(ctx, nil)) }},
	{"audio features", "x", func(ctx context.Context, c *Client) error { return ignore(c.Tracks.AudioFeatures(ctx, trackID)) }},
	{"audio features (batch)", "audio_features", func(ctx context.Context, c *Client) error {
		return ignore(c.Tracks.AudioFeaturesMany(ctx, []string{trackID}))
	}},
	{"audio analysis", "segments", func(ctx context.Context, c *Client) error { return ignore(c.Tracks.AudioAnalysis(ctx, trackID)) }},
	{"recommendations", "tracks", func(ctx context.Context, c *Client) error {
		return ignore(c.Tracks.Recommendations(ctx, RecommendationSeeds{Tracks: []string{trackID}}, nil))
	}},
	{"current user", "images", func(ctx context.Context, c *Client) error { return ignore(c.Users.Me(ctx)) }},
	{"user", "images", func(ctx context.Context, c *Client) error { return ignore(c.Users.Get(ctx, "smedjan")) }},
	{"top artists page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Users.TopArtists(ctx, nil)) }},
	{"top tracks page", "items", func(ctx context.Context, c *Client) error { return ignore(c.Users.TopTracks(ctx, nil)) }},
	{"followed artists (wrapped cursor page)", "artists.items", func(ctx context.Context, c *Client) error {
		return ignore(c.Users.FollowedArtists(ctx, nil))
	}},
}

// TestHostileBodiesAtTheCap tries every kind of answer with bodies at the
// default byte cap (16 MiB) made of empty objects, a long array of nulls,
// long nested arrays, deeply nested arrays and deeply nested objects. Each
// must end in an error matching ErrInvalidReply or a result, and the heap
// the call allocates (a bound of its peak: everything it allocated, live
// or not) must stay within 8 times the cap.
func TestHostileBodiesAtTheCap(t *testing.T) {
	switch {
	case testing.Short():
		t.Skip("decodes about 300 bodies of 16 MiB")
	case raceEnabled:
		t.Skip("sequential; the race detector would shadow 300 copies of 16 MiB for minutes. The run without it tries every body.")
	}
	const limit = 8 * DefaultMaxResponseSize
	rt := &fixedBody{}
	c := fixedBodyClient(t, rt)
	rows := slices.Clone(hostileAnswers)
	slices.SortFunc(rows, func(a, b hostileAnswer) int { return strings.Compare(a.path, b.path) })
	var worst uint64
	var worstName string
	for _, shape := range shapes {
		path := "\x00"
		for _, a := range rows {
			if a.path != path { // rows sorted by path share a body
				path = a.path
				rt.mu.Lock()
				rt.body = nil
				rt.mu.Unlock()
				runtime.GC()
				body := shape.body(path, DefaultMaxResponseSize-1024)
				rt.mu.Lock()
				rt.body = body
				rt.mu.Unlock()
			}
			before := allocatedBytes()
			err := a.call(context.Background(), c)
			used := allocatedBytes() - before
			name := a.name + "/" + shape.name
			if err != nil && !errors.Is(err, ErrInvalidReply) {
				t.Errorf("%s: %v; want a result or ErrInvalidReply", name, err)
			}
			if used > limit {
				t.Errorf("%s: %d MiB allocated, over 8 times the cap", name, used>>20)
			}
			if err == nil {
				t.Logf("%s: a result, %d MiB allocated", name, used>>20)
			}
			if used > worst {
				worst, worstName = used, name
			}
		}
	}
	t.Logf("most allocated by one call: %d MiB (%s); the cap is %d MiB", worst>>20, worstName, DefaultMaxResponseSize>>20)
}

// allocatedBytes returns the bytes the process has allocated so far.
func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
