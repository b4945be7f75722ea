package spotify

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// coalescer lets identical GETs in flight at the same time share one
// upstream request: the first caller (the leader) sends it, the callers that
// ask for the same thing before its answer arrives (followers) wait for
// that answer, and each gets its own response over the same bytes, which
// Client.do decodes into a model of its own.
//
// Identical means: same URL, same Accept and Accept-Language, and the same
// token identity (see identities.scope), so one caller's answer is never
// handed to another caller who could not have received it. A GET that
// starts after a write through this client completed never joins a GET that
// started before it, so a caller reads its own writes.
//
// What it changes about a request: nothing; it only decides whether to send
// it. It never shares anything but a GET without conditional headers, never
// holds a follower past its own context (it leaves with its context's
// error and the others keep waiting), and never repeats a request, with
// one exception: when the leader's context ends before the answer, its
// request is cancelled with it, and one waiting follower sends the request
// again for the rest, so that no caller fails for another's context. The
// leader's request runs on the leader's goroutine, so that a GET with no
// follower costs one small allocation and no goroutine.
type coalescer struct {
	base    http.RoundTripper
	scope   func(*http.Request) (string, bool)
	observe func(*http.Request) // a follower was served; may be nil
	maxBody int64               // bytes shared at most: the client's cap, +1 to tell a larger body

	epoch atomic.Uint64 // completed writes
	mu    sync.Mutex
	calls map[flightKey]*flight
}

// flightKey is what two GETs must agree on to share an answer.
type flightKey struct {
	identity                  string
	epoch                     uint64
	scheme, host, path, query string
	accept, language          string
}

// flight is one upstream request and the callers waiting for its answer.
type flight struct {
	leader    *http.Request
	followers int
	done      chan struct{} // made when the first follower joins

	// Set before done is closed.
	resp *http.Response // status and headers; its body is not read
	body []byte
	err  error
}

func (c *coalescer) RoundTrip(req *http.Request) (*http.Response, error) {
	if !shareable(req) {
		resp, err := c.base.RoundTrip(req)
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			c.epoch.Add(1) // later GETs must see this write
		}
		return resp, err
	}
	identity, ok := c.scope(req)
	if !ok {
		return c.base.RoundTrip(req)
	}
	for {
		key := flightKey{identity: identity, epoch: c.epoch.Load(),
			scheme: req.URL.Scheme, host: req.URL.Host, path: req.URL.EscapedPath(), query: req.URL.RawQuery,
			accept: req.Header.Get("Accept"), language: req.Header.Get("Accept-Language")}
		c.mu.Lock()
		f, ok := c.calls[key]
		if !ok {
			if c.calls == nil {
				c.calls = make(map[flightKey]*flight)
			}
			f = &flight{leader: req}
			c.calls[key] = f
			c.mu.Unlock()
			return c.lead(key, f, req)
		}
		f.followers++
		if f.done == nil {
			f.done = make(chan struct{})
		}
		done := f.done
		c.mu.Unlock()

		select {
		case <-done:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
		if f.err != nil && f.leader.Context().Err() != nil {
			continue // the leader gave up: send again, or join whoever does
		}
		if f.err != nil {
			return nil, f.err
		}
		if c.observe != nil {
			c.observe(req)
		}
		return f.response(req), nil
	}
}

// lead sends req for itself and for the followers who join before the
// answer arrives.
func (c *coalescer) lead(key flightKey, f *flight, req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	c.mu.Lock()
	delete(c.calls, key)
	shared := f.done != nil
	c.mu.Unlock()
	if !shared {
		return resp, err
	}
	defer close(f.done)
	if err != nil {
		f.err = err
		return nil, err
	}
	// Read the body once for everyone; each caller then reads its own
	// reader over the same bytes, which nobody changes.
	f.body, f.err = io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	resp.Body.Close()
	if f.err != nil {
		return nil, f.err
	}
	// The followers get a copy of their own: the leader's caller may do
	// what it likes with resp once lead returns.
	snapshot := *resp
	snapshot.Header = resp.Header.Clone()
	f.resp = &snapshot
	resp.Body = io.NopCloser(bytes.NewReader(f.body))
	return resp, nil
}

// response is the shared answer for one follower, with headers of its own.
func (f *flight) response(req *http.Request) *http.Response {
	r := *f.resp
	r.Header = f.resp.Header.Clone()
	r.Body = io.NopCloser(bytes.NewReader(f.body))
	r.ContentLength = int64(len(f.body))
	r.Request = req
	return &r
}

// shareable reports whether req may share an answer: a GET with no body and
// none of the headers that make an answer particular to one request.
func shareable(req *http.Request) bool {
	if req.Method != http.MethodGet || (req.Body != nil && req.Body != http.NoBody) {
		return false
	}
	h := req.Header
	return h.Get("Range") == "" && h.Get("If-None-Match") == "" && h.Get("If-Modified-Since") == "" &&
		h.Get("Cache-Control") == ""
}
