package spotify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/spotflow/spotflow/models"
)

// This file also holds the request-recording helpers of the tests of the
// categories, genres, markets, search, library, player, playlists and users
// services.

// seenRequest is what a test server saw of one request.
type seenRequest struct {
	Method string
	Path   string
	Query  url.Values
	Body   string
	CType  string
}

// reqLog keeps the requests a test server saw, in order.
type reqLog struct {
	mu   sync.Mutex
	reqs []seenRequest
}

func (r *reqLog) add(s seenRequest) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, s)
	return len(r.reqs) - 1
}

// all returns the requests seen so far.
func (r *reqLog) all() []seenRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seenRequest(nil), r.reqs...)
}

// only returns the one request seen, failing the test if there were others.
func (r *reqLog) only(t *testing.T) seenRequest {
	t.Helper()
	all := r.all()
	if len(all) != 1 {
		t.Fatalf("saw %d requests, want 1: %+v", len(all), all)
	}
	return all[0]
}

// replyFunc answers the n-th request (from 0) with a status and a body,
// served as JSON when it looks like JSON and as plain text otherwise.
type replyFunc func(n int, r *http.Request) (status int, body string)

func replyWith(status int, body string) replyFunc {
	return func(int, *http.Request) (int, string) { return status, body }
}

// recordingClient returns a client whose server records each request and
// answers it with reply.
func recordingClient(t *testing.T, reply replyFunc) (*Client, *reqLog) {
	t.Helper()
	rec := &reqLog{}
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		n := rec.add(seenRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: string(b), CType: r.Header.Get("Content-Type")})
		status, body := reply(n, r)
		switch {
		case strings.HasPrefix(body, "{") || strings.HasPrefix(body, "["):
			w.Header().Set("Content-Type", "application/json")
		case body != "":
			w.Header().Set("Content-Type", "text/plain")
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
	return c, rec
}

// checkRequest compares a request with the method, path (below /v1/) and
// query wanted; a nil query wants none.
func checkCall(t *testing.T, got seenRequest, method, path string, query url.Values) {
	t.Helper()
	if got.Method != method || got.Path != "/v1/"+path {
		t.Errorf("request %s %s, want %s /v1/%s", got.Method, got.Path, method, path)
	}
	if len(got.Query) == 0 && len(query) == 0 {
		return
	}
	if !reflect.DeepEqual(got.Query, query) {
		t.Errorf("%s %s: query %v, want %v", method, path, got.Query, query)
	}
}

// checkBody compares a JSON body with want, ignoring key order and spacing.
func checkJSONBody(t *testing.T, got seenRequest, want string) {
	t.Helper()
	if want == "" {
		if got.Body != "" {
			t.Errorf("%s %s: body %s, want none", got.Method, got.Path, got.Body)
		}
		return
	}
	var g, w any
	if err := models.Unmarshal([]byte(got.Body), &g); err != nil {
		t.Fatalf("%s %s: body %q: %v", got.Method, got.Path, got.Body, err)
	}
	if err := models.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad wanted body %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s %s: body %s, want %s", got.Method, got.Path, got.Body, want)
	}
}

// wantRefused checks that err is an input error and that nothing was sent.
func wantRefused(t *testing.T, name string, err error, rec *reqLog) {
	t.Helper()
	if !errors.Is(err, ErrInvalidInput) && !errors.Is(err, models.ErrInvalidID) {
		t.Errorf("%s: got %v, want an input error", name, err)
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("%s: %d requests were sent", name, n)
	}
}

func testURIs(kind string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "spotify:" + kind + ":" + testID(i)
	}
	return out
}

// base62ID returns a distinct valid 22-character ID for i.
func testID(i int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := []byte(strings.Repeat("0", 22))
	for p := 21; i > 0; p-- {
		b[p] = digits[i%62]
		i /= 62
	}
	return string(b)
}

func TestLibrarySaveRemoveChunkTo40(t *testing.T) {
	uris := append(testURIs("track", 30), testURIs("album", 10)...)
	uris = append(uris, "spotify:show:"+testID(1), "spotify:episode:"+testID(2), "spotify:audiobook:"+testID(3),
		"spotify:playlist:"+testID(4), "spotify:user:smedjan", "spotify:artist:"+testID(5))
	for _, tt := range []struct {
		method string
		call   func(*Client) error
	}{
		{"PUT", func(c *Client) error { return c.Library.Save(context.Background(), uris) }},
		{"DELETE", func(c *Client) error { return c.Library.Remove(context.Background(), uris) }},
	} {
		c, rec := recordingClient(t, replyWith(200, ""))
		if err := tt.call(c); err != nil {
			t.Fatal(err)
		}
		reqs := rec.all()
		if len(reqs) != 2 {
			t.Fatalf("%s: %d requests, want 2", tt.method, len(reqs))
		}
		checkCall(t, reqs[0], tt.method, "me/library", url.Values{"uris": {strings.Join(uris[:40], ",")}})
		checkCall(t, reqs[1], tt.method, "me/library", url.Values{"uris": {strings.Join(uris[40:], ",")}})
		checkJSONBody(t, reqs[0], "")
	}
}

func TestLibraryContainsLinesUp(t *testing.T) {
	uris := testURIs("track", 41)
	c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
		if n == 0 {
			return 200, "[" + strings.TrimSuffix(strings.Repeat("true,false,", 20), ",") + "]"
		}
		return 200, "[true]"
	})
	got, err := c.Library.Contains(context.Background(), uris)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 41 || !got[0] || got[1] || !got[40] {
		t.Fatalf("got %v", got)
	}
	reqs := rec.all()
	checkCall(t, reqs[0], "GET", "me/library/contains", url.Values{"uris": {strings.Join(uris[:40], ",")}})
	checkCall(t, reqs[1], "GET", "me/library/contains", url.Values{"uris": {uris[40]}})
}

func TestLibraryRefusesBadURIs(t *testing.T) {
	c, rec := recordingClient(t, replyWith(200, "[]"))
	ctx := context.Background()
	wantRefused(t, "empty", c.Library.Save(ctx, nil), rec)
	wantRefused(t, "bare ID", c.Library.Save(ctx, []string{testID(7)}), rec)
	wantRefused(t, "chapter", c.Library.Remove(ctx, []string{"spotify:chapter:" + testID(7)}), rec)
	_, err := c.Library.Contains(ctx, []string{"spotify:track:" + testID(1), "nonsense:x"})
	wantRefused(t, "malformed", err, rec)
}
