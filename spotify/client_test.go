package spotify

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const secretToken = "sekrit-access-token-value"

// newTestClient serves h and returns a client pointed at it with a static
// token and a limiter that retries nothing, so tests see each answer as is.
func newTestClient(t *testing.T, h http.HandlerFunc, opts ...Option) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	lim, err := ratelimit.New(ratelimit.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	base := []Option{
		WithBaseURL(srv.URL + "/v1/"),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken})),
		WithLimiter(lim),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.http.CloseIdleConnections)
	return c
}

func answer(status int, ctype, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

const trackID = "4iV5W9uYEdYUVa79Axb7Rh"

func TestGetTrackSendsTokenAndDecodes(t *testing.T) {
	var auth, path, market string
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		auth, path, market = r.Header.Get("Authorization"), r.URL.Path, r.URL.Query().Get("market")
		io.WriteString(w, `{"id":"`+trackID+`","type":"track","name":"Song","duration_ms":1000}`)
	}, WithMarket("SE"))
	tr, err := c.Tracks.Get(context.Background(), "spotify:track:"+trackID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr.ID != trackID || tr.Name != "Song" {
		t.Fatalf("decoded %+v", tr)
	}
	if auth != "Bearer "+secretToken || path != "/v1/tracks/"+trackID || market != "SE" {
		t.Fatalf("request: auth %q path %q market %q", auth, path, market)
	}
}

func TestErrorsMapToSentinels(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   error
		msg    string
	}{
		{400, `{"error":{"status":400,"message":"Invalid limit"}}`, ErrBadRequest, "Invalid limit"},
		{401, `{"error":{"status":401,"message":"The access token expired"}}`, ErrUnauthorized, "expired"},
		{403, `{"error":{"status":403,"message":"Player command failed","reason":"PREMIUM_REQUIRED"}}`, ErrForbidden, "PREMIUM_REQUIRED"},
		{404, `{"error":{"status":404,"message":"Resource not found"}}`, ErrNotFound, "Resource not found"},
		{429, `{"error":{"status":429,"message":"Too many requests","reason":"QUOTA_EXCEEDED"}}`, ErrRateLimited, "QUOTA_EXCEEDED"},
		{502, `<html><body>Bad gateway</body></html>`, ErrServer, "text/html"},
		{401, `{"error":"invalid_client","error_description":"Invalid client"}`, ErrUnauthorized, "Invalid client"},
	}
	for _, tt := range tests {
		ctype := "application/json"
		if strings.HasPrefix(tt.body, "<") {
			ctype = "text/html"
		}
		c := newTestClient(t, answer(tt.status, ctype, tt.body))
		_, err := c.Tracks.Get(context.Background(), trackID, nil)
		var se *Error
		if !errors.As(err, &se) || se.Status != tt.status || !errors.Is(err, tt.want) {
			t.Errorf("%d: got %v, want %v", tt.status, err, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.msg) || se.Endpoint != "tracks/"+trackID || se.Method != "GET" {
			t.Errorf("%d: error %q lacks %q or endpoint (%+v)", tt.status, err, tt.msg, se)
		}
	}
}

func TestBadSuccessBodies(t *testing.T) {
	tests := map[string]http.HandlerFunc{
		"malformed JSON":  answer(200, "application/json", `{"id":`),
		"empty 200":       answer(200, "application/json", ""),
		"204 on a GET":    answer(204, "", ""),
		"HTML on success": answer(200, "text/html", "<html>proxy login</html>"),
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, h)
			_, err := c.Tracks.Get(context.Background(), trackID, nil)
			if !errors.Is(err, ErrInvalidReply) {
				t.Fatalf("got %v, want ErrInvalidReply", err)
			}
		})
	}
}

func TestResponseSizeCap(t *testing.T) {
	big := `{"id":"` + strings.Repeat("x", 4096) + `"}`
	c := newTestClient(t, answer(200, "application/json", big), WithMaxResponseSize(1024))
	_, err := c.Tracks.Get(context.Background(), trackID, nil)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

func TestInvalidInputFailsBeforeAnyRequest(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) { calls.Add(1) })
	ctx := context.Background()
	checks := map[string]error{}
	_, checks["album URI to Tracks.Get"] = c.Tracks.Get(ctx, "spotify:album:"+trackID, nil)
	_, checks["path traversal"] = c.Tracks.Get(ctx, "../me", nil)
	_, checks["escaped slash"] = c.Tracks.Get(ctx, "abc%2Fdef", nil)
	_, checks["bad market"] = c.Tracks.Get(ctx, trackID, &MarketOptions{Market: "sweden"})
	_, checks["limit too big"] = c.Albums.Tracks(ctx, trackID, &AlbumTracksOptions{ListOptions: ListOptions{Limit: 51}})
	_, checks["negative offset"] = c.Albums.Tracks(ctx, trackID, &AlbumTracksOptions{ListOptions: ListOptions{Offset: -1}})
	for name, err := range checks {
		if !errors.Is(err, models.ErrInvalidID) && !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if calls.Load() != 0 {
		t.Fatalf("%d requests were sent", calls.Load())
	}
}

func TestContextErrorWins(t *testing.T) {
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Tracks.Get(ctx, trackID, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's error", err)
	}
}

func TestTokenOnlyForAPIHost(t *testing.T) {
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization"))
		io.WriteString(w, `{"id":"x"}`)
	}))
	defer other.Close()
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusFound)
	})
	c.Tracks.Get(context.Background(), trackID, nil)
	if v, _ := leaked.Load().(string); v != "" {
		t.Fatalf("the redirect target got Authorization %q", v)
	}
}

func TestPostFailureSaysItMayHaveApplied(t *testing.T) {
	c := newTestClient(t, answer(500, "application/json", `{"error":{"status":500,"message":"Server error"}}`))
	err := c.send(context.Background(), opAddItemsToPlaylist, "playlists/x/items", nil, map[string]any{"uris": []string{"a"}}, nil)
	if !errors.Is(err, ErrMaybeApplied) || !errors.Is(err, ErrServer) {
		t.Fatalf("got %v", err)
	}
	err = c.send(context.Background(), opSaveTracksUser, "me/tracks", nil, map[string]any{"ids": []string{"a"}}, nil)
	if errors.Is(err, ErrMaybeApplied) {
		t.Fatalf("PUT flagged as maybe applied: %v", err)
	}
}

func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		io.WriteString(w, `{"error":{"status":401,"message":"Invalid access token"}}`)
	}, WithLogger(logger))
	_, err := c.Tracks.Get(context.Background(), trackID, nil)
	if err == nil || strings.Contains(err.Error(), secretToken) || strings.Contains(logs.String(), secretToken) {
		t.Fatalf("secret leaked: err %v, logs %s", err, logs.String())
	}
}

func TestOptionsRejectBadInput(t *testing.T) {
	bad := map[string]Option{
		"relative base":  WithBaseURL("/v1/"),
		"ftp base":       WithBaseURL("ftp://example.com/"),
		"nil tokens":     WithTokenSource(nil),
		"nil client":     WithHTTPClient(nil),
		"nil limiter":    WithLimiter(nil),
		"bad market":     WithMarket("xx"),
		"zero body cap":  WithMaxResponseSize(0),
		"header newline": WithUserAgent("a\r\nb"),
	}
	for name, opt := range bad {
		if _, err := NewClient(opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// slowSource never produces a token; TokenContext gives up with its
// caller's context, Token never does.
type slowSource struct{ block chan struct{} }

func (s slowSource) Token() (*oauth2.Token, error) {
	<-s.block
	return nil, errors.New("unblocked")
}

func (s slowSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.block:
		return nil, errors.New("unblocked")
	}
}

// A call's context bounds its wait for a token when the source allows it,
// and nothing is sent without one.
func TestTokenWaitEndsWithTheCall(t *testing.T) {
	var sent atomic.Int32
	src := slowSource{block: make(chan struct{})}
	defer close(src.block)
	c := newTestClient(t, func(w http.ResponseWriter, r *http.Request) { sent.Add(1) }, WithTokenSource(src))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Tracks.Get(ctx, trackID, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's error", err)
	}
	if n := sent.Load(); n != 0 {
		t.Fatalf("%d requests sent without a token", n)
	}
}
