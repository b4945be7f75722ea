package spotifytest

import (
	"net/http"
	"net/url"
	"strings"
)

// Search runs the query language of search_query.go over the catalog
// (see there for what it understands). Since 2026 a page holds at most 10
// items.

var searchTypes = []string{"album", "artist", "playlist", "track", "show", "episode", "audiobook"}

const (
	searchDefaultLimit = 5
	searchMaxLimit     = 10
	searchMaxOffset    = 1000
)

func (c *catalog) anyArtistHas(as []int32, name string) bool {
	for _, a := range as {
		if strings.Contains(c.artists[a].lname, name) {
			return true
		}
	}
	return false
}

func (c *catalog) anyArtistInGenre(as []int32, g string) bool {
	for _, a := range as {
		if contains(c.artists[a].genres, g) {
			return true
		}
	}
	return false
}

// trackDoc, albumDoc and artistDoc are catalog objects as searches see
// them: their texts, and the filters that apply to their type.
type (
	trackDoc struct {
		c *catalog
		i int
	}
	albumDoc struct {
		c *catalog
		i int
	}
	artistDoc struct {
		c *catalog
		i int
	}
)

func (d trackDoc) hasText(s string) bool {
	t := &d.c.tracks[d.i]
	return strings.Contains(t.lname, s) || strings.Contains(d.c.albums[t.album].lname, s) || d.c.anyArtistHas(t.artists, s)
}

func (d trackDoc) filter(field, v string) (bool, bool) {
	t := &d.c.tracks[d.i]
	al := &d.c.albums[t.album]
	switch field {
	case "artist":
		return d.c.anyArtistHas(t.artists, v), true
	case "album":
		return strings.Contains(al.lname, v), true
	case "track":
		return strings.Contains(t.lname, v), true
	case "year":
		return inYears(al.year, v), true
	case "genre":
		return d.c.anyArtistInGenre(t.artists, v), true
	case "isrc":
		return strings.EqualFold(t.isrc, v), true
	}
	return false, false
}

func (d albumDoc) hasText(s string) bool {
	a := &d.c.albums[d.i]
	return strings.Contains(a.lname, s) || d.c.anyArtistHas(a.artists, s)
}

func (d albumDoc) filter(field, v string) (bool, bool) {
	a := &d.c.albums[d.i]
	switch field {
	case "artist":
		return d.c.anyArtistHas(a.artists, v), true
	case "album":
		return strings.Contains(a.lname, v), true
	case "year":
		return inYears(a.year, v), true
	case "upc":
		return a.upc == v, true
	case "tag":
		switch v {
		case "new":
			return d.c.isNewRelease[d.i], true
		case "hipster":
			return a.popularity < d.c.hipsterBelow, true
		}
		return false, true
	}
	return false, false
}

func (d artistDoc) hasText(s string) bool { return strings.Contains(d.c.artists[d.i].lname, s) }

func (d artistDoc) filter(field, v string) (bool, bool) {
	a := &d.c.artists[d.i]
	switch field {
	case "artist":
		return strings.Contains(a.lname, v), true
	case "genre":
		return contains(a.genres, v), true
	case "year":
		for _, al := range a.albums {
			if inYears(d.c.albums[al].year, v) {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// searchDoc returns object i of a search type as searches see it.
func (q *req) searchDoc(typ string, i int) searchDoc {
	c := q.s.cat
	switch typ {
	case "album":
		return albumDoc{c, i}
	case "artist":
		return artistDoc{c, i}
	case "track":
		return trackDoc{c, i}
	case "show":
		return textDoc{c.shows[i].lname, strings.ToLower(c.shows[i].publisher)}
	case "episode":
		return textDoc{c.episodes[i].lname}
	case "audiobook":
		b := &c.audiobooks[i]
		return textDoc{b.lname, strings.ToLower(strings.Join(b.authors, ", "))}
	}
	return textDoc{}
}

func hSearch(q *req) {
	qv := q.r.URL.Query()
	text := qv.Get("q")
	if text == "" {
		text = qv.Get("query") // the parameter name of Spotify's own page links
	}
	if strings.TrimSpace(text) == "" {
		q.fail(http.StatusBadRequest, "No search query")
		return
	}
	var types []string
	for _, t := range qv["type"] {
		types = append(types, splitComma(t)...)
	}
	if len(types) == 0 {
		q.fail(http.StatusBadRequest, "Missing parameter type")
		return
	}
	for _, t := range types {
		if !contains(searchTypes, t) {
			q.fail(http.StatusBadRequest, "Bad search type field "+t)
			return
		}
	}
	limit, offset, ok := q.limits(searchDefaultLimit, searchMaxLimit)
	if !ok {
		return
	}
	if offset > searchMaxOffset {
		q.fail(http.StatusBadRequest, "Invalid offset")
		return
	}
	if inc := qv.Get("include_external"); inc != "" && inc != "audio" {
		q.fail(http.StatusBadRequest, "Invalid include_external value")
		return
	}
	v := q.marketView()
	if v == nil {
		return
	}
	sq := parseSearch(text)
	var ms []member
	// Spotify answers in a fixed order of types, whatever the request's.
	for _, t := range []string{"album", "artist", "playlist", "track", "show", "episode", "audiobook"} {
		if contains(types, t) {
			ms = append(ms, member{t + "s", q.searchPage(v, &sq, t, text, offset, limit)})
		}
	}
	q.raw(http.StatusOK, wrap(ms...))
}

// searchPage runs one type of the search and renders its page.
func (q *req) searchPage(v *view, sq *searchQuery, typ, text string, offset, limit int) []byte {
	if typ == "playlist" {
		return q.searchPlaylists(v, sq, text, offset, limit)
	}
	c := q.s.cat
	n := map[string]int{
		"album": len(c.albums), "artist": len(c.artists), "track": len(c.tracks),
		"show": len(c.shows), "episode": len(c.episodes), "audiobook": len(c.audiobooks),
	}[typ]
	var hits []int
	for i := range n {
		if sq.matches(q.searchDoc(typ, i)) {
			hits = append(hits, i)
		}
	}
	p := q.searchPageLinks(typ, text, offset, limit, len(hits))
	from, to := span(offset, limit, len(hits))
	for _, i := range hits[from:to] {
		var b []byte
		switch typ {
		case "album":
			b = mustJSON(v.simpleAlbum(i))
		case "artist":
			b = mustJSON(v.artist(i))
		case "track":
			b = v.trackJSON(i)
		case "show":
			b = mustJSON(v.simpleShow(i))
		case "episode":
			b = mustJSON(v.episode(i, false, q.s.resumePoint(q.userID(), kEpisode, i)))
		case "audiobook":
			b = mustJSON(v.simpleAudiobook(i))
		}
		p.items = append(p.items, b)
	}
	return p.bytes()
}

func (q *req) searchPlaylists(v *view, sq *searchQuery, text string, offset, limit int) []byte {
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	st := q.s.state
	var hits []*plist
	for _, id := range st.order {
		p := st.playlists[id]
		if !p.public {
			continue
		}
		doc := textDoc{strings.ToLower(p.name)}
		if p.description != nil {
			doc = append(doc, strings.ToLower(*p.description))
		}
		if sq.matches(doc) {
			hits = append(hits, p)
		}
	}
	pg := q.searchPageLinks("playlist", text, offset, limit, len(hits))
	from, to := span(offset, limit, len(hits))
	for _, p := range hits[from:to] {
		pg.items = append(pg.items, mustJSON(st.simplePlaylist(v, p)))
	}
	return pg.bytes()
}

// searchPageLinks builds a search page whose links repeat the query for
// one type, as Spotify's do.
func (q *req) searchPageLinks(typ, text string, offset, limit, total int) pageJSON {
	params := url.Values{"query": {text}, "type": {typ}}
	for _, k := range []string{"market", "include_external"} {
		if s := q.r.URL.Query().Get(k); s != "" {
			params.Set(k, s)
		}
	}
	p := newPage("http://"+q.r.Host+q.r.URL.Path, params, offset, limit, total)
	if offset+limit > searchMaxOffset {
		p.next = "" // the next offset would be refused
	}
	return p
}
