package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/auth/redistoken"
	"github.com/spotflow/spotflow/internal/redistest"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/ratelimit/redisstore"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// replicaEnv, when set, makes the test binary run one replica of a
// multi-process benchmark instead of tests: it reads a replicaConfig in
// JSON on its input and prints a replicaResult.
const replicaEnv = "SPOTFLOW_BENCH_REPLICA"

// The multi-process runs: replicas OS processes of 8 workers each, against
// one fake allowing crawlLimit requests per crawlWindow to the app.
const (
	replicas       = 4
	replicaWorkers = 8
	replicaRun     = 10 * time.Second // each process's crawl
	replicaWarm    = crawlWindow      // not counted: the window fills once
	// replicaStartIn gives the processes time to start before the crawl
	// begins, together, at one instant.
	replicaStartIn = 1500 * time.Millisecond
)

// replicaConfig is what one replica does.
type replicaConfig struct {
	Hello    hello         `json:"hello"`
	Redis    string        `json:"redis,omitempty"` // a redis:// URL; "" for the in-process store
	Pace     string        `json:"pace"`            // "window" or "adaptive"
	Start    time.Time     `json:"start"`           // when the workers start
	Warm     time.Duration `json:"warm"`            // not counted
	Run      time.Duration `json:"run"`             // then stop
	Tokens   bool          `json:"tokens,omitempty"`
	Calls    int           `json:"calls,omitempty"`    // concurrent calls per round, in token mode
	Interval time.Duration `json:"interval,omitempty"` // between rounds, in token mode
}

// replicaResult is what one replica measured.
type replicaResult struct {
	Counted    int64     `json:"counted"`   // lookups done between Start+Warm and Start+Run
	Done       int64     `json:"done"`      // lookups done in all
	Failed     int64     `json:"failed"`    // calls that returned an error
	FirstError string    `json:"first_err"` // the first of them
	Reauth     int64     `json:"reauth"`    // errors matching auth.ErrReauthRequired
	Requests   int64     `json:"requests"`  // admissions of the limiter, retries included
	RedisCalls int64     `json:"redis_calls"`
	Fallbacks  int64     `json:"fallbacks"`
	Rejoins    int64     `json:"rejoins"`
	RejoinedAt time.Time `json:"rejoined_at"`
	LostAt     time.Time `json:"lost_at"`
}

// BenchmarkReplicas runs replicas OS processes of one app (the test binary
// started again as a replica), each looking single tracks up with 8
// workers for 10 s, against one out-of-process fake allowing 100 requests
// per rolling second to the app. It reports the app's utilization of the
// window while counted (lookups done in the last 9 s ÷ what the window
// allows in them), the share of requests answered 429 (%429), and the calls
// to Redis per request (redis-calls/req).
//
//   - store=memory/pace=window: each process told the window with its own
//     in-process store, the way to run replicas before the Redis store: the
//     baseline;
//   - store=redis/pace=window: one Redis store, told the window;
//   - store=redis/pace=adaptive: one Redis store, adaptive defaults;
//   - store=redis/pace=window/redis=killed: redis-server SIGKILLed 3 s into
//     the crawl and restarted 2 s later; reports failed calls (failed) and
//     when the last process was back on the shared budget (rejoin-s, from
//     the restart);
//   - store=redis/gate=429: one request is answered 429 with Retry-After 5;
//     reports the requests that reached the fake while the gate was closed
//     (during-gate, after those already in flight when the 429 went out);
//   - store=redis/tokens: the processes share a user's token through the
//     Redis token store; access tokens expire every 2 s and each refresh
//     rotates the refresh token; each process makes rounds of 200
//     concurrent calls. Reports token requests per expiry and the
//     ErrReauthRequired errors.
func BenchmarkReplicas(b *testing.B) {
	if testing.Short() {
		b.Skip("multi-process runs take seconds")
	}
	for _, tc := range []struct {
		name   string
		redis  bool
		pace   string
		killed bool
	}{
		{"store=memory/pace=window", false, "window", false},
		{"store=redis/pace=window", true, "window", false},
		{"store=redis/pace=adaptive", true, "adaptive", false},
		{"store=redis/pace=window/redis=killed", true, "window", true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				crawlReplicas(b, tc.redis, tc.pace, tc.killed)
			}
		})
	}
	b.Run("store=redis/gate=429", func(b *testing.B) {
		for range b.N {
			gateReplicas(b)
		}
	})
	b.Run("store=redis/tokens", func(b *testing.B) {
		for range b.N {
			tokenReplicas(b)
		}
	})
}

// crawlReplicas runs one multi-process crawl and reports it.
func crawlReplicas(b *testing.B, useRedis bool, pace string, killed bool) {
	b.StopTimer()
	f := startFake(b, fakeConfig{RateN: crawlLimit, RateSpan: crawlWindow})
	cfg := replicaConfig{Hello: f.hello, Pace: pace, Warm: replicaWarm, Run: replicaRun}
	var srv *redistest.Server
	if useRedis {
		srv = redistest.Start(b)
		cfg.Redis = srv.URL()
	}
	cfg.Start = time.Now().Add(replicaStartIn)
	restartedAt := make(chan time.Time, 1)
	if killed {
		go func() {
			time.Sleep(time.Until(cfg.Start.Add(3 * time.Second)))
			srv.Kill()
			time.Sleep(2 * time.Second)
			if err := srv.Restart(); err != nil {
				b.Error(err)
			}
			restartedAt <- time.Now()
		}()
	}
	b.StartTimer()
	results := runReplicas(b, cfg)
	b.StopTimer()
	st, err := f.stop()
	if err != nil {
		b.Fatal(err)
	}
	var counted, failed, requests, calls int64
	var lastRejoin time.Time
	for _, r := range results {
		counted += r.Counted
		failed += r.Failed
		requests += r.Requests
		calls += r.RedisCalls
		if r.RejoinedAt.After(lastRejoin) {
			lastRejoin = r.RejoinedAt
		}
		if r.FirstError != "" {
			b.Logf("a replica's first failure: %s", r.FirstError)
		}
	}
	measured := (replicaRun - replicaWarm).Seconds()
	b.ReportMetric(float64(counted)/(measured*crawlLimit/crawlWindow.Seconds()), "utilization")
	b.ReportMetric(100*float64(st.RateLimited)/float64(st.ByOp["get-track"]), "%429")
	b.ReportMetric(float64(failed), "failed")
	if useRedis {
		b.ReportMetric(float64(calls)/float64(max(requests, 1)), "redis-calls/req")
	}
	if killed {
		restarted := <-restartedAt
		rejoin := lastRejoin.Sub(restarted).Seconds()
		if lastRejoin.IsZero() || restarted.IsZero() {
			rejoin = -1
		}
		b.ReportMetric(rejoin, "rejoin-s")
	}
	b.Logf("%d replicas: %d lookups counted, %d requests sent, %d answered 429, %d failed calls, %d Redis calls",
		len(results), counted, st.ByOp["get-track"], st.RateLimited, failed, calls)
}

// gateReplicas has the fake answer 429 with Retry-After 5 to a few
// requests (the first of them matters) and counts the requests that reach
// it while that gate is closed.
func gateReplicas(b *testing.B) {
	b.StopTimer()
	const retryAfter = 5 * time.Second
	f := startFake(b, fakeConfig{
		Faults: []spotifytest.Fault{{Op: "get-track", Kind: spotifytest.Kind429, Rate: 0.02, RetryAfter: retryAfter}},
		Log:    true,
	})
	srv := redistest.Start(b)
	cfg := replicaConfig{Hello: f.hello, Redis: srv.URL(), Pace: "window", Warm: replicaWarm, Run: 8 * time.Second}
	// The fake has no window here: pace at 100 a second all the same.
	cfg.Start = time.Now().Add(replicaStartIn)
	b.StartTimer()
	runReplicas(b, cfg)
	b.StopTimer()
	if _, err := f.stop(); err != nil {
		b.Fatal(err)
	}
	var first time.Time
	for _, r := range f.log {
		if r.Fault == spotifytest.Kind429 {
			first = r.Time
			break
		}
	}
	if first.IsZero() {
		b.Fatal("no 429 was injected")
	}
	// Requests sent before the 429 reached its process were in flight:
	// they arrive within a few milliseconds of it.
	const inFlight = 50 * time.Millisecond
	var early, during, after int
	for _, r := range f.log {
		switch d := r.Time.Sub(first); {
		case d <= 0:
		case d < inFlight:
			early++
		case d < retryAfter:
			during++
		default:
			after++
		}
	}
	b.ReportMetric(float64(during), "during-gate")
	b.ReportMetric(float64(early), "in-flight")
	b.Logf("first 429 at %s into the run; %d requests within %s of it (in flight), %d while the gate was closed, %d after",
		first.Sub(cfg.Start).Round(time.Millisecond), early, inFlight, during, after)
}

// tokenSkew is how long before its expiry a replica renews the token.
const tokenSkew = 250 * time.Millisecond

// tokenReplicas shares one user's token between the processes through the
// Redis token store, with access tokens expiring every 2 s and rotating
// refresh tokens, and counts the token requests.
func tokenReplicas(b *testing.B) {
	b.StopTimer()
	const lifetime = 2 * time.Second
	f := startFake(b, fakeConfig{TokenLifetime: lifetime, Rotation: true})
	srv := redistest.Start(b)
	// The store starts with the user's refresh token only, as after a login.
	rdb, err := redisstore.NewClient(srv.URL())
	if err != nil {
		b.Fatal(err)
	}
	defer rdb.Close()
	ts, err := redistoken.New(rdb, f.ClientID, "user:bench")
	if err != nil {
		b.Fatal(err)
	}
	if err := ts.Save(b.Context(), &oauth2.Token{RefreshToken: f.RefreshToken}); err != nil {
		b.Fatal(err)
	}
	run := 7 * time.Second
	cfg := replicaConfig{Hello: f.hello, Redis: srv.URL(), Tokens: true, Calls: 200, Interval: 250 * time.Millisecond,
		Run: run, Start: time.Now().Add(replicaStartIn)}
	b.StartTimer()
	results := runReplicas(b, cfg)
	b.StopTimer()
	st, err := f.stop()
	if err != nil {
		b.Fatal(err)
	}
	var failed, reauth, done int64
	for _, r := range results {
		failed += r.Failed
		reauth += r.Reauth
		done += r.Done
		if r.FirstError != "" {
			b.Logf("a replica's first failure: %s", r.FirstError)
		}
	}
	// The first token, then one each time a token came within the skew
	// of its expiry while the calls went on.
	expiries := 1 + int(run/(lifetime-tokenSkew))
	tokens := st.ByOp[spotifytest.OpToken]
	b.ReportMetric(float64(tokens)/float64(expiries), "tokens/expiry")
	b.ReportMetric(float64(reauth), "reauth")
	b.ReportMetric(float64(failed), "failed")
	b.Logf("%d calls, %d token requests for %d token lifetimes, %d ErrReauthRequired, %d failed", done, tokens, expiries, reauth, failed)
}

// runReplicas starts replicas children with cfg and returns what each
// measured.
func runReplicas(b *testing.B, cfg replicaConfig) []replicaResult {
	b.Helper()
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	spec, err := json.Marshal(cfg)
	if err != nil {
		b.Fatal(err)
	}
	results := make([]replicaResult, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() {
			cmd := exec.Command(exe)
			cmd.Env = append(os.Environ(), replicaEnv+"=1")
			cmd.Stdin = bytes.NewReader(spec)
			cmd.Stderr = os.Stderr
			out, err := cmd.Output()
			if err != nil {
				errs[i] = fmt.Errorf("replica %d: %w", i, err)
				return
			}
			if err := json.Unmarshal(out, &results[i]); err != nil {
				errs[i] = fmt.Errorf("replica %d: %w", i, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		b.Fatal(err)
	}
	return results
}

// runReplica is the child's side: it reads its config from in, runs it
// and prints its result.
func runReplica(in io.Reader, out io.Writer) error {
	var cfg replicaConfig
	if err := json.NewDecoder(in).Decode(&cfg); err != nil {
		return fmt.Errorf("reading the replica's config: %w", err)
	}
	ctx := context.Background()
	// go-redis logs every failed dial; a run that kills Redis makes many.
	redis.SetLogger(quietLogger{})
	var store ratelimit.Store
	var rs *redisstore.Store
	var tokens *redistoken.Store
	if cfg.Redis != "" {
		rdb, err := redisstore.NewClient(cfg.Redis)
		if err != nil {
			return err
		}
		defer rdb.Close()
		if rs, err = redisstore.New(ctx, rdb, cfg.Hello.ClientID); err != nil {
			return err
		}
		defer rs.Close()
		store = rs
		if tokens, err = redistoken.New(rdb, cfg.Hello.ClientID, "user:bench"); err != nil {
			return err
		}
	}
	opts := []ratelimit.Option{}
	if store != nil {
		opts = append(opts, ratelimit.WithStore(store))
	}
	if cfg.Pace == "window" {
		opts = append(opts, ratelimit.WithWindow(crawlLimit, crawlWindow))
	}
	if cfg.Tokens {
		opts = append(opts, ratelimit.WithRate(1000, 100))
	}
	lim, err := ratelimit.New(opts...)
	if err != nil {
		return err
	}
	var res replicaResult
	var src oauth2.TokenSource = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.Hello.Token, TokenType: "Bearer"})
	if cfg.Tokens {
		ac, err := auth.NewConfig(auth.WithClientID(cfg.Hello.ClientID), auth.WithClientSecret(cfg.Hello.ClientSecret),
			auth.WithAccountsURL(cfg.Hello.URL))
		if err != nil {
			return err
		}
		if src, err = auth.NewRefreshSource(ctx, ac, auth.WithStore(tokens), auth.WithSkew(tokenSkew)); err != nil {
			return err
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	defer tr.CloseIdleConnections()
	c, err := spotify.NewClient(spotify.WithBaseURL(cfg.Hello.URL+"/v1/"), spotify.WithTokenSource(src),
		spotify.WithLimiter(lim), spotify.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		return err
	}
	get := func(ctx context.Context, id string) error {
		_, err := c.Tracks.Get(ctx, id, nil)
		return err
	}
	var firstErr atomic.Pointer[string]
	fail := func(err error) {
		msg := err.Error()
		firstErr.CompareAndSwap(nil, &msg)
	}
	time.Sleep(time.Until(cfg.Start))
	if cfg.Tokens {
		res.Done, res.Failed, res.Reauth = tokenRounds(ctx, cfg, get, fail)
	} else {
		res.Counted, res.Done, res.Failed = crawlFor(ctx, cfg, get, fail)
	}
	if p := firstErr.Load(); p != nil {
		res.FirstError = *p
	}
	st := lim.Stats()
	res.Requests = st.Requests
	if rs != nil {
		rst := rs.Stats()
		res.RedisCalls, res.Fallbacks, res.Rejoins = rst.Calls, rst.Fallbacks, rst.Rejoins
		res.RejoinedAt, res.LostAt = rst.RejoinedAt, rst.LostAt
	}
	return json.NewEncoder(out).Encode(res)
}

// crawlFor runs the workers of a replica until cfg.Start+cfg.Run and
// returns the lookups done while counted, in all, and the failures.
func crawlFor(ctx context.Context, cfg replicaConfig, get getter, fail func(error)) (counted, done, failed int64) {
	// Cancelled at the end rather than given a deadline: a limiter refuses
	// at once a wait that would end past a deadline, which would count as
	// failures the calls of the last second.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := time.AfterFunc(time.Until(cfg.Start.Add(cfg.Run)), cancel)
	defer stop.Stop()
	from := cfg.Start.Add(cfg.Warm)
	var nCounted, nDone, nFailed, next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	ids := cfg.Hello.Tracks
	for range replicaWorkers {
		wg.Go(func() {
			for ctx.Err() == nil {
				id := ids[int(next.Add(1)-1)%len(ids)]
				err := get(ctx, id)
				switch {
				case err == nil:
					nDone.Add(1)
					if time.Now().After(from) {
						nCounted.Add(1)
					}
				case ctx.Err() == nil:
					nFailed.Add(1)
					mu.Lock()
					fail(err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return nCounted.Load(), nDone.Load(), nFailed.Load()
}

// tokenRounds makes rounds of cfg.Calls concurrent calls every
// cfg.Interval until cfg.Start+cfg.Run.
func tokenRounds(ctx context.Context, cfg replicaConfig, get getter, fail func(error)) (done, failed, reauth int64) {
	var nDone, nFailed, nReauth atomic.Int64
	var mu sync.Mutex
	ids := cfg.Hello.Tracks
	for round := 0; time.Now().Before(cfg.Start.Add(cfg.Run)); round++ {
		var wg sync.WaitGroup
		for i := range cfg.Calls {
			wg.Go(func() {
				if err := get(ctx, ids[(round*cfg.Calls+i)%len(ids)]); err != nil {
					nFailed.Add(1)
					if errors.Is(err, auth.ErrReauthRequired) {
						nReauth.Add(1)
					}
					mu.Lock()
					fail(err)
					mu.Unlock()
					return
				}
				nDone.Add(1)
			})
		}
		wg.Wait()
		time.Sleep(cfg.Interval)
	}
	return nDone.Load(), nFailed.Load(), nReauth.Load()
}

// quietLogger drops go-redis's internal log lines.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}
