package async_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
	"github.com/spotflow/spotflow/spotifytest"
)

// chaosFaults is what the fake injects during TestChaos: 10% 5xx, 2% 429
// with Retry-After 1 s, 2% connection resets and 1% truncated bodies, on
// every Web API operation.
const chaosFaults = "500:4%,502:3%,503:3%,429:2%@1s,reset:2%,truncate:1%"

// TestChaos runs a stream of the 10,000-item playlist, a lookup of 5,000
// tracks, 500 library saves and 200 playlist additions at once against a
// fake that fails often, and then asks the fake what happened.
//
// It runs in a synctest bubble against a fake made with NewInProcess and
// served by an in-memory transport, so the fake's latency, the Retry-After
// pauses and the backoffs cost no real time. The transport can be hijacked
// like a real connection, so resets and truncated bodies reach the client
// as network errors, as they would over TCP. The faults are drawn from a
// fixed seed; which request meets which fault still depends on how the
// goroutines interleave, so the assertions hold for any interleaving.
func TestChaos(t *testing.T) {
	before := goleak.IgnoreCurrent() // a profiler's, say; the run's own must all end
	began := time.Now()
	synctest.Test(t, runChaos)
	t.Logf("real time %s", time.Since(began).Round(time.Millisecond))
	goleak.VerifyNone(t, before)
}

// chaosLimiter is the limiter a production user would configure for a
// server failing this often: the defaults except for eight attempts per
// request instead of four. About 13% of attempts fail in a way that spends
// an attempt (5xx, reset, truncation; a 429 spends none), so a request
// fails four times in a row with odds of roughly 1 in 3,500, and this run
// sends some 1,200 retryable requests: with the defaults, one run in
// twelve lost a library save to a 503 after four tries. Eight attempts
// bring the odds to roughly 1 in 10 million per request. The default retry
// budget (10 + 20% of the requests) and MaxWait were never exhausted.
func chaosLimiter(t *testing.T) *ratelimit.Limiter {
	lim, err := ratelimit.New(ratelimit.WithMaxAttempts(8))
	if err != nil {
		t.Fatal(err)
	}
	return lim
}

func runChaos(t *testing.T) {
	faults, err := spotifytest.ParseFaults(chaosFaults)
	if err != nil {
		t.Fatal(err)
	}
	srv := spotifytest.NewInProcess(
		spotifytest.WithSeed(20260301),
		spotifytest.WithFaults(faults...),
		spotifytest.WithLatency(2*time.Millisecond, 40*time.Millisecond),
	)
	defer srv.Close()
	lim := chaosLimiter(t)
	c := inMemoryClient(t, srv, lim)
	a, err := async.New(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	ids := srv.IDs()
	pl := createPlaylist(t, c)
	lookups := ids.Tracks[:5000]
	saves := unsaved(t, c, trackURIs(ids.Tracks[5000:6000]), 500)
	adds := trackURIs(ids.Tracks[6000:6400]) // two per call, every one unique
	fakeStart := time.Now()

	var (
		wg        sync.WaitGroup
		streamed  []models.PlaylistItem
		streamErr error
		looked    []*models.Track
		lookErr   error
		saveErrs  = make([]error, len(saves))
		addErrs   = make([]error, len(adds)/2)
	)
	wg.Go(func() { streamed, streamErr = a.Playlists.Items(ctx, ids.Playlist10K, nil).Collect() })
	wg.Go(func() { looked, lookErr = a.Tracks.GetMany(ctx, lookups, nil).Await(ctx) })
	wg.Go(func() {
		workers(8, len(saves), func(i int) { saveErrs[i] = c.Library.Save(ctx, saves[i:i+1]) })
	})
	wg.Go(func() {
		workers(8, len(addErrs), func(i int) {
			_, addErrs[i] = c.Playlists.AddItems(ctx, pl, adds[2*i:2*i+2], nil)
		})
	})
	wg.Wait()
	t.Logf("fake time of the concurrent run %s", time.Since(fakeStart).Round(time.Millisecond))

	checkStream(t, c, ids.Playlist10K, streamed, streamErr)
	checkLookups(t, lookups, looked, lookErr)
	checkSaves(t, c, saves, saveErrs)
	checkAdds(t, c, pl, adds, addErrs)

	checkStats(t, lim.Stats(), srv)
}

// checkStats compares the limiter's counters, over the run and the checks
// after it, with what the fake saw: every request the fake answered was
// admitted by the limiter, and every 429 it sent was counted.
func checkStats(t *testing.T, st ratelimit.Stats, srv *spotifytest.Server) {
	t.Helper()
	faults := faultKinds(srv.Requests())
	fs := srv.Stats()
	t.Logf("limiter stats: requests %d, retries %d, 429s %d, gate refusals %d, budget exhausted %d, waited %s (fake time)",
		st.Requests, st.Retries, st.RateLimited, st.GateRefusals, st.BudgetExhausted, st.Waited.Round(time.Millisecond))
	t.Logf("fake: %d requests, %d faults: %v", fs.Requests, fs.Faults, faults)
	if st.Retries == 0 || st.RateLimited == 0 {
		t.Fatalf("stats %+v: want retries and 429s", st)
	}
	if st.Requests != int64(fs.Requests) || st.RateLimited != int64(faults["429"]+fs.RateLimited) {
		t.Fatalf("limiter admitted %d requests and saw %d 429s; the fake answered %d and sent %d",
			st.Requests, st.RateLimited, fs.Requests, faults["429"]+fs.RateLimited)
	}
	if st.InFlight != 0 || st.GateRefusals != 0 {
		t.Fatalf("%d admissions never released, %d callers refused", st.InFlight, st.GateRefusals)
	}
}

// createPlaylist makes the playlist the additions go to. Creating is a
// POST, so a failure may have made a playlist: it is left behind and
// another one made, as a careful caller would after checking.
func createPlaylist(t *testing.T, c *spotify.Client) string {
	for range 20 {
		p, err := c.Playlists.Create(t.Context(), "chaos", nil)
		if err == nil {
			return p.ID
		}
		if !errors.Is(err, spotify.ErrMaybeApplied) {
			t.Fatalf("creating the playlist: %v does not match ErrMaybeApplied", err)
		}
	}
	t.Fatal("no playlist after 20 tries")
	return ""
}

// unsaved returns the first n of uris that are not in the user's library
// yet, so that the library's state afterwards shows what the saves did.
func unsaved(t *testing.T, c *spotify.Client, uris []string, n int) []string {
	t.Helper()
	in, err := c.Library.Contains(t.Context(), uris)
	if err != nil {
		t.Fatalf("reading the library before the run: %v", err)
	}
	var out []string
	for i, u := range uris {
		if !in[i] && len(out) < n {
			out = append(out, u)
		}
	}
	if len(out) < n {
		t.Fatalf("only %d of %d tracks are not saved yet", len(out), len(uris))
	}
	return out
}

// workers runs do(0..n-1) on k goroutines, as a caller bounding its own
// concurrency would.
func workers(k, n int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range k {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func trackURIs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "spotify:track:" + id
	}
	return out
}

// walkURIs reads a playlist page by page, the fake's content as judge.
// Its GETs are retried like any other, so the faults cannot bend it.
func walkURIs(t *testing.T, c *spotify.Client, id string) []string {
	t.Helper()
	var out []string
	for it, err := range c.Playlists.ItemsAll(t.Context(), id, nil) {
		if err != nil {
			t.Fatalf("reading playlist %s back: %v", id, err)
		}
		out = append(out, it.Content().URI())
	}
	return out
}

func checkStream(t *testing.T, c *spotify.Client, id string, got []models.PlaylistItem, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	want := walkURIs(t, c, id)
	if len(want) != 10_000 {
		t.Fatalf("the playlist has %d items, want 10,000", len(want))
	}
	for i := range got {
		if i >= len(want) || got[i].Content().URI() != want[i] {
			t.Fatalf("streamed item %d is %s, want %s", i, got[i].Content().URI(), want[min(i, len(want)-1)])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("streamed %d items, want %d", len(got), len(want))
	}
}

func checkLookups(t *testing.T, ids []string, got []*models.Track, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("GetMany: %v", err)
	}
	if len(got) != len(ids) {
		t.Fatalf("GetMany: %d results for %d IDs", len(got), len(ids))
	}
	for i, id := range ids {
		if got[i] == nil || got[i].ID != id {
			t.Fatalf("GetMany result %d is %v, want track %s", i, got[i], id)
		}
	}
}

func checkSaves(t *testing.T, c *spotify.Client, uris []string, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("save %d (%s): %v", i, uris[i], err)
		}
	}
	in, err := c.Library.Contains(t.Context(), uris)
	if err != nil {
		t.Fatalf("reading the library back: %v", err)
	}
	for i, ok := range in {
		if !ok {
			t.Fatalf("save %d (%s) succeeded but the track is not in the library", i, uris[i])
		}
	}
}

// checkAdds compares each addition's outcome with the playlist's content:
// a success appears exactly once; a failure says it may have applied and
// appears at most once.
func checkAdds(t *testing.T, c *spotify.Client, pl string, uris []string, errs []error) {
	t.Helper()
	count := map[string]int{}
	for _, u := range walkURIs(t, c, pl) {
		count[u]++
	}
	for u, n := range count {
		if !slices.Contains(uris, u) {
			t.Fatalf("the playlist holds %s, which no call added", u)
		}
		if n > 1 {
			t.Fatalf("%s is in the playlist %d times", u, n)
		}
	}
	var ok, appliedAnyway, notApplied int
	for i, err := range errs {
		pair := uris[2*i : 2*i+2]
		n := count[pair[0]] + count[pair[1]]
		switch {
		case err == nil && n != 2:
			t.Fatalf("add %d succeeded but its items appear %d times", i, n)
		case err == nil:
			ok++
		case !errors.Is(err, spotify.ErrMaybeApplied):
			t.Fatalf("add %d failed with %v, which does not match ErrMaybeApplied", i, err)
		case n == 2:
			appliedAnyway++
		case n == 0:
			notApplied++
		default:
			t.Fatalf("add %d applied half its chunk: %d of 2 items", i, n)
		}
	}
	t.Logf("adds: %d succeeded, %d failed with ErrMaybeApplied (%d of them applied)", ok, appliedAnyway+notApplied, appliedAnyway)
}

func faultKinds(reqs []spotifytest.Request) map[string]int {
	out := map[string]int{}
	for _, r := range reqs {
		if r.Fault != 0 {
			out[r.Fault.String()]++
		}
	}
	return out
}

// inMemoryClient is a client of srv's default user whose requests the
// fake serves in memory.
func inMemoryClient(t *testing.T, srv *spotifytest.Server, lim *ratelimit.Limiter) *spotify.Client {
	t.Helper()
	tok := &oauth2.Token{AccessToken: srv.UserToken(""), TokenType: "Bearer"}
	c, err := spotify.NewClient(
		spotify.WithBaseURL("http://api.spotify.test/v1/"),
		spotify.WithTokenSource(oauth2.StaticTokenSource(tok)),
		spotify.WithLimiter(lim),
		spotify.WithHTTPClient(&http.Client{Transport: memTransport{srv.Handler()}}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// memTransport serves requests with a handler in the calling goroutine,
// so that they stay inside a synctest bubble. Its ResponseWriter can be
// hijacked: what the handler then writes to the connection is read back
// as a raw HTTP answer, so a cut body fails with io.ErrUnexpectedEOF, and
// a connection closed with nothing written is a reset.
type memTransport struct{ h http.Handler }

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.Host = req.URL.Host
	in.RemoteAddr = "192.0.2.1:40000"
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		in.Body = io.NopCloser(bytes.NewReader(b))
	}
	w := &memWriter{ResponseRecorder: httptest.NewRecorder()}
	t.h.ServeHTTP(w, in)
	if !w.hijacked {
		return w.Result(), nil
	}
	if w.conn.out.Len() == 0 {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	}
	return http.ReadResponse(bufio.NewReader(&w.conn.out), req)
}

// memWriter is a ResponseRecorder that can be hijacked.
type memWriter struct {
	*httptest.ResponseRecorder
	hijacked bool
	conn     memConn
}

func (w *memWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.hijacked {
		return nil, nil, errors.New("memWriter: hijacked twice")
	}
	w.hijacked = true
	rw := bufio.NewReadWriter(bufio.NewReader(&w.conn), bufio.NewWriter(&w.conn))
	return &w.conn, rw, nil
}

// memConn is the connection a hijacker gets: it keeps what is written.
type memConn struct{ out bytes.Buffer }

func (c *memConn) Read([]byte) (int, error)         { return 0, io.EOF }
func (c *memConn) Write(b []byte) (int, error)      { return c.out.Write(b) }
func (c *memConn) Close() error                     { return nil }
func (c *memConn) LocalAddr() net.Addr              { return memAddr{} }
func (c *memConn) RemoteAddr() net.Addr             { return memAddr{} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

type memAddr struct{}

func (memAddr) Network() string { return "memory" }
func (memAddr) String() string  { return "memory" }
