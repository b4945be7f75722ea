package spotifytest

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
)

// Users: profiles, follows of artists and users, top items.

func hMe(q *req) {
	v := q.view(false)
	q.s.mu.Lock()
	u := q.s.state.people[q.me().idx]
	q.s.mu.Unlock()
	q.json(http.StatusOK, v.publicUser(u, true))
}

func hUser(q *req) {
	id := q.r.PathValue("user_id")
	q.s.mu.Lock()
	i, ok := q.s.state.peopleIdx[id]
	var u userRef
	if ok {
		u = q.s.state.people[i]
	}
	q.s.mu.Unlock()
	if !ok {
		q.notFound()
		return
	}
	q.json(http.StatusOK, q.view(false).publicUser(u, false))
}

// followType reads type=artist|user.
func (q *req) followType(allowUser bool) (kind, bool) {
	switch t := q.r.URL.Query().Get("type"); {
	case t == "artist":
		return kArtist, true
	case t == "user" && allowUser:
		return kUser, true
	case t == "":
		q.fail(http.StatusBadRequest, "Missing required parameter: type")
	default:
		q.fail(http.StatusBadRequest, "Invalid type: "+t)
	}
	return kNone, false
}

// followIDs reads artist IDs (base62) or user IDs (any) from the query or body.
func (q *req) followIDs(k kind) ([]string, bool) {
	if k == kArtist {
		ids, _, ok := q.idsQueryOrBody(50)
		return ids, ok
	}
	ids := q.queryList("ids")
	if ids == nil {
		var body struct {
			IDs []string `json:"ids"`
		}
		if !q.body(&body) {
			return nil, false
		}
		ids = body.IDs
	}
	if len(ids) == 0 {
		q.fail(http.StatusBadRequest, "Missing required parameter: ids")
		return nil, false
	}
	if len(ids) > 50 {
		q.fail(http.StatusBadRequest, "Too many ids requested")
		return nil, false
	}
	return ids, true
}

func hFollowChange(follow bool) handler {
	return func(q *req) {
		k, ok := q.followType(true)
		if !ok {
			return
		}
		ids, ok := q.followIDs(k)
		if !ok {
			return
		}
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		u := q.me()
		now := q.s.now().Unix()
		for _, id := range ids {
			q.libraryApply(u, k, id, follow, now)
		}
		q.empty(http.StatusNoContent)
	}
}

func hFollowContains(q *req) {
	k, ok := q.followType(true)
	if !ok {
		return
	}
	var ids []string
	if k == kArtist {
		ids, ok = q.ids(50)
	} else {
		ids, ok = q.followIDs(k)
	}
	if !ok {
		return
	}
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	u := q.me()
	out := make([]bool, len(ids))
	for n, id := range ids {
		if k == kUser {
			if p, known := q.s.state.peopleIdx[id]; known {
				out[n] = u.following.has(p)
			}
		} else if i, ok := q.s.cat.lookup(kArtist, id); ok {
			out[n] = u.artists.has(int32(i))
		}
	}
	q.json(http.StatusOK, out)
}

// hFollowed pages the followed artists by ID: the cursor is the last ID of
// the previous page, so the walk survives follows and unfollows between
// pages.
func hFollowed(q *req) {
	if _, ok := q.followType(false); !ok {
		return
	}
	limit, _, ok := q.limits(20, 50)
	if !ok {
		return
	}
	after := q.r.URL.Query().Get("after")
	if after != "" && !isBase62ID(after) {
		q.fail(http.StatusBadRequest, "Invalid base62 id")
		return
	}
	v := q.view(false)
	c := q.s.cat
	q.s.mu.Lock()
	var ids []string
	for _, it := range q.me().artists.items {
		ids = append(ids, c.artists[it.idx].id)
	}
	q.s.mu.Unlock()
	sort.Strings(ids)
	from := sort.SearchStrings(ids, after)
	if after != "" && from < len(ids) && ids[from] == after {
		from++
	}
	to := min(from+limit, len(ids))
	base := "http://" + q.r.Host + q.r.URL.Path
	p := cursorPageJSON{
		href:  base + "?type=artist&limit=" + strconv.Itoa(limit) + afterParam(after),
		limit: limit,
		total: len(ids),
	}
	for _, id := range ids[from:to] {
		i, _ := c.lookup(kArtist, id)
		p.items = append(p.items, mustJSON(v.artist(i)))
	}
	if to < len(ids) {
		p.after = ids[to-1]
		p.next = base + "?type=artist&after=" + p.after + "&limit=" + strconv.Itoa(limit)
	}
	q.raw(http.StatusOK, wrap(member{"artists", p.bytes()}))
}

func afterParam(after string) string {
	if after == "" {
		return ""
	}
	return "&after=" + url.QueryEscape(after)
}

// topSalt makes each time range a different, stable selection.
var topSalt = map[string]uint64{"short_term": 1, "medium_term": 2, "long_term": 3}

const topItems = 50 // Spotify's top lists are 50 long

func hTop(k kind) handler {
	return func(q *req) {
		tr := q.r.URL.Query().Get("time_range")
		if tr == "" {
			tr = "medium_term"
		}
		salt, ok := topSalt[tr]
		if !ok {
			q.fail(http.StatusBadRequest, "Invalid time range: must be one of short_term, medium_term, long_term")
			return
		}
		limit, offset, ok := q.limits(20, 50)
		if !ok {
			return
		}
		c := q.s.cat
		n := len(c.tracks)
		if k == kArtist {
			n = len(c.artists)
		}
		total := min(topItems, n)
		key := hashString(q.userID()) ^ salt<<32
		list := distinctPicks(key, total, n)
		v := q.view(false)
		p := q.page(offset, limit, total)
		from, to := span(offset, limit, total)
		for _, i := range list[from:to] {
			if k == kArtist {
				p.items = append(p.items, mustJSON(v.artist(i)))
			} else {
				p.items = append(p.items, v.trackJSON(i))
			}
		}
		q.raw(http.StatusOK, p.bytes())
	}
}

// distinctPicks picks count distinct indexes below n, determined by key.
func distinctPicks(key uint64, count, n int) []int {
	out := make([]int, 0, count)
	seen := make(map[int]bool, count)
	for j := uint64(0); len(out) < count; j++ {
		i := int(mix64(key+j) % uint64(n))
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}
