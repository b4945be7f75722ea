package spotify

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/internal/fixtures"
	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
)

// The fuzz targets drive the client's whole answer path (transport stack,
// body cap, error mapping, decoding) with arbitrary answers served from
// memory. The seeds are real Spotify bodies (internal/fixtures).

// replyDecoders are the types the client decodes answers into, picked by
// FuzzDecodeReply's second argument.
var replyDecoders = []func() any{
	func() any { return new(models.Track) },
	func() any { return new(models.Album) },
	func() any { return new(models.Artist) },
	func() any { return new(models.Playlist) },
	func() any { return new(models.Episode) },
	func() any { return new(models.Show) },
	func() any { return new(models.Audiobook) },
	func() any { return new(models.Chapter) },
	func() any { return new(models.Category) },
	func() any { return new(models.AudioFeatures) },
	func() any { return new(models.AudioAnalysis) },
	func() any { return new(models.Recommendations) },
	func() any { return new(models.Queue) },
	func() any { return new(models.PrivateUser) },
	func() any { return new(models.PublicUser) },
	func() any { return new(models.CurrentlyPlayingContext) },
	func() any { return new(models.CurrentlyPlaying) },
	func() any { return new(models.ManyTracks) },
	func() any { return new(models.ManyAlbums) },
	func() any { return new(models.ManyArtists) },
	func() any { return new(models.ManyShows) },
	func() any { return new(models.ManyEpisodes) },
	func() any { return new(models.ManyAudiobooks) },
	func() any { return new(models.ManyChapters) },
	func() any { return new(models.ManyAudioFeatures) },
	func() any { return new(models.ManyDevices) },
	func() any { return new(models.Genres) },
	func() any { return new(models.MarketList) },
	func() any { return new(models.SearchItems) },
	func() any { return new(models.FollowedArtists) },
	func() any { return new(models.NewReleases) },
	func() any { return new(models.FeaturedPlaylists) },
	func() any { return new(models.Categories) },
	func() any { return new(models.SnapshotID) },
	func() any { return new(models.Page[models.PlaylistItem]) },
	func() any { return new(models.Page[models.SimplifiedPlaylist]) },
	func() any { return new(models.Page[models.SimplifiedAlbum]) },
	func() any { return new(models.Page[models.SimplifiedTrack]) },
	func() any { return new(models.Page[models.SimplifiedEpisode]) },
	func() any { return new(models.Page[models.SimplifiedShow]) },
	func() any { return new(models.Page[models.SimplifiedAudiobook]) },
	func() any { return new(models.Page[models.SimplifiedChapter]) },
	func() any { return new(models.Page[models.SavedTrack]) },
	func() any { return new(models.Page[models.SavedAlbum]) },
	func() any { return new(models.Page[models.SavedShow]) },
	func() any { return new(models.Page[models.SavedEpisode]) },
	func() any { return new(models.Page[models.SavedAudiobook]) },
	func() any { return new(models.Page[models.Artist]) },
	func() any { return new(models.Page[models.Track]) },
	func() any { return new(models.Page[models.Category]) },
	func() any { return new(models.Page[models.ArtistDiscographyAlbum]) },
	func() any { return new(models.CursorPage[models.PlayHistory]) },
	func() any { return new(models.CursorPage[models.Artist]) },
	func() any { return new(SearchResult) },
	func() any { return new(map[string][]*models.Track) }, // a batch answer as getMany reads it
	func() any { return new([]bool) },                     // a contains answer
}

// fixtureDecoder says which of replyDecoders each recorded answer is for.
var fixtureDecoder = map[string]int{
	"find_track.json":                         0,
	"find_album.json":                         1,
	"find_artist.json":                        2,
	"get_playlist.json":                       3,
	"get_episode.json":                        4,
	"get_show.json":                           5,
	"get_audio_analysis.json":                 10,
	"player_state.json":                       15,
	"player_currently_playing.json":           16,
	"find_tracks_simple.json":                 17,
	"find_tracks_notfound.json":               17,
	"find_albums.json":                        18,
	"player_available_devices.json":           25,
	"search_tracks.json":                      28,
	"search_trackplaylist.json":               28,
	"playlist_tracks.json":                    34,
	"playlist_items_episodes_and_tracks.json": 34,
	"get_show_episodes.json":                  38,
	"current_users_tracks.json":               42,
	"current_users_albums.json":               43,
	"current_users_top_artists.json":          47,
	"player_recently_played.json":             51,
}

// opFuzzGet is a GET the fuzz targets call, at whatever path they serve.
var opFuzzGet = &operation{id: "fuzz", method: http.MethodGet, route: "/fuzz"}

// FuzzDecodeReply serves any body as a 200 and decodes it into any of
// the client's answer types: no panic, and a body that does not decode is
// an *Error matching ErrInvalidReply.
func FuzzDecodeReply(f *testing.F) {
	for _, name := range slices.Sorted(maps.Keys(fixtureDecoder)) {
		which := fixtureDecoder[name]
		b := shrinkJSON(f, readFixture(f, name))
		f.Add(b, uint8(which))
		f.Add(b, uint8(which+1)) // the right bytes for the wrong type
	}
	f.Add([]byte(`{"tracks":[null,{"id":"x"}]}`), uint8(len(replyDecoders)-2))
	f.Add([]byte(`[true,false,null]`), uint8(len(replyDecoders)-1))
	f.Add([]byte(`{"items":[{"item":{"type":"x"}},{"track":null}],"total":1.5e3}`), uint8(34))
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		c := fuzzClient(t, fuzzAnswer{status: http.StatusOK, ctype: "application/json", body: body})
		out := replyDecoders[int(which)%len(replyDecoders)]()
		err := c.get(t.Context(), opFuzzGet, "fuzz", nil, out)
		if err == nil {
			return
		}
		var se *Error
		if !errors.As(err, &se) || se.Status != http.StatusOK || !errors.Is(err, ErrInvalidReply) {
			t.Fatalf("decoding failed with %v; want an *Error matching ErrInvalidReply", err)
		}
		checkFuzzMessage(t, err)
	})
}

// TestFixtureSeedsDecode: each recorded answer decodes, through the
// client, into the type fixtureDecoder names for it, so the seeds of
// FuzzDecodeReply start on the path a real answer takes.
func TestFixtureSeedsDecode(t *testing.T) {
	for name, which := range fixtureDecoder {
		c := fuzzClient(t, fuzzAnswer{status: http.StatusOK, ctype: "application/json", body: readFixture(t, name)})
		if err := c.get(t.Context(), opFuzzGet, "fixture", nil, replyDecoders[which]()); err != nil {
			t.Errorf("%s into decoder %d: %v", name, which, err)
		}
	}
}

// FuzzErrorBody serves any non-2xx status with any body, content type and
// Retry-After: no panic; the error is an *Error with that status, matching
// its class's sentinel, with a readable message naming the call, and a
// RetryAfter only for 429s and within ratelimit.MaxRetryAfter.
func FuzzErrorBody(f *testing.F) {
	seeds := []struct {
		status      int
		ctype, body string
		retryAfter  string
	}{
		{404, "application/json", `{"error":{"status":404,"message":"Non existing id"}}`, ""},
		{403, "application/json", `{"error":{"status":403,"message":"Player command failed: Premium required","reason":"PREMIUM_REQUIRED"}}`, ""},
		{429, "application/json", `{"error":{"status":429,"message":"API rate limit exceeded"}}`, "30"},
		{429, "", "", "Wed, 21 Oct 2015 07:28:00 GMT"},
		{429, "", "", "-1"},
		{429, "", "", "99999999999999999999999"},
		{401, "application/json", `{"error":"invalid_client","error_description":"Invalid client secret"}`, ""},
		{400, "application/json", `{"error":"invalid_grant"}`, ""},
		{502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", ""},
		{503, "text/plain", "upstream connect error or disconnect/reset before headers", "5"},
		{500, "application/json", `{"error":null}`, ""},
		{500, "application/json", `{"error":{"status":"500","message":123}}`, ""},
		{418, "application/json", `{"error":{"message":"` + strings.Repeat("é", 100) + `"}}`, ""},
		{400, "application/json", "{\"error\":{\"message\":\"\xff\xfe\"}}", ""},
		{404, "application/json", strings.Repeat("[", 10000), ""},
		{301, "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.status, s.ctype, s.retryAfter, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, ctype, retryAfter string, body []byte) {
		code := 300 + int(uint(status)%300) // every non-2xx status a server can send
		c := fuzzClient(t, fuzzAnswer{status: code, ctype: ctype, retryAfter: retryAfter, body: body})
		_, err := c.Tracks.Get(t.Context(), trackID, nil)
		var se *Error
		if !errors.As(err, &se) || se.Status != code {
			t.Fatalf("status %d gave %v; want an *Error with that status", code, err)
		}
		if want := sentinelOf(code); want != nil && !errors.Is(err, want) {
			t.Fatalf("status %d gave %v; want it to match %v", code, err, want)
		}
		if se.RetryAfter < 0 || se.RetryAfter > ratelimit.MaxRetryAfter || code != http.StatusTooManyRequests && se.RetryAfter != 0 {
			t.Fatalf("status %d with Retry-After %q gave RetryAfter %s", code, retryAfter, se.RetryAfter)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "spotify: GET tracks/"+trackID+": "+strconv.Itoa(code)) {
			t.Fatalf("message %q does not name the call and the status", msg)
		}
		checkFuzzMessage(t, err)
	})
}

// sentinelOf is the sentinel an error with status code must match, or nil
// for a status with no class of its own.
func sentinelOf(code int) error {
	switch {
	case code == 400:
		return ErrBadRequest
	case code == 401:
		return ErrUnauthorized
	case code == 403:
		return ErrForbidden
	case code == 404:
		return ErrNotFound
	case code == 429:
		return ErrRateLimited
	case code >= 500:
		return ErrServer
	}
	return nil
}

// checkFuzzMessage: an error never repeats the token, whatever the body.
func checkFuzzMessage(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); msg == "" || strings.Contains(msg, secretToken) || strings.Contains(msg, "Bearer") {
		t.Fatalf("message %q is empty or carries the token", msg)
	}
}

// fuzzAnswer is the one answer the fuzz transport gives to every request.
type fuzzAnswer struct {
	status            int
	ctype, retryAfter string
	body              []byte
}

func (a fuzzAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	h := http.Header{}
	if a.ctype != "" {
		h.Set("Content-Type", a.ctype)
	}
	if a.retryAfter != "" {
		h.Set("Retry-After", a.retryAfter)
	}
	return &http.Response{
		StatusCode: a.status, Status: strconv.Itoa(a.status) + " " + http.StatusText(a.status),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h,
		Body: io.NopCloser(bytes.NewReader(a.body)), ContentLength: int64(len(a.body)), Request: req,
	}, nil
}

// fuzzClient is a client answered by a in memory. Its limiter never
// waits and never retries, so no input can make an iteration sleep: a
// 429 is handed back at once, whatever its Retry-After.
func fuzzClient(t *testing.T, a fuzzAnswer) *Client {
	lim, err := ratelimit.New(ratelimit.WithRate(rate.Inf, 0), ratelimit.WithMaxWait(0),
		ratelimit.WithMaxAttempts(1), ratelimit.WithMaxInFlight(0))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(
		WithBaseURL("http://api.spotify.test/v1/"),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken})),
		WithHTTPClient(&http.Client{Transport: a}),
		WithLimiter(lim),
		WithMaxResponseSize(1<<20),
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// shrinkJSON keeps at most two elements of every array of a recorded
// answer, numbers as written. The shapes stay real while the seeds drop
// from up to 50 KB to a few: the fuzzer mutates and minimizes small
// inputs hundreds of times faster, which a 10-second run needs.
// TestFixtureSeedsDecode decodes the whole recordings.
func shrinkJSON(tb testing.TB, b []byte) []byte {
	tb.Helper()
	d := stdjson.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	out, err := stdjson.Marshal(trimArrays(v))
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func trimArrays(v any) any {
	switch v := v.(type) {
	case []any:
		v = v[:min(len(v), 2)]
		for i := range v {
			v[i] = trimArrays(v[i])
		}
		return v
	case map[string]any:
		for k := range v {
			v[k] = trimArrays(v[k])
		}
	}
	return v
}

// readFixture returns a recorded Spotify answer (internal/fixtures).
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := fixtures.Read(name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
