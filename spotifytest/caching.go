package spotifytest

import (
	"hash/maphash"
	"net/http"
	"strconv"
	"strings"
)

// HTTP caching: every 200 answer to a GET carries an ETag and a
// Cache-Control header, and a GET whose If-None-Match names the current
// ETag is answered 304 Not Modified with no body, as Spotify's API-calls
// guide describes.
//
//   - Catalog reads (no user, no scope) are "public, max-age=7200": the same
//     for every caller and slow to change.
//   - Everything else (a user's data, the player, playlists, which their
//     owners change) is "private, max-age=0": a client may keep it for the
//     same user but must revalidate it before each use.
//
// The ETag is a hash of the body the request would get, so it changes
// whenever the answer does; for playlists it also mixes in the snapshot
// ID, so every page of a playlist gets a new ETag when the playlist
// changes, even a page whose rows did not move.

// Cache-Control values the fake sends.
const (
	CacheControlCatalog = "public, max-age=7200"
	CacheControlPrivate = "private, max-age=0"
)

// cacheControlFor is the Cache-Control of a route's 200 answers.
func cacheControlFor(rt *route) string {
	if rt.User || len(rt.Scopes) > 0 || strings.HasPrefix(rt.Path, "/v1/playlists/") || strings.HasPrefix(rt.Path, "/v1/users/") {
		return CacheControlPrivate
	}
	return CacheControlCatalog
}

// etag is the strong validator of body, salted with what else identifies
// the resource's version (a playlist's snapshot ID). It is a 64-bit hash
// under the server's seed: stable for the life of the server, which is all
// a validator must be, and cheap next to the body it stands for.
func (s *Server) etag(salt string, body []byte) string {
	var h maphash.Hash
	h.SetSeed(s.etagSeed)
	h.WriteString(salt)
	h.WriteByte(0)
	h.Write(body)
	return `"` + strconv.FormatUint(h.Sum64(), 36) + `"`
}

// conditional adds the caching headers to a 200 answer of a GET and reports
// whether it answered 304 instead, because the request's If-None-Match
// names the current ETag.
func (q *req) conditional(body []byte) bool {
	if q.r.Method != http.MethodGet || q.c == nil || q.c.cacheControl == "" {
		return false
	}
	tag := q.s.etag(q.version, body)
	h := q.w.Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", q.c.cacheControl)
	if !etagMatches(q.r.Header.Values("If-None-Match"), tag) {
		return false
	}
	q.w.WriteHeader(http.StatusNotModified)
	return true
}

// etagMatches applies If-None-Match's weak comparison: any listed tag equal
// to tag once a W/ prefix is dropped, or "*".
func etagMatches(lists []string, tag string) bool {
	for _, list := range lists {
		for t := range strings.SplitSeq(list, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == tag {
				return true
			}
		}
	}
	return false
}
