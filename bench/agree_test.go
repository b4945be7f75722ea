package bench

import (
	"slices"
	"testing"

	zspotify "github.com/zmb3/spotify/v2"

	"github.com/spotflow/spotflow/models"
)

// TestDecodeAgrees: spotflow and zmb3 read the same items from each
// payload, so the decode benchmark compares equal work.
func TestDecodeAgrees(t *testing.T) {
	var page models.Page[models.PlaylistItem]
	var zpage zspotify.PlaylistItemPage
	decodeBoth(t, "playlist_tracks", &page, &zpage)
	var uris, zuris []string
	for i := range page.Items {
		uris = append(uris, page.Items[i].Content().URI())
	}
	for _, it := range zpage.Items {
		switch {
		case it.Track.Track != nil:
			zuris = append(zuris, string(it.Track.Track.URI))
		case it.Track.Episode != nil:
			zuris = append(zuris, string(it.Track.Episode.URI))
		default:
			zuris = append(zuris, "")
		}
	}
	same(t, "playlist_tracks", uris, zuris)

	var albums models.ManyAlbums
	var zalbums zmb3Albums
	decodeBoth(t, "find_albums", &albums, &zalbums)
	var tracks, ztracks []string
	for _, a := range albums.Albums {
		for _, tr := range a.Tracks.Items {
			tracks = append(tracks, tr.ID)
		}
	}
	for _, a := range zalbums.Albums {
		for _, tr := range a.Tracks.Tracks {
			ztracks = append(ztracks, string(tr.ID))
		}
	}
	same(t, "find_albums", tracks, ztracks)

	var show models.Show
	var zshow zspotify.FullShow
	decodeBoth(t, "get_show", &show, &zshow)
	var eps, zeps []string
	for _, e := range show.Episodes.Items {
		eps = append(eps, e.ID)
	}
	for _, e := range zshow.Episodes.Episodes {
		zeps = append(zeps, string(e.ID))
	}
	same(t, "get_show", eps, zeps)
}

// decodeBoth decodes one payload the way each library does.
func decodeBoth(t *testing.T, name string, ours, theirs any) {
	t.Helper()
	data := readPayload(t, name)
	if err := models.Unmarshal(data, ours); err != nil {
		t.Fatalf("%s into the models: %v", name, err)
	}
	if err := stdUnmarshal(data, theirs); err != nil {
		t.Fatalf("%s into zmb3's types: %v", name, err)
	}
	var m map[string]any
	if err := stdUnmarshal(data, &m); err != nil {
		t.Fatalf("%s into a map: %v", name, err)
	}
}

func same(t *testing.T, name string, ours, theirs []string) {
	t.Helper()
	if len(ours) == 0 || !slices.Equal(ours, theirs) {
		t.Errorf("%s: spotflow read %d items, zmb3 %d, or they differ:\n%q\n%q", name, len(ours), len(theirs), ours, theirs)
	}
}
