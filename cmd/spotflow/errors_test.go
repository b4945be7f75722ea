package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

func TestHelpDocumentsExitCodes(t *testing.T) {
	r := newCLI(t).run("--help").ok(t)
	golden(t, "help.golden", r.stdout)
	for _, code := range []int{exitOK, exitError, exitUsage, exitAuth, exitRateLimited, exitInterrupted} {
		if !strings.Contains(r.stdout, fmt.Sprintf("\n  %-3d  ", code)) {
			t.Errorf("--help does not document exit code %d", code)
		}
	}
}

func TestUsageExitCode(t *testing.T) {
	for name, args := range map[string][]string{
		"unknown command":   {"play"},
		"unknown flag":      {"--volume", "11", "get"},
		"bad concurrency":   {"--concurrency", "0", "search", "x"},
		"bad rate":          {"--rate", "fast", "search", "x"},
		"bad progress":      {"--progress", "sparkles", "search", "x"},
		"argument to login": {"login", "now"},
	} {
		t.Run(name, func(t *testing.T) {
			r := newCLI(t).run(args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %s", r.code, exitUsage, r.stderr)
			}
			if !strings.Contains(r.stderr, "--help' for usage") {
				t.Errorf("stderr does not point to help:\n%s", r.stderr)
			}
		})
	}
}

func TestMissingCredentials(t *testing.T) {
	for _, args := range [][]string{
		{"get", "spotify:track:6rqhFgbbKwnb9MLmUQDhG6"},
		{"search", "doxy"},
		{"tracks", "6rqhFgbbKwnb9MLmUQDhG6"},
		{"export", "playlist", "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M"},
	} {
		r := newCLI(t).run(args...)
		if r.code != exitAuth {
			t.Errorf("%v: exit %d, want %d", args, r.code, exitAuth)
		}
		golden(t, "missing_credentials.golden", r.stderr)
	}

	// A client ID alone is not enough for the catalog without a login.
	c := newCLI(t)
	c.env["SPOTIFY_CLIENT_ID"] = "some-app"
	r := c.run("get", "spotify:track:6rqhFgbbKwnb9MLmUQDhG6")
	if r.code != exitAuth || !strings.Contains(r.stderr, "no client secret, and no login at") {
		t.Errorf("client ID only: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestCredentialsFromEnvironment(t *testing.T) {
	fake := startFake(t)
	c := newCLI(t)
	c.env["SPOTIFY_CLIENT_ID"] = fake.ClientID
	c.env["SPOTIFY_CLIENT_SECRET"] = fake.ClientSecret
	c.run("--base-url", fake.URL+"/v1/", "--accounts-url", fake.URL, "get", "spotify:track:"+fake.IDs().Tracks[0]).ok(t)

	// A wrong secret from a flag wins over the environment's, and is refused.
	r := c.run("--base-url", fake.URL+"/v1/", "--accounts-url", fake.URL, "--client-secret", "wrong", "get", "spotify:track:"+fake.IDs().Tracks[0])
	if r.code != exitAuth || !strings.Contains(r.stderr, "refused the client ID or secret") {
		t.Errorf("wrong secret: exit %d, stderr %s", r.code, r.stderr)
	}
	noSecrets(t, fake, r.stderr)
}

// TestLongRetryAfter: a 429 asking to wait two hours is not waited for;
// the command says when to try again and exits 4.
func TestLongRetryAfter(t *testing.T) {
	fake := startFake(t, spotifytest.WithRateLimit(1, 30*time.Second), spotifytest.WithRetryAfter(2*time.Hour))
	track := "spotify:track:" + fake.IDs().Tracks[0]
	c := newCLI(t)
	c.run(against(fake, "get", track)...).ok(t) // the window's one request

	start := time.Now()
	r := c.run(against(fake, "get", track)...)
	if r.code != exitRateLimited {
		t.Fatalf("exit %d, want %d; stderr %s", r.code, exitRateLimited, r.stderr)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("the command waited %v for a two-hour Retry-After", waited)
	}
	at := c.now.Add(2 * time.Hour).Local().Format("15:04:05")
	want := "spotflow: Spotify's rate limit was reached and it asked to wait 2h0m0s before the next request.\nTry again after " + at + " (in 2h0m0s).\n"
	if r.stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
	}
}

func TestInterrupted(t *testing.T) {
	fake := startFake(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := newCLI(t).runContext(ctx, against(fake, "get", "spotify:track:"+fake.IDs().Tracks[0])...)
	if r.code != exitInterrupted || r.stderr != "spotflow: interrupted\n" {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestExplain(t *testing.T) {
	now := time.Date(2026, 3, 1, 23, 0, 0, 0, time.Local)
	cases := []struct {
		err      error
		code     int
		contains string
	}{
		{usageErrorf("bad"), exitUsage, "bad"},
		{fmt.Errorf("x: %w", context.Canceled), exitInterrupted, "interrupted"},
		{errNoCredentials, exitAuth, "SPOTIFY_CLIENT_SECRET"},
		{fmt.Errorf("%w (no token at /x)", errNotLoggedIn), exitAuth, "spotflow login"},
		{&auth.Error{Op: auth.OpRefresh, Code: "invalid_grant"}, exitAuth, "login' again"},
		{&spotify.Error{Status: 401, Message: "The access token expired"}, exitAuth, "refused the token"},
		{&spotify.Error{Status: 403, Message: "Insufficient client scope"}, exitError, "scope"},
		{&spotify.Error{Status: 404, Message: "Not found"}, exitError, "404"},
		{&spotify.Error{Status: 429, RetryAfter: 90 * time.Minute}, exitRateLimited, "Try again after Mon Mar 2 00:30:00 (in 1h30m0s)"},
		{fmt.Errorf("wrapped: %w", &ratelimit.GateError{RetryAfter: 3 * time.Second}), exitRateLimited, "in 3s"},
		{ratelimit.ErrRateLimited, exitRateLimited, "try again in a little while"},
		{errors.New("boom"), exitError, "boom"},
	}
	for _, tc := range cases {
		code, msg := explain(tc.err, now)
		if code != tc.code || !strings.Contains(msg, tc.contains) {
			t.Errorf("explain(%v) = %d, %q; want %d and %q", tc.err, code, msg, tc.code, tc.contains)
		}
	}
}
