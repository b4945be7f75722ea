package cache

import (
	"encoding/binary"
	"errors"
	"net/http"
	"time"
)

// entry is one kept answer: its status, the few headers a reader of the
// answer needs, its body, and how long it is fresh.
type entry struct {
	stored   time.Time // when the answer (or its last 304) arrived
	lifetime time.Duration
	status   int
	header   [len(keptHeaders)]string
	body     []byte
}

// keptHeaders are the headers an entry keeps; the others (Date, Server,
// Set-Cookie, ...) say nothing a client of the API reads.
var keptHeaders = [...]string{"Content-Type", "ETag", "Cache-Control", "Content-Language", "Last-Modified"}

const (
	hContentType = iota
	hETag
	hCacheControl
)

const entryVersion = 1

var errCorrupt = errors.New("cache: corrupt entry")

// encode lays e out as version, stored (Unix ns), lifetime (ns), status,
// each kept header as a length and bytes, then the body.
func (e *entry) encode() []byte {
	n := 1 + 8 + 8 + 2 + len(e.body)
	for _, h := range e.header {
		n += 4 + len(h)
	}
	b := make([]byte, 0, n)
	b = append(b, entryVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(e.stored.UnixNano()))
	b = binary.BigEndian.AppendUint64(b, uint64(e.lifetime))
	b = binary.BigEndian.AppendUint16(b, uint16(e.status))
	for _, h := range e.header {
		b = binary.BigEndian.AppendUint32(b, uint32(len(h)))
		b = append(b, h...)
	}
	return append(b, e.body...)
}

// decode reads an entry encoded by encode. The body aliases b: neither may
// be changed afterwards. A store's value is data this process may not have
// written (a shared store), so every length is checked.
func decode(b []byte) (*entry, error) {
	if len(b) < 19 || b[0] != entryVersion {
		return nil, errCorrupt
	}
	e := &entry{
		stored:   time.Unix(0, int64(binary.BigEndian.Uint64(b[1:]))),
		lifetime: time.Duration(binary.BigEndian.Uint64(b[9:])),
		status:   int(binary.BigEndian.Uint16(b[17:])),
	}
	if e.status != http.StatusOK || e.lifetime < 0 {
		return nil, errCorrupt
	}
	b = b[19:]
	for i := range e.header {
		if len(b) < 4 {
			return nil, errCorrupt
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return nil, errCorrupt
		}
		e.header[i] = string(b[4 : 4+n])
		b = b[4+n:]
	}
	e.body = b
	return e, nil
}

// fresh reports whether e may be served at now without revalidation.
func (e *entry) fresh(now time.Time) bool {
	return now.Sub(e.stored) < e.lifetime
}

// response builds the answer e keeps, for req.
func (e *entry) response(req *http.Request) *http.Response {
	h := make(http.Header, len(keptHeaders))
	for i, name := range keptHeaders {
		if e.header[i] != "" {
			h[name] = []string{e.header[i]}
		}
	}
	return newResponse(req, e.status, h, e.body)
}
