package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spotflow/spotflow/auth"
)

// freeRedirect returns a loopback redirect URI on a port that was free a
// moment ago.
func freeRedirect(t *testing.T, host, path string) string {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Skipf("no %s loopback: %v", host, err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return fmt.Sprintf("http://%s%s", net.JoinHostPort(host, fmt.Sprint(port)), path)
}

// get is http.Get without keep-alive, so no idle connection outlives a test.
func get(url string) (*http.Response, error) {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	return c.Get(url)
}

// browser plays the user's browser: it opens the authorization URL,
// follows the accounts service's 303 to the callback and records the page.
type browser struct {
	mu     sync.Mutex
	status int
	page   string
}

func (b *browser) open(authURL string) error {
	resp, err := get(authURL)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.mu.Lock()
	b.status, b.page = resp.StatusCode, string(body)
	b.mu.Unlock()
	return nil
}

func TestLoginCancelAndTimeout(t *testing.T) {
	cfg, err := auth.NewConfig(auth.WithClientID("id"), auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/cb")))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = auth.Login(ctx, cfg, auth.WithOpener(func(string) error { cancel(); return nil }))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancel: %v", err)
	}
	_, err = auth.Login(context.Background(), cfg, auth.WithOpener(func(string) error { return nil }),
		auth.WithTimeout(20*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v", err)
	}
}

func TestLoginDefaultOpenerPrintsURL(t *testing.T) {
	cfg, err := auth.NewConfig(auth.WithClientID("id"), auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/cb")))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	_, err = auth.Login(context.Background(), cfg, auth.WithOutput(&out), auth.WithTimeout(10*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(out.String(), "/authorize?") {
		t.Errorf("output %q has no URL", out.String())
	}
}

func TestLoginOpenerFailureFallsBackToPrinting(t *testing.T) {
	cfg, err := auth.NewConfig(auth.WithClientID("id"), auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/cb")))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	_, _ = auth.Login(context.Background(), cfg, auth.WithOutput(&out), auth.WithTimeout(10*time.Millisecond),
		auth.WithOpener(func(string) error { return errors.New("no display") }))
	if !strings.Contains(out.String(), "no display") || !strings.Contains(out.String(), "/authorize?") {
		t.Errorf("output %q", out.String())
	}
}

func TestLoginRefusesNonLoopback(t *testing.T) {
	for uri, want := range map[string]string{
		"https://app.example.com/callback": "web app",
		"http://192.168.1.10:8080/cb":      "loopback",
		"http://127.0.0.1/cb":              "explicit port",
		"https://127.0.0.1:8443/cb":        "must use http",
	} {
		cfg, err := auth.NewConfig(auth.WithClientID("id"), auth.WithRedirectURI(uri))
		if err != nil {
			t.Fatal(err)
		}
		_, err = auth.Login(context.Background(), cfg, auth.WithOpener(func(string) error {
			t.Errorf("%s: opener called", uri)
			return nil
		}))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want a message about %q", uri, err, want)
		}
	}
	cfg, _ := auth.NewConfig(auth.WithClientID("id"))
	if _, err := auth.Login(context.Background(), cfg); !errors.Is(err, auth.ErrMissingConfig) {
		t.Errorf("no redirect URI: %v", err)
	}
}

func TestLoginPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg, _ := auth.NewConfig(auth.WithClientID("id"), auth.WithRedirectURI("http://"+ln.Addr().String()+"/cb"))
	if _, err := auth.Login(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "listening") {
		t.Errorf("busy port: %v", err)
	}
}

func TestLoginSaveFailureReturnsToken(t *testing.T) {
	s := newStub()
	ts := httptest.NewServer(s)
	defer ts.Close()
	cfg, err := auth.NewConfig(auth.WithClientID(s.ClientID), auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/cb")),
		auth.WithAccountsURL(ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{}
	tok, err := auth.Login(context.Background(), cfg, auth.WithOpener(b.open), auth.WithStore(&brokenStore{}),
		auth.ShowDialog())
	if !errors.Is(err, auth.ErrNotSaved) || !errors.Is(err, errDiskFull) {
		t.Fatalf("err = %v, want ErrNotSaved", err)
	}
	if tok == nil || tok.RefreshToken == "" {
		t.Error("token lost with the failed save")
	}
}

// slowToken runs hook on each token request before the stub answers it.
type slowToken struct {
	s    *stub
	hook func(r *http.Request)
}

func (h slowToken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/token" && h.hook != nil {
		h.hook(r)
	}
	h.s.ServeHTTP(w, r)
}

// The login's timeout bounds the wait for the browser, not the exchange of
// a code that came in time; and an error says which step failed.
func TestLoginErrorsNameTheStep(t *testing.T) {
	s := newStub()
	t.Run("exchange outlasts the wait", func(t *testing.T) {
		waited := make(chan struct{})
		ts := httptest.NewServer(slowToken{s: s, hook: func(*http.Request) { <-waited }})
		defer ts.Close()
		cfg, _ := auth.NewConfig(auth.WithClientID(s.ClientID), auth.WithAccountsURL(ts.URL),
			auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/cb")))
		b := &browser{}
		opener := func(u string) error {
			// The wait's timeout passes while the code is being exchanged.
			go func() { time.Sleep(50 * time.Millisecond); close(waited) }()
			return b.open(u)
		}
		tok, err := auth.Login(context.Background(), cfg, auth.WithOpener(opener), auth.WithTimeout(time.Millisecond))
		if err != nil || tok == nil {
			t.Fatalf("a callback that came in time lost its exchange: %v", err)
		}
	})
	t.Run("ctx ends during the exchange", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ts := httptest.NewServer(slowToken{s: s, hook: func(r *http.Request) {
			_ = r.ParseForm() // the body read, the server notices the client leave
			cancel()
			<-r.Context().Done() // the client gives up
		}})
		defer ts.Close()
		cfg, _ := auth.NewConfig(auth.WithClientID(s.ClientID), auth.WithAccountsURL(ts.URL),
			auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/cb")))
		b := &browser{}
		_, err := auth.Login(ctx, cfg, auth.WithOpener(b.open), auth.WithTimeout(time.Minute))
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "exchanging its code") ||
			strings.Contains(err.Error(), "no callback") {
			t.Errorf("err = %v, want one that names the exchange", err)
		}
	})
	t.Run("no callback", func(t *testing.T) {
		cfg, _ := auth.NewConfig(auth.WithClientID(s.ClientID), auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/cb")))
		_, err := auth.Login(context.Background(), cfg, auth.WithOpener(func(string) error { return nil }),
			auth.WithTimeout(time.Millisecond))
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no callback") {
			t.Errorf("err = %v, want one that names the wait for the callback", err)
		}
	})
}

// deadlineOf is an accounts service in memory that records the deadline
// each token request carried.
type deadlineOf struct {
	h  http.Handler
	mu sync.Mutex
	dl []time.Time
}

func (d *deadlineOf) RoundTrip(r *http.Request) (*http.Response, error) {
	if dl, ok := r.Context().Deadline(); ok && r.URL.Path == "/api/token" {
		d.mu.Lock()
		d.dl = append(d.dl, dl)
		d.mu.Unlock()
	}
	return inMemory{d.h}.RoundTrip(r)
}

// A user who takes their time on the consent page (logs in, reads the
// scopes) still gets the code exchanged: the exchange's time is counted
// from the callback, not from when the login started listening, so a
// callback that came a minute in is not refused as out of time.
func TestLoginExchangeTimeCountsFromTheCallback(t *testing.T) {
	s := newStub()
	accounts := &deadlineOf{h: s}
	cfg := stubConfig(t, s, auth.WithRedirectURI(freeRedirect(t, "127.0.0.1", "/cb")),
		auth.WithHTTPClient(&http.Client{Transport: accounts}))
	var called time.Time
	opener := func(authURL string) error {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, authURL, nil))
		time.Sleep(20 * time.Millisecond) // the user reads the consent page
		called = time.Now()
		resp, err := get(rec.Header().Get("Location"))
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	if _, err := auth.Login(context.Background(), cfg, auth.WithOpener(opener)); err != nil {
		t.Fatal(err)
	}
	if len(accounts.dl) != 1 {
		t.Fatalf("%d token requests with a deadline, want 1", len(accounts.dl))
	}
	// The accounts service's request timeout is 30 s.
	if left := accounts.dl[0].Sub(called); left < 30*time.Second {
		t.Errorf("the exchange had %v left when the callback came, want the whole 30 s", left)
	}
}
