package bench

import (
	"testing"

	zspotify "github.com/zmb3/spotify/v2"

	"github.com/spotflow/spotflow/internal/fixtures"
	"github.com/spotflow/spotflow/models"
)

// zmb3Albums is the answer of GET /albums?ids= as zmb3 decodes it.
type zmb3Albums struct {
	Albums []*zspotify.FullAlbum `json:"albums"`
}

// payload is one real response body and, for each contender, a fresh
// value of the type it decodes the body into.
type payload struct {
	name  string // the fixture, without .json
	types map[string]func() any
}

// payloads are the bodies of the decode benchmark, recorded from the real
// Web API (internal/fixtures).
var payloads = []payload{
	{name: "playlist_tracks", types: map[string]func() any{
		spotflowName: func() any { return new(models.Page[models.PlaylistItem]) },
		zmb3Name:     func() any { return new(zspotify.PlaylistItemPage) },
		mapName:      func() any { return new(map[string]any) },
	}},
	{name: "find_albums", types: map[string]func() any{
		spotflowName: func() any { return new(models.ManyAlbums) },
		zmb3Name:     func() any { return new(zmb3Albums) },
		mapName:      func() any { return new(map[string]any) },
	}},
	{name: "get_show", types: map[string]func() any{
		spotflowName: func() any { return new(models.Show) },
		zmb3Name:     func() any { return new(zspotify.FullShow) },
		mapName:      func() any { return new(map[string]any) },
	}},
}

// decoders says how each contender decodes: spotflow with models.Unmarshal,
// zmb3 and the map with encoding/json (zmb3 streams the body through
// json.Decoder; decoding the bytes at once is, if anything, faster).
var decoders = map[string]func([]byte, any) error{
	spotflowName: models.Unmarshal,
	zmb3Name:     stdUnmarshal,
	mapName:      stdUnmarshal,
}

// decodeContenders fixes the order of the sub-benchmarks.
var decodeContenders = []string{spotflowName, zmb3Name, mapName}

func readPayload(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := fixtures.Read(name + ".json")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// BenchmarkDecode decodes three real bodies: a page of 40 playlist rows,
// 4 full albums with 76 tracks and a show with 25 episodes, into
// spotflow's models, into zmb3's types and into map[string]any.
func BenchmarkDecode(b *testing.B) {
	for _, p := range payloads {
		data := readPayload(b, p.name)
		for _, name := range decodeContenders {
			newValue, decode := p.types[name], decoders[name]
			b.Run("payload="+p.name+"/contender="+name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if err := decode(data, newValue()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
