package auth_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// Environment of a child process of TestTwoProcessesShareARotatingTokenFile.
const (
	envChild      = "SPOTFLOW_AUTH_TEST_CHILD"
	envFakeURL    = "SPOTFLOW_AUTH_TEST_FAKE"
	envTokenPath  = "SPOTFLOW_AUTH_TEST_TOKEN"
	envClientID   = "SPOTFLOW_AUTH_TEST_ID"
	envSecret     = "SPOTFLOW_AUTH_TEST_SECRET"
	childPrefix   = "child: "
	childRounds   = 50
	callsPerRound = 8
)

// Acceptance: two OS processes (this test binary, run again as children)
// share one token file with refresh-token rotation. In each of 50 rounds
// the fake expires every access token early and both processes call the
// Web API at the same moment, 8 calls each: every call succeeds (never
// ErrReauthRequired), exactly one token request is made per round between
// the two processes, and the file holds a working token after each round
// and a well-formed one at every moment.
func TestTwoProcessesShareARotatingTokenFile(t *testing.T) {
	if os.Getenv(envChild) != "" {
		runChild(t)
		return
	}
	if testing.Short() {
		t.Skip("starts two processes")
	}
	fake := spotifytest.NewServer(spotifytest.WithRefreshRotation(true))
	defer fake.Close()
	path := filepath.Join(t.TempDir(), "spotflow", "token.json")
	store, _ := auth.NewFileStore(path)
	ctx := context.Background()
	if err := store.Save(ctx, &oauth2.Token{RefreshToken: fake.RefreshToken("")}); err != nil {
		t.Fatal(err)
	}

	var children []*child
	for i := range 2 {
		c := startChild(t, i, fake, path)
		children = append(children, c)
	}

	// A reader checks the file at every moment of the rounds.
	stop := make(chan struct{})
	var watchErr error
	var watched sync.WaitGroup
	watched.Go(func() {
		reader, _ := auth.NewFileStore(path)
		for {
			select {
			case <-stop:
				return
			default:
			}
			tok, err := reader.Load(ctx)
			if err == nil && tok.RefreshToken == "" {
				err = errors.New("no refresh token")
			}
			if err != nil {
				watchErr = err
				return
			}
		}
	})
	defer func() { close(stop); watched.Wait() }()

	for round := range childRounds {
		before := fake.Stats().TokenRequests
		if round > 0 {
			fake.ExpireAccessTokens() // early: the sources still think them good
		}
		for _, c := range children {
			c.send(t, fmt.Sprintf("round %d", round))
		}
		for _, c := range children {
			if got := c.answer(t); got != fmt.Sprintf("ok %d", round) {
				t.Fatalf("round %d, process %d: %s", round, c.n, got)
			}
		}
		if n := fake.Stats().TokenRequests - before; n != 1 {
			t.Errorf("round %d: %d token requests between the two processes, want 1", round, n)
		}
		tok, err := store.Load(ctx)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if got := rawStatus(t, fake, tok.AccessToken); got != http.StatusOK {
			t.Fatalf("round %d: the file's access token answers %d", round, got)
		}
	}
	for _, c := range children {
		c.finish(t)
	}
	if watchErr != nil {
		t.Errorf("the file was not a token at some moment: %v", watchErr)
	}
	// The file's refresh token is the live one: a third process refreshes with it.
	src, err := auth.NewRefreshSource(ctx, fakeConfig(t, fake), auth.WithStore(store),
		auth.WithToken(&oauth2.Token{RefreshToken: mustLoad(t, store).RefreshToken}))
	if err != nil {
		t.Fatal(err)
	}
	fake.ExpireAccessTokens()
	if _, err := apiClient(t, fake, src).Users.Me(ctx); err != nil {
		t.Fatalf("refresh with the file's token: %v", err)
	}
}

func mustLoad(t *testing.T, s auth.Store) *oauth2.Token {
	t.Helper()
	tok, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// child is a running child process and its pipes.
type child struct {
	n     int
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan string
}

func startChild(t *testing.T, n int, fake *spotifytest.Server, path string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestTwoProcessesShareARotatingTokenFile$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"=1", envFakeURL+"="+fake.URL, envTokenPath+"="+path,
		envClientID+"="+fake.ClientID, envSecret+"="+fake.ClientSecret)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{n: n, cmd: cmd, in: in, lines: make(chan string)}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), childPrefix); ok {
				c.lines <- line
			}
		}
	}()
	t.Cleanup(func() {
		in.Close()
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return c
}

func (c *child) send(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(c.in, line+"\n"); err != nil {
		t.Fatalf("process %d: %v", c.n, err)
	}
}

func (c *child) answer(t *testing.T) string {
	t.Helper()
	select {
	case line, ok := <-c.lines:
		if !ok {
			t.Fatalf("process %d ended without answering", c.n)
		}
		return line
	case <-time.After(2 * time.Minute):
		t.Fatalf("process %d did not answer", c.n)
	}
	return ""
}

// finish closes the child's input and waits for it to end well.
func (c *child) finish(t *testing.T) {
	t.Helper()
	c.in.Close()
	for range c.lines {
	}
	if err := c.cmd.Wait(); err != nil {
		t.Errorf("process %d: %v", c.n, err)
	}
}

// runChild is the child's side: for each "round N" on stdin it makes
// callsPerRound concurrent API calls with a refresh source on the shared
// file, and answers "ok N" or what failed.
func runChild(t *testing.T) {
	ctx := context.Background()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	cfg, err := auth.NewConfig(auth.WithClientID(os.Getenv(envClientID)), auth.WithClientSecret(os.Getenv(envSecret)),
		auth.WithAccountsURL(os.Getenv(envFakeURL)), auth.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	store, err := auth.NewFileStore(os.Getenv(envTokenPath))
	if err != nil {
		t.Fatal(err)
	}
	src, err := auth.NewRefreshSource(ctx, cfg, auth.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	lim, _ := ratelimit.New(ratelimit.WithRate(rate.Inf, 1), ratelimit.WithMaxAttempts(1))
	api, err := spotify.NewClient(spotify.WithTokenSource(src), spotify.WithBaseURL(os.Getenv(envFakeURL)+"/v1/"),
		spotify.WithLimiter(lim), spotify.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		round, _ := strings.CutPrefix(sc.Text(), "round ")
		errs := make([]error, callsPerRound)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { _, errs[i] = api.Users.Me(ctx) })
		}
		wg.Wait()
		answer := "ok " + round
		if err := errors.Join(errs...); err != nil {
			answer = fmt.Sprintf("round %s failed (reauth: %t): %s", round, errors.Is(err, auth.ErrReauthRequired),
				strings.ReplaceAll(err.Error(), "\n", "; "))
		}
		fmt.Println(childPrefix + answer)
	}
}
