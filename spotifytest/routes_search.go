package spotifytest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Search matches the words of q against names (a track also matches its
// artists' and album's names), with the field filters artist:, album:,
// track:, year:, genre:, isrc: and upc:. Other filters (tag:new, ...) are
// accepted and ignored. Since 2026 a page holds at most 10 items.

var searchTypes = []string{"album", "artist", "playlist", "track", "show", "episode", "audiobook"}

const (
	searchDefaultLimit = 5
	searchMaxLimit     = 10
	searchMaxOffset    = 1000
)

// searchQuery is a parsed q.
type searchQuery struct {
	words                []string
	artist, album, track string
	genre, isrc, upc     string
	yearFrom, yearTo     int
}

func parseSearch(q string) searchQuery {
	var sq searchQuery
	for _, tok := range lowerFields(strings.ReplaceAll(q, `"`, " ")) {
		field, val, ok := strings.Cut(tok, ":")
		if !ok || val == "" {
			sq.words = append(sq.words, tok)
			continue
		}
		switch field {
		case "artist":
			sq.artist = val
		case "album":
			sq.album = val
		case "track":
			sq.track = val
		case "genre":
			sq.genre = val
		case "isrc":
			sq.isrc = val
		case "upc":
			sq.upc = val
		case "year":
			from, to, _ := strings.Cut(val, "-")
			sq.yearFrom, _ = strconv.Atoi(from)
			sq.yearTo = sq.yearFrom
			if to != "" {
				sq.yearTo, _ = strconv.Atoi(to)
			}
		case "tag":
		default:
			sq.words = append(sq.words, tok)
		}
	}
	return sq
}

func hasAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func (c *catalog) artistsMatch(as []int32, name string) bool {
	for _, a := range as {
		if strings.Contains(c.artists[a].lname, name) {
			return true
		}
	}
	return false
}

func (c *catalog) genreMatch(as []int32, g string) bool {
	for _, a := range as {
		if contains(c.artists[a].genres, g) {
			return true
		}
	}
	return false
}

func (sq *searchQuery) year(y int) bool {
	return sq.yearFrom == 0 || (y >= sq.yearFrom && y <= sq.yearTo)
}

func (sq *searchQuery) albumOK(c *catalog, i int) bool {
	a := &c.albums[i]
	return sq.year(a.year) && sq.track == "" && sq.isrc == "" &&
		(sq.artist == "" || c.artistsMatch(a.artists, sq.artist)) &&
		(sq.album == "" || strings.Contains(a.lname, sq.album)) &&
		(sq.genre == "" || c.genreMatch(a.artists, sq.genre)) &&
		(sq.upc == "" || a.upc == sq.upc) &&
		(hasAll(a.lname, sq.words) || hasAll(a.lname+" "+c.artists[a.artists[0]].lname, sq.words))
}

func (sq *searchQuery) trackOK(c *catalog, i int) bool {
	t := &c.tracks[i]
	a := &c.albums[t.album]
	if !sq.year(a.year) || sq.upc != "" ||
		(sq.artist != "" && !c.artistsMatch(t.artists, sq.artist)) ||
		(sq.album != "" && !strings.Contains(a.lname, sq.album)) ||
		(sq.track != "" && !strings.Contains(t.lname, sq.track)) ||
		(sq.genre != "" && !c.genreMatch(t.artists, sq.genre)) ||
		(sq.isrc != "" && strings.ToLower(t.isrc) != sq.isrc) {
		return false
	}
	if hasAll(t.lname, sq.words) {
		return true
	}
	hay := t.lname + " " + a.lname
	for _, ar := range t.artists {
		hay += " " + c.artists[ar].lname
	}
	return hasAll(hay, sq.words)
}

func (sq *searchQuery) artistOK(c *catalog, i int) bool {
	a := &c.artists[i]
	return sq.album == "" && sq.track == "" && sq.isrc == "" && sq.upc == "" && sq.yearFrom == 0 &&
		(sq.artist == "" || strings.Contains(a.lname, sq.artist)) &&
		(sq.genre == "" || contains(a.genres, sq.genre)) &&
		hasAll(a.lname, sq.words)
}

// onlyWords reports whether the query has no field filter, which the types
// without artists and albums cannot satisfy.
func (sq *searchQuery) onlyWords() bool {
	return sq.artist == "" && sq.album == "" && sq.track == "" && sq.genre == "" &&
		sq.isrc == "" && sq.upc == "" && sq.yearFrom == 0
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
	c := q.s.cat
	var hits []int
	var n int
	var ok func(i int) bool
	switch typ {
	case "album":
		n, ok = len(c.albums), func(i int) bool { return sq.albumOK(c, i) }
	case "artist":
		n, ok = len(c.artists), func(i int) bool { return sq.artistOK(c, i) }
	case "track":
		n, ok = len(c.tracks), func(i int) bool { return sq.trackOK(c, i) }
	case "show":
		n, ok = len(c.shows), func(i int) bool {
			return sq.onlyWords() && hasAll(c.shows[i].lname+" "+strings.ToLower(c.shows[i].publisher), sq.words)
		}
	case "episode":
		n, ok = len(c.episodes), func(i int) bool { return sq.onlyWords() && hasAll(c.episodes[i].lname, sq.words) }
	case "audiobook":
		n, ok = len(c.audiobooks), func(i int) bool {
			b := &c.audiobooks[i]
			return sq.onlyWords() && hasAll(b.lname+" "+strings.ToLower(strings.Join(b.authors, " ")), sq.words)
		}
	case "playlist":
		return q.searchPlaylists(v, sq, text, offset, limit)
	}
	for i := 0; i < n; i++ {
		if ok(i) {
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
	if sq.onlyWords() {
		for _, id := range st.order {
			p := st.playlists[id]
			if p.public && hasAll(strings.ToLower(p.name), sq.words) {
				hits = append(hits, p)
			}
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
