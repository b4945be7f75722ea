package spotify

import (
	"context"
	"io"
	"net"
	"net/http"
	"time"
)

// watchdog abandons an attempt that makes no progress: it cancels the
// attempt's own context when the answer has not started within d of
// sending, or when d passes without a byte of its body. Cancelling closes
// the attempt's connection, so the transport returns at once and the
// Limiter's in-flight slot is freed, whatever the caller's context says.
// It is one allocation besides its context and timer, since every attempt
// makes one.
type watchdog struct {
	d      time.Duration
	timer  *time.Timer
	parent context.Context // the caller's
	ctx    context.Context // the attempt's: cancelled by the timer, or by parent
	cancel context.CancelFunc
	body   io.Reader // the answer's body, once reading starts
}

// watch starts a watchdog over an attempt of req and returns the request
// to send in its place, with the attempt's context. Call stop once the
// attempt is over.
func watch(req *http.Request, d time.Duration) (*http.Request, *watchdog) {
	parent := req.Context()
	ctx, cancel := context.WithCancel(parent)
	w := &watchdog{d: d, parent: parent, ctx: ctx, cancel: cancel}
	w.timer = time.AfterFunc(d, cancel)
	return req.WithContext(ctx), w
}

func (w *watchdog) stop() {
	w.timer.Stop()
	w.cancel()
}

// failed returns the error of an attempt that failed with err: a
// stallError when the watchdog ended it (the attempt's context ended and
// the caller's did not).
func (w *watchdog) failed(err error) error {
	if err != nil && w.ctx.Err() != nil && w.parent.Err() == nil {
		return &stallError{w.d}
	}
	return err
}

// reader returns body as a reader whose every byte read is progress.
func (w *watchdog) reader(body io.Reader) io.Reader {
	w.body = body
	return w
}

// Read reads the answer's body, noting progress.
func (w *watchdog) Read(b []byte) (int, error) {
	n, err := w.body.Read(b)
	if n > 0 {
		w.timer.Reset(w.d)
	}
	return n, err
}

// stallError is an attempt the watchdog abandoned. It is a timeout, which
// the Limiter retries when the request is safe to repeat; it does not
// match the context errors, since the caller's context did not end.
type stallError struct{ d time.Duration }

func (e *stallError) Error() string   { return "no progress from the server for " + e.d.String() }
func (e *stallError) Timeout() bool   { return true }
func (e *stallError) Temporary() bool { return true }

var _ net.Error = (*stallError)(nil)
