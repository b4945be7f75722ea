package auth

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// DefaultLoginTimeout is how long [Login] waits for the browser.
const DefaultLoginTimeout = 5 * time.Minute

// Login runs the authorization code flow for a command-line program: it
// listens on the config's loopback redirect URI (http://127.0.0.1:PORT/path
// or http://[::1]:PORT/path, exactly as registered with Spotify), shows the
// user the authorization URL through the opener, waits for the callback,
// exchanges its code, saves the token to the store given with [WithStore],
// and shuts the listener down.
//
// Only the callback of this login counts: one whose state is not this
// login's, or whose Host is not the redirect URI's (a page of another site
// reaching the port through a DNS name of its own), is answered 400 and
// ignored, and Login goes on waiting. Any local process or web page can
// send such requests; they cannot end the login.
//
// It returns when the token is obtained, the callback carried an error,
// the wait for the browser passed its timeout ([WithTimeout], default 5
// minutes) or ctx ended; no goroutine outlives it. The timeout bounds the
// wait for the callback; the code exchange that follows is bounded by ctx
// and by the accounts service's request timeout, and an error says which
// of the two steps failed.
//
// If the token was obtained but the store failed to save it, Login returns
// the token together with an error matching [ErrNotSaved].
func Login(ctx context.Context, cfg *Config, opts ...LoginOption) (*oauth2.Token, error) {
	if cfg == nil {
		return nil, errors.New("auth: Login: nil config")
	}
	o := loginOptions{output: os.Stderr, timeout: DefaultLoginTimeout}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyLogin(&o); err != nil {
			return nil, err
		}
	}
	if o.opener == nil {
		o.opener = PrintURL(o.output)
	}
	if cfg.redirectURI == "" {
		return nil, cfg.missing("redirect URI", EnvRedirectURI, "WithRedirectURI")
	}
	addr, path, err := loopbackAddr(cfg.redirectURI)
	if err != nil {
		return nil, err
	}
	a, err := cfg.authorize(o.authorize)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("auth: login: %w", err)
	}
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("auth: login: listening on %s for the redirect: %w", addr, err)
	}
	tok, err := serveLogin(ctx, cfg, a, ln, callbackTarget{host: addr, path: path}, &o)
	if err != nil {
		return nil, err
	}
	if o.store != nil {
		if serr := o.store.Save(context.WithoutCancel(ctx), tok); serr != nil {
			cfg.log().Warn("auth: saving the login token failed", "error", cfg.storeError(serr, tokenValues(tok)...))
			return tok, fmt.Errorf("%w: %w", ErrNotSaved, serr)
		}
		cfg.log().Debug("auth: token saved")
	}
	return tok, nil
}

// callbackTarget is where the browser's callback must arrive: the redirect
// URI's host (with its port) and path.
type callbackTarget struct{ host, path string }

// loginResult is what the one accepted callback produced.
type loginResult struct {
	tok *oauth2.Token
	err error
}

// serveLogin serves the callback on ln until this login's callback has
// been handled, the wait for it timed out, or ctx ended, and always shuts
// the server down before returning.
func serveLogin(ctx context.Context, cfg *Config, a *Authorization, ln net.Listener, target callbackTarget, o *loginOptions) (*oauth2.Token, error) {
	wait, cancelWait := context.WithTimeout(ctx, o.timeout)
	defer cancelWait()
	// The exchange is not cut by the wait's timeout: a callback that came
	// in time gets its token. It runs on exchange, which ends when Login
	// returns, under a request timeout counted from the callback (see
	// callbackHandler).
	exchange, cancelExchange := context.WithCancel(ctx)

	results := make(chan loginResult, 1)
	var taken atomic.Bool
	srv := &http.Server{
		Handler:           callbackHandler(exchange, cfg, a, target, &taken, results),
		ReadHeaderTimeout: 10 * time.Second,
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln) // ends with ErrServerClosed after Shutdown
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
		<-served
	}()
	defer cancelExchange() // before the shutdown: a late exchange ends at once

	if err := o.opener(a.URL); err != nil {
		fmt.Fprintf(o.output, "Could not open a browser (%v).\nOpen this URL to authorize the app:\n\n    %s\n\n", err, a.URL)
	}
	var res loginResult
	select {
	case res = <-results:
	case <-wait.Done():
		if !taken.Load() {
			return nil, fmt.Errorf("auth: login: no callback from the browser within %v: %w", o.timeout, context.Cause(wait))
		}
		res = <-results // the exchange under way ends by itself (exchange's deadline)
	}
	if res.err != nil {
		var ae *Error
		if errors.As(res.err, &ae) && ae.Op == OpExchange {
			return nil, fmt.Errorf("auth: login: the callback came, but exchanging its code failed: %w", res.err)
		}
		return nil, fmt.Errorf("auth: login: %w", res.err)
	}
	return res.tok, nil
}

// callbackHandler answers the browser. Only a GET on the callback path,
// with the redirect URI's Host and this login's state, is the callback:
// it is taken once and its code exchanged. Anything else is answered and
// ignored.
func callbackHandler(ctx context.Context, cfg *Config, a *Authorization, target callbackTarget, taken *atomic.Bool, results chan<- loginResult) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != target.path {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if !strings.EqualFold(r.Host, target.host) || !a.stateMatches(r.URL.Query()) {
			cfg.log().Debug("auth: login: a request that is not this login's callback was ignored",
				"host_matches", strings.EqualFold(r.Host, target.host))
			writePage(w, http.StatusBadRequest, "Not this login",
				"This request is not the callback of the login in progress. It was ignored.")
			return
		}
		if !taken.CompareAndSwap(false, true) {
			writePage(w, http.StatusBadRequest, "Already handled",
				"This login was already completed or failed. You can close this tab.")
			return
		}
		// The exchange runs on Login's context, not the request's: a browser
		// that closes the tab must not abort it. Its timeout starts now: the
		// user may have spent minutes on the consent page, and a hung
		// accounts service still cannot hold it longer than one request.
		ectx, cancel := context.WithTimeout(ctx, defaultHTTPTimeout)
		defer cancel()
		tok, err := cfg.ExchangeCallback(ectx, a, r)
		if err != nil {
			writePage(w, http.StatusBadRequest, "Login failed", err.Error())
		} else {
			writePage(w, http.StatusOK, "Logged in to Spotify",
				"You can close this tab and return to the terminal.")
		}
		results <- loginResult{tok: tok, err: err} // buffered; sent once
	})
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#191414}
h1{color:{{if .OK}}#1db954{{else}}#c0392b{{end}}}</style></head>
<body><h1>{{.Title}}</h1><p>{{.Message}}</p></body></html>
`))

// writePage answers the browser with a small HTML page.
func writePage(w http.ResponseWriter, status int, title, message string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, struct {
		Title, Message string
		OK             bool
	}{title, message, status == http.StatusOK})
}

// loopbackAddr checks that raw is a redirect URI Login can serve and
// returns the address to listen on and the callback path.
func loopbackAddr(raw string) (addr, path string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("auth: redirect URI %q is not a URL", raw)
	}
	host := u.Hostname()
	if isLocalhost(host) {
		return "", "", errLocalhost(u)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		if u.Scheme == "https" {
			return "", "", fmt.Errorf("auth: Login needs a loopback redirect URI (http://127.0.0.1:PORT/path or http://[::1]:PORT/path); %q is for a web app, which handles the callback itself with Config.Authorize and Config.ExchangeCallback", raw)
		}
		return "", "", fmt.Errorf("auth: redirect URI %q is not a loopback address: Spotify accepts plain http only for 127.0.0.1 and [::1], and Login listens on loopback only", raw)
	}
	if u.Scheme != "http" {
		return "", "", fmt.Errorf("auth: loopback redirect URI %q must use http: Login serves no TLS", raw)
	}
	port := u.Port()
	if port == "" || port == "0" {
		return "", "", fmt.Errorf("auth: redirect URI %q needs an explicit port, the one registered with Spotify", raw)
	}
	path = u.Path
	if path == "" {
		path = "/"
	}
	return net.JoinHostPort(host, port), path, nil
}

// isLocalhost reports whether host is a localhost name.
func isLocalhost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}

// errLocalhost explains why a localhost redirect URI is refused and which
// URI to register instead.
func errLocalhost(u *url.URL) error {
	fixed := *u
	fixed.Host = "127.0.0.1"
	if p := u.Port(); p != "" {
		fixed.Host += ":" + p
	}
	return fmt.Errorf("auth: redirect URI %q uses localhost, which Spotify refuses since November 2025; register and use the explicit loopback address %q (or http://[::1]:PORT/...) instead", u.String(), fixed.String())
}

// PrintURL returns an opener that writes the authorization URL to w for the
// user to open; it is [Login]'s default, with os.Stderr.
func PrintURL(w io.Writer) func(url string) error {
	return func(url string) error {
		_, err := fmt.Fprintf(w, "Open this URL in your browser to authorize the app:\n\n    %s\n\n", url)
		return err
	}
}

// OpenBrowser opens url in the system browser (xdg-open, open or
// rundll32). Pass it to [WithOpener]; Login falls back to printing the URL
// when it fails.
func OpenBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("auth: opening a browser: %w", err)
	}
	go func() { _ = cmd.Wait() }() // reap the launcher; it exits on its own
	return nil
}
