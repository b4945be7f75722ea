package models

import (
	"slices"
	"testing"
)

// fuzzTypes are the models FuzzUnmarshal decodes into, picked by the
// fuzzer's second argument.
var fuzzTypes = []func() any{
	func() any { return new(Track) },
	func() any { return new(Album) },
	func() any { return new(Artist) },
	func() any { return new(Playlist) },
	func() any { return new(Page[PlaylistItem]) },
	func() any { return new(Episode) },
	func() any { return new(Show) },
	func() any { return new(CurrentlyPlayingContext) },
	func() any { return new(CursorPage[PlayHistory]) },
	func() any { return new(SearchItems) },
	func() any { return new(ManyTracks) },
	func() any { return new(ManyAlbums) },
	func() any { return new(AudioAnalysis) },
	func() any { return new(Queue) },
	func() any { return new(Markets) },
	func() any { return new(Time) },
}

// FuzzUnmarshal checks that no input makes decoding panic, and that
// whatever decodes also encodes and decodes again.
func FuzzUnmarshal(f *testing.F) {
	names := make([]string, 0, len(fixtureTypes))
	for name := range fixtureTypes {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b := readFixture(f, name)
		for i := range fuzzTypes {
			f.Add(b, uint8(i))
		}
	}
	f.Add([]byte(`{"items":[{"item":{"type":"x"}},{"track":null}]}`), uint8(4))
	f.Add([]byte(`["US","de",null,"\u0041T"]`), uint8(14))
	f.Add([]byte(`"2020-01-01T00:00:00.5+01:00"`), uint8(15))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		mk := fuzzTypes[int(which)%len(fuzzTypes)]
		v := mk()
		if err := Unmarshal(data, v); err != nil {
			return
		}
		out, err := Marshal(v)
		if err != nil {
			t.Fatalf("Marshal after a successful Unmarshal: %v", err)
		}
		if err := Unmarshal(out, mk()); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
	})
}
