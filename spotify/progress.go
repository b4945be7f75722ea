package spotify

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// watchdog abandons an attempt that makes no progress: it cancels the
// attempt's own context when the answer has not started within d of
// sending, or when d passes without a byte of its body. Cancelling closes
// the attempt's connection, so the transport returns at once and the
// Limiter's in-flight slot is freed, whatever the caller's context says.
type watchdog struct {
	d     time.Duration
	timer *time.Timer
	fired atomic.Bool
}

// watch starts a watchdog over an attempt of req and returns the request
// to send in its place (with the attempt's context) and a stop function
// to call once the attempt is over.
func watch(req *http.Request, d time.Duration) (*http.Request, *watchdog, func()) {
	ctx, cancel := context.WithCancel(req.Context())
	w := &watchdog{d: d}
	w.timer = time.AfterFunc(d, func() {
		w.fired.Store(true)
		cancel()
	})
	return req.WithContext(ctx), w, func() {
		w.timer.Stop()
		cancel()
	}
}

// progress notes that the server sent something.
func (w *watchdog) progress() { w.timer.Reset(w.d) }

// failed returns the error of an attempt that failed with err: a
// stallError when the watchdog ended it.
func (w *watchdog) failed(err error) error {
	if err != nil && w.fired.Load() {
		return &stallError{w.d}
	}
	return err
}

// reader wraps an answer's body so that each byte read is progress.
func (w *watchdog) reader(r io.Reader) io.Reader { return &progressReader{r: r, w: w} }

type progressReader struct {
	r io.Reader
	w *watchdog
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.w.progress()
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
