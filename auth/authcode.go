package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/internal/redact"
)

// Authorization is one attempt of the authorization code flow: the URL to
// send the user to, and what the callback and the code exchange need. A web
// app keeps it server-side (e.g. in the user's session) between the
// redirect and the callback. Verifier is a secret: never show or log it.
type Authorization struct {
	URL         string // where to send the user's browser
	State       string // anti-CSRF value the callback must return
	Verifier    string // PKCE code verifier; "" when PKCE is off
	RedirectURI string // the redirect URI the URL names; the exchange repeats it
}

// String describes a without its verifier.
func (a Authorization) String() string {
	return fmt.Sprintf("auth.Authorization{URL: %q, RedirectURI: %q}", a.URL, a.RedirectURI)
}

// LogValue keeps the verifier out of slog output.
func (a Authorization) LogValue() slog.Value {
	return slog.GroupValue(slog.String("redirect_uri", a.RedirectURI))
}

// Authorize starts an authorization code flow: a crypto-random state, a
// PKCE verifier (S256) unless [WithoutPKCE] was configured, and the URL of
// Spotify's consent page with the config's scopes. The config needs a
// redirect URI.
func (c *Config) Authorize(opts ...AuthorizeOption) (*Authorization, error) {
	var o authorizeOptions
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyAuthorize(&o); err != nil {
			return nil, err
		}
	}
	return c.authorize(o)
}

func (c *Config) authorize(o authorizeOptions) (*Authorization, error) {
	if c.redirectURI == "" {
		return nil, c.missing("redirect URI", EnvRedirectURI, "WithRedirectURI")
	}
	state, err := randomString(32)
	if err != nil {
		return nil, err
	}
	a := &Authorization{State: state, RedirectURI: c.redirectURI}
	params := []oauth2.AuthCodeOption{}
	if !c.noPKCE {
		// 64 random bytes give an 86-character verifier, inside RFC 7636's 43-128.
		if a.Verifier, err = randomString(64); err != nil {
			return nil, err
		}
		params = append(params, oauth2.S256ChallengeOption(a.Verifier))
	}
	if o.showDialog {
		params = append(params, oauth2.SetAuthURLParam("show_dialog", "true"))
	}
	a.URL = c.oauth2Config(c.redirectURI).AuthCodeURL(state, params...)
	return a, nil
}

// randomString returns n crypto-random bytes, base64url without padding.
func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: no randomness: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ParseCallback checks the query of the request Spotify redirected the
// browser to and returns its authorization code. See [Authorization.ParseCallbackValues].
func (a *Authorization) ParseCallback(r *http.Request) (code string, err error) {
	if r == nil || r.URL == nil {
		return "", &Error{Op: OpCallback, Code: "invalid_request", Description: "no request"}
	}
	return a.ParseCallbackValues(r.URL.Query())
}

// ParseCallbackValues checks a callback's parameters and returns the
// authorization code. The state is compared first, in constant time: a
// mismatch matches [ErrStateMismatch] whatever else the callback says. A
// refusal by the user matches [ErrAccessDenied].
func (a *Authorization) ParseCallbackValues(v url.Values) (code string, err error) {
	if a == nil || a.State == "" {
		return "", errors.New("auth: ParseCallback: no authorization in progress")
	}
	if !a.stateMatches(v) {
		return "", &Error{Op: OpCallback, Code: codeStateMismatch,
			Description: "the callback's state is not the one sent; it may be forged or from an older login"}
	}
	if e := v.Get("error"); e != "" {
		desc := v.Get("error_description")
		if e == "access_denied" && desc == "" {
			desc = "the user declined to authorize the app"
		}
		return "", &Error{Op: OpCallback, Code: cleanCode(e, []string{a.Verifier}), Description: redact.Text(desc, a.Verifier)}
	}
	code = v.Get("code")
	if code == "" {
		return "", &Error{Op: OpCallback, Code: "invalid_request", Description: "the callback has no code"}
	}
	return code, nil
}

// stateMatches compares a callback's state with a's in constant time.
func (a *Authorization) stateMatches(v url.Values) bool {
	return a.State != "" && subtle.ConstantTimeCompare([]byte(v.Get("state")), []byte(a.State)) == 1
}

// Exchange trades an authorization code for a token, sending a's verifier
// and redirect URI. ctx bounds this one request and may carry the
// http.Client under oauth2.HTTPClient. A bad, used or expired code matches
// [ErrReauthRequired]; a refused secret matches [ErrInvalidClient].
func (c *Config) Exchange(ctx context.Context, a *Authorization, code string) (*oauth2.Token, error) {
	if a == nil {
		return nil, errors.New("auth: Exchange: nil authorization")
	}
	if code == "" {
		return nil, &Error{Op: OpExchange, Code: "invalid_request", Description: "empty authorization code"}
	}
	var params []oauth2.AuthCodeOption
	if a.Verifier != "" {
		params = append(params, oauth2.VerifierOption(a.Verifier))
	}
	tok, err := c.oauth2Config(a.RedirectURI).Exchange(c.withHTTPClient(ctx), code, params...)
	if err == nil {
		err = checkToken(OpExchange, tok)
	}
	if err != nil {
		err = wrapTokenError(OpExchange, err, c.secrets(code, a.Verifier)...)
		c.log().Debug("auth: code exchange failed", "error", err)
		return nil, err
	}
	stampExpiry(tok, time.Now())
	c.log().Debug("auth: token fetched by code exchange", "expires_in", tok.ExpiresIn,
		"refresh_token", tok.RefreshToken != "")
	return tok, nil
}

// ExchangeCallback checks a callback request ([Authorization.ParseCallback])
// and, only if it passes, exchanges its code ([Config.Exchange]).
func (c *Config) ExchangeCallback(ctx context.Context, a *Authorization, r *http.Request) (*oauth2.Token, error) {
	code, err := a.ParseCallback(r)
	if err != nil {
		return nil, err
	}
	return c.Exchange(ctx, a, code)
}
