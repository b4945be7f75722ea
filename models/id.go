package models

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidID is wrapped by every error about a malformed ID, URI or URL, or
// one of the wrong type.
var ErrInvalidID = errors.New("spotify: invalid ID")

// IDError describes why an ID, URI or URL was refused. It wraps
// [ErrInvalidID].
type IDError struct {
	Input  string // the text given, shortened when very long
	Reason string // what was wrong, e.g. "is an album URI, want a track"
}

// Error returns e.g. `spotify: invalid ID: "x" is not a 22-character base62 ID`.
func (e *IDError) Error() string {
	return ErrInvalidID.Error() + ": " + quote(e.Input) + " " + e.Reason
}

// Unwrap returns [ErrInvalidID].
func (e *IDError) Unwrap() error { return ErrInvalidID }

// quote quotes s for an error message, shortening very long input so that a
// pasted blob does not flood logs.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strconv.Quote(s)
}

func invalid(input, reason string) error { return &IDError{Input: input, Reason: reason} }

// Kind is the type of a Spotify resource as it appears in URIs and URLs.
type Kind string

// The kinds of resource an ID can name.
const (
	KindTrack     Kind = "track"
	KindAlbum     Kind = "album"
	KindArtist    Kind = "artist"
	KindPlaylist  Kind = "playlist"
	KindShow      Kind = "show"
	KindEpisode   Kind = "episode"
	KindAudiobook Kind = "audiobook"
	KindChapter   Kind = "chapter"
	KindUser      Kind = "user"
)

// Valid reports whether k is one of the kinds above.
func (k Kind) Valid() bool {
	switch k {
	case KindTrack, KindAlbum, KindArtist, KindPlaylist, KindShow,
		KindEpisode, KindAudiobook, KindChapter, KindUser:
		return true
	}
	return false
}

// article returns k with "a" or "an" in front, for messages.
func (k Kind) article() string {
	switch k {
	case KindAlbum, KindArtist, KindEpisode, KindAudiobook:
		return "an " + string(k)
	}
	return "a " + string(k)
}

// Ref is a parsed reference to one Spotify resource.
type Ref struct {
	Kind Kind   // "" when parsed from a bare ID
	ID   string // the bare ID
	// Owner is the user named by a legacy playlist reference
	// (spotify:user:OWNER:playlist:ID or open.spotify.com/user/OWNER/playlist/ID);
	// Spotify ignores it, so URI and URL leave it out.
	Owner string
}

// URI returns the spotify:KIND:ID form, or the bare ID when the kind is not
// known.
func (r Ref) URI() string {
	if r.Kind == "" {
		return r.ID
	}
	return "spotify:" + string(r.Kind) + ":" + r.ID
}

// URL returns the https://open.spotify.com/KIND/ID form, or "" when the kind
// is not known.
func (r Ref) URL() string {
	if r.Kind == "" {
		return ""
	}
	return "https://open.spotify.com/" + string(r.Kind) + "/" + r.ID
}

// String returns the URI form.
func (r Ref) String() string { return r.URI() }

// idLen is the length of every catalog ID: 128 bits in base62.
const idLen = 22

// maxUserIDLen bounds user IDs; real ones are at most about 30 bytes.
const maxUserIDLen = 64

// Parse parses a bare ID, a spotify: URI or an open.spotify.com URL. Bare IDs
// must be 22-character base62 catalog IDs and come back with an empty Kind;
// to accept a bare user ID, use [ParseID] with [KindUser].
//
// Accepted forms:
//
//	6rqhFgbbKwnb9MLmUQDhG6
//	spotify:track:6rqhFgbbKwnb9MLmUQDhG6
//	spotify:user:smedjan
//	spotify:user:smedjan:playlist:37i9dQZF1DXcBWIGoYBM5M
//	https://open.spotify.com/track/6rqhFgbbKwnb9MLmUQDhG6?si=abc
//	https://open.spotify.com/intl-de/album/4aawyAB9vmqN3uQ7FjRGTy/
//	https://open.spotify.com/embed/playlist/37i9dQZF1DXcBWIGoYBM5M
//	open.spotify.com/user/smedjan/playlist/37i9dQZF1DXcBWIGoYBM5M
func Parse(s string) (Ref, error) {
	switch {
	case s == "":
		return Ref{}, invalid(s, "is empty")
	case strings.HasPrefix(s, "spotify:"):
		return parseURI(s)
	case hasURLPrefix(s):
		return parseURL(s)
	}
	if strings.Contains(s, "://") {
		return Ref{}, invalid(s, "is a URL of another host, want open.spotify.com")
	}
	if err := checkCatalogID(s, s); err != nil {
		return Ref{}, err
	}
	return Ref{ID: s}, nil
}

// ParseID parses s in any accepted form and checks that it names a resource
// of kind want, returning the bare ID. A bare ID is taken to be of kind want:
// a 22-character base62 ID for catalog kinds, or a user ID for [KindUser].
// An empty want accepts every kind.
func ParseID(s string, want Kind) (string, error) {
	if want == KindUser && s != "" && !strings.HasPrefix(s, "spotify:") && !hasURLPrefix(s) && !strings.Contains(s, "://") {
		if err := checkUserID(s, s); err != nil {
			return "", err
		}
		return s, nil
	}
	r, err := Parse(s)
	if err != nil {
		return "", err
	}
	if want != "" && r.Kind != "" && r.Kind != want {
		form := "URI"
		if !strings.HasPrefix(s, "spotify:") {
			form = "URL"
		}
		return "", invalid(s, "is "+r.Kind.article()+" "+form+", want "+want.article())
	}
	return r.ID, nil
}

// parseURI parses spotify:KIND:ID, spotify:user:ID and the legacy
// spotify:user:OWNER:playlist:ID.
func parseURI(s string) (Ref, error) {
	parts := strings.Split(s[len("spotify:"):], ":")
	if len(parts) == 4 && parts[0] == string(KindUser) && parts[2] == string(KindPlaylist) {
		if err := checkUserID(s, parts[1]); err != nil {
			return Ref{}, err
		}
		if err := checkCatalogID(s, parts[3]); err != nil {
			return Ref{}, err
		}
		return Ref{Kind: KindPlaylist, ID: parts[3], Owner: parts[1]}, nil
	}
	if len(parts) != 2 {
		return Ref{}, invalid(s, "is not a spotify:TYPE:ID URI")
	}
	return makeRef(s, Kind(parts[0]), parts[1])
}

// makeRef checks kind and id and builds the Ref.
func makeRef(input string, kind Kind, id string) (Ref, error) {
	if !kind.Valid() {
		return Ref{}, invalid(input, "has unknown type "+quote(string(kind)))
	}
	var err error
	if kind == KindUser {
		err = checkUserID(input, id)
	} else {
		err = checkCatalogID(input, id)
	}
	if err != nil {
		return Ref{}, err
	}
	return Ref{Kind: kind, ID: id}, nil
}

// hasURLPrefix reports whether s starts like an open.spotify.com URL, with
// or without a scheme.
func hasURLPrefix(s string) bool {
	_, ok := cutURLPrefix(s)
	return ok
}

// cutURLPrefix removes "https://open.spotify.com/" (or http://, or no
// scheme; scheme and host are case-insensitive) and returns the rest.
func cutURLPrefix(s string) (string, bool) {
	rest := s
	for _, scheme := range []string{"https://", "http://"} {
		if len(rest) >= len(scheme) && strings.EqualFold(rest[:len(scheme)], scheme) {
			rest = rest[len(scheme):]
			break
		}
	}
	const host = "open.spotify.com"
	if len(rest) < len(host) || !strings.EqualFold(rest[:len(host)], host) {
		return "", false
	}
	rest = rest[len(host):]
	if rest == "" || rest[0] == '/' {
		return strings.TrimPrefix(rest, "/"), true
	}
	if rest[0] == ':' && strings.HasPrefix(rest, ":443/") {
		return rest[len(":443/"):], true
	}
	return "", false // e.g. open.spotify.com.evil.example
}

// parseURL parses an open.spotify.com URL.
func parseURL(s string) (Ref, error) {
	rest, _ := cutURLPrefix(s)
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i] // ?si=, ?context=, #fragment: sharing noise
	}
	rest = strings.TrimSuffix(rest, "/")
	segs := strings.Split(rest, "/")
	if len(segs) > 0 && isIntlSegment(segs[0]) {
		segs = segs[1:]
	}
	if len(segs) > 0 && (segs[0] == "embed" || segs[0] == "embed-podcast") {
		segs = segs[1:]
	}
	switch {
	case len(segs) == 4 && segs[0] == string(KindUser) && segs[2] == string(KindPlaylist):
		if err := checkUserID(s, segs[1]); err != nil {
			return Ref{}, err
		}
		if err := checkCatalogID(s, segs[3]); err != nil {
			return Ref{}, err
		}
		return Ref{Kind: KindPlaylist, ID: segs[3], Owner: segs[1]}, nil
	case len(segs) == 2:
		return makeRef(s, Kind(segs[0]), segs[1])
	}
	return Ref{}, invalid(s, "is not an open.spotify.com/TYPE/ID URL")
}

// isIntlSegment reports whether seg is a locale segment such as "intl-de" or
// "intl-pt-BR".
func isIntlSegment(seg string) bool {
	code, ok := strings.CutPrefix(seg, "intl-")
	if !ok || code == "" || len(code) > 12 {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// checkCatalogID checks a 22-character base62 ID.
func checkCatalogID(input, id string) error {
	if id == "" {
		return invalid(input, "has an empty ID")
	}
	for i := 0; i < len(id); i++ {
		if !isBase62(id[i]) {
			return invalid(input, "has "+describeByte(id, i)+" in its ID, want base62 (0-9, a-z, A-Z)")
		}
	}
	if len(id) != idLen {
		return invalid(input, "has an ID of "+strconv.Itoa(len(id))+" characters, want 22")
	}
	return nil
}

// checkUserID checks a user ID. Old accounts have free-form usernames
// (letters of any script, digits, '.', '_', '-', '+', ...), newer ones 25-28
// character base36 IDs. What can break a request path or log line is refused.
func checkUserID(input, id string) error {
	switch {
	case id == "":
		return invalid(input, "has an empty user ID")
	case len(id) > maxUserIDLen:
		return invalid(input, "has a user ID of "+strconv.Itoa(len(id))+" bytes, want at most "+strconv.Itoa(maxUserIDLen))
	case id == "." || strings.Contains(id, ".."):
		return invalid(input, "has a dot path segment in its user ID")
	}
	for i, r := range id {
		switch {
		case r == utf8.RuneError:
			return invalid(input, "has invalid UTF-8 in its user ID")
		case r == '/' || r == '\\' || r == '?' || r == '#' || r == '%' || r == ':':
			return invalid(input, "has "+describeByte(id, i)+" in its user ID")
		case unicode.IsSpace(r) || !unicode.IsPrint(r):
			return invalid(input, "has a space or control character in its user ID")
		}
	}
	return nil
}

func isBase62(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// describeByte names the character at s[i] for an error message.
func describeByte(s string, i int) string {
	r, _ := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError:
		return "invalid UTF-8"
	case unicode.IsSpace(r):
		return "a space"
	case !unicode.IsPrint(r):
		return "a control character"
	}
	return strconv.QuoteRune(r)
}
