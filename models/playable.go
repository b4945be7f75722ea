package models

import (
	"bytes"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Playable is a track or an episode, told apart by the object's type (the
// TrackObject | EpisodeObject union of playlist rows, the queue and the
// player), or, when a fields filter left the type out, by its URI, its
// link or the members only one of the two has (see [PlaylistItem.Type]).
// An object of another type, such as one Spotify adds later, or one that
// nothing tells apart, is kept as sent in Raw rather than failing the whole
// page.
type Playable struct {
	Type    string         // "track", "episode", another type, or "" for null
	Track   *Track         // set when Type is "track"
	Episode *Episode       // set when Type is "episode"
	Raw     jsontext.Value // the value as sent when it is neither
	// present records that the member was in the input, even as null, so
	// that re-encoding keeps it.
	present bool
}

// IsZero reports whether p is empty and was not in the input; such a
// Playable is left out when encoding.
func (p Playable) IsZero() bool {
	return !p.present && p.Track == nil && p.Episode == nil && p.Raw == nil
}

// IsNull reports whether p holds nothing: null, or absent.
func (p *Playable) IsNull() bool {
	return p.Track == nil && p.Episode == nil && p.Raw == nil
}

// URI returns the spotify: URI of the track or episode, or "".
func (p *Playable) URI() string {
	switch {
	case p.Track != nil:
		return p.Track.URI
	case p.Episode != nil:
		return p.Episode.URI
	}
	return ""
}

// UnmarshalJSONFrom decodes a track, an episode, another object or null.
func (p *Playable) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*p = Playable{present: true}
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return err
	case '{':
		// Spotify puts "type" near the end of the object, so it is looked
		// up ahead in the decoder's buffer (which holds the whole body when
		// decoding from bytes) before the object is decoded in one pass.
		obj := skipDelim(dec.UnreadBuffer())
		if typ, ok := memberString(obj, "type"); ok {
			if typ == "" {
				typ = inferType(obj)
			}
			return p.decode(dec, typ)
		}
	}
	val, err := dec.ReadValue()
	if err != nil {
		return err
	}
	typ, _ := memberString(val, "type")
	if typ == "" {
		typ = inferType(val)
	}
	return p.decode(jsontext.NewDecoder(bytes.NewReader(val), dec.Options()), typ)
}

// inferType tells a track from an episode by the members of obj, for an
// object without "type", as a playlist fetched with a fields filter that
// leaves it out sends (fields=items(item(name,album(name)))). The URI or
// link says it first, then the track and episode flags Spotify puts on
// playlist rows, then members only one of the two has. It returns "" when
// nothing tells.
func inferType(obj []byte) string {
	var byURI, byFlag, byMember string
	eachMember(obj, func(key, val []byte) {
		switch string(key) {
		case "uri", "href":
			switch s := string(val); {
			case byURI != "":
			case strings.HasPrefix(s, `"spotify:track:`), strings.Contains(s, "/tracks/"):
				byURI = "track"
			case strings.HasPrefix(s, `"spotify:episode:`), strings.Contains(s, "/episodes/"):
				byURI = "episode"
			}
		case "track", "episode":
			if string(val) == "true" {
				byFlag = string(key)
			}
		case "album", "artists", "disc_number", "track_number", "external_ids", "popularity", "linked_from":
			byMember = "track"
		case "show", "audio_preview_url", "html_description", "description", "language", "languages",
			"resume_point", "release_date", "release_date_precision", "is_externally_hosted":
			byMember = "episode"
		}
	})
	switch {
	case byURI != "":
		return byURI
	case byFlag != "":
		return byFlag
	}
	return byMember
}

// eachMember calls fn with the name and the raw value of each top-level
// member of the JSON object at the start of obj, as far as obj holds it.
// Like memberString it skips nested values without decoding them and does
// not validate: the decoder does that.
func eachMember(obj []byte, fn func(key, val []byte)) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return
	}
	i++
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) || obj[i] != '"' {
			return
		}
		keyEnd := stringEnd(obj, i)
		key := obj[i+1 : max(i+1, keyEnd-1)]
		i = skipSpace(obj, keyEnd)
		if i >= len(obj) || obj[i] != ':' {
			return
		}
		i = skipSpace(obj, i+1)
		end := valueEnd(obj, i)
		if end > len(obj) {
			return
		}
		fn(key, obj[i:end])
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ',' {
			return
		}
		i++
	}
}

// decode decodes the next value of dec as an object of type typ.
func (p *Playable) decode(dec *jsontext.Decoder, typ string) error {
	p.Type = typ
	switch typ {
	case "track":
		p.Track = new(Track)
		return json.UnmarshalDecode(dec, p.Track)
	case "episode":
		p.Episode = new(Episode)
		return json.UnmarshalDecode(dec, p.Episode)
	}
	val, err := dec.ReadValue()
	if err != nil {
		return err
	}
	p.Raw = bytes.Clone(val)
	return nil
}

// skipDelim skips the whitespace and the ':' or ',' that the decoder's
// unread buffer starts with before the next value.
func skipDelim(b []byte) []byte {
	i := skipSpace(b, 0)
	if i < len(b) && (b[i] == ':' || b[i] == ',') {
		i = skipSpace(b, i+1)
	}
	return b[i:]
}

// MarshalJSONTo encodes the track, episode or raw value, or null.
func (p Playable) MarshalJSONTo(enc *jsontext.Encoder) error {
	switch {
	case p.Track != nil:
		return json.MarshalEncode(enc, p.Track)
	case p.Episode != nil:
		return json.MarshalEncode(enc, p.Episode)
	case p.Raw != nil:
		return enc.WriteValue(p.Raw)
	}
	return enc.WriteToken(jsontext.Null)
}

// UnmarshalJSON decodes a track, an episode, another object or null; it
// lets encoding/json decode models that hold a Playable.
func (p *Playable) UnmarshalJSON(b []byte) error {
	return p.UnmarshalJSONFrom(jsontext.NewDecoder(bytes.NewReader(b)))
}

// MarshalJSON encodes the track, episode or raw value, or null.
func (p Playable) MarshalJSON() ([]byte, error) {
	return json.Marshal(p, lenient)
}

// memberString returns the string value of the top-level member name of
// the JSON object at the start of obj. It skips nested values without
// decoding them and does not validate: the decoder does that. ok is false
// when obj ends before the object does, as in a partly read stream.
func memberString(obj []byte, name string) (value string, ok bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return "", i < len(obj)
	}
	i++
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) {
			return "", false
		}
		if obj[i] != '"' {
			return "", true // '}' or malformed: no such member
		}
		keyEnd := stringEnd(obj, i)
		key := obj[i+1 : max(i+1, keyEnd-1)]
		i = skipSpace(obj, keyEnd)
		if i >= len(obj) || obj[i] != ':' {
			return "", i < len(obj)
		}
		i = skipSpace(obj, i+1)
		end := valueEnd(obj, i)
		if end > len(obj) {
			return "", false
		}
		if string(key) == name && i < len(obj) && obj[i] == '"' {
			s, err := jsontext.AppendUnquote(nil, obj[i:end])
			return string(s), err == nil
		}
		i = skipSpace(obj, end)
		if i >= len(obj) {
			return "", false
		}
		if obj[i] != ',' {
			return "", true
		}
		i++
	}
}

// valueEnd returns the index just past the JSON value starting at b[i], or
// len(b)+1 when b ends first.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return len(b) + 1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		return containerEnd(b, i)
	}
	j := i
	for j < len(b) && !isValueEnd[b[j]] {
		j++
	}
	return j
}

// Byte classes for containerEnd.
const (
	scanOther = iota
	scanQuote
	scanOpen
	scanClose
)

var scanClass = [256]uint8{'"': scanQuote, '{': scanOpen, '[': scanOpen, '}': scanClose, ']': scanClose}

// containerEnd returns the index just past the object or array starting at
// b[i], or len(b)+1 when b ends first. It is the hot loop of the look-ahead
// for a playable's type, so it walks bytes through a class table and skips
// short strings inline instead of calling stringEnd.
func containerEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch scanClass[b[j]] {
		case scanOther:
		case scanQuote:
			j++
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
		case scanOpen:
			depth++
		case scanClose:
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(b) + 1
}

// isValueEnd marks the bytes that end a number or literal.
var isValueEnd = [256]bool{',': true, '}': true, ']': true, ' ': true, '\n': true, '\r': true, '\t': true}
