// Package redact makes text that came from a server safe to put in an error
// or a log line: it removes the secrets the process holds (tokens, the
// client secret, the Basic credential), caps the length and escapes control
// characters.
//
// A server may echo a secret back in any encoding: raw, URL-escaped with
// upper- or lowercase hex, JSON-escaped, as HTML entities, or in base64.
// [Text] replaces the forms it can find in place, then decodes the result
// every way it knows, also with its line breaks taken out (a server folding
// its text splits a secret across lines), and, should a secret still show
// through, withholds the whole text rather than risk a leak.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxText is how many bytes of server-sent text an error keeps.
const MaxText = 1024

// Mark replaces each secret found.
const Mark = "[redacted]"

// withheld replaces a whole text in which a secret survived the in-place
// replacement under some encoding.
const withheld = "[text withheld: it carried a secret]"

// minSecret is the shortest value treated as a secret: shorter ones
// (an empty setting, a one-letter test value) would shred any text.
const minSecret = 4

// scan bounds how much of a long text is examined. It leaves room for a
// secret that straddles the MaxText cut to be found whole before the cut.
const scan = 4 * MaxText

// Text returns s scrubbed of every secret, cut to [MaxText] bytes (the cut
// is marked) and with control characters escaped, ready for an error
// message or a log attribute.
func Text(s string, secrets ...string) string {
	cut := 0
	if len(s) > scan {
		cut, s = len(s), s[:scan]
	}
	s = Scrub(s, secrets...)
	if len(s) > MaxText {
		if cut == 0 {
			cut = len(s)
		}
		s = s[:MaxText]
	}
	// Escaping can make a secret of what was not one: "4" ending the
	// escape of \x14 joins the text after it. What leaves is scrubbed too.
	s = Scrub(Escape(s), secrets...)
	if cut > 0 {
		s += fmt.Sprintf("… [cut from %d bytes]", cut)
	}
	return s
}

// Scrub returns s with every occurrence of each secret replaced by [Mark],
// in every encoding listed in the package documentation. When a secret can
// still be decoded from what is left, it returns a fixed notice instead of
// s. Secrets shorter than four bytes are ignored.
func Scrub(s string, secrets ...string) string {
	secrets = usable(secrets)
	if len(secrets) == 0 || s == "" {
		return s
	}
	for _, sec := range secrets {
		for _, form := range forms(sec) {
			s = strings.ReplaceAll(s, form, Mark)
		}
		s = replaceEscaped(s, sec)
	}
	if leaks(s, secrets) {
		return withheld
	}
	return s
}

// Contains reports whether s carries any of secrets in any encoding Scrub
// knows. Tests use it to check what reaches errors and logs.
func Contains(s string, secrets ...string) bool { return leaks(s, usable(secrets)) }

func usable(secrets []string) []string {
	out := secrets[:0:0]
	for _, s := range secrets {
		if len(s) >= minSecret {
			out = append(out, s)
		}
	}
	return out
}

// forms lists the encodings of sec that are replaced in place, longest
// first so that a form containing another is replaced whole.
func forms(sec string) []string {
	js, _ := json.Marshal(sec) // escapes <, >, & as \u003c... as Go does
	cands := []string{
		sec,
		string(js[1 : len(js)-1]),
		strings.ReplaceAll(string(js[1:len(js)-1]), "/", `\/`),
		html.EscapeString(sec),
		numericEntities(sec, "&#%d;"),
		numericEntities(sec, "&#x%x;"),
		base64.StdEncoding.EncodeToString([]byte(sec)),
		base64.RawStdEncoding.EncodeToString([]byte(sec)),
		base64.URLEncoding.EncodeToString([]byte(sec)),
		base64.RawURLEncoding.EncodeToString([]byte(sec)),
	}
	var out []string
	for _, c := range cands {
		if c != "" && !contains(out, c) {
			out = append(out, c)
		}
	}
	// Longest first: a padded base64 form contains the raw one.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func numericEntities(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, format, r)
	}
	return b.String()
}

// replaceEscaped replaces sec in s where it appears percent-escaped with
// hex of either case, whichever of its bytes were escaped: encoders differ
// on which to leave. It is a plain scan, not a regexp: error paths call it
// for every secret, and compiling a pattern each time was their main cost.
func replaceEscaped(s, sec string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		n := matchEscaped(s[i:], sec)
		if n == 0 {
			i++
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(Mark)
		i += n
		last = i
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchEscaped returns the length of the prefix of s that spells sec with
// any of its bytes percent-escaped (a space also as '+'), or 0.
func matchEscaped(s, sec string) int {
	j := 0
	for k := 0; k < len(sec); k++ {
		c := sec[k]
		switch {
		case j < len(s) && s[j] == c && c < 0x80:
			j++
		case c == ' ' && j < len(s) && s[j] == '+':
			j++
		case j+2 < len(s) && s[j] == '%' && ishex(s[j+1]) && ishex(s[j+2]) && unhex(s[j+1])<<4|unhex(s[j+2]) == c:
			j += 3
		default:
			return 0
		}
	}
	return j
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// leaks reports whether any secret can be read from s raw or after one
// decoding (URL, HTML entities, JSON string escapes, or base64 of any run
// of base64 characters), also once its line breaks are taken out: a server
// that folds its text at a fixed width, or breaks base64 into MIME's lines,
// splits a secret that joining the lines gives back.
func leaks(s string, secrets []string) bool {
	views := decodings(s)
	for _, v := range []string{s, jsonUnescape(s)} {
		if j := joinLines(v); j != v {
			views = append(views, decodings(j)...)
		}
	}
	for _, v := range views {
		for _, sec := range secrets {
			if strings.Contains(v, sec) {
				return true
			}
		}
	}
	return false
}

// decodings returns s and what each decoding leaks knows makes of it.
func decodings(s string) []string {
	views := []string{s, lenientUnescape(s, false), lenientUnescape(s, true), html.UnescapeString(s), jsonUnescape(s)}
	return append(views, base64Runs(s)...)
}

// joinLines returns s without its line breaks and tabs.
func joinLines(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.NewReplacer("\r", "", "\n", "", "\t", "").Replace(s)
}

// lenientUnescape decodes %XX escapes (and '+' as a space when plus is
// set), leaving malformed escapes as they are, so that a stray '%' cannot
// hide the rest of a text.
func lenientUnescape(s string, plus bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%' && i+2 < len(s) && ishex(s[i+1]) && ishex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		case c == '+' && plus:
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// jsonUnescape decodes backslash escapes as JSON strings carry them,
// leniently.
func jsonUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'u':
			if i+4 < len(s) && allHex(s[i+1:i+5]) {
				var r rune
				for _, h := range []byte(s[i+1 : i+5]) {
					r = r<<4 | rune(unhex(h))
				}
				b.WriteRune(r)
				i += 4
				continue
			}
			b.WriteString(`\u`)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		default: // \" \\ \/ and anything else: the character itself
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// base64Runs decodes every run of at least 8 base64 characters in s, in
// both alphabets, padded or not. A run ends at '=', padding at the end of
// an encoding but a separator before one ("t=QmVh..."), and at characters
// of the other alphabet; it is decoded from each of its first four
// characters, so that an encoding glued to what precedes it
// ("path/QmVh...") is read in step with itself.
func base64Runs(s string) []string {
	var out []string
	for _, a := range []struct {
		enc   *base64.Encoding
		extra string // the two characters besides letters and digits
	}{{base64.RawStdEncoding, "+/"}, {base64.RawURLEncoding, "-_"}} {
		in := func(c byte) bool {
			return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == a.extra[0] || c == a.extra[1]
		}
		for i := 0; i < len(s); {
			if !in(s[i]) {
				i++
				continue
			}
			j := i
			for j < len(s) && in(s[j]) {
				j++
			}
			for from := i; from < min(i+4, j-7); from++ {
				if d, ok := decodePrefix(a.enc, s[from:j]); ok {
					out = append(out, d)
				}
			}
			i = j
		}
	}
	return out
}

// decodePrefix decodes the longest prefix of run that decodes: a run may
// carry up to three characters past the end of an encoding.
func decodePrefix(enc *base64.Encoding, run string) (string, bool) {
	for k := len(run); k >= len(run)-3 && k > 0; k-- {
		if d, err := enc.DecodeString(run[:k]); err == nil {
			return string(d), true
		}
	}
	return "", false
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !ishex(s[i]) {
			return false
		}
	}
	return true
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// Escape returns s with control characters, bidirectional overrides and
// invalid UTF-8 escaped (\n, \x1b, \u202e, \xff), so that a server's text
// cannot forge log lines or rewrite a terminal.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

// Forms returns the encodings of secret that [Scrub] removes in place. Tests
// use it to make hostile servers echo a secret every way it can be echoed.
func Forms(secret string) []string {
	out := forms(secret)
	q := url.QueryEscape(secret)
	return append(out, q, lowerHex(q), url.PathEscape(secret), lowerHex(escapeAll(secret)))
}

// lowerHex lowers the hex digits of s's %XX escapes.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// escapeAll percent-escapes every byte of s.
func escapeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}
