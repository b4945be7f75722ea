package spotifytest

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The search query language, as Spotify's search reference documents it:
//
//   - Keywords match in any order, without regard to case, anywhere in an
//     object's searchable texts (a track's name, its album's and its
//     artists' names). "A quoted phrase" matches only as written, in one
//     of those texts.
//   - Field filters narrow the results: artist:, album:, track:, year:
//     (a year, or a range such as 1990-1999), genre:, isrc:, upc:, tag:new
//     and tag:hipster. A filter's value may be quoted: artist:"Miles Davis".
//     Each applies to some types only: artist and year to albums, artists
//     and tracks; album to albums and tracks; genre to artists and tracks;
//     isrc and track to tracks; upc and the tags to albums. A type a filter
//     does not apply to finds nothing for that part of the query.
//   - NOT excludes what the next keyword, phrase or filter matches; OR
//     between two parts matches what either does. Operators count only in
//     upper case ("not" is a keyword); AND may be written and changes
//     nothing, parts being joined by AND already.
//
// The parser reads any text: what is not an operator or a filter is a
// keyword, and an unclosed quote runs to the end.

// searchFields are the field filters; any other "word:word" is a keyword.
var searchFields = []string{"artist", "album", "track", "year", "genre", "isrc", "upc", "tag"}

// searchToken is one token of a query.
type searchToken struct {
	op     string // "OR", "NOT" or "AND"; "" for a term
	field  string // the filter's field; "" for a keyword or phrase
	value  string // lower-cased, spaces collapsed
	quoted bool
}

// lexSearch splits a query into tokens. Every step consumes input, so it
// ends; it returns at most one token per byte of q.
func lexSearch(q string) []searchToken {
	var out []searchToken
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '"':
			phrase, n := quotedAt(q, i)
			i += n
			if phrase != "" {
				out = append(out, searchToken{value: phrase, quoted: true})
			}
		default:
			end := i
			for end < len(q) {
				r, size := utf8.DecodeRuneInString(q[end:])
				if unicode.IsSpace(r) || r == '"' {
					break
				}
				end += size
			}
			word := q[i:end]
			i = end
			switch word {
			case "OR", "NOT", "AND":
				out = append(out, searchToken{op: word})
				continue
			}
			field, value, ok := strings.Cut(word, ":")
			field = strings.ToLower(field)
			if !ok || !contains(searchFields, field) {
				out = append(out, searchToken{value: strings.ToLower(word)})
				continue
			}
			if value == "" && i < len(q) && q[i] == '"' {
				phrase, n := quotedAt(q, i)
				i += n
				if phrase != "" {
					out = append(out, searchToken{field: field, value: phrase, quoted: true})
				}
				continue
			}
			if value == "" {
				out = append(out, searchToken{value: strings.ToLower(word)})
				continue
			}
			out = append(out, searchToken{field: field, value: strings.ToLower(value)})
		}
	}
	return out
}

// quotedAt reads the quoted phrase starting at q[i] == '"': its text,
// lower-cased with spaces collapsed, and the bytes read up to and with the
// closing quote (or to the end of q).
func quotedAt(q string, i int) (string, int) {
	rest := q[i+1:]
	end := strings.IndexByte(rest, '"')
	n := 1 + len(rest)
	if end >= 0 {
		rest, n = rest[:end], 2+end
	}
	return strings.ToLower(strings.Join(strings.Fields(rest), " ")), n
}

// searchTerm is a keyword, phrase or filter of a parsed query.
type searchTerm struct {
	field string // "" for a keyword or phrase
	value string
	not   bool
}

// searchQuery is a parsed query: it matches an object when every term of
// one of its clauses does (a term with not, when it does not).
type searchQuery struct {
	clauses [][]searchTerm
}

// parseSearch parses q. It never fails; a query of operators only has no
// clause and matches nothing.
func parseSearch(q string) searchQuery {
	var sq searchQuery
	var cur []searchTerm
	not := false
	for _, tk := range lexSearch(q) {
		switch tk.op {
		case "OR":
			if len(cur) > 0 {
				sq.clauses = append(sq.clauses, cur)
			}
			cur, not = nil, false
		case "NOT":
			not = true
		case "AND":
		default:
			cur = append(cur, searchTerm{field: tk.field, value: tk.value, not: not})
			not = false
		}
	}
	if len(cur) > 0 {
		sq.clauses = append(sq.clauses, cur)
	}
	return sq
}

// searchDoc is one object as a search sees it.
type searchDoc interface {
	// hasText reports whether s (lower-case) is in one of the object's
	// searchable texts.
	hasText(s string) bool
	// filter reports whether the object matches field:value, and whether
	// the filter applies to objects of its type at all.
	filter(field, value string) (match, applies bool)
}

// matches reports whether d matches the query.
func (sq *searchQuery) matches(d searchDoc) bool {
	for _, c := range sq.clauses {
		if clauseMatches(c, d) {
			return true
		}
	}
	return false
}

func clauseMatches(c []searchTerm, d searchDoc) bool {
	for _, t := range c {
		var ok bool
		if t.field == "" {
			ok = d.hasText(t.value)
		} else {
			m, applies := d.filter(t.field, t.value)
			if !applies {
				return false
			}
			ok = m
		}
		if ok == t.not {
			return false
		}
	}
	return true
}

// yearRange reads a year filter's value: 1995, or 1990-1999.
func yearRange(v string) (from, to int, ok bool) {
	a, b, isRange := strings.Cut(v, "-")
	from, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	to = from
	if isRange {
		if to, err = strconv.Atoi(b); err != nil {
			return 0, 0, false
		}
	}
	return from, to, from <= to
}

func inYears(y int, v string) bool {
	from, to, ok := yearRange(v)
	return ok && y >= from && y <= to
}

// textDoc is an object searched by its texts alone, to which no filter
// applies: playlists, shows, episodes, audiobooks.
type textDoc []string

func (d textDoc) hasText(s string) bool {
	for _, t := range d {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func (textDoc) filter(string, string) (bool, bool) { return false, false }
