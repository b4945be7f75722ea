package spotify

import (
	"context"
	"io"
	"net/http"

	"golang.org/x/oauth2"
)

// bearerTransport adds the token to requests for the API's scheme and host
// only, so a redirect or a next link to another host never carries it, nor
// one from https down to plain http, where it would cross the network in
// clear.
//
// It sits above the rate limiter and heals a 401 once: the token was
// refused (revoked, or expired at the server before its time), so it asks
// a [TokenRenewer] source for another and sends the request again, paced by
// the limiter like any request. A 401 means the server did nothing, so the
// retry is safe for every method; it needs a body that can be replayed
// (http.Request.GetBody), as every request of the client has. A second 401
// is returned as it came, and becomes ErrUnauthorized.
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
	ctx := req.Context()
	tok, err := t.token(ctx)
	if err != nil {
		closeRequestBody(req)
		return nil, &tokenError{err}
	}
	// The first attempt consumes req.Body; keep a way to replay it.
	replay, canReplay := replayer(req)
	resp, err := t.send(req, req.Body, tok)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	renewer, ok := t.source.(TokenRenewer)
	if !ok || !canReplay {
		return resp, nil
	}
	fresh, err := renewer.RenewToken(ctx, tok)
	if err != nil {
		drain(resp)
		return nil, &tokenError{err}
	}
	if fresh == nil || fresh.AccessToken == tok.AccessToken {
		return resp, nil // nothing new to try
	}
	body, err := replay()
	if err != nil {
		return resp, nil
	}
	drain(resp)
	return t.send(req, body, fresh)
}

// send makes one attempt of req with body and tok, on a copy: a
// RoundTripper must not change the caller's request.
func (t *bearerTransport) send(req *http.Request, body io.ReadCloser, tok *oauth2.Token) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Body = body
	tok.SetAuthHeader(r)
	return t.base.RoundTrip(r)
}

// replayer returns how to get req's body again for a second attempt, and
// whether it can.
func replayer(req *http.Request) (func() (io.ReadCloser, error), bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return func() (io.ReadCloser, error) { return req.Body, nil }, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	return req.GetBody, true
}

// drain discards an answer that will not be returned, so its connection
// can be reused.
func drain(resp *http.Response) {
	const max = 64 << 10
	_, _ = io.CopyN(io.Discard, resp.Body, max)
	_ = resp.Body.Close()
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// ContextTokenSource is a token source whose callers can stop waiting for
// a token when their context ends, as the auth package's sources can. The
// client uses TokenContext with each request's context when the source has
// it, so a call's deadline also bounds the wait for a refresh.
type ContextTokenSource interface {
	oauth2.TokenSource
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// TokenRenewer is a token source that can replace a token before its
// expiry, as the auth package's sources can. When the Web API answers 401
// (the token was revoked, or expired at the server early), the client
// calls RenewToken with the refused token and sends the request once more
// with the token it returns.
//
// RenewToken returns a token other than refused. A source that still holds
// refused fetches a new one, once for all the callers that report the same
// token at the same time; one that already replaced it returns the
// replacement. Its error (auth.ErrReauthRequired, for one) is the call's.
// Without a TokenRenewer, a 401 is returned as ErrUnauthorized.
type TokenRenewer interface {
	oauth2.TokenSource
	RenewToken(ctx context.Context, refused *oauth2.Token) (*oauth2.Token, error)
}

func (t *bearerTransport) token(ctx context.Context) (*oauth2.Token, error) {
	if cs, ok := t.source.(ContextTokenSource); ok {
		return cs.TokenContext(ctx)
	}
	return t.source.Token()
}

// tokenError is a failure to get a token: the request was never sent, or
// was refused with a 401 and so did nothing.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "getting a token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }
