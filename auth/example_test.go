package auth_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// freePort returns a loopback port that was free a moment ago.
func freePort() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// App tokens for the catalog, handed to the Web API client as they are.
// The fake stands in for accounts.spotify.com and api.spotify.com.
func ExampleNewClientCredentials() {
	fake := spotifytest.NewServer()
	defer fake.Close()

	cfg, err := auth.NewConfig(
		auth.WithClientID(fake.ClientID), // or auth.FromEnv(): SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET
		auth.WithClientSecret(fake.ClientSecret),
		auth.WithAccountsURL(fake.URL), // leave out to use accounts.spotify.com
	)
	if err != nil {
		log.Fatal(err)
	}
	// The source lives as long as the program: build it on a long-lived context.
	src, err := auth.NewClientCredentials(context.Background(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	// It is an oauth2.TokenSource, so the client takes it directly.
	client, err := spotify.NewClient(
		spotify.WithTokenSource(src),
		spotify.WithBaseURL(fake.URL+"/v1/"), // leave out to use api.spotify.com
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, id := range fake.IDs().Tracks[:3] {
		if _, err := client.Tracks.Get(ctx, id, nil); err != nil {
			log.Fatal(err)
		}
	}
	// The token was fetched once and reused; it is replaced a minute
	// before it expires, however many goroutines ask.
	fmt.Println("3 tracks,", fake.Stats().TokenRequests, "token request")
	// Output: 3 tracks, 1 token request
}

// A command-line login: PKCE, a loopback callback and a token file.
func ExampleLogin() {
	fake := spotifytest.NewServer()
	defer fake.Close()

	// The redirect URI registered for the app: an explicit loopback
	// address with a port, e.g. http://127.0.0.1:8888/callback.
	redirect := "http://127.0.0.1:" + freePort() + "/callback"
	cfg, err := auth.NewConfig(
		auth.WithClientID(fake.ClientID), // no secret: PKCE alone
		auth.WithRedirectURI(redirect),
		auth.WithScopes(auth.ScopeUserReadPrivate, auth.ScopePlaylistReadPrivate),
		auth.WithAccountsURL(fake.URL),
	)
	if err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "spotflow-example")
	defer os.RemoveAll(dir)
	store, _ := auth.NewFileStore(filepath.Join(dir, "token.json")) // e.g. at auth.DefaultTokenPath()

	// A real program passes auth.WithOpener(auth.OpenBrowser). Here the
	// opener plays the browser: the user approves, the accounts service
	// redirects to the loopback callback, Login takes it from there.
	browser := func(url string) error {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	tok, err := auth.Login(context.Background(), cfg, auth.WithOpener(browser), auth.WithStore(store))
	if err != nil {
		log.Fatal(err)
	}
	saved, _ := store.Load(context.Background())
	fmt.Println(tok.Valid(), saved.RefreshToken == tok.RefreshToken)
	// Output: true true
}

// A later run: the user's token comes from the store and is refreshed as
// needed, and every rotated refresh token is saved back.
func ExampleNewRefreshSource() {
	fake := spotifytest.NewServer(spotifytest.WithRefreshRotation(true))
	defer fake.Close()

	cfg, err := auth.NewConfig(auth.WithClientID(fake.ClientID), auth.WithAccountsURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	// What an earlier Login saved; the access token is long expired.
	store := auth.NewMemoryStore(&oauth2.Token{RefreshToken: fake.RefreshToken("")})

	ctx := context.Background()
	src, err := auth.NewRefreshSource(ctx, cfg,
		auth.WithStore(store),
		auth.OnSaveError(func(err error) { log.Println("token not saved:", err) }))
	if err != nil {
		log.Fatal(err) // errors.Is(err, auth.ErrNoToken): run Login first
	}
	client, err := spotify.NewClient(spotify.WithTokenSource(src), spotify.WithBaseURL(fake.URL+"/v1/"))
	if err != nil {
		log.Fatal(err)
	}
	me, err := client.Users.Me(ctx) // refreshes once, saves the new token
	if err != nil {
		log.Fatal(err) // errors.Is(err, auth.ErrReauthRequired): run Login again
	}
	tok, _ := src.Token()
	saved, _ := store.Load(ctx)
	fmt.Println(me.ID, saved.RefreshToken == tok.RefreshToken)
	// Output: spotflow-tester true
}
