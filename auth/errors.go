package auth

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"
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
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString("accounts service answered HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
	}
	if e.Status != 0 && e.Code != "" {
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

// wrapTokenError turns what x/oauth2 returned into an *Error with every
// secret scrubbed from its text. x/oauth2's own error text may quote the
// response body, so it is never shown.
func wrapTokenError(op string, err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		e := &Error{Op: op, Code: scrub(re.ErrorCode, secrets), Description: scrub(re.ErrorDescription, secrets)}
		if re.Response != nil {
			e.Status = re.Response.StatusCode
		}
		if e.Code == "" && e.Status == http.StatusUnauthorized {
			e.Code = "invalid_client"
		}
		return e
	}
	return &Error{Op: op, Err: &scrubbed{msg: scrub(err.Error(), secrets), err: err}}
}

// scrubbed keeps a cause for errors.Is/As (context.Canceled, net errors)
// while its text has the secrets removed.
type scrubbed struct {
	msg string
	err error
}

func (s *scrubbed) Error() string { return s.msg }
func (s *scrubbed) Unwrap() error { return s.err }

// scrub replaces each secret, plain or URL-encoded, in s.
func scrub(s string, secrets []string) string {
	const max = 300 // descriptions are short; anything longer is not for humans
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		s = strings.ReplaceAll(s, sec, "[redacted]")
		if q := url.QueryEscape(sec); q != sec {
			s = strings.ReplaceAll(s, q, "[redacted]")
		}
	}
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}
