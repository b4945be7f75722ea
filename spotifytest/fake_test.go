package spotifytest

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// tServer is a running fake for the handler tests, with a user token that
// carries every scope.
type tServer struct {
	t     *testing.T
	URL   string
	token string
	ids   IDs
	srv   *Server
}

// startFake starts a fake in mode behind its real middleware, with a token
// of the default user carrying every scope.
func startFake(t *testing.T, mode Mode) *tServer {
	t.Helper()
	s := NewServer(WithMode(mode))
	t.Cleanup(s.Close)
	return &tServer{t: t, URL: s.URL, token: s.UserToken(""), ids: s.IDs(), srv: s}
}

// do sends a request to the fake and returns the answer with its body read.
func (ts *tServer) do(method, path string, body []byte, contentType string) (*http.Response, []byte) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+ts.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return resp, b
}

// get is do for a GET that must answer 200.
func (ts *tServer) get(path string) []byte {
	ts.t.Helper()
	return ts.fetch(ts.t, path)
}

// fetch is get reporting to t, for subtests.
func (ts *tServer) fetch(t *testing.T, path string) []byte {
	t.Helper()
	resp, b := ts.do("GET", path, nil, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %.300s", path, resp.StatusCode, b)
	}
	return b
}
