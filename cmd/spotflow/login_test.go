package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/spotflow/spotflow/spotifytest"
)

// browser plays the user's browser: it opens the consent page, which the
// fake approves at once, and follows the redirect to login's callback.
func browser(t *testing.T, seen *string) func(string) error {
	return func(u string) error {
		if seen != nil {
			*seen = u
		}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		resp, err := noKeepAlive.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("callback answered %s", resp.Status)
		}
		return nil
	}
}

func loopbackURI(t *testing.T) string {
	t.Helper()
	u, err := freeLoopbackURI()
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestLoginWhoamiLogout logs in against a fake's accounts service with
// PKCE, uses the stored token, and logs out.
func TestLoginWhoamiLogout(t *testing.T) {
	fake := startFake(t)
	c := newCLI(t)
	c.browser = browser(t, nil)
	tokenFile := c.env[envTokenFile]
	// A public client: PKCE without a secret.
	flags := []string{"--base-url", fake.URL + "/v1/", "--accounts-url", fake.URL, "--client-id", fake.ClientID, "--progress", "off"}

	r := c.run(append(flags, "--redirect-uri", loopbackURI(t), "login")...).ok(t)
	want := "Logged in as Spotflow Tester (spotflow-tester).\nToken saved to " + tokenFile + ", readable by you only.\n"
	if r.stdout != want {
		t.Errorf("login printed:\n%s\nwant:\n%s", r.stdout, want)
	}
	info, err := os.Stat(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", info.Mode().Perm())
	}
	saved, _ := os.ReadFile(tokenFile)
	noSecrets(t, fake, r.stdout, r.stderr)
	if strings.Contains(r.stdout+r.stderr, strings.TrimSpace(string(saved))) {
		t.Error("login printed the stored token")
	}

	r = c.run(append(flags, "whoami")...).ok(t)
	golden(t, "whoami.golden", r.stdout)

	// With no secret, catalog commands use the stored login too.
	r = c.run(append(flags, "get", "spotify:track:"+fake.IDs().Tracks[0])...).ok(t)
	if !strings.Contains(r.stdout, `"type": "track"`) {
		t.Errorf("get with the stored login:\n%s", r.stdout)
	}

	r = c.run(append(flags, "export", "library", "--format", "csv")...).ok(t)
	if n := strings.Count(r.stdout, "\n"); n != 41 {
		t.Errorf("library export has %d lines, want a header and 40 rows", n)
	}

	// logout only touches the token file: it refuses flags naming a server.
	if r := c.run(append(flags, "logout")...); r.code != exitUsage || !strings.Contains(r.stderr, "--base-url: spotflow logout does not use it") {
		t.Errorf("logout with --base-url: exit %d, stderr %s", r.code, r.stderr)
	}
	r = c.run("logout").ok(t)
	if r.stdout != "Logged out: removed "+tokenFile+".\n" {
		t.Errorf("logout printed %q", r.stdout)
	}
	if _, err := os.Stat(tokenFile); !os.IsNotExist(err) {
		t.Errorf("token file still there: %v", err)
	}
	r = c.run("logout").ok(t)
	if !strings.HasPrefix(r.stdout, "Not logged in") {
		t.Errorf("second logout printed %q", r.stdout)
	}
	r = c.run(append(flags, "whoami")...)
	if r.code != exitAuth || !strings.Contains(r.stderr, "not logged in") {
		t.Errorf("whoami after logout: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestLoginRedirectFromEnvironment(t *testing.T) {
	fake := startFake(t)
	redirect := loopbackURI(t)
	var opened string
	c := newCLI(t)
	c.browser = browser(t, &opened)
	c.env["SPOTIFY_CLIENT_ID"] = fake.ClientID
	c.env["SPOTIFY_REDIRECT_URI"] = redirect
	c.run("--base-url", fake.URL+"/v1/", "--accounts-url", fake.URL, "login").ok(t)
	u, err := url.Parse(opened)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("redirect_uri") != redirect || q.Get("client_id") != fake.ClientID || q.Get("code_challenge_method") != "S256" {
		t.Errorf("consent page %s: want the environment's client and redirect URI, with PKCE", opened)
	}
	for _, scope := range loginScopes {
		if !strings.Contains(q.Get("scope"), scope) {
			t.Errorf("scope %q not asked for: %q", scope, q.Get("scope"))
		}
	}
}

func TestLoginDenied(t *testing.T) {
	fake := startFake(t, spotifytest.WithLoginDenied())
	c := newCLI(t)
	c.browser = func(u string) error { _ = browser(t, nil)(u); return nil } // the callback page says 400
	r := c.run("--accounts-url", fake.URL, "--client-id", fake.ClientID, "--redirect-uri", loopbackURI(t), "login")
	if r.code != exitAuth || !strings.Contains(r.stderr, "declined") {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
	if _, err := os.Stat(c.env[envTokenFile]); !os.IsNotExist(err) {
		t.Errorf("a denied login stored a token: %v", err)
	}
}

func TestLoginWithFake(t *testing.T) {
	c := newCLI(t)
	r := c.run("--fake", "login").ok(t)
	if r.stdout != "Logged in as Spotflow Tester (spotflow-tester).\nToken not stored: the fake is gone when spotflow exits.\n" {
		t.Errorf("login --fake printed %q", r.stdout)
	}
	if _, err := os.Stat(c.env[envTokenFile]); !os.IsNotExist(err) {
		t.Errorf("login --fake stored a token: %v", err)
	}
	r = c.run("--fake", "whoami", "--format", "json").ok(t)
	if !strings.Contains(r.stdout, `"id": "spotflow-tester"`) {
		t.Errorf("whoami --fake:\n%s", r.stdout)
	}
	r = c.run("--fake", "logout").ok(t)
	if !strings.Contains(r.stdout, "never stored") {
		t.Errorf("logout --fake printed %q", r.stdout)
	}
}

func TestLoginNeedsClientID(t *testing.T) {
	r := newCLI(t).runContext(context.Background(), "login")
	if r.code != exitAuth || !strings.Contains(r.stderr, "SPOTIFY_CLIENT_ID") || !strings.Contains(r.stderr, "--fake") {
		t.Errorf("exit %d, stderr %s", r.code, r.stderr)
	}
}
