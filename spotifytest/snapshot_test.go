package spotifytest

import "testing"

// TestSnapshotContract pins what the client's resend of playlist changes
// relies on, as Spotify behaves: every change applied to a playlist's items
// gives it a new snapshot_id, never one it had before; GET with
// fields=snapshot_id reads the current one; a refused change leaves it as
// it was. (Whether a move that keeps the order makes a new snapshot does
// not matter: sending such a move again changes nothing.)
func TestSnapshotContract(t *testing.T) {
	ts := startFake(t, ExtendedQuota)
	tr := func(i int) string { return "spotify:track:" + ts.ids.Tracks[i] }
	var created struct {
		ID         string `json:"id"`
		SnapshotID string `json:"snapshot_id"`
	}
	decode(t, ts.want(t, 201, "POST", "/v1/me/playlists", `{"name":"Snapshots"}`), &created)
	base := "/v1/playlists/" + created.ID
	current := func() string {
		var s struct {
			SnapshotID string `json:"snapshot_id"`
		}
		decode(t, ts.want(t, 200, "GET", base+"?fields=snapshot_id", ""), &s)
		if s.SnapshotID == "" {
			t.Fatal("no snapshot_id with fields=snapshot_id")
		}
		return s.SnapshotID
	}
	seen := map[string]bool{created.SnapshotID: true}
	if got := current(); got != created.SnapshotID {
		t.Fatalf("created with snapshot %s, read back %s", created.SnapshotID, got)
	}
	changes := []struct {
		name, method, path, body string
		status                   int
	}{
		{"add", "POST", "/items", `{"uris":["` + tr(1) + `","` + tr(2) + `","` + tr(3) + `"]}`, 201},
		{"add (legacy)", "POST", "/tracks", `{"uris":["` + tr(4) + `"],"position":0}`, 201},
		{"move", "PUT", "/items", `{"range_start":0,"insert_before":4}`, 200},
		{"remove by position", "DELETE", "/items", `{"items":[{"uri":"` + tr(4) + `","positions":[3]}]}`, 200},
		{"remove by URI", "DELETE", "/tracks", `{"tracks":[{"uri":"` + tr(1) + `"}]}`, 200},
		{"replace", "PUT", "/items", `{"uris":["` + tr(5) + `","` + tr(6) + `"]}`, 200},
	}
	for _, c := range changes {
		before := current()
		var answer struct {
			SnapshotID string `json:"snapshot_id"`
		}
		decode(t, ts.want(t, c.status, c.method, base+c.path, c.body), &answer)
		after := current()
		if after == before || seen[after] || answer.SnapshotID != after {
			t.Errorf("%s: snapshot %s -> %s (answered %s); want a new one, answered and read back alike", c.name, before, after, answer.SnapshotID)
		}
		seen[after] = true
	}
	refused := []struct{ name, method, path, body string }{
		{"move out of range", "PUT", "/items", `{"range_start":5,"insert_before":0}`},
		{"remove at a wrong position", "DELETE", "/items", `{"items":[{"uri":"` + tr(5) + `","positions":[1]}]}`},
		{"unknown snapshot", "DELETE", "/items", `{"items":[{"uri":"` + tr(5) + `"}],"snapshot_id":"bm90IGEgc25hcHNob3Q="}`},
		{"unknown item", "POST", "/items", `{"uris":["spotify:track:0000000000000000000000"]}`},
	}
	for _, c := range refused {
		before := current()
		ts.want(t, 400, c.method, base+c.path, c.body)
		if after := current(); after != before {
			t.Errorf("%s was refused, yet the snapshot moved from %s to %s", c.name, before, after)
		}
	}
}
