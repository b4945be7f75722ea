package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUnhonouredFlagsAreUsageErrors: a flag a command cannot honour is
// refused with exit 2 before anything is sent, never ignored.
func TestUnhonouredFlagsAreUsageErrors(t *testing.T) {
	fake := startFake(t)
	track := "spotify:track:" + fake.IDs().Tracks[0]
	artist := "spotify:artist:" + fake.IDs().Artists[0]
	tokenFile := filepath.Join(t.TempDir(), "token.json")
	for _, tc := range []struct {
		name string
		args []string
		want string // in the message
	}{
		{"logout names no server", []string{"--base-url", fake.URL + "/v1/", "logout"}, "--base-url: spotflow logout does not use it"},
		{"logout has no market", []string{"--market", "SE", "logout"}, "--market: spotflow logout does not use it"},
		{"whoami has no market", []string{"--market", "SE", "whoami"}, "--market: spotflow whoami does not use it"},
		{"fake-server is no client", []string{"--base-url", fake.URL + "/v1/", "fake-server"}, "--base-url: spotflow fake-server does not use it"},
		{"fake-server has no app", []string{"--client-id", "x", "fake-server"}, "--client-id: spotflow fake-server does not use it"},
		{"fake-server retry-after without a window", []string{"fake-server", "--retry-after", "2s"}, "--retry-after applies to the 429s of a rate window"},
		{"catalog commands need no redirect", []string{"--redirect-uri", "http://127.0.0.1:9/cb", "search", "x"}, "--redirect-uri: spotflow search does not use it"},
		{"export alone", []string{"--market", "SE", "export"}, "--market: spotflow export does not use it"},
		{"fake and a base URL", []string{"--fake", "--base-url", fake.URL + "/v1/", "get", track}, "--base-url cannot apply with --fake"},
		{"fake and a client ID", []string{"--fake", "--client-id", "x", "search", "x"}, "--client-id cannot apply with --fake"},
		{"fake and a token file", []string{"--fake", "--token-file", tokenFile, "tracks", track}, "--token-file cannot apply with --fake"},
		{"fake and an accounts URL", []string{"--fake", "--accounts-url", fake.URL, "whoami"}, "--accounts-url cannot apply with --fake"},
		{"fake login and a redirect", []string{"--fake", "--redirect-uri", "http://127.0.0.1:9/cb", "login"}, "--redirect-uri cannot apply with --fake"},
		{"fake login and no browser", []string{"--fake", "login", "--no-browser"}, "--no-browser cannot apply with --fake"},
		{"market of an artist", append(against(fake, "--market", "SE"), "get", artist), "--market does not apply to artists"},
		{"token file beside a secret", append(against(fake, "--token-file", tokenFile), "get", track), "--token-file: with a client secret"},
		{"fake demo and a base URL", []string{"--fake", "--base-url", fake.URL + "/v1/", "demo"}, "--base-url cannot apply with --fake"},
	} {
		r := newCLI(t).run(tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tc.name, r.code, r.stderr, exitUsage, tc.want)
		}
	}
	if n := fake.Stats().Requests; n != 0 {
		t.Errorf("refused commands sent %d requests", n)
	}
}

// TestFlagsHonouredEverywhere: the flags that only bound or show what a
// command does are taken by every command.
func TestFlagsHonouredEverywhere(t *testing.T) {
	r := newCLI(t).run("--concurrency", "2", "--rate", "off", "--progress", "off", "logout")
	if r.code != exitOK {
		t.Errorf("logout with bounds: exit %d, stderr %s", r.code, r.stderr)
	}
}

// TestLoopbackBaseURLServesTheToken: with a --base-url on this machine and
// no --accounts-url, the token comes from that server, not from Spotify.
func TestLoopbackBaseURLServesTheToken(t *testing.T) {
	fake := startFake(t)
	newCLI(t).run("--base-url", fake.URL+"/v1", "--client-id", fake.ClientID, "--client-secret", fake.ClientSecret,
		"get", "spotify:track:"+fake.IDs().Tracks[0]).ok(t)
	fake.Close() // counts every request
	if st := fake.Stats(); st.TokenRequests != 1 || st.ByOp["get-track"] != 1 {
		t.Errorf("%d token requests and %d lookups at the fake; want 1 and 1", st.TokenRequests, st.ByOp["get-track"])
	}
}

// TestAccountsURL: the client secret goes to Spotify's accounts service,
// to the one --accounts-url names, or to a --base-url server on this
// machine; never to another host that the user named for the Web API only.
func TestAccountsURL(t *testing.T) {
	for _, tc := range []struct{ base, accounts, want string }{
		{"https://api.spotify.com/v1/", "", defaultAccountsURL},
		{"https://proxy.example/v1/", "", defaultAccountsURL},
		{"http://10.0.0.7:8080/v1", "", defaultAccountsURL},
		{"http://127.0.0.1:8080/v1", "", "http://127.0.0.1:8080"},
		{"http://[::1]:8080/v1/", "", "http://[::1]:8080"},
		{"http://localhost:8080/v1/", "", "http://localhost:8080"},
		{"https://proxy.example/v1/", "https://auth.proxy.example/", "https://auth.proxy.example"},
	} {
		a := &app{g: globals{baseURL: tc.base, accountsURL: tc.accounts}}
		if got := a.accountsURL(&session{}); got != tc.want {
			t.Errorf("--base-url %s --accounts-url %q: accounts service %s; want %s", tc.base, tc.accounts, got, tc.want)
		}
	}
}
