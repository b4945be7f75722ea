package spotify

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"

	"github.com/spotflow/spotflow/internal/redact"
)

// Every text a server can steer into an error (a message, a reason, a
// content type, a value a decoder quotes, a transport error that quotes
// the answer) goes through internal/redact before it is stored: the
// credentials the request carried are removed in every encoding, the text
// is capped and control characters are escaped. Nothing holding a secret
// is kept in an error, so no way of printing one (%v, %#v, a logger that
// walks fields) can show it.

// secretsOf returns what req's Authorization header reveals: the header
// itself, its credential (a bearer token, or a Basic pair and its
// password), or nil when there is none.
func secretsOf(req *http.Request) []string {
	if req == nil {
		return nil
	}
	auth := req.Header.Get("Authorization")
	if auth == "" {
		return nil
	}
	scheme, cred, ok := strings.Cut(auth, " ")
	if !ok {
		return []string{auth}
	}
	cred = strings.TrimSpace(cred)
	out := []string{auth, cred} // the header too, so its encodings are replaced in place
	if strings.EqualFold(scheme, "Basic") {
		if pair, err := base64.StdEncoding.DecodeString(cred); err == nil {
			out = append(out, string(pair))
			if _, pass, ok := strings.Cut(string(pair), ":"); ok {
				out = append(out, pass)
			}
		}
	}
	return out
}

// answerSecrets returns what to scrub from the text of resp: the
// credentials of the request that got it, or, for an answer served above
// the token layer (a coalesced follower's, a cache hit's, whose Request
// never carried a header), the tokens the client holds.
func (c *Client) answerSecrets(resp *http.Response) []string {
	if s := secretsOf(resp.Request); s != nil {
		return s
	}
	return c.ids.tokens()
}

// scrubText makes server-sent text safe to keep in an error or a log line.
func scrubText(s string, secrets []string) string {
	return redact.Text(s, secrets...)
}

// scrubError returns err as it is when its text is already safe (no
// secret, no control character, within the cap), which is nearly always.
// Otherwise it returns an error with the scrubbed text that matches what
// err matched for the purposes callers and the retry policy test for
// (timeouts, system errors, early EOFs, context ends, failed dials), but
// holds nothing of err's text.
func scrubError(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	safe := scrubText(text, secrets)
	if safe == text {
		return err
	}
	return newScrubbedError(safe, err)
}

var errNoConnection = errors.New("no connection was made")

// scrubbedError is an error whose text was scrubbed. It keeps only the
// classification of the error it replaces.
type scrubbedError struct {
	text    string
	kinds   []error // sentinels and errnos the original matched
	timeout bool
}

func newScrubbedError(text string, orig error) *scrubbedError {
	e := &scrubbedError{text: text}
	for _, s := range []error{io.EOF, io.ErrUnexpectedEOF, context.Canceled, context.DeadlineExceeded,
		os.ErrDeadlineExceeded, net.ErrClosed, http.ErrHandlerTimeout} {
		if errors.Is(orig, s) {
			e.kinds = append(e.kinds, s)
		}
	}
	var errno syscall.Errno
	if errors.As(orig, &errno) {
		e.kinds = append(e.kinds, errno)
	}
	var op *net.OpError
	if errors.As(orig, &op) && op.Op == "dial" {
		// A fresh one: the original's fields may hold the text.
		e.kinds = append(e.kinds, &net.OpError{Op: "dial", Net: op.Net, Err: errNoConnection})
	}
	var ne net.Error
	e.timeout = errors.As(orig, &ne) && ne.Timeout()
	return e
}

func (e *scrubbedError) Error() string   { return e.text }
func (e *scrubbedError) Unwrap() []error { return e.kinds }

// Timeout reports whether the original error was a timeout, so that
// scrubbing keeps net.Error's answer.
func (e *scrubbedError) Timeout() bool { return e.timeout }

// Temporary is part of net.Error; like net's own errors it says nothing
// more than Timeout.
func (e *scrubbedError) Temporary() bool { return e.timeout }

var _ net.Error = (*scrubbedError)(nil)
