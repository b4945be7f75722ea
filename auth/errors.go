package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/internal/redact"
)

// Sentinels matched by errors.Is against the errors of this package.
var (
	// ErrReauthRequired means the grant is gone: the refresh token was
	// revoked or reached the six-month limit Spotify applies since 2026, or
	// an authorization code was bad or already used. Only a new
	// authorization by the user helps.
	ErrReauthRequired = errors.New("auth: the user must authorize the app again")
	// ErrInvalidClient means the accounts service refused the client ID or
	// secret.
	ErrInvalidClient = errors.New("auth: client ID or secret refused")
	// ErrAccessDenied means the user declined the authorization.
	ErrAccessDenied = errors.New("auth: the user denied access")
	// ErrStateMismatch means a callback's state did not match the
	// authorization's: a forged or stale callback. No token was requested.
	ErrStateMismatch = errors.New("auth: callback state does not match")
	// ErrNoToken means a store holds no token yet.
	ErrNoToken = errors.New("auth: no token stored")
	// ErrMissingConfig means a setting a flow needs (client ID, secret,
	// redirect URI) is not configured.
	ErrMissingConfig = errors.New("auth: missing configuration")
	// ErrNotSaved means a token was obtained but the store failed to keep it.
	ErrNotSaved = errors.New("auth: token not saved")
	// ErrRedirected means the accounts service answered a token request
	// with a redirect. Redirects are refused: following one would send the
	// client secret or a refresh token to a URL the server chose.
	ErrRedirected = errors.New("auth: the accounts service redirected a token request")
	// ErrInvalidReply means the accounts service answered with a token the
	// client cannot use: not a bearer token, or too long.
	ErrInvalidReply = errors.New("auth: unusable token in the answer")
)

// Operations named in [Error.Op].
const (
	OpClientCredentials = "client credentials"
	OpExchange          = "code exchange"
	OpRefresh           = "refresh"
	OpCallback          = "callback"
)

// Error is a failure of the accounts service or of an authorization
// callback. Its text never contains a token, code, verifier or secret.
type Error struct {
	Op          string // the flow step: one of the Op constants
	Status      int    // HTTP status of the accounts service; 0 when it did not answer
	Code        string // OAuth error code, e.g. "invalid_grant", "invalid_client", "access_denied"
	Description string // the service's error_description, secrets removed
	Err         error  // the cause when the service did not answer (network, context)
}

// Error describes the failure.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("auth: ")
	b.WriteString(e.Op)
	b.WriteString(": ")
	switch {
	case e.Code != "":
		b.WriteString(e.Code)
		if e.Description != "" {
			b.WriteString(": ")
			b.WriteString(e.Description)
		}
	case e.Description != "":
		b.WriteString(e.Description)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString("accounts service answered HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
	}
	if e.Status != 0 && (e.Code != "" || e.Description != "") && e.Err == nil {
		b.WriteString(" (HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteString(")")
	}
	if hint := e.hint(); hint != "" {
		b.WriteString("; ")
		b.WriteString(hint)
	}
	return b.String()
}

func (e *Error) hint() string {
	switch {
	case errors.Is(e, ErrReauthRequired):
		return "the user must authorize the app again"
	case errors.Is(e, ErrInvalidClient):
		return "check " + EnvClientID + " and " + EnvClientSecret
	}
	return ""
}

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinels by OAuth error code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrReauthRequired:
		return e.Code == "invalid_grant"
	case ErrInvalidClient:
		return e.Code == "invalid_client" || e.Code == "unauthorized_client"
	case ErrAccessDenied:
		return e.Code == "access_denied"
	case ErrStateMismatch:
		return e.Code == codeStateMismatch
	}
	return false
}

// codeStateMismatch is our own code for a callback with a foreign state.
const codeStateMismatch = "state_mismatch"

// maxCode caps an OAuth error code taken from a server: real codes are
// short identifiers.
const maxCode = 64

// wrapTokenError turns what x/oauth2 returned into an *Error whose text
// holds no secret, whatever the accounts service sent: every piece of the
// server's text goes through redact.Text with the secrets in play, and
// the tokens the answer itself carried. x/oauth2's own error text quotes
// the body, so it is never shown.
func wrapTokenError(op string, err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok { // ours, already clean (checkToken)
		return e
	}
	var rd *redirectError
	if errors.As(err, &rd) {
		return &Error{Op: op, Status: rd.status, Err: ErrRedirected,
			Description: "the accounts service answered with a redirect (HTTP " + strconv.Itoa(rd.status) +
				"); redirects are refused so that no secret is sent anywhere else"}
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		secrets = append(secrets, tokensIn(re.Body)...)
		e := &Error{Op: op, Code: cleanCode(re.ErrorCode, secrets), Description: redact.Text(re.ErrorDescription, secrets...)}
		if re.Response != nil {
			e.Status = re.Response.StatusCode
		}
		if e.Code == "" && e.Status == http.StatusUnauthorized {
			e.Code = "invalid_client"
		}
		return e
	}
	return &Error{Op: op, Err: scrubCause(err, secrets)}
}

// cleanCode is a server's OAuth error code made safe to show.
func cleanCode(code string, secrets []string) string {
	code = redact.Text(code, secrets...)
	if len(code) > maxCode {
		code = strings.ToValidUTF8(code[:maxCode], "") + "…"
	}
	return code
}

// scrubCause returns err as is when its text is safe to show (no secret,
// short, no control character); otherwise an error with the cleaned text
// that still matches the context's errors for errors.Is. An error whose
// text needed cleaning may hide the same text deeper in its chain, so the
// chain is not kept.
func scrubCause(err error, secrets []string) error {
	msg := redact.Text(err.Error(), secrets...)
	if msg == err.Error() {
		return err
	}
	s := &scrubbed{msg: msg}
	switch {
	case errors.Is(err, context.Canceled):
		s.err = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		s.err = context.DeadlineExceeded
	}
	return s
}

// tokensIn returns the token values an answer of the accounts service
// carried (JSON or form-encoded), so that an error about the same answer
// cannot show them.
func tokensIn(body []byte) []string {
	var out []string
	var j struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		IDToken      string `json:"id_token"`
	}
	if json.Unmarshal(body, &j) == nil {
		out = append(out, j.AccessToken, j.RefreshToken, j.IDToken)
	} else if v, err := url.ParseQuery(string(body)); err == nil {
		out = append(out, v.Get("access_token"), v.Get("refresh_token"), v.Get("id_token"))
	}
	return out
}

// scrubbed is an error whose text had secrets removed; it keeps only the
// context's error as its cause.
type scrubbed struct {
	msg string
	err error
}

func (s *scrubbed) Error() string { return s.msg }
func (s *scrubbed) Unwrap() error { return s.err }
