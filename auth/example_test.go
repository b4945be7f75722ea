package auth_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/auth"
)

// fakeAccounts stands in for spotifytest until its accounts service exists.
type fakeAccounts struct {
	*stub
	URL string
	ts  *httptest.Server
}

func startAccounts() *fakeAccounts {
	s := newStub()
	ts := httptest.NewServer(s)
	return &fakeAccounts{stub: s, URL: ts.URL, ts: ts}
}

func (f *fakeAccounts) Close() { f.ts.Close() }

// freePort returns a loopback port that was free a moment ago.
func freePort() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func ExampleClientCredentials() {
	fake := startAccounts()
	defer fake.Close()

	cfg, err := auth.NewConfig(
		auth.WithClientID(fake.ClientID), // or auth.FromEnv() with SPOTIFY_CLIENT_ID
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
	// Any number of goroutines may ask; the token is fetched once and
	// replaced a minute before it expires.
	tok, err := src.Token()
	if err != nil {
		log.Fatal(err)
	}
	again, _ := src.Token()
	fmt.Println(tok.Type(), tok.AccessToken == again.AccessToken, fake.TokenRequests())
	// Output: Bearer true 1
}

func ExampleLogin() {
	fake := startAccounts()
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
	store, _ := auth.NewFileStore(filepath.Join(dir, "token.json")) // e.g. auth.DefaultTokenPath()

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

func ExampleNewRefreshSource() {
	fake := startAccounts()
	defer fake.Close()

	cfg, err := auth.NewConfig(auth.WithClientID(fake.ClientID), auth.WithAccountsURL(fake.URL))
	if err != nil {
		log.Fatal(err)
	}
	// A token saved by an earlier Login; its access token has expired.
	store := auth.NewMemoryStore(&oauth2.Token{RefreshToken: fake.RefreshToken()})

	src, err := auth.NewRefreshSource(context.Background(), cfg,
		auth.WithStore(store),
		auth.OnSaveError(func(err error) { log.Println("token not saved:", err) }))
	if err != nil {
		log.Fatal(err) // errors.Is(err, auth.ErrNoToken): run Login first
	}
	tok, err := src.Token() // refreshes once, saves the new token
	if err != nil {
		log.Fatal(err) // errors.Is(err, auth.ErrReauthRequired): run Login again
	}
	saved, _ := store.Load(context.Background())
	fmt.Println(tok.Valid(), saved.AccessToken == tok.AccessToken)
	// Output: true true
}
