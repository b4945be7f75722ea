package main

import (
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/spotflow/spotflow/internal/redistest"
)

// With --redis, two runs of tracks against one fake share the app's token
// (one token request between them) and leave the app's rate state in
// Redis.
func TestTracksShareRedis(t *testing.T) {
	srv := redistest.Start(t)
	fake := startFake(t)
	ids := fake.IDs().Tracks
	for i := range 2 {
		newCLI(t).run(against(fake, "--redis", srv.URL(), "tracks", ids[i])...).ok(t)
	}
	fake.Close()
	if n := fake.Stats().ByOp["token"]; n != 1 {
		t.Errorf("%d token requests for two runs sharing Redis, want 1", n)
	}
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer rdb.Close()
	keys, err := rdb.Keys(context.Background(), "spotflow:{"+fake.ClientID+"}:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(keys, " ")
	for _, want := range []string{":rl:replicas", ":token:app"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no key %s in Redis: %v", want, keys)
		}
	}
}

// A Redis that does not answer costs nothing but a note; a URL that is not
// one is a usage error that does not repeat its password.
func TestRedisFlagFailures(t *testing.T) {
	srv := redistest.Start(t)
	srv.Kill()
	fake := startFake(t)
	r := newCLI(t).run(against(fake, "--redis", srv.URL(), "tracks", fake.IDs().Tracks[0])...).ok(t)
	if !strings.Contains(r.stderr, "no answer from Redis") {
		t.Errorf("stderr does not say Redis is away:\n%s", r.stderr)
	}
	r = newCLI(t).run(against(fake, "--redis", "http://user:hunter2@[::1", "tracks", fake.IDs().Tracks[0])...)
	if r.code != exitUsage || strings.Contains(r.stderr, "hunter2") || !strings.Contains(r.stderr, "--redis") {
		t.Errorf("bad URL: exit %d\n%s", r.code, r.stderr)
	}
	r = newCLI(t).run(against(fake, "--redis", srv.URL(), "search", "track", "x")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--redis") {
		t.Errorf("search --redis: exit %d\n%s", r.code, r.stderr)
	}
}

// demo --replicas 3 runs three processes on one budget in a redis-server it
// starts, against one fake, and sums them up: three crawls' items, and the
// 429s of one app rather than of three.
func TestDemoReplicas(t *testing.T) {
	if _, err := redistest.Binary(); err != nil {
		redistest.Start(t) // skips, or fails in CI
	}
	r := newCLI(t).run("demo", "--replicas", "3", "--progress", "off", "--artists", "1", "--lookups", "20", "--window", "600/1s")
	r.ok(t)
	for _, want := range []string{"with 3 processes sharing one rate budget in Redis", "discographies  3 artists",
		"1 to the accounts service"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the output lacks %q:\n%s", want, r.stdout)
		}
	}
	t.Log(r.stdout)
	if r := newCLI(t).run("demo", "--replicas", "0"); r.code != exitUsage {
		t.Errorf("--replicas 0: exit %d", r.code)
	}
}
