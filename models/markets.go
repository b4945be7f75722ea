package models

import (
	"bytes"
	"errors"
	"iter"
	"math/bits"
	"slices"

	"github.com/go-json-experiment/json/jsontext"
)

// marketWords is the size of the bitset: one bit for each of the 26*26
// two-letter codes AA..ZZ.
const marketWords = (26*26 + 63) / 64

// Markets is a set of markets (ISO 3166-1 alpha-2 country codes), as found in
// available_markets. Spotify lists up to about 185 codes per object; keeping
// them as a bitset instead of strings saves most of the allocations and
// memory of decoding a catalog page. Codes that are not two upper-case
// letters are kept as given in a small overflow list.
//
// The zero value is an empty set. It decodes from a JSON array of strings
// (null is the empty set) and encodes back to one, in sorted order.
type Markets struct {
	bits  [marketWords]uint64
	other []string
}

// NewMarkets returns the set of the given codes.
func NewMarkets(codes ...string) Markets {
	var m Markets
	for _, c := range codes {
		m.Add(c)
	}
	return m
}

// marketIndex returns the bit of a two-letter upper-case code.
func marketIndex(c0, c1 byte) (int, bool) {
	if c0 < 'A' || c0 > 'Z' || c1 < 'A' || c1 > 'Z' {
		return 0, false
	}
	return int(c0-'A')*26 + int(c1-'A'), true
}

// Add adds code to the set.
func (m *Markets) Add(code string) {
	if len(code) == 2 {
		if i, ok := marketIndex(code[0], code[1]); ok {
			m.bits[i/64] |= 1 << (i % 64)
			return
		}
	}
	if !slices.Contains(m.other, code) {
		m.other = append(m.other, code)
	}
}

// Has reports whether code is in the set.
func (m *Markets) Has(code string) bool {
	if len(code) == 2 {
		if i, ok := marketIndex(code[0], code[1]); ok {
			return m.bits[i/64]&(1<<(i%64)) != 0
		}
	}
	return slices.Contains(m.other, code)
}

// Len returns the number of codes in the set.
func (m *Markets) Len() int {
	n := len(m.other)
	for _, w := range m.bits {
		n += bits.OnesCount64(w)
	}
	return n
}

// All yields the codes in the set: the two-letter codes in order, then any
// others in the order they were added.
func (m *Markets) All() iter.Seq[string] {
	return func(yield func(string) bool) {
		for wi, w := range m.bits {
			for w != 0 {
				i := wi*64 + bits.TrailingZeros64(w)
				w &= w - 1
				if !yield(marketCode(i)) {
					return
				}
			}
		}
		for _, c := range m.other {
			if !yield(c) {
				return
			}
		}
	}
}

// Codes returns the codes in the set, in the order of [Markets.All].
func (m *Markets) Codes() []string {
	out := make([]string, 0, m.Len())
	for c := range m.All() {
		out = append(out, c)
	}
	return out
}

// marketCode returns the two-letter code of bit i. The strings come from
// one shared table, so listing codes does not allocate.
func marketCode(i int) string { return marketNames[2*i : 2*i+2] }

// marketNames is "AAABAC...ZZ": every two-letter code, back to back.
var marketNames = func() string {
	b := make([]byte, 0, 2*26*26)
	for c0 := byte('A'); c0 <= 'Z'; c0++ {
		for c1 := byte('A'); c1 <= 'Z'; c1++ {
			b = append(b, c0, c1)
		}
	}
	return string(b)
}()

var errMarkets = errors.New("models: available_markets is not an array of strings")

// UnmarshalJSONFrom decodes a JSON array of codes, or null, into m.
func (m *Markets) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	val, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return m.decode(val)
}

// UnmarshalJSON decodes a JSON array of codes, or null, into m; it lets
// encoding/json decode models too.
func (m *Markets) UnmarshalJSON(b []byte) error {
	if !jsontext.Value(b).IsValid() {
		return errMarkets
	}
	return m.decode(b)
}

// decode scans a valid JSON value. ReadValue has already checked its syntax,
// so the scanner only needs to find the strings.
func (m *Markets) decode(val []byte) error {
	*m = Markets{}
	i := skipSpace(val, 0)
	if i >= len(val) || val[i] == 'n' {
		return nil
	}
	if val[i] != '[' {
		return errMarkets
	}
	i++
	for {
		i = skipSpace(val, i)
		if i >= len(val) {
			return errMarkets
		}
		switch val[i] {
		case ']':
			return nil
		case ',':
			i++
			continue
		case '"':
		default:
			if val[i] == 'n' && i+4 <= len(val) { // a null entry: skip it
				i += 4
				continue
			}
			return errMarkets
		}
		// Fast path: "XX".
		if i+3 < len(val) && val[i+3] == '"' {
			if k, ok := marketIndex(val[i+1], val[i+2]); ok {
				m.bits[k/64] |= 1 << (k % 64)
				i += 4
				continue
			}
		}
		end := stringEnd(val, i)
		if end > len(val) {
			return errMarkets
		}
		s, err := jsontext.AppendUnquote(nil, val[i:end])
		if err != nil {
			return errMarkets
		}
		m.Add(string(s))
		i = end
	}
}

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// stringEnd returns the index just past the JSON string starting at b[i],
// or len(b)+1 when b ends first.
func stringEnd(b []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return len(b) + 1
		}
		j += k
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		n := 0
		for b[j-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return j + 1
		}
		j++
	}
}

// MarshalJSONTo encodes m as a JSON array of codes.
func (m Markets) MarshalJSONTo(enc *jsontext.Encoder) error {
	return enc.WriteValue(m.appendJSON(nil))
}

// MarshalJSON encodes m as a JSON array of codes; it lets encoding/json
// encode models too.
func (m Markets) MarshalJSON() ([]byte, error) {
	return m.appendJSON(nil), nil
}

func (m Markets) appendJSON(b []byte) []byte {
	b = slices.Grow(b, 2+5*m.Len())
	b = append(b, '[')
	first := true
	for c := range m.All() {
		if !first {
			b = append(b, ',')
		}
		first = false
		b, _ = jsontext.AppendQuote(b, c)
	}
	return append(b, ']')
}
