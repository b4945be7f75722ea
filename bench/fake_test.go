package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/spotflow/spotflow/spotifytest"
)

// fakeEnv, when set, makes the test binary serve a fake instead of running
// tests; its value is a fakeConfig in JSON.
const fakeEnv = "SPOTFLOW_BENCH_FAKE"

// fakeConfig is how the child's fake is set up.
type fakeConfig struct {
	Latency  time.Duration `json:"latency"`   // per request, no jitter
	RateN    int           `json:"rate_n"`    // requests per RateSpan; 0: no window
	RateSpan time.Duration `json:"rate_span"` // the rolling window

	Faults        []spotifytest.Fault `json:"faults,omitempty"`
	TokenLifetime time.Duration       `json:"token_lifetime,omitempty"` // of access tokens; 0: the fake's default
	Rotation      bool                `json:"rotation,omitempty"`       // a new refresh token on every refresh
	Log           bool                `json:"log,omitempty"`            // keep the request log and send it at the end
}

// hello is what the child prints once its fake listens.
type hello struct {
	URL         string   `json:"url"`    // base URL, the Web API is under URL+"/v1/"
	Token       string   `json:"token"`  // a client-credentials access token
	Tracks      []string `json:"tracks"` // track IDs of the catalog
	Playlist10K string   `json:"playlist_10k"`

	RefreshToken string `json:"refresh_token"` // of the fake's default user
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// fake is a spotifytest server running in a child process, so that the
// benchmark process allocates and collects for its client alone.
type fake struct {
	hello
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *json.Decoder

	cfg   fakeConfig
	once  sync.Once
	stats spotifytest.Stats
	log   []spotifytest.Request // when cfg.Log
	err   error
}

// startFake starts a child fake configured by cfg; it is stopped when the
// test or benchmark ends, or earlier by stop.
func startFake(tb testing.TB, cfg fakeConfig) *fake {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	spec, err := json.Marshal(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), fakeEnv+"="+string(spec))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	f := &fake{cmd: cmd, stdin: stdin, out: json.NewDecoder(stdout), cfg: cfg}
	tb.Cleanup(func() {
		if _, err := f.stop(); err != nil {
			tb.Error(err)
		}
	})
	if err := f.out.Decode(&f.hello); err != nil {
		tb.Fatalf("starting the fake: %v", err)
	}
	return f
}

// api is the Web API's base URL, ending in a slash.
func (f *fake) api() string { return f.URL + "/v1/" }

// stop closes the child's fake, once every request has finished, and
// returns what it counted. Later calls return the same.
func (f *fake) stop() (spotifytest.Stats, error) {
	f.once.Do(func() {
		f.stdin.Close()
		if err := f.out.Decode(&f.stats); err != nil {
			f.err = fmt.Errorf("reading the fake's stats: %w", err)
		}
		if f.cfg.Log && f.err == nil {
			if err := f.out.Decode(&f.log); err != nil {
				f.err = fmt.Errorf("reading the fake's request log: %w", err)
			}
		}
		if err := f.cmd.Wait(); err != nil && f.err == nil {
			f.err = fmt.Errorf("the fake exited: %w", err)
		}
	})
	return f.stats, f.err
}

// serveFake is the child's side: it serves a fake configured by spec,
// prints a hello line, and on the end of its input closes the fake and
// prints its stats.
func serveFake(spec string, in io.Reader, out io.Writer) error {
	var cfg fakeConfig
	if err := json.Unmarshal([]byte(spec), &cfg); err != nil {
		return fmt.Errorf("%s: %w", fakeEnv, err)
	}
	// No request log: it would grow through a run and slow the later
	// contenders with the fake's own garbage collection.
	logSize := 0
	if cfg.Log {
		logSize = 1 << 20
	}
	opts := []spotifytest.Option{spotifytest.WithLatency(cfg.Latency, 0), spotifytest.WithRequestLog(logSize),
		spotifytest.WithFaults(cfg.Faults...), spotifytest.WithRefreshRotation(cfg.Rotation)}
	if cfg.RateN > 0 {
		opts = append(opts, spotifytest.WithRateLimit(cfg.RateN, cfg.RateSpan))
	}
	if cfg.TokenLifetime > 0 {
		opts = append(opts, spotifytest.WithTokenLifetime(cfg.TokenLifetime))
	}
	srv, err := spotifytest.Start("127.0.0.1:0", opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	ids := srv.IDs()
	enc := json.NewEncoder(out)
	if err := enc.Encode(hello{URL: srv.URL, Token: srv.ClientToken(), Tracks: ids.Tracks, Playlist10K: ids.Playlist10K,
		RefreshToken: srv.RefreshToken(""), ClientID: spotifytest.DefaultClientID,
		ClientSecret: spotifytest.DefaultClientSecret}); err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, in); err != nil {
		return err
	}
	srv.Close()
	if err := enc.Encode(srv.Stats()); err != nil {
		return err
	}
	if cfg.Log {
		return enc.Encode(srv.Requests())
	}
	return nil
}
