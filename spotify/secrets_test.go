package spotify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/spotflow/spotflow/cache"
	"github.com/spotflow/spotflow/internal/redact"
	"github.com/spotflow/spotflow/ratelimit"
)

// An echo place is where an answer can carry text back: it writes echo
// (the Authorization header in some encoding) into the answer.
type echoPlace struct {
	name  string
	write echoWriter
}

func jsonText(s string) string {
	b, _ := json.Marshal(s) // the wire form; the client decodes it back
	return string(b)
}

var echoPlaces = []echoPlace{
	{"400 message", errorAnswer(400, func(e string) string { return `{"status":400,"message":` + jsonText("Invalid request: "+e) + `}` })},
	{"401 message", errorAnswer(401, func(e string) string { return `{"status":401,"message":` + jsonText("Invalid access token: "+e) + `}` })},
	{"500 message", errorAnswer(500, func(e string) string { return `{"status":500,"message":` + jsonText(e) + `}` })},
	{"429 reason", func(w http.ResponseWriter, e string) {
		w.Header().Set("Retry-After", "3600")
		errorAnswer(429, func(e string) string {
			return `{"status":429,"message":"API rate limit exceeded","reason":` + jsonText(e) + `}`
		})(w, e)
	}},
	{"401 error_description", func(w http.ResponseWriter, e string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		io.WriteString(w, `{"error":"invalid_token","error_description":`+jsonText("token "+e+" revoked")+`}`)
	}},
	{"403 content type", func(w http.ResponseWriter, e string) {
		w.Header()["Content-Type"] = []string{"text/" + e}
		w.WriteHeader(403)
		io.WriteString(w, "<html>denied</html>")
	}},
	{"200 with a bad value", func(w http.ResponseWriter, e string) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"`+trackID+`","duration_ms":`+jsonText(e)+`}`)
	}},
	{"302 to a Location that does not parse", func(w http.ResponseWriter, e string) {
		w.Header()["Location"] = []string{"http://[::1%zz]/" + e}
		w.WriteHeader(http.StatusFound)
	}},
}

// errorAnswer writes Spotify's error object, made by body from the echo.
func errorAnswer(status int, body func(echo string) string) echoWriter {
	return func(w http.ResponseWriter, e string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, `{"error":`+body(e)+`}`)
	}
}

// echoWriter writes an answer carrying echo.
type echoWriter func(w http.ResponseWriter, echo string)

// handler serves the answer with nothing echoed.
func (f echoWriter) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { f(w, "") })
}

// echoForms are the encodings a server may echo the Authorization header
// in: raw, URL-escaped (upper- and lowercase hex, every byte or some),
// JSON-escaped, HTML entities (named and numeric), base64 (both alphabets,
// padded or not), for the whole header and for the token alone.
func echoForms(auth string) []string {
	_, token, _ := strings.Cut(auth, " ")
	return append(redact.Forms(auth), redact.Forms(token)...)
}

// TestNoSecretInErrorsWhateverTheServerSends is the client half of the
// secret promise: a server echoes the request's Authorization header, in
// every encoding, in every place an answer carries text back. No error
// text (nor its %+v and %#v forms), and no log line at Debug level of the
// client or its limiter, holds the token in any encoding.
func TestNoSecretInErrorsWhateverTheServerSends(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var place, form atomic.Int32 // what the server does next
	var echoed sync.Map          // what it sent, to check the test itself
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forms := echoForms(r.Header.Get("Authorization"))
		e := forms[int(form.Load())%len(forms)]
		echoed.Store(e, true)
		echoPlaces[place.Load()].write(w, e)
	}))
	defer srv.Close()
	forms := echoForms("Bearer " + secretToken)
	calls := 0
	for p, pl := range echoPlaces {
		for f := range forms {
			place.Store(int32(p))
			form.Store(int32(f))
			// A limiter per call: a 429 closes the gate of its own.
			c := memClientAt(t, srv.URL+"/v1/", WithLimiter(noRetries(t, ratelimit.WithLogger(logger))), WithLogger(logger))
			_, err := c.Tracks.Get(t.Context(), trackID, nil)
			calls++
			if err == nil {
				t.Errorf("%s, form %d: no error", pl.name, f)
				continue
			}
			checkScrubbed(t, fmt.Sprintf("%s, form %q", pl.name, forms[f]), err)
		}
	}
	distinct := map[string]bool{}
	for _, f := range forms {
		distinct[f] = true
	}
	if n := countMap(&echoed); n != len(distinct) {
		t.Errorf("the server echoed %d distinct forms; want %d", n, len(distinct))
	}
	if redact.Contains(logs.String(), secretToken) || !strings.Contains(logs.String(), "spotify call") {
		t.Errorf("the debug log carries the token, or is empty:\n%s", logs.String())
	}
	t.Logf("%d calls: %d places × %d forms", calls, len(echoPlaces), len(forms))
}

// TestNoSecretInTransportErrors: a server whose answer net/http itself
// cannot parse, and which puts the token where net/http quotes it (the
// status line, a header line), yields an error without the token.
func TestNoSecretInTransportErrors(t *testing.T) {
	answers := map[string]func(token string) string{
		"status line":  func(tok string) string { return tok + " 200 OK\r\n\r\n" },
		"status code":  func(tok string) string { return "HTTP/1.1 2" + tok + " OK\r\n\r\n" },
		"header line":  func(tok string) string { return "HTTP/1.1 200 OK\r\nBearer " + tok + "\r\n\r\n" },
		"chunked body": func(tok string) string { return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + tok + "\r\n" },
	}
	for name, answer := range answers {
		for _, form := range redact.Forms(secretToken) {
			if strings.ContainsAny(form, " \r\n") {
				continue // it would not stay in the line it is put in
			}
			addr := rawServer(t, func(auth string) string {
				_, tok, _ := strings.Cut(auth, " ")
				return answer(strings.ReplaceAll(form, secretToken, tok))
			})
			c := memClientAt(t, "http://"+addr+"/v1/", WithLimiter(noRetries(t)))
			_, err := c.Tracks.Get(t.Context(), trackID, nil)
			if err == nil {
				t.Errorf("%s, form %q: no error", name, form)
				continue
			}
			checkScrubbed(t, name+", form "+form, err)
		}
	}
}

// checkScrubbed fails when err, printed any way, holds the token.
func checkScrubbed(t *testing.T, where string, err error) {
	t.Helper()
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if redact.Contains(s, secretToken) {
			t.Errorf("%s: the error carries the token: %.300s", where, s)
			return
		}
	}
	var se *Error
	if errors.As(err, &se) && redact.Contains(fmt.Sprintf("%#v", *se), secretToken) {
		t.Errorf("%s: *Error's fields carry the token: %#v", where, *se)
	}
	if len(err.Error()) > 2*redact.MaxText+200 {
		t.Errorf("%s: a %d-byte error text", where, len(err.Error()))
	}
}

// rawServer answers each request on a loopback listener with the bytes
// answer makes from its Authorization header, then closes the connection.
func rawServer(t *testing.T, answer func(auth string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				io.WriteString(conn, answer(req.Header.Get("Authorization")))
			})
		}
	})
	return ln.Addr().String()
}

// memClientAt is a client of the server at base with the test token; its
// connections are closed when the test ends.
func memClientAt(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	all := append([]Option{WithBaseURL(base), WithHTTPClient(&http.Client{Transport: tr}),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken})), WithLimiter(noRetries(t))}, opts...)
	c, err := NewClient(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// noRetries is a limiter that never waits and never retries, so every
// answer reaches the caller as it came.
func noRetries(t *testing.T, opts ...ratelimit.Option) *ratelimit.Limiter {
	t.Helper()
	lim, err := ratelimit.New(append([]ratelimit.Option{ratelimit.WithRate(rate.Inf, 0), ratelimit.WithMaxWait(0),
		ratelimit.WithMaxAttempts(1), ratelimit.WithMaxInFlight(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return lim
}

func countMap(m *sync.Map) int {
	n := 0
	m.Range(func(any, any) bool { n++; return true })
	return n
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// FuzzSecretEcho: a server echoes the real token, wrapped as the fuzzer
// likes, in one of the places an answer carries text; no error text holds
// it. The seeds are the token's real forms in every place, so the fuzzer
// starts from answers that do carry it and mutates where the echo sits and
// what surrounds it.
func FuzzSecretEcho(f *testing.F) {
	for p := range echoPlaces {
		for _, form := range echoForms("Bearer " + secretToken) {
			f.Add(uint8(p), []byte("Invalid access token: "), []byte(form), []byte("."))
		}
	}
	f.Add(uint8(0), []byte(`"`), []byte(secretToken), []byte(`\u0000`))
	f.Add(uint8(4), []byte("%"), []byte(secretToken), []byte("%"))
	f.Fuzz(func(t *testing.T, place uint8, before, echo, after []byte) {
		p := echoPlaces[int(place)%len(echoPlaces)]
		c := fuzzEchoClient(t, func(w http.ResponseWriter, _ *http.Request) {
			p.write(w, string(before)+string(echo)+string(after))
		})
		_, err := c.Tracks.Get(t.Context(), trackID, nil)
		if err != nil && redact.Contains(err.Error(), secretToken) {
			t.Fatalf("%s: the error carries the token: %q", p.name, err)
		}
	})
}

// fuzzEchoClient is a client answered in memory by h, never waiting and
// never retrying.
func fuzzEchoClient(t *testing.T, h http.HandlerFunc) *Client {
	c, err := NewClient(
		WithBaseURL("http://api.spotify.test/v1/"),
		WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secretToken})),
		WithHTTPClient(&http.Client{Transport: &memTransport{h: h}}),
		WithLimiter(noRetries(t)),
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRedirectCarryingTokenNotFollowed: a redirect whose Location carries
// the request's token, in any encoding, is not followed, so the token is
// not sent on in a URL (to this host or any other): the call fails with the
// redirect's status.
func TestRedirectCarryingTokenNotFollowed(t *testing.T) {
	var form atomic.Int32
	var mu sync.Mutex
	var urls []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		urls = append(urls, r.URL.String())
		mu.Unlock()
		forms := echoForms(r.Header.Get("Authorization"))
		w.Header()["Location"] = []string{"/elsewhere?t=" + forms[int(form.Load())%len(forms)]}
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	forms := echoForms("Bearer " + secretToken)
	for f := range forms {
		form.Store(int32(f))
		c := memClientAt(t, srv.URL+"/v1/")
		_, err := c.Tracks.Get(t.Context(), trackID, nil)
		var se *Error
		if !errors.As(err, &se) || se.Status != http.StatusFound {
			t.Errorf("form %q: %v; want the 302 as an *Error", forms[f], err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, u := range urls {
		if redact.Contains(u, secretToken) {
			t.Errorf("a request went to %s", u)
		}
	}
	if len(urls) != len(forms) {
		t.Errorf("%d requests for %d forms; want no redirect followed", len(urls), len(forms))
	}
}

// TestServerTextCappedAndEscaped: a 5 MiB error message becomes an error
// of about 1 KiB that says it was cut, and a message forging log lines
// (newlines, ESC, a bidirectional override) is escaped, in the error and
// in the Debug log.
func TestServerTextCappedAndEscaped(t *testing.T) {
	huge := strings.Repeat("x", 5<<20)
	forged := "bad\nlevel=ERROR msg=\"forged line\"\x1b[31m\u202etxt"
	for _, tt := range []struct {
		name, message string
		check         func(s string) bool
	}{
		{"5 MiB message", huge, func(s string) bool {
			// Message and Reason are cut to MaxText each.
			return len(s) < 3*redact.MaxText && strings.Contains(s, "cut from 5242880 bytes")
		}},
		{"log injection", forged, func(s string) bool {
			return !strings.ContainsAny(s, "\n\x1b\u202e") && strings.Contains(s, `bad\nlevel=ERROR`)
		}},
	} {
		var logs syncBuffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		srv := httptest.NewServer(errorAnswer(500, func(string) string {
			return `{"status":500,"message":` + jsonText(tt.message) + `,"reason":` + jsonText(tt.message) + `}`
		}).handler())
		c := memClientAt(t, srv.URL+"/v1/", WithLogger(logger), WithMaxResponseSize(16<<20))
		_, err := c.Tracks.Get(t.Context(), trackID, nil)
		srv.Close()
		var se *Error
		if !errors.As(err, &se) || !tt.check(se.Message) || !tt.check(se.Reason) || !tt.check(err.Error()) {
			t.Errorf("%s: got %.300q", tt.name, err)
		}
		if strings.Count(logs.String(), "\n") != strings.Count(logs.String(), "msg=") {
			t.Errorf("%s: a log line was forged:\n%s", tt.name, logs.String())
		}
	}
}

// TestLongTransportErrorKeepsItsMeaning: a failure text long enough to be
// cut (here a token source's) is capped, and the request it stopped is
// still known as never sent: no ErrMaybeApplied for a change not safe to
// repeat.
func TestLongTransportErrorKeepsItsMeaning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		down := errors.New("accounts service says: " + strings.Repeat("no\n", 3000))
		tr := &memTransport{h: http.HandlerFunc(trackOK)}
		c := memClient(t, tr, secretToken, WithTokenSource(failingTokens{down}))
		err := addItemCall(t.Context(), c)
		if err == nil || errors.Is(err, ErrMaybeApplied) || len(err.Error()) > 2*redact.MaxText || strings.Contains(err.Error(), "\n") {
			t.Fatalf("got %.200q (%d bytes); want a capped, escaped error that does not claim the change may have applied", err, len(err.Error()))
		}
		if n := len(tr.requests()); n != 0 {
			t.Fatalf("%d requests sent", n)
		}
	})
}

// TestNoSecretInSharedAnswers: answers that reach a caller without passing
// the token layer for that caller (a follower served the leader's answer by
// the coalescing layer, a hit served by the cache) are scrubbed of the
// token as well as answers of its own.
func TestNoSecretInSharedAnswers(t *testing.T) {
	echo := func(w http.ResponseWriter, r *http.Request) {
		_, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, `{"id":"`+trackID+`","duration_ms":`+jsonText(tok)+`}`)
	}

	t.Run("coalesced followers", func(t *testing.T) {
		const callers = 8
		got, release := make(chan struct{}, 1), make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got <- struct{}{}
			<-release
			echo(w, r)
		}))
		defer srv.Close()
		c := memClientAt(t, srv.URL+"/v1/")
		co := c.http.Transport.(*telemetryTransport).base.(*coalescer)
		errs := make(chan error, callers)
		go func() { _, err := c.Tracks.Get(t.Context(), trackID, nil); errs <- err }()
		<-got // the leader's request is at the server
		for range callers - 1 {
			go func() { _, err := c.Tracks.Get(t.Context(), trackID, nil); errs <- err }()
		}
		for joined := 0; joined < callers-1; runtime.Gosched() {
			co.mu.Lock()
			joined = 0
			for _, f := range co.calls {
				joined = f.followers
			}
			co.mu.Unlock()
		}
		close(release)
		for range callers {
			err := <-errs
			if err == nil {
				t.Fatal("no error for a bad value")
			}
			checkScrubbed(t, "follower", err)
		}
	})

	t.Run("cache hit", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(echo))
		defer srv.Close()
		store, err := cache.NewMemory(1 << 20)
		if err != nil {
			t.Fatal(err)
		}
		c := memClientAt(t, srv.URL+"/v1/", WithCache(store))
		for i := range 2 { // the second is served from the cache
			_, err := c.Tracks.Get(t.Context(), trackID, nil)
			if err == nil {
				t.Fatal("no error for a bad value")
			}
			checkScrubbed(t, fmt.Sprintf("read %d", i+1), err)
		}
	})
}
