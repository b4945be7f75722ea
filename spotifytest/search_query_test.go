package spotifytest

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// String writes a parsed query back in a canonical form, for tests:
// clauses joined by " OR ", terms by spaces, filters as field="value".
func (sq searchQuery) String() string {
	var cs []string
	for _, c := range sq.clauses {
		var ts []string
		for _, t := range c {
			s := fmt.Sprintf("%q", t.value)
			if t.field != "" {
				s = t.field + "=" + s
			}
			if t.not {
				s = "-" + s
			}
			ts = append(ts, s)
		}
		cs = append(cs, strings.Join(ts, " "))
	}
	return strings.Join(cs, " OR ")
}

func TestParseSearch(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{`roadhouse blues`, `"roadhouse" "blues"`},
		{`Roadhouse   BLUES`, `"roadhouse" "blues"`},
		{`"roadhouse blues"`, `"roadhouse blues"`},
		{`"  Roadhouse	 Blues "`, `"roadhouse blues"`},
		{`artist:"The Wild Brothers"`, `artist="the wild brothers"`},
		{`artist:"The Wild Brothers" year:1990-1999`, `artist="the wild brothers" year="1990-1999"`},
		{`remaster track:Doxy artist:Miles Davis`, `"remaster" track="doxy" artist="miles" "davis"`},
		{`Artist:ABBA album:gold`, `artist="abba" album="gold"`},
		{`tag:new tag:hipster`, `tag="new" tag="hipster"`},
		{`isrc:USUM71703861 upc:00602537817016 genre:"rock and roll"`, `isrc="usum71703861" upc="00602537817016" genre="rock and roll"`},
		{`roadhouse NOT blues`, `"roadhouse" -"blues"`},
		{`roadhouse not blues`, `"roadhouse" "not" "blues"`},
		{`roadhouse OR blues`, `"roadhouse" OR "blues"`},
		{`roadhouse or blues`, `"roadhouse" "or" "blues"`},
		{`a b OR c NOT d OR e`, `"a" "b" OR "c" -"d" OR "e"`},
		{`kyuss AND green`, `"kyuss" "green"`},
		{`year:1989-2013 NOT year:1993`, `year="1989-2013" -year="1993"`},
		{`NOT artist:"x y" z`, `-artist="x y" "z"`},
		{`NOT NOT a`, `-"a"`},
		{`a NOT OR b`, `"a" OR "b"`},
		{`OR a OR OR b OR`, `"a" OR "b"`},
		{`OR NOT AND`, ``},
		{`label:emi`, `"label:emi"`},
		{`artist: abba`, `"artist:" "abba"`},
		{`artist:`, `"artist:"`},
		{`artist:""`, ``},
		{`""`, ``},
		{`"unclosed phrase`, `"unclosed phrase"`},
		{`artist:"unclosed`, `artist="unclosed"`},
		{`a"b c"d`, `"a" "b c" "d"`},
		{`artist:Miles"Davis"`, `artist="miles" "davis"`},
		{`Ärzte "ÉTÉ"`, `"ärzte" "été"`},
	} {
		if got := parseSearch(tc.q).String(); got != tc.want {
			t.Errorf("parseSearch(%q) = %s, want %s", tc.q, got, tc.want)
		}
	}
}

// fakeDoc is a searchDoc with its texts and the filters it answers.
type fakeDoc struct {
	texts   textDoc
	filters map[string]string // field -> the one value it matches
}

func (d fakeDoc) hasText(s string) bool { return d.texts.hasText(s) }

func (d fakeDoc) filter(field, v string) (bool, bool) {
	want, ok := d.filters[field]
	if !ok {
		return false, false
	}
	if field == "year" {
		var y int
		fmt.Sscan(want, &y)
		return inYears(y, v), true
	}
	return strings.Contains(want, v), true
}

func TestSearchQueryMatches(t *testing.T) {
	doc := fakeDoc{
		texts:   textDoc{"my roadhouse blues", "the doors"},
		filters: map[string]string{"artist": "the doors", "year": "1970"},
	}
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{`roadhouse`, true},
		{`blues roadhouse`, true},
		{`"roadhouse blues"`, true},
		{`"blues roadhouse"`, false},
		{`"blues the"`, false}, // a phrase lies within one text
		{`roadhouse doors`, true},
		{`roadhouse zeppelin`, false},
		{`roadhouse NOT blues`, false},
		{`roadhouse NOT jazz`, true},
		{`NOT jazz`, true},
		{`zeppelin OR doors`, true},
		{`zeppelin OR floyd`, false},
		{`artist:doors`, true},
		{`artist:"the doors" year:1965-1975`, true},
		{`artist:doors year:1971`, false},
		{`artist:doors NOT year:1970`, false},
		{`year:1980-1960`, false},
		{`year:abc`, false},
		{`album:"morrison hotel"`, false}, // album does not apply to this doc
		{`NOT album:x`, false},            // nor when negated
		{`album:x OR roadhouse`, true},    // the other clause still may
		{`tag:new`, false},
		{`OR`, false},
		{`ROADHOUSE`, true},
	} {
		sq := parseSearch(tc.q)
		if got := sq.matches(doc); got != tc.want {
			t.Errorf("%q (%s) matches = %v, want %v", tc.q, sq, got, tc.want)
		}
	}
}

func TestYearRange(t *testing.T) {
	for _, tc := range []struct {
		v        string
		from, to int
		ok       bool
	}{
		{"1995", 1995, 1995, true},
		{"1990-1999", 1990, 1999, true},
		{"1999-1990", 0, 0, false},
		{"1990-", 0, 0, false},
		{"-1990", 0, 0, false},
		{"19x0", 0, 0, false},
		{"", 0, 0, false},
	} {
		from, to, ok := yearRange(tc.v)
		if ok != tc.ok || (ok && (from != tc.from || to != tc.to)) {
			t.Errorf("yearRange(%q) = %d, %d, %v", tc.v, from, to, ok)
		}
	}
}

// FuzzParseSearch checks that any query parses without panicking or
// looping, into no more terms than it has bytes, with lower-case values
// free of quotes, and that matching it does not panic either.
func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{
		`artist:"The Wild Brothers" year:1990-1999`, `roadhouse NOT blues OR "x y"`, `"`, `artist:"`,
		`a"b"c`, `tag:new tag:hipster isrc:x upc:y genre:"a b"`, "\xff\xfe \u00a0OR\u2003NOT", `year:-`,
	} {
		f.Add(s)
	}
	doc := fakeDoc{texts: textDoc{"a b c"}, filters: map[string]string{"artist": "x", "year": "1990"}}
	f.Fuzz(func(t *testing.T, q string) {
		toks := lexSearch(q)
		if len(toks) > len(q) {
			t.Fatalf("%d tokens from %d bytes", len(toks), len(q))
		}
		sq := parseSearch(q)
		n := 0
		for _, c := range sq.clauses {
			if len(c) == 0 {
				t.Fatal("an empty clause")
			}
			for _, term := range c {
				n++
				if strings.ContainsRune(term.value, '"') || term.value == "" {
					t.Fatalf("term %q from %q", term.value, q)
				}
				if utf8.ValidString(term.value) && term.value != strings.ToLower(term.value) {
					t.Fatalf("term %q is not lower-case", term.value)
				}
				if term.field != "" && !contains(searchFields, term.field) {
					t.Fatalf("unknown field %q", term.field)
				}
			}
		}
		if n > len(q) {
			t.Fatalf("%d terms from %d bytes", n, len(q))
		}
		sq.matches(doc)
		sq.matches(textDoc{})
	})
}
