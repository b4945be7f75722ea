package spotifytest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// AllScopes returns every authorization scope the accounts service knows,
// in a fresh slice. A user token made without naming scopes carries all of
// them; /authorize refuses any other with error=invalid_scope.
func AllScopes() []string { return slices.Clone(knownScopes) }

var knownScopes = []string{
	"ugc-image-upload",
	"user-read-playback-state",
	"user-modify-playback-state",
	"user-read-currently-playing",
	"app-remote-control",
	"streaming",
	"playlist-read-private",
	"playlist-read-collaborative",
	"playlist-modify-private",
	"playlist-modify-public",
	"user-follow-modify",
	"user-follow-read",
	"user-read-playback-position",
	"user-top-read",
	"user-read-recently-played",
	"user-library-modify",
	"user-library-read",
	"user-read-email",
	"user-read-private",
}

// codeLifetime is how long an authorization code can be exchanged.
const codeLifetime = 10 * time.Minute

// accounts holds the tokens and codes the accounts service issued.
type accounts struct {
	mu      sync.Mutex
	access  map[string]*accessToken
	refresh map[string]*refreshToken
	codes   map[string]*authCode
	issued  int // tokens issued, to prune now and then
}

// accessToken is what an access token stands for. Its fields do not change
// after issue except expires, which only moves earlier, and revoked, which
// only turns true.
type accessToken struct {
	clientID string
	userID   string          // "" for client credentials
	scopes   map[string]bool // nil for client credentials
	expires  time.Time
	revoked  bool
}

// hasAny reports whether the token carries one of scopes. Spotify's lists
// of scopes per operation are alternatives (either playlist-modify scope,
// depending on the playlist), so one is enough.
func (t accessToken) hasAny(scopes []string) bool {
	return slices.ContainsFunc(scopes, func(sc string) bool { return t.scopes[sc] })
}

// refreshToken is what a refresh token stands for.
type refreshToken struct {
	clientID string
	userID   string
	scopes   []string
	public   bool      // issued to a PKCE client: refreshing needs no secret
	expires  time.Time // six months after the authorization, not extended
	revoked  bool
}

// authCode is an authorization code waiting for its exchange.
type authCode struct {
	clientID, userID, redirectURI, challenge string
	scopes                                   []string
	expires                                  time.Time
}

// tokenState is the verdict on an Authorization header.
type tokenState int

const (
	tokenLive tokenState = iota
	tokenMissing
	tokenNotBearer
	tokenUnknown
	tokenExpired
)

func (a *accounts) init() {
	a.access = map[string]*accessToken{}
	a.refresh = map[string]*refreshToken{}
	a.codes = map[string]*authCode{}
}

// lookup reads an Authorization header. It returns the token's record even
// when the token expired, so that the rate window can charge its client.
func (a *accounts) lookup(header string, now time.Time) (accessToken, tokenState) {
	if header == "" {
		return accessToken{}, tokenMissing
	}
	scheme, tok, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return accessToken{}, tokenNotBearer
	}
	a.mu.Lock()
	t, ok := a.access[strings.TrimSpace(tok)]
	var rec accessToken
	if ok {
		rec = *t
	}
	a.mu.Unlock()
	switch {
	case !ok:
		return accessToken{}, tokenUnknown
	case rec.revoked:
		return rec, tokenUnknown
	case !now.Before(rec.expires):
		return rec, tokenExpired
	}
	return rec, tokenLive
}

// newSecret returns a fresh random token value with Spotify's prefixes
// ("BQ" for access tokens, "AQ" for refresh tokens and codes).
func newSecret(prefix string) string { return prefix + rand.Text() + rand.Text() }

// issueAccess records a new access token and returns its value.
func (a *accounts) issueAccess(clientID, userID string, scopes []string, expires, now time.Time) string {
	t := &accessToken{clientID: clientID, userID: userID, expires: expires}
	if userID != "" {
		t.scopes = make(map[string]bool, len(scopes))
		for _, sc := range scopes {
			t.scopes[sc] = true
		}
	}
	v := newSecret("BQ")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.access[v] = t
	a.issued++
	if a.issued%1024 == 0 {
		a.pruneLocked(now)
	}
	return v
}

// pruneLocked forgets access tokens that expired a day ago and stale codes,
// so a long-running fake does not grow without end. A forgotten token then
// answers "Invalid access token" instead of "expired".
func (a *accounts) pruneLocked(now time.Time) {
	cut := now.Add(-24 * time.Hour)
	for v, t := range a.access {
		if t.expires.Before(cut) {
			delete(a.access, v)
		}
	}
	for c, ac := range a.codes {
		if ac.expires.Before(now) {
			delete(a.codes, c)
		}
	}
}

// issueRefresh records a new refresh token and returns its value.
func (a *accounts) issueRefresh(rt refreshToken) string {
	v := newSecret("AQ")
	a.mu.Lock()
	a.refresh[v] = &rt
	a.mu.Unlock()
	return v
}

// ClientToken returns a live client-credentials access token, as if the
// app had fetched one. It is not counted as a token request.
func (s *Server) ClientToken() string {
	now := s.now()
	return s.acct.issueAccess(s.ClientID, "", nil, now.Add(s.cfg.tokenLifetime), now)
}

// UserToken returns a live access token of userID ([DefaultUser] when
// empty) carrying scopes, or every scope of [AllScopes] when none is given. It
// is not counted as a token request.
func (s *Server) UserToken(userID string, scopes ...string) string {
	now := s.now()
	return s.acct.issueAccess(s.ClientID, orDefault(userID), orAll(scopes), now.Add(s.cfg.tokenLifetime), now)
}

// RefreshToken returns a refresh token of userID ([DefaultUser] when empty)
// carrying scopes (every scope when none is given), as if the user had just
// authorized the app. Refreshing it works with or without the client secret.
func (s *Server) RefreshToken(userID string, scopes ...string) string {
	return s.acct.issueRefresh(refreshToken{
		clientID: s.ClientID, userID: orDefault(userID), scopes: orAll(scopes),
		public: true, expires: s.now().Add(s.cfg.refreshLifetime),
	})
}

// ExpireAccessTokens makes every access token issued so far expire now; the
// Web API then answers them 401 "The access token expired".
func (s *Server) ExpireAccessTokens() {
	now := s.now()
	a := &s.acct
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.access {
		if now.Before(t.expires) {
			t.expires = now
		}
	}
}

// ExpireToken makes one access token expire now, before its time, as
// Spotify may; the Web API then answers it 401 "The access token expired".
// It reports whether the fake issued tok.
func (s *Server) ExpireToken(tok string) bool {
	now := s.now()
	a := &s.acct
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.access[tok]
	if ok && now.Before(t.expires) {
		t.expires = now
	}
	return ok
}

// RevokeToken revokes an access token or a refresh token, as when the user
// removes the app's access. The Web API answers a revoked access token 401
// "Invalid access token"; refreshing with a revoked refresh token answers
// invalid_grant. It reports whether the fake issued tok.
func (s *Server) RevokeToken(tok string) bool {
	a := &s.acct
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.access[tok]; ok {
		t.revoked = true
		return true
	}
	if t, ok := a.refresh[tok]; ok {
		t.revoked = true
		return true
	}
	return false
}

// RevokeRefreshToken revokes a refresh token, as when the user removes the
// app's access; refreshing with it then answers invalid_grant.
func (s *Server) RevokeRefreshToken(rt string) {
	a := &s.acct
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.refresh[rt]; ok {
		t.revoked = true
	}
}

func orDefault(userID string) string {
	if userID == "" {
		return DefaultUser
	}
	return userID
}

func orAll(scopes []string) []string {
	if len(scopes) == 0 {
		return knownScopes
	}
	return scopes
}

// tokenAnswer is the body of a successful token request.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// oauthError answers with the accounts service's error object, which is
// not the Web API's.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// serveToken is POST /api/token.
func (s *Server) serveToken(ex *exchange) {
	s.front(ex, OpToken, false, func(w http.ResponseWriter) { s.token(w, ex) })
}

// client is who a token request says it comes from.
type client struct {
	id        string
	hasSecret bool // a secret was given and it was right
}

// token answers a token request once the fault layer let it through.
func (s *Server) token(w http.ResponseWriter, ex *exchange) {
	r := ex.r
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "Method not allowed")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	// Spotify reads the parameters from the query string as well as the
	// form body (spoffy sends grant_type in the query); ParseForm merges
	// both into r.Form, the body's values first.
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Malformed request body")
		return
	}
	c, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	switch r.Form.Get("grant_type") {
	case "":
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type parameter is missing")
	case "client_credentials":
		if !c.hasSecret {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client secret")
			return
		}
		s.answerToken(w, ex, c.id, "", nil, "")
	case "authorization_code":
		s.exchangeCode(w, ex, c)
	case "refresh_token":
		s.refreshGrant(w, ex, c)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type parameter is invalid")
	}
}

// authenticate reads the client's ID and secret from HTTP Basic or the
// form. A wrong ID or secret is answered here; a missing secret is left to
// the grant, since PKCE clients have none.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (client, bool) {
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 2.3.1: both halves are form-encoded before Basic.
		if v, err := url.QueryUnescape(id); err == nil {
			id = v
		}
		if v, err := url.QueryUnescape(secret); err == nil {
			secret = v
		}
	} else {
		id, secret = r.Form.Get("client_id"), r.Form.Get("client_secret")
	}
	if !equal(id, s.ClientID) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client")
		return client{}, false
	}
	if secret != "" && !equal(secret, s.ClientSecret) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client secret")
		return client{}, false
	}
	return client{id: id, hasSecret: secret != ""}, true
}

// equal compares secrets in constant time.
func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// exchangeCode is the authorization_code grant.
func (s *Server) exchangeCode(w http.ResponseWriter, ex *exchange, c client) {
	f := ex.r.Form
	now := s.now()
	a := &s.acct
	a.mu.Lock()
	code, ok := a.codes[f.Get("code")]
	if ok {
		delete(a.codes, f.Get("code")) // single use, whatever happens next
	}
	a.mu.Unlock()
	switch {
	case !ok || code.clientID != c.id || !now.Before(code.expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code")
	case f.Get("redirect_uri") != code.redirectURI:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid redirect URI")
	case code.challenge != "" && !equal(challengeOf(f.Get("code_verifier")), code.challenge):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier was incorrect")
	case code.challenge == "" && !c.hasSecret:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client secret")
	default:
		rt := a.issueRefresh(refreshToken{
			clientID: c.id, userID: code.userID, scopes: code.scopes,
			public: code.challenge != "", expires: now.Add(s.cfg.refreshLifetime),
		})
		s.answerToken(w, ex, c.id, code.userID, code.scopes, rt)
	}
}

// challengeOf is the S256 code challenge of a verifier.
func challengeOf(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// refreshGrant is the refresh_token grant, with rotation when configured.
func (s *Server) refreshGrant(w http.ResponseWriter, ex *exchange, c client) {
	v := ex.r.Form.Get("refresh_token")
	now := s.now()
	a := &s.acct
	a.mu.Lock()
	rt, ok := a.refresh[v]
	var rec refreshToken
	if ok {
		rec = *rt
	}
	fresh := ok && !rec.revoked && rec.clientID == c.id && now.Before(rec.expires) && (rec.public || c.hasSecret)
	if fresh && s.cfg.rotate {
		rt.revoked = true
	}
	a.mu.Unlock()
	switch {
	case !ok || rec.clientID != c.id:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid refresh token")
	case rec.revoked:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Refresh token revoked")
	case !now.Before(rec.expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Refresh token expired")
	case !fresh:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client secret")
	default:
		next := ""
		if s.cfg.rotate {
			rec.revoked = false
			next = a.issueRefresh(rec) // same expiry: refreshing does not extend it
		}
		s.answerToken(w, ex, c.id, rec.userID, rec.scopes, next)
	}
}

// answerToken issues an access token and answers with it.
func (s *Server) answerToken(w http.ResponseWriter, ex *exchange, clientID, userID string, scopes []string, refresh string) {
	now := s.now()
	ex.user = userID
	at := s.acct.issueAccess(clientID, userID, scopes, now.Add(s.cfg.tokenLifetime), now)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, tokenAnswer{
		AccessToken: at, TokenType: "Bearer", Scope: strings.Join(scopes, " "),
		ExpiresIn: int(s.cfg.tokenLifetime / time.Second), RefreshToken: refresh,
	})
}

// serveAuthorize is GET /authorize.
func (s *Server) serveAuthorize(ex *exchange) {
	s.front(ex, OpAuthorize, false, func(w http.ResponseWriter) { s.authorize(w, ex) })
}

// authorize plays the user at Spotify's consent page: it approves at once
// (or cancels, with WithLoginDenied) and redirects back with 303. Errors
// before the redirect URI is known good are a plain 400 page, as Spotify's.
func (s *Server) authorize(w http.ResponseWriter, ex *exchange) {
	q := ex.r.URL.Query()
	if ex.r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if q.Get("client_id") != s.ClientID {
		http.Error(w, "INVALID_CLIENT: Invalid client", http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	if msg := s.checkRedirect(redirect); msg != "" {
		http.Error(w, "INVALID_CLIENT: "+msg, http.StatusBadRequest)
		return
	}
	back := url.Values{}
	if st := q.Get("state"); st != "" {
		back.Set("state", st)
	}
	scopes, errCode := s.checkConsent(q)
	if errCode != "" {
		back.Set("error", errCode)
	} else {
		back.Set("code", s.newCode(q, redirect, scopes))
	}
	http.Redirect(w, ex.r, withQuery(redirect, back), http.StatusSeeOther)
}

// checkRedirect returns why a redirect URI is refused, or "".
func (s *Server) checkRedirect(uri string) string {
	if len(s.cfg.redirectURIs) > 0 {
		if slices.Contains(s.cfg.redirectURIs, uri) {
			return ""
		}
		return "Invalid redirect URI"
	}
	u, err := url.Parse(uri)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "Invalid redirect URI"
	}
	if u.Scheme == "https" {
		return ""
	}
	if ip := net.ParseIP(u.Hostname()); u.Scheme == "http" && ip != nil && ip.IsLoopback() {
		return ""
	}
	return "Insecure redirect URI"
}

// checkConsent checks the rest of the authorization request and the user's
// answer; it returns the granted scopes or the OAuth error code to send back.
func (s *Server) checkConsent(q url.Values) ([]string, string) {
	if q.Get("response_type") != "code" {
		return nil, "unsupported_response_type" // the implicit grant is gone since 2025
	}
	ch, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if (ch != "" || method != "") && (method != "S256" || !validChallenge(ch)) {
		return nil, "invalid_request"
	}
	scopes := strings.Fields(q.Get("scope"))
	for _, sc := range scopes {
		if !slices.Contains(knownScopes, sc) {
			return nil, "invalid_scope"
		}
	}
	if s.cfg.loginDenied {
		return nil, "access_denied"
	}
	return scopes, ""
}

// validChallenge reports whether ch is an S256 challenge: 32 bytes in
// unpadded base64url.
func validChallenge(ch string) bool {
	b, err := base64.RawURLEncoding.DecodeString(ch)
	return err == nil && len(b) == sha256.Size
}

// newCode issues an authorization code for the login user.
func (s *Server) newCode(q url.Values, redirect string, scopes []string) string {
	v := newSecret("AQ")
	a := &s.acct
	a.mu.Lock()
	defer a.mu.Unlock()
	a.codes[v] = &authCode{
		clientID: q.Get("client_id"), userID: s.cfg.loginUser, redirectURI: redirect,
		challenge: q.Get("code_challenge"), scopes: scopes, expires: s.now().Add(codeLifetime),
	}
	return v
}

// withQuery adds params to uri's query.
func withQuery(uri string, params url.Values) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}
