package spotifytest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spotflow/spotflow/spotifytest"
)

// Start a fake, get a token the way an app does, and call the Web API.
func ExampleNewServer() {
	fake := spotifytest.NewServer()
	defer fake.Close()

	// The client credentials grant, with the fake's app credentials.
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest("POST", fake.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(fake.ClientID, fake.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()

	// A track of the synthetic catalog.
	req, _ = http.NewRequest("GET", fake.URL+"/v1/tracks/"+fake.IDs().Tracks[0], nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	fmt.Println(fake.Stats().TokenRequests, "token request")
	// Output:
	// 200 OK
	// 1 token request
}

// A token that dies before its time: the Web API answers 401 for it, while
// the other tokens go on working.
func ExampleServer_ExpireToken() {
	fake := spotifytest.NewServer()
	defer fake.Close()
	status := func(tok string) string {
		req, _ := http.NewRequest("GET", fake.URL+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		resp.Body.Close()
		return resp.Status
	}
	expired, revoked, other := fake.UserToken(""), fake.UserToken(""), fake.UserToken("")
	fake.ExpireToken(expired)
	fake.RevokeToken(revoked)
	fmt.Println(status(expired))
	fmt.Println(status(revoked))
	fmt.Println(status(other))
	// Output:
	// 401 Unauthorized
	// 401 Unauthorized
	// 200 OK
}

// A fake that fails like the real service on a bad day: a rate window of
// 100 requests per 30 s, and faults drawn from the seed, as the command
// line spells them.
func ExampleParseFaults() {
	faults, err := spotifytest.ParseFaults("500:0.05,reset:1%,429:0.02@2s,get-track=stall:0.001")
	if err != nil {
		fmt.Println(err)
		return
	}
	n, window, _ := spotifytest.ParseRate("100/30s")
	fake := spotifytest.NewServer(
		spotifytest.WithSeed(42),
		spotifytest.WithFaults(faults...),
		spotifytest.WithRateLimit(n, window),
		spotifytest.WithLatency(5*time.Millisecond, 5*time.Millisecond),
	)
	defer fake.Close()
	for _, f := range faults {
		line := fmt.Sprintf("%v at %v", f.Kind, f.Rate)
		if f.Op != "" {
			line += " on " + f.Op
		}
		fmt.Println(line)
	}
	// Output:
	// 500 at 0.05
	// reset at 0.01
	// 429 at 0.02
	// stall at 0.001 on get-track
}
