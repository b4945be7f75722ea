package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFakeServerServesTracks starts `spotflow fake-server`, reads the URL
// and credentials it prints, and does what its curl hint says over real
// loopback HTTP: a client credentials token, then a track.
func TestFakeServerServesTracks(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	c := newCLI(t)
	c.stdout = pw
	var stderr syncBuffer
	c.stderr = &stderr
	done := make(chan result, 1)
	go func() {
		r := c.runContext(ctx, "fake-server", "--addr", "127.0.0.1:0", "--mode", "dev", "--rate", "100/30s")
		pw.Close()
		done <- r
	}()

	printed := readFakeServerDetails(pr)
	go io.Copy(io.Discard, pr) // nothing more is expected, but never block the command

	base, id, secret, track := printed["URL"], printed["Client ID"], printed["Client secret"], printed["Sample track"]
	if base == "" || id == "" || secret == "" || track == "" {
		t.Fatalf("missing details in the output: %v", printed)
	}

	// curl -u ID:SECRET -d grant_type=client_credentials URL/api/token
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	getJSON(t, req, &tok)
	if tok.AccessToken == "" {
		t.Fatal("no access token")
	}

	// curl -H "Authorization: Bearer TOKEN" URL/v1/tracks/ID
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/tracks/"+track, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	var got struct {
		ID, Type, Name string
	}
	getJSON(t, req, &got)
	if got.ID != track || got.Type != "track" || got.Name == "" {
		t.Errorf("got %+v, want track %s", got, track)
	}

	cancel() // as SIGINT does through signal.NotifyContext
	r := <-done
	if r.code != exitOK {
		t.Errorf("exit code %d after interrupt, want 0; stderr %s", r.code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "fake Spotify stopped: 2 requests served (1 token requests") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

func getJSON(t *testing.T, req *http.Request, v any) {
	t.Helper()
	resp, err := noKeepAlive.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: %s %s", req.Method, req.URL.Path, resp.Status, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestFakeServerUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"bad mode":   {"fake-server", "--mode", "premium"},
		"bad rate":   {"fake-server", "--rate", "lots"},
		"bad faults": {"fake-server", "--faults", "teapot:1"},
		"bad addr":   {"fake-server", "--addr", "not an address"},
	} {
		if r := newCLI(t).run(args...); r.code != exitUsage {
			t.Errorf("%s: exit %d, want %d; stderr %s", name, r.code, exitUsage, r.stderr)
		}
	}
}
