package spotify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/ratelimit"
)

// renewing is a token source that replaces its token when told it was
// refused, counting how often it had to.
type renewing struct {
	mu      sync.Mutex
	tok     string
	next    []string // the tokens it renews to, in order
	renewed int
	err     error // what RenewToken fails with, if set
}

func (s *renewing) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &oauth2.Token{AccessToken: s.tok}, nil
}

func (s *renewing) RenewToken(_ context.Context, refused *oauth2.Token) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	if refused.AccessToken == s.tok && len(s.next) > 0 {
		s.tok, s.next = s.next[0], s.next[1:]
		s.renewed++
	}
	return &oauth2.Token{AccessToken: s.tok}, nil
}

// heard is what the API saw of one request.
type heard struct{ auth, body string }

// authAPI answers 401 to every token but the accepted ones, and records
// each request's token and body.
type authAPI struct {
	accepted map[string]bool
	mu       sync.Mutex
	seen     []heard
}

func (a *authAPI) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	auth := req.Header.Get("Authorization")
	a.mu.Lock()
	a.seen = append(a.seen, heard{auth, string(body)})
	a.mu.Unlock()
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Type", "application/json")
	if !a.accepted[strings.TrimPrefix(auth, "Bearer ")] {
		rec.WriteHeader(http.StatusUnauthorized)
		io.WriteString(rec, `{"error":{"status":401,"message":"The access token expired"}}`)
		return rec.Result(), nil
	}
	io.WriteString(rec, `{"snapshot_id":"snap"}`)
	return rec.Result(), nil
}

func (a *authAPI) requests() []heard {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]heard(nil), a.seen...)
}

func authClient(t *testing.T, api *authAPI, src oauth2.TokenSource) *Client {
	t.Helper()
	lim, err := ratelimit.New(ratelimit.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(WithBaseURL("https://api.spotify.test/v1/"), WithTokenSource(src),
		WithHTTPClient(&http.Client{Transport: api}), WithLimiter(lim))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A 401 heals once: the source renews the refused token and the request,
// a POST with its body, is sent again with the new one.
func TestUnauthorizedHealsOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &authAPI{accepted: map[string]bool{"new": true}}
		src := &renewing{tok: "old", next: []string{"new"}}
		err := addItemsCall(t.Context(), authClient(t, api, src))
		if err != nil {
			t.Fatalf("call after an early expiry: %v", err)
		}
		got := api.requests()
		if len(got) != 2 || got[0].auth != "Bearer old" || got[1].auth != "Bearer new" {
			t.Fatalf("requests %+v, want one with the old token and one with the new", got)
		}
		if got[0].body == "" || got[1].body != got[0].body {
			t.Errorf("retried body %q, want %q", got[1].body, got[0].body)
		}
		if src.renewed != 1 {
			t.Errorf("%d renewals, want 1", src.renewed)
		}
	})
}

// A second 401 is ErrUnauthorized: one renewal, two requests, no loop.
func TestSecondUnauthorizedIsReturned(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &authAPI{} // accepts nothing
		src := &renewing{tok: "old", next: []string{"new", "newer"}}
		_, err := authClient(t, api, src).Tracks.Get(t.Context(), "4iV5W9uYEdYUVa79Axb7Rh", nil)
		if !errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrMaybeApplied) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if n := len(api.requests()); n != 2 || src.renewed != 1 {
			t.Errorf("%d requests and %d renewals, want 2 and 1", n, src.renewed)
		}
	})
}

// A source that cannot renew leaves the 401 as it is; a renewal that fails
// is the call's error, and a refused request did nothing.
func TestUnauthorizedWithoutRenewal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		api := &authAPI{}
		static := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "old"})
		err := addItemsCall(t.Context(), authClient(t, api, static))
		if !errors.Is(err, ErrUnauthorized) || len(api.requests()) != 1 {
			t.Errorf("static source: %v after %d requests, want ErrUnauthorized after 1", err, len(api.requests()))
		}

		api = &authAPI{}
		reauth := errors.New("the user must authorize the app again")
		err = addItemsCall(t.Context(), authClient(t, api, &renewing{tok: "old", err: reauth}))
		if !errors.Is(err, reauth) || errors.Is(err, ErrMaybeApplied) || len(api.requests()) != 1 {
			t.Errorf("failed renewal: %v after %d requests, want the source's error after 1", err, len(api.requests()))
		}
	})
}

func addItemsCall(ctx context.Context, c *Client) error {
	_, err := c.Playlists.AddItems(ctx, "37i9dQZF1DXcBWIGoYBM5M", []string{"spotify:track:4iV5W9uYEdYUVa79Axb7Rh"}, nil)
	return err
}
