package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/cmd/spotflow/internal/demo"
	"github.com/spotflow/spotflow/internal/redistest"
	"github.com/spotflow/spotflow/spotifytest"
)

// self is how a process of this program is started: its executable and
// what to add to the environment (tests start their own binary as the
// command). The default is the running executable.
func defaultSelf() (string, []string, error) {
	exe, err := os.Executable()
	return exe, nil, err
}

// envReplica, set in the processes of demo --replicas, makes the demo print
// its summary as JSON for the process that started it.
const envReplica = "SPOTFLOW_DEMO_REPLICA"

// maxReplicas bounds --replicas: each is a process of its own.
const maxReplicas = 64

// demoReplicas runs the crawl of plan as n OS processes of this program,
// each running the whole crawl as one replica of an app would, all on one
// rate budget in Redis (--redis, or a redis-server on PATH started for the
// run), against the embedded fake (started here, served on loopback, for
// all of them) or the server the flags name. It prints the summary of the
// n crawls together.
func (a *app) demoReplicas(ctx context.Context, plan demo.Plan, fake *demo.Fake, n int) error {
	redisURL := a.g.redis
	if redisURL == "" {
		url, stop, err := startRedis()
		if err != nil {
			return err
		}
		defer stop()
		redisURL = url
	}
	args := []string{"demo", "--progress", "off", "--redis", redisURL,
		"--artists", strconv.Itoa(plan.Artists), "--artist-query", plan.ArtistQuery,
		"--playlist-query", plan.PlaylistQuery, "--lookups", strconv.Itoa(plan.Lookups),
		"--concurrency", strconv.Itoa(a.g.concurrency)}
	if plan.Playlist != "" {
		args = append(args, "--playlist", plan.Playlist)
	}
	for _, name := range []string{"rate", "market", "verbose"} {
		if a.set(name) {
			args = append(args, "--"+name+"="+a.cmd.Flags().Lookup(name).Value.String())
		}
	}
	env := append(os.Environ(), envReplica+"=1")
	var where string
	if fake != nil {
		srv := spotifytest.NewServer(fake.Options()...)
		defer srv.Close()
		args = append(args, "--base-url", srv.URL+"/v1/", "--accounts-url", srv.URL, "--client-id", srv.ClientID)
		env = append(env, auth.EnvClientSecret+"="+srv.ClientSecret)
		where = "a fake Spotify started here"
	} else {
		// The user's server and app: the flags as given, the secret by the
		// environment, not on a command line others can read.
		for _, name := range []string{"base-url", "accounts-url", "client-id", "token-file"} {
			if a.set(name) {
				args = append(args, "--"+name+"="+a.cmd.Flags().Lookup(name).Value.String())
			}
		}
		if a.g.clientSecret != "" {
			env = append(env, auth.EnvClientSecret+"="+a.g.clientSecret)
		}
		if !a.set("base-url") {
			args = append(args, "--fake=false")
		}
		where = a.g.baseURL
	}
	fmt.Fprintf(a.stdout, "Crawling %s with %d processes sharing one rate budget in Redis,\neach crawling the discographies of %d artists, a playlist and %s tracks in bulk.\n",
		where, n, plan.Artists, count(plan.Lookups))

	start := time.Now()
	sums, err := a.runReplicas(ctx, n, args, env)
	if err != nil {
		return err
	}
	total := combine(sums)
	total.Elapsed = time.Since(start)
	if fake != nil {
		total.WindowKnown, total.RateN, total.RateWindow = true, fake.RateN, fake.RateWindow
	}
	fmt.Fprintln(a.stdout)
	_, err = total.WriteTo(a.stdout)
	return err
}

// startRedis starts a redis-server found on PATH for the run, with its
// files in a temporary folder; stop kills it and removes them.
func startRedis() (url string, stop func(), err error) {
	bin, err := redistest.Binary()
	if err != nil {
		return "", nil, usageErrorf("--replicas: the processes share their budget in Redis: give --redis redis://HOST:PORT, or install redis-server (%v)", err)
	}
	dir, err := os.MkdirTemp("", "spotflow-redis-")
	if err != nil {
		return "", nil, err
	}
	srv, err := redistest.Launch(bin, dir)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("--replicas: starting redis-server: %w", err)
	}
	return srv.URL(), func() { srv.Kill(); os.RemoveAll(dir) }, nil
}

// runReplicas runs n processes of this program with args and env and
// returns their summaries. The first failure is returned, with what the
// process said on stderr.
func (a *app) runReplicas(ctx context.Context, n int, args, env []string) ([]demo.Summary, error) {
	exe, extraEnv, err := a.self()
	if err != nil {
		return nil, err
	}
	sums := make([]demo.Summary, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cmd := exec.CommandContext(ctx, exe, args...)
			cmd.Env = append(append([]string(nil), env...), extraEnv...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				errs[i] = fmt.Errorf("replica %d: %w: %s", i+1, err, bytes.TrimSpace(stderr.Bytes()))
				return
			}
			if err := json.Unmarshal(out, &sums[i]); err != nil {
				errs[i] = fmt.Errorf("replica %d: reading its summary: %w", i+1, err)
			}
		})
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

// combine adds the summaries of the replicas up.
func combine(sums []demo.Summary) *demo.Summary {
	t := &demo.Summary{}
	for _, s := range sums {
		t.Artists += s.Artists
		t.Albums += s.Albums
		t.Tracks += s.Tracks
		t.PlaylistItems += s.PlaylistItems
		t.LookedUp += s.LookedUp
		t.Requests += s.Requests
		t.TokenRequests += s.TokenRequests
		t.RateLimited += s.RateLimited
		t.Failures += s.Failures
		t.Retries += s.Retries
		t.Waited += s.Waited
		if t.Playlist == "" {
			t.Playlist = s.Playlist
		}
		t.PlaylistRefused = max(t.PlaylistRefused, s.PlaylistRefused)
	}
	return t
}
