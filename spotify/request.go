package spotify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/spotflow/spotflow/internal/redact"
	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
)

// request is one call to the Web API before it is sent.
type request struct {
	op    *operation // what it calls: the method, the route, whether a repeat is safe
	path  string     // below the base URL, IDs already escaped
	query url.Values // nil when there is none
	body  any        // encoded as JSON; nil for no body
	raw   []byte     // a body sent as is (a cover image); wins over body
	ctype string     // Content-Type of raw
}

// get decodes the answer to op's GET of path?query into out.
func (c *Client) get(ctx context.Context, op *operation, path string, query url.Values, out any) error {
	return c.do(ctx, &request{op: op, path: path, query: query}, out)
}

// send makes a call of op with a JSON body and decodes the answer into out,
// which may be nil when the answer carries nothing of use.
func (c *Client) send(ctx context.Context, op *operation, path string, query url.Values, body, out any) error {
	return c.do(ctx, &request{op: op, path: path, query: query, body: body}, out)
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// do sends r and decodes a 2xx answer into out. Every error it returns says
// which call failed; when ctx has ended, the context's error is returned
// rather than whatever the transport saw last.
func (c *Client) do(ctx context.Context, r *request, out any) error {
	start := time.Now()
	req, err := c.newRequest(c.withOperation(ctx, r.op), r)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, r, err)
	}
	defer resp.Body.Close()

	buf := bufPool.Get().(*bytes.Buffer)
	defer putBuffer(buf)
	body, readErr := c.readBody(resp, buf)
	c.logCall(ctx, r, resp.StatusCode, start)
	switch {
	case int64(len(body)) > c.maxBody:
		return &Error{Status: resp.StatusCode, Method: r.op.method, Endpoint: r.path, sentinel: ErrTooLarge,
			Message: fmt.Sprintf("body larger than the %d-byte cap", c.maxBody)}
	case readErr != nil:
		return c.transportError(ctx, r, fmt.Errorf("reading the body: %w", readErr))
	case resp.StatusCode >= 300:
		return c.statusError(r, resp, body)
	}
	return c.decode(r, resp, body, out)
}

// readBody returns at most maxBody+1 bytes of resp's body: those the
// bodyReader already holds, or else (a caller's http.Client wrapped the
// body) a copy read into buf.
func (c *Client) readBody(resp *http.Response, buf *bytes.Buffer) ([]byte, error) {
	if rb, ok := resp.Body.(*readBody); ok && rb.buf != nil {
		return rb.buf.Bytes(), nil
	}
	buf.Reset()
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, c.maxBody+1))
	return buf.Bytes(), err
}

// bodyReader sits below the retry layer and reads each answer's body (at
// most max+1 bytes, enough to tell an oversized one) before passing the
// answer up. A body cut short, by a dropped connection or a proxy, then
// fails the attempt itself, and the Limiter retries it like any transient
// network error, within its attempts and budget, when the request is safe
// to repeat. Read above the retry layer, the cut would reach the caller
// unretried.
//
// It is also the lowest layer that sees the request as sent, with its
// token: errors below it, which may quote what the server sent, are
// scrubbed of that token here, and an answer is handed up with the request
// it answers, so that Client.do knows which token to scrub from its text.
//
// Each attempt runs under a watchdog (progress.go): an attempt whose answer
// makes no progress for the progress timeout is abandoned, so a server
// trickling nothing cannot hold an in-flight slot past it.
type bodyReader struct {
	base     http.RoundTripper
	max      int64
	progress time.Duration
}

func (t *bodyReader) RoundTrip(req *http.Request) (*http.Response, error) {
	attempt, w := watch(req, t.progress)
	defer w.stop()
	sendOnce(attempt)
	resp, err := t.base.RoundTrip(attempt)
	if err != nil || resp == nil {
		return resp, scrubError(w.failed(err), secretsOf(req))
	}
	if resp.Request == nil {
		resp.Request = req
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	_, err = buf.ReadFrom(io.LimitReader(w.reader(resp.Body), t.max+1))
	resp.Body.Close()
	if err != nil {
		putBuffer(buf)
		return nil, scrubError(fmt.Errorf("reading the body: %w", w.failed(err)), secretsOf(req))
	}
	resp.Body = &readBody{Reader: bytes.NewReader(buf.Bytes()), buf: buf}
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode/100 == 3 && redact.Contains(loc, secretsOf(req)...) {
		// A redirect carrying the token would send it on in the URL,
		// where no header check stops it. Without its Location it is not
		// followed: the caller gets the 3xx as an *Error.
		resp.Header.Del("Location")
	}
	return resp, nil
}

// sendOnce keeps the transport below from sending a request that is not
// safe to repeat a second time on its own. net/http's HTTP/2 transport
// resends a request whose stream the server reset with PROTOCOL_ERROR,
// whatever its method and whether or not the server acted on it, when it
// can get the body again (GetBody); the layers above have decided whether
// a repeat is safe, so below them the body can be read once only. The
// attempt is a copy: the Limiter keeps GetBody for its own retries (429s,
// failed dials), which it makes only when no attempt may have acted.
//
// A request without a body is not covered: the HTTP/2 transport resends it
// as it is, and giving it an empty body instead would change what it sends
// over HTTP/1.1 (a chunked body instead of Content-Length: 0).
func sendOnce(attempt *http.Request) {
	switch attempt.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return
	}
	if _, marked := attempt.Header[repeatMark]; !marked {
		attempt.GetBody = nil
	}
}

// readBody is a body already in memory; Close gives its buffer back.
type readBody struct {
	*bytes.Reader
	buf *bytes.Buffer
}

func (b *readBody) Close() error {
	if b.buf != nil {
		putBuffer(b.buf)
		b.buf = nil
	}
	return nil
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 { // let rare huge bodies go to the collector
		bufPool.Put(b)
	}
}

func (c *Client) newRequest(ctx context.Context, r *request) (*http.Request, error) {
	u := c.baseStr + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	ctype := r.ctype
	switch {
	case r.raw != nil:
		body = bytes.NewReader(r.raw)
	case r.body != nil:
		b, err := models.Marshal(r.body)
		if err != nil {
			return nil, fmt.Errorf("spotify: %s %s: encoding the body: %w", r.op.method, r.path, err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, r.op.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("spotify: %s %s: %w", r.op.method, r.path, err)
	}
	if r.op.repeat == repeatSafe {
		// The mark ratelimit.Transport and net/http's own Transport read
		// as "safe to repeat"; with no value, it is not sent. GETs are
		// safe by their method and need none.
		req.Header[repeatMark] = nil
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.language != "" {
		req.Header.Set("Accept-Language", c.language)
	}
	return req, nil
}

// decode reads a 2xx body into out, within the client's decoding budget
// (see models.UnmarshalWithin): a body that could decode to more, or whose
// lists are longer than out's bounds allow, is refused before it is
// decoded, with an error matching ErrInvalidReply. Calls with nothing to
// decode accept any body, since player commands answer 202/204 with empty
// or plain-text bodies.
func (c *Client) decode(r *request, resp *http.Response, body []byte, out any) error {
	if out == nil {
		return nil
	}
	invalid := func(msg string, err error) error {
		if err != nil {
			msg += ": " + err.Error() // the decoder may quote the body
		}
		return c.unsure(r, &Error{Status: resp.StatusCode, Method: r.op.method, Endpoint: r.path,
			Message: scrubText(msg, c.answerSecrets(resp)), sentinel: ErrInvalidReply})
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid("empty body where a JSON object was expected", nil)
	}
	if body[0] == '<' {
		return invalid(fmt.Sprintf("%s body where JSON was expected", mediaType(resp.Header.Get("Content-Type"))), nil)
	}
	if err := models.UnmarshalWithin(body, out, c.decodeBudget()); err != nil {
		if errors.Is(err, ErrInvalidReply) {
			return invalid("refused", err) // a decoding limit: the list or the whole is larger than asked
		}
		return invalid("malformed JSON", err)
	}
	return nil
}

// decodeBudget is the most memory one answer may decode to: three times
// the byte cap, so that a body within the cap costs a bounded multiple of
// it whatever its shape, and never less than models.DecodeBudget, which a
// small cap would make too tight for the estimate's margin.
func (c *Client) decodeBudget() int64 { return max(3*c.maxBody, models.DecodeBudget) }

// statusError maps a non-2xx answer to *Error.
func (c *Client) statusError(r *request, resp *http.Response, body []byte) error {
	e := &Error{Status: resp.StatusCode, Method: r.op.method, Endpoint: r.path}
	e.parseErrorBody(body, resp.Header.Get("Content-Type"))
	secrets := c.answerSecrets(resp)
	e.Message, e.Reason = scrubText(e.Message, secrets), scrubText(e.Reason, secrets)
	if resp.StatusCode == http.StatusTooManyRequests {
		e.RetryAfter, _ = ratelimit.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	if resp.StatusCode >= 500 {
		return c.unsure(r, e)
	}
	return e
}

// repeatMark is the header whose presence marks a request safe to repeat.
const repeatMark = "Idempotency-Key"

// transportError maps a failure to get an answer. The context's own error
// wins: a caller that gave up must learn that, not a stale 429; when the
// request may have been sent by then, it learns that too.
func (c *Client) transportError(ctx context.Context, r *request, err error) error {
	if ctxErr := context.Cause(ctx); ctxErr != nil {
		cerr := fmt.Errorf("spotify: %s %s: %w", r.op.method, r.path, ctxErr)
		if neverSent(err) {
			return cerr
		}
		return c.unsure(r, cerr)
	}
	var ge *ratelimit.GateError
	if errors.As(err, &ge) {
		return &Error{Status: http.StatusTooManyRequests, Method: r.op.method, Endpoint: r.path,
			Message: "the rate limit gate is closed for longer than the caller can wait", RetryAfter: ge.RetryAfter}
	}
	never := neverSent(err) // before scrubbing, which keeps less of err
	// Errors from below bodyReader are scrubbed of the token already; this
	// caps and escapes what http.Client itself quotes (a Location that
	// does not parse).
	err = fmt.Errorf("spotify: %s %s: %w", r.op.method, r.path, scrubError(unwrapURLError(err), nil))
	if never {
		return err
	}
	return c.unsure(r, err)
}

// neverSent reports whether err shows the request never reached the server:
// no connection, no token to send it with, or the Limiter held it back.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var te *tokenError
	return errors.As(err, &te) || errors.Is(err, ratelimit.ErrNotSent)
}

// unsure marks a failure after which the request may have been applied,
// when its operation is not safe to repeat: the transport did not send it
// again, and the caller must know to check before doing so.
func (c *Client) unsure(r *request, err error) error {
	if r.op.safeToRepeat() {
		return err
	}
	return fmt.Errorf("%w (%w: check before retrying)", err, ErrMaybeApplied)
}

// unwrapURLError drops *url.Error's copy of the URL, which repeats what the
// message already says.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func (c *Client) logCall(ctx context.Context, r *request, status int, start time.Time) {
	if c.log == nil {
		return
	}
	c.log.DebugContext(ctx, "spotify call", "method", r.op.method, "path", r.path, "status", status, "duration", time.Since(start))
}
