package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/demo"
	"github.com/spotflow/spotflow/cmd/spotflow/internal/spans"
	"github.com/spotflow/spotflow/spotifytest"
)

// demoFakeFlags configure the fake the demo starts; they cannot apply to
// a server the demo did not start.
var demoFakeFlags = []string{"window", "latency", "jitter", "faults", "seed"}

// demoTargetFlags point the demo at a server of the user's instead of the
// embedded fake.
var demoTargetFlags = []string{"base-url", "accounts-url", "client-id", "client-secret", "token-file"}

func (a *app) demoCmd() *cobra.Command {
	plan, fake := demo.DefaultPlan, demo.DefaultFake
	window := fmt.Sprintf("%d/%s", fake.RateN, fake.RateWindow)
	faults := "500:1%,reset:0.5%"
	replicas := 1
	trace := false
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Crawl Spotify, or a fake of it, concurrently under a rate limit, and sum it up",
		Long: `Crawl a Spotify Web API through the async client, as a crawler would: find
artists and a playlist by search, then run three jobs at once sharing one rate
limiter: the artists' discographies (albums, then every track), the playlist
streamed in order, and a bulk lookup of the tracks the discographies turn up.

By default the demo starts a fake Spotify in-process, with a rolling rate
window, latency and a few faults (--window, --latency, --jitter, --faults,
--seed). The client does not know the window: it starts at 20 requests/s and
probes upward until it meets 429s; the shared limiter then closes its gate
for every job until Retry-After, cuts its pace and climbs back. --rate paces
at a fixed rate instead (try --rate 150/3s: no 429 at all).

With --base-url, --accounts-url, --client-id, --client-secret or --token-file,
or with --fake=false and credentials in the environment, the same crawl runs
against that server instead (api.spotify.com by default): a smoke test of an
app. Development Mode apps are refused batch lookups, which the client learns
once and replaces with single ones, and a playlist's items, which Spotify
serves to its owner and collaborators only.

Progress goes to stderr; the summary (items, requests, 429s, failures,
retries, time waited, elapsed, items per second, share of the rate budget
used when the window is known) to stdout. --trace adds a table of latency per
operation, from the client's OpenTelemetry spans kept in memory.

--replicas N runs the crawl as N processes of spotflow, each the whole crawl,
as N replicas of one app would, all pacing on one rate budget kept in Redis
(--redis, or a redis-server on PATH started for the run), and sums their
crawls up. --redis alone puts this process on the budget of every other
given the same Redis.`,
		Example: `  spotflow demo
  spotflow demo --rate 150/3s
  spotflow demo --replicas 4
  spotflow demo --replicas 4 --redis redis://127.0.0.1:6379/0
  spotflow demo --base-url http://127.0.0.1:8080/v1 --client-id ID --client-secret SECRET
  SPOTIFY_CLIENT_ID=... SPOTIFY_CLIENT_SECRET=... spotflow demo --fake=false --artists 5`,
		Args:        cobra.NoArgs,
		Annotations: uses(crawlFlags...),
		RunE: func(cmd *cobra.Command, args []string) error {
			embedded := a.demoEmbedsFake()
			if !embedded {
				if err := refuse(cmd, "configures the demo's own fake, not a server it did not start", demoFakeFlags...); err != nil {
					return err
				}
			}
			if plan.Playlist != "" {
				if err := refuse(cmd, "finds a playlist, but --playlist names one", "playlist-query"); err != nil {
					return err
				}
			}
			n, w, err := spotifytest.ParseRate(window)
			if err != nil {
				return usageErr(fmt.Errorf("--window: %w", err))
			}
			fake.RateN, fake.RateWindow = n, w
			if fake.Faults, err = spotifytest.ParseFaults(faults); err != nil {
				return usageErr(fmt.Errorf("--faults: %w", err))
			}
			if strings.TrimSpace(plan.ArtistQuery) == "" || strings.TrimSpace(plan.PlaylistQuery) == "" {
				return usageErrorf("the search queries must not be empty")
			}
			if plan.Artists < 1 || plan.Lookups < 1 {
				return usageErrorf("--artists and --lookups must be at least 1")
			}
			if trace && replicas > 1 {
				return usageErrorf("--trace reads the spans of one process: leave out --replicas")
			}
			if trace {
				a.spans = spans.NewTable()
			}
			if replicas < 1 || replicas > maxReplicas {
				return usageErrorf("--replicas must be between 1 and %d, not %d", maxReplicas, replicas)
			}
			var target *demo.Fake
			if embedded {
				target = &fake
			}
			if replicas > 1 {
				return a.demoReplicas(cmd.Context(), plan, target, replicas)
			}
			return a.demo(cmd.Context(), plan, target)
		},
	}
	f := cmd.Flags()
	f.IntVar(&plan.Artists, "artists", plan.Artists, "artists whose discographies are crawled")
	f.StringVar(&plan.ArtistQuery, "artist-query", plan.ArtistQuery, "the search that finds them")
	f.StringVar(&plan.Playlist, "playlist", "", "ID of the playlist to stream (default: the largest --playlist-query finds)")
	f.StringVar(&plan.PlaylistQuery, "playlist-query", plan.PlaylistQuery, "the search that finds the playlist")
	f.IntVar(&plan.Lookups, "lookups", plan.Lookups, "tracks of those albums looked up in bulk")
	f.StringVar(&window, "window", window, "the fake's rolling rate window, N/WINDOW, or off")
	f.DurationVar(&fake.Latency, "latency", fake.Latency, "the fake's latency per request")
	f.DurationVar(&fake.Jitter, "jitter", fake.Jitter, "random extra latency, up to this much")
	f.StringVar(&faults, "faults", faults, "faults the fake injects (see fake-server --help)")
	f.Int64Var(&fake.Seed, "seed", fake.Seed, "seed of the fake's catalog and faults")
	f.IntVar(&replicas, "replicas", replicas, "run the crawl as this many processes sharing one rate budget in Redis")
	f.BoolVar(&trace, "trace", false, "keep the client's spans in memory and print latency per operation")
	return cmd
}

// demoEmbedsFake reports whether the demo starts its own fake: unless a
// flag points it elsewhere or --fake=false says so. It sets --fake then,
// so that connect starts the fake.
func (a *app) demoEmbedsFake() bool {
	for _, name := range demoTargetFlags {
		if a.set(name) {
			return false
		}
	}
	if a.set("fake") && !a.g.fake {
		return false
	}
	a.g.fake = true
	return true
}

// demo crawls, as plan says, the fake fake describes, started in-process,
// or, when fake is nil, the server the global flags name.
func (a *app) demo(ctx context.Context, plan demo.Plan, fake *demo.Fake) error {
	var fakeOpts []spotifytest.Option
	if fake != nil {
		fakeOpts = fake.Options()
	}
	s, err := a.connect(ctx, asApp, fakeOpts...)
	if err != nil {
		return err
	}
	defer s.Close()
	plan.Concurrency = a.g.concurrency
	replica := a.getenv(envReplica) != ""
	if !replica {
		a.demoHeader(s, plan, fake)
	}

	g := a.progress(ctx)
	sum, err := demo.Crawl(ctx, s.async, plan, g)
	g.Close()
	if err != nil {
		return err
	}
	a.demoCost(sum, s)
	if replica {
		// One process of demo --replicas: the summary is its parent's.
		return json.NewEncoder(a.stdout).Encode(sum)
	}
	if fake != nil {
		sum.WindowKnown, sum.RateN, sum.RateWindow = true, fake.RateN, fake.RateWindow
	}
	fmt.Fprintln(a.stdout)
	if _, err = sum.WriteTo(a.stdout); err != nil || a.spans == nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nLatency per operation (client spans, retries and waits included):")
	_, err = a.spans.WriteTo(a.stdout)
	return err
}

// demoHeader says what the demo crawls, and where.
func (a *app) demoHeader(s *session, plan demo.Plan, fake *demo.Fake) {
	list := fmt.Sprintf("the largest playlist found by searching %q", plan.PlaylistQuery)
	if plan.Playlist != "" {
		list = "playlist " + plan.Playlist
	}
	where := s.client.BaseURL()
	if fake != nil {
		where = "a fake Spotify started in-process"
	}
	fmt.Fprintf(a.stdout, "Crawling %s: the discographies of %d artists found by searching %q,\n%s, and %s of their tracks in bulk,\n",
		where, plan.Artists, plan.ArtistQuery, list, count(plan.Lookups))
	switch {
	case fake == nil:
		fmt.Fprintf(a.stdout, "under the server's own rate limits.\n")
	case fake.RateN > 0:
		fmt.Fprintf(a.stdout, "under a rate window of %d requests per %s, with %s latency (+ up to %s).\n",
			fake.RateN, fake.RateWindow, fake.Latency, fake.Jitter)
	default:
		fmt.Fprintf(a.stdout, "with no rate window, and %s latency (+ up to %s).\n", fake.Latency, fake.Jitter)
	}
}

// demoCost fills in what the crawl cost, from the session's meters and
// limiter: the client's view, the same on any server.
func (a *app) demoCost(sum *demo.Summary, s *session) {
	api, ls := s.api.Counts(), s.limiter.Stats()
	sum.Requests = api.Requests
	sum.TokenRequests = s.accounts.Counts().Requests
	sum.RateLimited = api.RateLimited
	sum.Failures = api.Failures()
	sum.Retries = ls.Retries
	sum.Waited = ls.Waited
}
