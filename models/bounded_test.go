package models

import (
	"errors"
	"fmt"
	"reflect"
	"runtime/metrics"
	"strings"
	"testing"
)

// items returns a JSON array of n playlist rows, then junk: a decoder that
// reads past the bound fails on the junk instead of with a LimitError.
func rows(n int, then string) string {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"item":{"type":"track","id":"t%d"}}`, i)
	}
	b.WriteString(then)
	b.WriteString("]")
	return b.String()
}

func wantLimit(t *testing.T, err error) {
	t.Helper()
	var le *LimitError
	if !errors.As(err, &le) || !errors.Is(err, ErrInvalidReply) {
		t.Fatalf("err = %v, want a *LimitError matching ErrInvalidReply", err)
	}
}

func TestPageWithin(t *testing.T) {
	var p Page[PlaylistItem]
	if err := Unmarshal([]byte(`{"items":`+rows(3, "")+`,"total":3,"zz":1}`), p.Within(3)); err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 3 || p.Total != 3 || p.Items[2].Track().ID != "t2" || string(p.Extra) != `{"zz":1}` {
		t.Fatalf("page %+v", p)
	}
	// The fourth row is refused before it is decoded: its junk is never read.
	err := Unmarshal([]byte(`{"items":`+rows(3, `,{"item":{"type":"track","id":[[[`)+`}`), p.Within(3))
	wantLimit(t, err)
	if err := Unmarshal([]byte(`{"items":null}`), p.Within(3)); err != nil || p.Items != nil {
		t.Fatalf("null items: %v, %v", p.Items, err)
	}
}

func TestNestedPagesAreBounded(t *testing.T) {
	var pl Playlist
	err := Unmarshal([]byte(`{"items":{"items":`+rows(MaxPageItems, `,{}`)+`}}`), &pl)
	wantLimit(t, err)
	if err := Unmarshal([]byte(`{"items":{"items":`+rows(MaxPageItems, "")+`}}`), &pl); err != nil || len(pl.ItemsPage().Items) != MaxPageItems {
		t.Fatalf("a full page of %d rows: %v", MaxPageItems, err)
	}
}

func TestCursorPageWithin(t *testing.T) {
	var p CursorPage[Artist]
	err := Unmarshal([]byte(`{"items":[{"id":"a"},{"id":"b"},{"id":"c"}],"cursors":{"after":"c"}}`), p.Within(2))
	wantLimit(t, err)
	if err := Unmarshal([]byte(`{"items":[{"id":"a"},{"id":"b"}],"cursors":{"after":"b"}}`), p.Within(2)); err != nil || p.Cursors.After != "b" || len(p.Items) != 2 {
		t.Fatalf("%+v, %v", p, err)
	}
}

func TestMembersAndListWithin(t *testing.T) {
	var tracks []*Track
	target := Members(map[string]any{"tracks": ListWithin(&tracks, 2)})
	body := `{"other":[{},{},{},{}],"tracks":[{"id":"a","type":"track"},null]}`
	if err := Unmarshal([]byte(body), target); err != nil || len(tracks) != 2 || tracks[0].ID != "a" || tracks[1] != nil {
		t.Fatalf("%v, %v", tracks, err)
	}
	wantLimit(t, Unmarshal([]byte(`{"tracks":[null,null,null]}`), target))
	var bools []bool
	wantLimit(t, Unmarshal([]byte(`[true,false,true]`), ListWithin(&bools, 2)))
	if err := Unmarshal([]byte(`[1]`), target); err == nil {
		t.Fatal("an array where an object was expected decoded")
	}
	var page Page[SimplifiedAlbum]
	if err := Unmarshal([]byte(`{"albums":{"items":[{"id":"x"}],"total":1}}`), Members(map[string]any{"albums": page.Within(1)})); err != nil || page.Total != 1 {
		t.Fatalf("wrapped page: %+v, %v", page, err)
	}
}

// TestTolerantPassKeepsBounds: a body that needs the tolerant pass (an
// integer written as a float) is decoded again with the same bound.
func TestTolerantPassKeepsBounds(t *testing.T) {
	var p Page[PlaylistItem]
	if err := Unmarshal([]byte(`{"total":2.0,"items":`+rows(2, "")+`}`), p.Within(2)); err != nil || p.Total != 2 || len(p.Items) != 2 {
		t.Fatalf("%+v, %v", p, err)
	}
	wantLimit(t, Unmarshal([]byte(`{"total":2.0,"items":`+rows(3, "")+`}`), p.Within(2)))
}

// repeat returns head, n copies of elem separated by commas, and tail.
func repeat(head, elem string, n int, tail string) []byte {
	var b strings.Builder
	b.Grow(len(head) + n*(len(elem)+1) + len(tail))
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(elem)
	}
	b.WriteString(tail)
	return []byte(b.String())
}

func TestBudgetRefusesBeforeDecoding(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name string
		body []byte
		v    any
	}{
		{"empty objects as items", repeat(`{"items":[`, `{}`, 5*mib/3, `]}`), new(Page[PlaylistItem])},
		{"nulls as rows", repeat(`{"items":[`, `null`, 3*mib/5, `]}`), new(Page[SavedTrack])},
		{"empty objects as batch entries", repeat(`{"tracks":[`, `{}`, 5*mib/3, `]}`), new(ManyTracks)},
		{"empty strings as genres", repeat(`{"genres":[`, `""`, 5*mib/3, `]}`), new(Artist)},
		{"nested arrays", repeat(`{"items":[{"track":{"artists":[`, `{}`, 5*mib/3, `]}}]}`), new(Page[PlaylistItem])},
		{"deep arrays", []byte(strings.Repeat("[", 5*mib) + strings.Repeat("]", 5*mib)), new(AudioAnalysis)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := allocated()
			err := Unmarshal(tt.body, tt.v)
			wantLimit(t, err)
			if got := allocated() - before; got > 1<<20 {
				t.Fatalf("%d bytes allocated to refuse it", got)
			}
		})
	}
}

func TestMaxArray(t *testing.T) {
	body := repeat(`{"pitches":[`, `0`, MaxArray+1, `]}`)
	wantLimit(t, UnmarshalWithin(body, new(Segment), 1<<40))
	body = repeat(`{"pitches":[`, `0`, MaxArray, `]}`)
	if err := UnmarshalWithin(body, new(Segment), 1<<40); err != nil {
		t.Fatal(err)
	}
	// Commas and brackets inside strings are not elements.
	body = repeat(`{"pitches":[0],"zz":"`, `[,\"`, MaxArray+1, `"}`)
	if err := UnmarshalWithin(body, new(Segment), 1<<40); err != nil {
		t.Fatal(err)
	}
}

// TestEveryModelWithinTheUnit: the estimate made without looking at the
// type assumes no model is larger than anyUnit.
func TestEveryModelWithinTheUnit(t *testing.T) {
	for name, newModel := range fixtureTypes {
		if unit, slot := footprint(newModel()); unit > anyUnit || slot > anySlot {
			t.Errorf("%s: unit %d, slot %d; the rough estimate assumes %d and %d", name, unit, slot, anyUnit, anySlot)
		}
	}
}

// allocated returns the bytes allocated by the process so far.
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestPageTwinsMatch: the structs pages decode through must have the page
// types' members, so that nothing is lost between them.
func TestPageTwinsMatch(t *testing.T) {
	for _, pair := range [][2]reflect.Type{
		{reflect.TypeFor[Page[int]](), reflect.TypeFor[pageFields[int]]()},
		{reflect.TypeFor[CursorPage[int]](), reflect.TypeFor[cursorPageFields[int]]()},
	} {
		page, twin := pair[0], pair[1]
		if page.NumField() != twin.NumField() {
			t.Fatalf("%v has %d fields, %v %d", page, page.NumField(), twin, twin.NumField())
		}
		for i := range page.NumField() {
			pf, tf := page.Field(i), twin.Field(i)
			if pf.Name != tf.Name || pf.Tag != tf.Tag || (pf.Name != "Items" && pf.Type != tf.Type) {
				t.Errorf("%v.%s %s and %v.%s %s differ", page, pf.Name, pf.Tag, twin, tf.Name, tf.Tag)
			}
		}
	}
}
