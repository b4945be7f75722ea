package bench

import (
	"context"
	stdjson "encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"

	zspotify "github.com/zmb3/spotify/v2"
	"go.uber.org/goleak"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
)

func TestMain(m *testing.M) {
	if spec, ok := os.LookupEnv(fakeEnv); ok {
		if err := serveFake(spec, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "fake:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if _, ok := os.LookupEnv(replicaEnv); ok {
		if err := runReplica(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "replica:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// Contender names, as cmd/compare expects them.
const (
	spotflowName         = "spotflow"          // the library's best path for the task, unpaced
	spotflowDefaultsName = "spotflow-defaults" // the same path with every default of ratelimit.New
	spotflowSyncName     = "spotflow-sync"     // the synchronous client, one request after another
	zmb3Name             = "zmb3"              // github.com/zmb3/spotify/v2
	rawName              = "raw"               // net/http and encoding/json into the models
	rawModelsName        = "raw-models"        // net/http and models.Unmarshal
	floorName            = "floor"             // net/http, body discarded
	mapName              = "encodingjson-map"  // encoding/json into map[string]any
)

// newTransport returns a transport of its own for one contender: the
// default one, keeping up to 64 idle connections, so that no contender
// pays for new connections that another does not. It is closed when tb
// ends.
func newTransport(tb testing.TB) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	tb.Cleanup(t.CloseIdleConnections)
	return t
}

// token is the fake's access token as an oauth2 token source.
func (f *fake) tokens() oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: f.Token, TokenType: "Bearer"})
}

// unlimited is a limiter that neither paces nor caps in-flight requests,
// so that the benchmarks without a rate window do not measure it waiting.
func unlimited(tb testing.TB) *ratelimit.Limiter {
	tb.Helper()
	lim, err := ratelimit.New(ratelimit.WithRate(rate.Inf, 0), ratelimit.WithMaxInFlight(0))
	if err != nil {
		tb.Fatal(err)
	}
	return lim
}

// defaults is a limiter with every default of ratelimit.New: an adaptive
// pace from 20 requests/s, probing up to 250/s until the first 429, and at
// most 32 requests in flight. It is what a user gets without telling the
// limiter anything.
func defaults(tb testing.TB) *ratelimit.Limiter {
	tb.Helper()
	lim, err := ratelimit.New()
	if err != nil {
		tb.Fatal(err)
	}
	return lim
}

// spotflowClient is a spotflow client of f sending through lim.
func spotflowClient(tb testing.TB, f *fake, lim *ratelimit.Limiter) *spotify.Client {
	tb.Helper()
	c, err := spotify.NewClient(
		spotify.WithBaseURL(f.api()),
		spotify.WithTokenSource(f.tokens()),
		spotify.WithLimiter(lim),
		spotify.WithHTTPClient(&http.Client{Transport: newTransport(tb)}),
	)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// asyncClient is an async spotflow client of f with default options.
func asyncClient(tb testing.TB, f *fake, lim *ratelimit.Limiter) *async.Client {
	tb.Helper()
	a, err := async.New(spotflowClient(tb, f, lim))
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// zmb3Client is a zmb3 client of f, authenticated the way that library
// expects: an http.Client whose oauth2 transport adds the token.
func zmb3Client(tb testing.TB, f *fake, opts ...zspotify.ClientOption) *zspotify.Client {
	tb.Helper()
	hc := &http.Client{Transport: &oauth2.Transport{Source: f.tokens(), Base: newTransport(tb)}}
	return zspotify.New(hc, append([]zspotify.ClientOption{zspotify.WithBaseURL(f.api())}, opts...)...)
}

// rawClient sends GETs to the fake with plain net/http.
type rawClient struct {
	hc   *http.Client
	api  string
	auth string
}

func newRawClient(tb testing.TB, f *fake) *rawClient {
	return &rawClient{hc: &http.Client{Transport: newTransport(tb)}, api: f.api(), auth: "Bearer " + f.Token}
}

// get sends GET path (below the API's base URL) and fails on any status
// but 200. The caller closes the body.
func (r *rawClient) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.api+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", r.auth)
	resp, err := r.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	return resp, nil
}

// decodeTrack reads the answer to GET tracks/{id} and decodes it with
// unmarshal into a models.Track.
func (r *rawClient) decodeTrack(ctx context.Context, id string, unmarshal func([]byte, any) error) (*models.Track, error) {
	resp, err := r.get(ctx, "tracks/"+id)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	t := new(models.Track)
	if err := unmarshal(body, t); err != nil {
		return nil, err
	}
	return t, nil
}

// discard sends GET path and reads the body to its end without decoding.
func (r *rawClient) discard(ctx context.Context, path string) error {
	resp, err := r.get(ctx, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// stdUnmarshal is encoding/json's Unmarshal, named for the contenders.
var stdUnmarshal = stdjson.Unmarshal
