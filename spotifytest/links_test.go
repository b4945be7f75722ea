package spotifytest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// crawled is one answer the fake gave to a GET.
type crawled struct {
	path  string // the request's path and query, from /v1 on
	op    string // the operation it routed to
	body  []byte
	depth int // 0 for a seed, n for a link found n answers away
}

// crawlSeeds are GET requests that reach every read operation, besides
// the contract cases: the big playlists, a playlist mixing in episodes
// with and without additional_types, and pages deep into long lists.
func crawlSeeds(ids IDs) []string {
	var out []string
	vars := contractVars(ids)
	vars["new_playlist"] = ids.Playlists[0] // made by a write in the contract walk
	for _, tc := range contractCases {
		if tc.method == http.MethodGet {
			out = append(out, "/v1"+expand(tc.path, vars))
		}
	}
	mixed := ids.Playlists[4]
	return append(out,
		"/v1/playlists/"+ids.Playlist10K,
		"/v1/playlists/"+ids.Playlist10K+"/items?offset=9990&limit=5",
		"/v1/playlists/"+mixed,
		"/v1/playlists/"+mixed+"?additional_types=track,episode",
		"/v1/playlists/"+mixed+"/items?limit=50",
		"/v1/playlists/"+mixed+"/tracks?additional_types=episode",
		"/v1/search?q=the&type=track,album&offset=995",
		"/v1/search?q=a&type=playlist,show,episode,audiobook,artist&market=SE",
		"/v1/me/following?type=artist&limit=2",
		"/v1/me/player/recently-played?limit=2",
		"/v1/artists/"+ids.Artists[1]+"/albums?limit=2&offset=1",
	)
}

// linkKeys are the members whose values are links into the Web API.
var linkKeys = []string{"href", "next", "previous"}

// links collects every link into the Web API in v: the values of href,
// next and previous.
func links(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && slices.Contains(linkKeys, k) {
				*out = append(*out, s)
				continue
			}
			links(e, out)
		}
	case []any:
		for _, e := range x {
			links(e, out)
		}
	}
}

var (
	idSegment = regexp.MustCompile(`/[0-9A-Za-z]{22}(/|$)`)
	named     = regexp.MustCompile(`/(users|categories)/[^/?]+`)
)

// shape is a link with its IDs and positions masked: links of one shape
// exercise the same route with the same parameters.
func shape(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	p := idSegment.ReplaceAllString(u.Path, "/{id}$1")
	p = idSegment.ReplaceAllString(p, "/{id}$1") // adjacent IDs
	p = named.ReplaceAllString(p, "/$1/{name}")
	var keys []string
	for k, vs := range u.Query() {
		switch k {
		case "offset", "after", "before", "ids", "q", "query", "uris":
			keys = append(keys, k)
		default:
			keys = append(keys, k+"="+strings.Join(vs, ","))
		}
	}
	sort.Strings(keys)
	return p + "?" + strings.Join(keys, "&")
}

// crawl fetches the seeds, then every link into the Web API their
// answers hold, up to depth answers away, at most perShape links of one
// shape. Every link must be on the fake's host and answer 200, or 403 in
// DevelopmentMode for an operation Development Mode apps lost.
func crawl(t *testing.T, ts *tServer, mode Mode, depth, perShape int) []crawled {
	t.Helper()
	removed := map[string]bool{}
	for _, rt := range ts.srv.routes() {
		removed[rt.Op] = rt.DevRemoved
	}
	type item struct {
		path  string
		depth int
		from  string
	}
	var queue []item
	for _, s := range crawlSeeds(ts.ids) {
		queue = append(queue, item{s, 0, "seed"})
	}
	seen, shapes := map[string]bool{}, map[string]int{}
	var out []crawled
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if seen[it.path] {
			continue
		}
		seen[it.path] = true
		resp, b := ts.do("GET", it.path, nil, "")
		op := ts.opOf(t, it.path)
		switch {
		case resp.StatusCode == http.StatusNoContent && it.depth == 0:
			continue // nothing playing
		case resp.StatusCode == http.StatusForbidden && mode == DevelopmentMode && removed[op]:
			continue
		case resp.StatusCode != http.StatusOK:
			t.Errorf("GET %s (a link from %s): %d %.200s", it.path, it.from, resp.StatusCode, b)
			continue
		}
		out = append(out, crawled{path: it.path, op: op, body: b, depth: it.depth})
		if it.depth == depth {
			continue
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("GET %s: %v", it.path, err)
		}
		var found []string
		links(v, &found)
		sort.Strings(found)
		for _, l := range found {
			if !strings.HasPrefix(l, ts.URL+"/v1/") {
				t.Errorf("GET %s links outside the fake's Web API: %q", it.path, l)
				continue
			}
			p := strings.TrimPrefix(l, ts.URL)
			if seen[p] || shapes[shape(l)] >= perShape {
				continue
			}
			shapes[shape(l)]++
			queue = append(queue, item{p, it.depth + 1, it.path})
		}
	}
	return out
}

// opOf is the operation the fake routes a GET of path to; "" for none.
func (ts *tServer) opOf(t *testing.T, path string) string {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, pattern := ts.srv.mux.Handler(req)
	for _, rt := range ts.srv.routes() {
		if rt.Method == http.MethodGet && (pattern == "GET "+rt.Path || pattern == "GET "+rt.Path+"/{$}") {
			return rt.Op
		}
	}
	return ""
}

// TestEveryLinkIsServed walks the links of the fake's answers (href, next,
// previous), two answers deep from a GET of every read operation, and
// checks each is served by the fake's own routes: on its host, within the
// limits its routes accept. Clients follow these links blindly (spotipy,
// tekore).
func TestEveryLinkIsServed(t *testing.T) {
	for _, mode := range []Mode{ExtendedQuota, DevelopmentMode} {
		t.Run(mode.String(), func(t *testing.T) {
			ts := startFake(t, mode)
			got := crawl(t, ts, mode, 2, 4)
			ops, linked := map[string]bool{}, 0
			for _, c := range got {
				ops[c.op] = true
				if c.depth > 0 {
					linked++
				}
			}
			if linked < 100 {
				t.Errorf("only %d links followed", linked)
			}
			for _, want := range []string{"get-playlists-items", "get-playlists-tracks", "get-an-albums-tracks",
				"get-a-shows-episodes", "search", "get-users-saved-tracks", "get-track", "get-an-artist"} {
				if !ops[want] && !(mode == DevelopmentMode && want == "get-playlists-tracks") {
					t.Errorf("no link led to %s", want)
				}
			}
		})
	}
}

// TestNestedPlaylistPages checks the first pages nested in a full
// playlist: their limits are ones the /items and /tracks routes accept,
// and following next from them goes on where they end.
func TestNestedPlaylistPages(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	var pl struct {
		Items, Tracks struct {
			Limit int    `json:"limit"`
			Next  string `json:"next"`
			Items []any  `json:"items"`
			Total int    `json:"total"`
		}
	}
	if err := json.Unmarshal(ts.get("/v1/playlists/"+ts.ids.Playlist10K), &pl); err != nil {
		t.Fatal(err)
	}
	if pl.Items.Limit != itemsMaxLimit || len(pl.Items.Items) != itemsMaxLimit ||
		pl.Tracks.Limit != tracksMaxLimit || len(pl.Tracks.Items) != tracksMaxLimit {
		t.Fatalf("nested pages: items limit %d with %d rows, tracks limit %d with %d rows",
			pl.Items.Limit, len(pl.Items.Items), pl.Tracks.Limit, len(pl.Tracks.Items))
	}
	// Three pages on from each: every link is one the routes accept and
	// continues where the last page ended.
	for name, first := range map[string]struct {
		next     string
		n, limit int
	}{"items": {pl.Items.Next, len(pl.Items.Items), itemsMaxLimit}, "tracks": {pl.Tracks.Next, len(pl.Tracks.Items), tracksMaxLimit}} {
		n, next := first.n, first.next
		for range 3 {
			u, err := url.Parse(next)
			if err != nil {
				t.Fatal(err)
			}
			if u.Query().Get("offset") != strconv.Itoa(n) || u.Query().Get("limit") != strconv.Itoa(first.limit) {
				t.Fatalf("%s: after %d rows next is %s", name, n, next)
			}
			var page struct {
				Next  string `json:"next"`
				Items []any  `json:"items"`
			}
			if err := json.Unmarshal(ts.get(ts.pathOf(t, next)), &page); err != nil {
				t.Fatal(err)
			}
			n += len(page.Items)
			next = page.Next
		}
		if n != 4*first.limit {
			t.Errorf("following %s.next three times gives %d rows, want %d", name, n, 4*first.limit)
		}
	}
}
