package spotify

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"
)

// resetStreamServer speaks just enough HTTP/2 (cleartext, prior knowledge)
// to take requests whole and answer the first one with RST_STREAM
// PROTOCOL_ERROR, as a server (or a proxy in front of it) that applied
// the request and then failed the stream would; later requests get a 200.
// net/http's HTTP/2 transport sends a request again on its own after
// such a reset, whatever its method, when it can get the body again.
type resetStreamServer struct {
	ln       net.Listener
	requests atomic.Int32
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
}

func startResetStreamServer(t *testing.T) *resetStreamServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &resetStreamServer{ln: ln}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			s.wg.Go(func() { s.serve(c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

// HTTP/2 frame types and flags (RFC 9113).
const (
	h2Data, h2Headers, h2RSTStream, h2Settings = 0x0, 0x1, 0x3, 0x4
	h2EndStream, h2Ack, h2EndHeaders           = 0x1, 0x1, 0x4
	h2ProtocolError                            = 0x1
	h2Status200                                = 0x88 // HPACK: static table entry 8, ":status: 200"
)

func writeFrame(w io.Writer, typ, flags byte, stream uint32, payload []byte) {
	h := make([]byte, 9, 9+len(payload))
	h[0], h[1], h[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
	h[3], h[4] = typ, flags
	binary.BigEndian.PutUint32(h[5:], stream)
	_, _ = w.Write(append(h, payload...))
}

func (s *resetStreamServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	if _, err := io.ReadFull(r, make([]byte, 24)); err != nil { // the client's preface
		return
	}
	writeFrame(c, h2Settings, 0, 0, nil)
	for {
		h := make([]byte, 9)
		if _, err := io.ReadFull(r, h); err != nil {
			return
		}
		payload := make([]byte, int(h[0])<<16|int(h[1])<<8|int(h[2]))
		if _, err := io.ReadFull(r, payload); err != nil {
			return
		}
		typ, flags, stream := h[3], h[4], binary.BigEndian.Uint32(h[5:])&0x7fffffff
		switch {
		case typ == h2Settings && flags&h2Ack == 0:
			writeFrame(c, h2Settings, h2Ack, 0, nil)
		case typ == h2Headers:
			s.requests.Add(1)
		}
		if (typ == h2Headers || typ == h2Data) && flags&h2EndStream != 0 { // the request is in whole
			if s.requests.Load() == 1 {
				writeFrame(c, h2RSTStream, 0, stream, []byte{0, 0, 0, h2ProtocolError})
				continue
			}
			writeFrame(c, h2Headers, h2EndHeaders, stream, []byte{h2Status200})
			writeFrame(c, h2Data, h2EndStream, stream, []byte(`{"snapshot_id":"s1","id":"x"}`))
		}
	}
}

// A change not safe to repeat, sent over HTTP/2, is sent once even when
// the server resets its stream with PROTOCOL_ERROR after taking it whole:
// net/http's transport would send it again by itself, below the limiter,
// and the change would be applied twice with a nil error. The call fails
// with ErrMaybeApplied instead.
func TestHTTP2ResetNotResent(t *testing.T) {
	for name, call := range map[string]func(c *Client) error{
		"add items": func(c *Client) error {
			_, err := c.Playlists.AddItems(context.Background(), playlistID, testURIs("track", 2), nil)
			return err
		},
		"reorder": func(c *Client) error {
			_, err := c.Playlists.ReorderItems(context.Background(), playlistID, 0, 2, nil)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := startResetStreamServer(t)
			var protocols http.Protocols
			protocols.SetUnencryptedHTTP2(true)
			tr := &http.Transport{Protocols: &protocols}
			defer tr.CloseIdleConnections()
			c, err := NewClient(WithBaseURL("http://"+srv.ln.Addr().String()+"/v1/"),
				WithHTTPClient(&http.Client{Transport: tr}),
				WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "token"})))
			if err != nil {
				t.Fatal(err)
			}
			err = call(c)
			if n := srv.requests.Load(); n != 1 || !errors.Is(err, ErrMaybeApplied) {
				t.Errorf("sent %d times, error %v; want once and ErrMaybeApplied", n, err)
			}
		})
	}
}
