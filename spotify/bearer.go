package spotify

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"
)

// bearerTransport adds the token to requests for the API's scheme and host
// only, so a redirect or a next link to another host never carries it, nor
// one from https down to plain http, where it would cross the network in
// clear.
type bearerTransport struct {
	base   http.RoundTripper
	source oauth2.TokenSource
	scheme string
	host   string
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != t.host || req.URL.Scheme != t.scheme {
		return t.base.RoundTrip(req)
	}
	tok, err := t.token(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, &tokenError{err}
	}
	r := req.Clone(req.Context())
	tok.SetAuthHeader(r)
	return t.base.RoundTrip(r)
}

// ContextTokenSource is a token source whose callers can stop waiting for
// a token when their context ends, as the auth package's sources can. The
// client uses TokenContext with each request's context when the source has
// it, so a call's deadline also bounds the wait for a refresh.
type ContextTokenSource interface {
	oauth2.TokenSource
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

func (t *bearerTransport) token(ctx context.Context) (*oauth2.Token, error) {
	if cs, ok := t.source.(ContextTokenSource); ok {
		return cs.TokenContext(ctx)
	}
	return t.source.Token()
}

// tokenError is a failure to get a token: the request was never sent.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "getting a token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }
