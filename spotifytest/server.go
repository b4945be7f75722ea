package spotifytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Mode selects which Spotify app quota the fake imitates.
type Mode int

const (
	// ExtendedQuota serves every operation, including the deprecated ones.
	ExtendedQuota Mode = iota
	// DevelopmentMode answers the operations removed for Development Mode apps
	// in February 2026 as Spotify does, and serves current shapes only.
	DevelopmentMode
)

// String returns the mode's name as the command line spells it.
func (m Mode) String() string {
	switch m {
	case ExtendedQuota:
		return "extended"
	case DevelopmentMode:
		return "development"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// ParseMode reads a mode as the command line spells it: "extended" or
// "development" (also "dev"), in any case.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "extended", "extended-quota", "":
		return ExtendedQuota, nil
	case "development", "dev", "development-mode":
		return DevelopmentMode, nil
	}
	return ExtendedQuota, fmt.Errorf("%w: mode %q: want extended or development", ErrInvalidOption, s)
}

// DefaultUser is the user ID of the catalog's first user: the user whose
// library is lived in, who logs in at /authorize unless [WithLoginUser]
// names another, and whom [Server.UserToken] picks for an empty user ID.
const DefaultUser = "spotflow-tester"

// Server is a running fake Spotify.
type Server struct {
	// URL is the base URL of the server, without a trailing slash. The Web
	// API is under URL+"/v1/" and the accounts service at URL+"/api/token" and
	// URL+"/authorize".
	URL string
	// ClientID and ClientSecret are the credentials the accounts service accepts.
	ClientID     string
	ClientSecret string

	cfg config
	ts  *httptest.Server
	cat *catalog // the synthetic catalog, read-only after start

	mu    sync.Mutex
	state *state // per-user library, follows, playlists, player

	mux       *http.ServeMux
	closing   chan struct{} // closed by Close: stalls and delays give up
	etagSeed  maphash.Seed  // the ETags' hash (caching.go)
	closeOnce sync.Once

	acct   accounts
	win    window
	faults faultState
	stats  statsState
}

// Size sets how large the synthetic catalog is. Zero fields take the
// defaults, a realistic small catalog (200 artists, 10,000 tracks, two big
// playlists of 10,000 and 100,000 items).
type Size struct {
	Artists         int // artists; each has albums and tracks
	AlbumsPerArtist int
	TracksPerAlbum  int
	Playlists       int // ordinary playlists besides the big ones
	Shows           int
	EpisodesPerShow int
	Audiobooks      int
	ChaptersPerBook int
	Users           int
}

// route is one operation of the Web API as the server registers it.
type route struct {
	Op         string   // operationId of the contract
	Method     string   // HTTP method
	Path       string   // http.ServeMux path pattern under /v1, e.g. "/v1/tracks/{id}"
	Scopes     []string // scopes the token must carry; nil for any token
	User       bool     // needs a user token (client credentials are refused)
	DevRemoved bool     // removed for Development Mode apps in February 2026
	Handle     func(w http.ResponseWriter, r *http.Request, c *call)
}

// call is what the middleware learned about a request before its handler runs.
type call struct {
	UserID string // "" for a client-credentials token
	Mode   Mode

	cacheControl string // of a 200 answer to a GET (see caching.go)
}

// NewServer starts a fake on a free port of 127.0.0.1 and returns it; call
// Close when done. Options never make it fail: a value out of range is
// clamped to the nearest valid one, as each option documents (use [Start]
// to have such values refused instead).
func NewServer(opts ...Option) *Server {
	cfg, err := buildConfig(opts)
	if err != nil && cfg.logger != nil {
		cfg.logger.Warn("spotifytest: option out of range, clamped", "err", err)
	}
	s := newServer(cfg)
	s.ts = httptest.NewServer(s.mux)
	s.URL = s.ts.URL
	return s
}

// Start runs a fake on addr (host:port; port 0 picks a free one), as the
// `spotflow fake-server` command does. Unlike [NewServer] it refuses an
// option value out of range, and it reports an address it cannot listen on.
func Start(addr string, opts ...Option) (*Server, error) {
	cfg, err := buildConfig(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(cfg)
	s.ts = httptest.NewUnstartedServer(s.mux)
	_ = s.ts.Listener.Close()
	s.ts.Listener = ln
	s.ts.Start()
	s.URL = s.ts.URL
	return s, nil
}

// NewInProcess returns a fake that listens nowhere: serve it through
// [Server.Handler], for instance from an in-memory http.RoundTripper. Made
// inside a testing/synctest bubble, its latency and stalls wait on the
// bubble's fake clock. (A fake from [NewServer] cannot serve a bubble: its
// listener and its Close channel belong to no bubble, so a delayed request
// would hold the bubble's clock forever.) URL is empty: pages link to the
// host each request names. Call Close when done; it ends delayed and
// stalled requests.
func NewInProcess(opts ...Option) *Server {
	cfg, err := buildConfig(opts)
	if err != nil && cfg.logger != nil {
		cfg.logger.Warn("spotifytest: option out of range, clamped", "err", err)
	}
	return newServer(cfg)
}

// newServer builds the catalog, the state and the routes of cfg.
func newServer(cfg config) *Server {
	s := &Server{
		ClientID:     cfg.clientID,
		ClientSecret: cfg.clientSecret,
		cfg:          cfg,
		closing:      make(chan struct{}),
		etagSeed:     maphash.MakeSeed(),
	}
	s.cat = newCatalog(cfg.seed, cfg.size)
	s.state = newState(s.cat)
	s.acct.init()
	s.win.init(cfg.rateN, cfg.rateWindow, cfg.retryAfter)
	s.faults.init()
	s.stats.init(cfg.logLimit)
	s.mux = s.newMux()
	return s
}

// Close stops the server: stalled and delayed requests give up, and Close
// returns once every request has finished. It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	if s.ts != nil {
		s.ts.Close()
	}
}

// Handler returns the fake as an http.Handler, for serving it in-process
// (an in-memory transport in a testing/synctest bubble, with a fake from
// [NewInProcess], or a server of the caller's own). It is the same handler
// the listening server uses. Served through a ResponseWriter that cannot be
// hijacked, a reset fault answers 502 and a truncated body is cut without
// closing anything, since there is no connection to take over.
func (s *Server) Handler() http.Handler { return s.mux }

// TokenURL is the accounts service's token endpoint.
func (s *Server) TokenURL() string { return s.URL + "/api/token" }

// AuthURL is the accounts service's authorization endpoint.
func (s *Server) AuthURL() string { return s.URL + "/authorize" }

// now is the server's clock (see WithClock); handlers may use it too.
func (s *Server) now() time.Time { return s.cfg.now() }

// newMux registers every operation behind the middleware, the accounts
// service, and the JSON answers for unknown paths and wrong methods.
func (s *Server) newMux() *http.ServeMux {
	mux := http.NewServeMux()
	rs := s.cfg.routes
	if rs == nil {
		rs = s.routes()
	}
	for i := range rs {
		rt := &rs[i]
		mux.HandleFunc(rt.Method+" "+rt.Path, func(w http.ResponseWriter, r *http.Request) {
			s.exchange(w, r, rt.Op, func(ex *exchange) { s.serveAPI(ex, rt) })
		})
		// Spotify serves a path with a trailing slash as the path without
		// it, and clients send both (spotipy: /albums/{id}/tracks/, /me/).
		// The handler sees the path without it, so the answer's links are
		// the canonical ones; the log keeps the path as sent.
		mux.HandleFunc(rt.Method+" "+rt.Path+"/{$}", func(w http.ResponseWriter, r *http.Request) {
			s.exchange(w, r, rt.Op, func(ex *exchange) {
				ex.r = withoutTrailingSlash(r)
				s.serveAPI(ex, rt)
			})
		})
	}
	mux.HandleFunc("/api/token", func(w http.ResponseWriter, r *http.Request) {
		s.exchange(w, r, OpToken, s.serveToken)
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		s.exchange(w, r, OpAuthorize, s.serveAuthorize)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.exchange(w, r, "", func(ex *exchange) { s.notFound(mux, ex) })
	})
	return mux
}

// withoutTrailingSlash is r with its path's trailing slash removed. The
// path values the mux matched stay.
func withoutTrailingSlash(r *http.Request) *http.Request {
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	r2.URL = &u
	return r2
}

// serveAPI runs the middleware of one Web API operation and then its
// handler. The order is Spotify's as far as a client can tell: latency and
// faults first (they happen in front of the API), then the rate window, the
// token, the user and scope checks, and the quota mode.
func (s *Server) serveAPI(ex *exchange, rt *route) {
	s.front(ex, rt.Op, true, func(w http.ResponseWriter) { s.checked(w, ex, rt) })
}

// checked applies the rate window and the token checks, then the handler.
func (s *Server) checked(w http.ResponseWriter, ex *exchange, rt *route) {
	tok, state := s.acct.lookup(bearer(ex.r), s.now())
	if !s.admit(w, ex, tok.clientID) {
		return
	}
	if !tokenOK(w, ex.r, state) {
		return
	}
	ex.user = tok.userID
	if rt.User && tok.userID == "" {
		// Spotify answers a client-credentials token on a user operation as
		// it answers a missing scope: such a token carries no scope at all.
		writeError(w, http.StatusForbidden, msgInsufficientScope)
		return
	}
	if rt.User && len(rt.Scopes) > 0 && !tok.hasAny(rt.Scopes) {
		writeError(w, http.StatusForbidden, msgInsufficientScope)
		return
	}
	if rt.DevRemoved && s.cfg.mode == DevelopmentMode {
		writeError(w, http.StatusForbidden, "Forbidden")
		return
	}
	rt.Handle(w, ex.r, &call{UserID: tok.userID, Mode: s.cfg.mode, cacheControl: cacheControlFor(rt)})
}

const msgInsufficientScope = "Insufficient client scope"

// tokenOK answers 400 or 401 unless the request carried a live token.
func tokenOK(w http.ResponseWriter, r *http.Request, state tokenState) bool {
	msg := ""
	switch state {
	case tokenLive:
		return true
	case tokenMissing:
		msg = "No token provided"
	case tokenNotBearer:
		writeError(w, http.StatusBadRequest, "Only valid bearer authentication supported")
		return false
	case tokenExpired:
		msg = "The access token expired"
	default:
		msg = "Invalid access token"
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="spotify", error="invalid_token", error_description="`+msg+`"`)
	writeError(w, http.StatusUnauthorized, msg)
	return false
}

// bearer returns the Authorization header's value ("" when absent).
func bearer(r *http.Request) string { return r.Header.Get("Authorization") }

// notFound answers a path no operation serves: 405 when another method
// would be served there, otherwise Spotify's 404 for an unknown service.
func (s *Server) notFound(mux *http.ServeMux, ex *exchange) {
	if allow := allowed(mux, ex.r); allow != "" {
		ex.w.Header().Set("Allow", allow)
		writeError(ex.w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	writeError(ex.w, http.StatusNotFound, "Service not found")
}

// allowed lists the methods some operation serves at r's path.
func allowed(mux *http.ServeMux, r *http.Request) string {
	var ms []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
			ms = append(ms, m)
		}
	}
	return strings.Join(ms, ", ")
}

// writeJSON answers with status and v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with Spotify's regular error object.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"status": status, "message": message}})
}

// ErrInvalidOption is what [Start] returns, wrapped, for an option value
// out of range.
var ErrInvalidOption = errors.New("spotifytest: invalid option")
