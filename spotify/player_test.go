package spotify

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"
)

const deviceID = "0d1841b0976bae2a3a310dd74c0f3df354899bc8"

func TestPlayerCommands(t *testing.T) {
	dev := &PlayerDeviceOptions{DeviceID: deviceID}
	track := "spotify:track:" + trackID
	tests := []struct {
		name   string
		call   func(context.Context, *PlayerService) error
		method string
		path   string
		query  url.Values
		body   string
	}{
		{"pause", func(ctx context.Context, p *PlayerService) error { return p.Pause(ctx, nil) },
			"PUT", "me/player/pause", nil, ""},
		{"pause on device", func(ctx context.Context, p *PlayerService) error { return p.Pause(ctx, dev) },
			"PUT", "me/player/pause", url.Values{"device_id": {deviceID}}, ""},
		{"next", func(ctx context.Context, p *PlayerService) error { return p.Next(ctx, dev) },
			"POST", "me/player/next", url.Values{"device_id": {deviceID}}, ""},
		{"previous", func(ctx context.Context, p *PlayerService) error { return p.Previous(ctx, nil) },
			"POST", "me/player/previous", nil, ""},
		{"seek 0", func(ctx context.Context, p *PlayerService) error { return p.Seek(ctx, 0, nil) },
			"PUT", "me/player/seek", url.Values{"position_ms": {"0"}}, ""},
		{"seek", func(ctx context.Context, p *PlayerService) error { return p.Seek(ctx, 25000, dev) },
			"PUT", "me/player/seek", url.Values{"position_ms": {"25000"}, "device_id": {deviceID}}, ""},
		{"repeat", func(ctx context.Context, p *PlayerService) error { return p.SetRepeat(ctx, RepeatContext, nil) },
			"PUT", "me/player/repeat", url.Values{"state": {"context"}}, ""},
		{"shuffle off", func(ctx context.Context, p *PlayerService) error { return p.SetShuffle(ctx, false, dev) },
			"PUT", "me/player/shuffle", url.Values{"state": {"false"}, "device_id": {deviceID}}, ""},
		{"volume 0", func(ctx context.Context, p *PlayerService) error { return p.SetVolume(ctx, 0, nil) },
			"PUT", "me/player/volume", url.Values{"volume_percent": {"0"}}, ""},
		{"queue", func(ctx context.Context, p *PlayerService) error { return p.AddToQueue(ctx, track, dev) },
			"POST", "me/player/queue", url.Values{"uri": {track}, "device_id": {deviceID}}, ""},
		{"transfer", func(ctx context.Context, p *PlayerService) error { return p.Transfer(ctx, deviceID, true) },
			"PUT", "me/player", nil, `{"device_ids":["` + deviceID + `"],"play":true}`},
		{"transfer paused", func(ctx context.Context, p *PlayerService) error { return p.Transfer(ctx, deviceID, false) },
			"PUT", "me/player", nil, `{"device_ids":["` + deviceID + `"]}`},
		{"resume", func(ctx context.Context, p *PlayerService) error { return p.Play(ctx, nil) },
			"PUT", "me/player/play", nil, ""},
		{"play context", func(ctx context.Context, p *PlayerService) error {
			return p.Play(ctx, &PlayerPlayOptions{DeviceID: deviceID, ContextURI: "spotify:album:" + trackID,
				Offset: &PlayerOffset{Position: 0}, PositionMS: 1500})
		}, "PUT", "me/player/play", url.Values{"device_id": {deviceID}},
			`{"context_uri":"spotify:album:` + trackID + `","offset":{"position":0},"position_ms":1500}`},
		{"play uris", func(ctx context.Context, p *PlayerService) error {
			return p.Play(ctx, &PlayerPlayOptions{URIs: []string{track, "spotify:episode:" + trackID}, Offset: &PlayerOffset{URI: track}})
		}, "PUT", "me/player/play", nil,
			`{"uris":["` + track + `","spotify:episode:` + trackID + `"],"offset":{"uri":"` + track + `"}}`},
		{"play liked songs", func(ctx context.Context, p *PlayerService) error {
			return p.Play(ctx, &PlayerPlayOptions{ContextURI: "spotify:user:smedjan:collection"})
		}, "PUT", "me/player/play", nil, `{"context_uri":"spotify:user:smedjan:collection"}`},
	}
	// Commands answer 204 with nothing, 202 with plain text, or 200 with an
	// empty body: none of them may fail the call.
	answers := []struct {
		status int
		body   string
	}{{204, ""}, {202, "accepted"}, {200, ""}}
	for _, tt := range tests {
		for _, a := range answers {
			c, rec := recordingClient(t, replyWith(a.status, a.body))
			if err := tt.call(context.Background(), c.Player); err != nil {
				t.Fatalf("%s (answer %d): %v", tt.name, a.status, err)
			}
			got := rec.only(t)
			checkCall(t, got, tt.method, tt.path, tt.query)
			checkJSONBody(t, got, tt.body)
		}
	}
}

func TestPlayerRefusesBadInput(t *testing.T) {
	c, rec := recordingClient(t, replyWith(204, ""))
	ctx := context.Background()
	p := c.Player
	album := "spotify:album:" + trackID
	wantRefused(t, "volume 101", p.SetVolume(ctx, 101, nil), rec)
	wantRefused(t, "volume -1", p.SetVolume(ctx, -1, nil), rec)
	wantRefused(t, "seek -1", p.Seek(ctx, -1, nil), rec)
	wantRefused(t, "repeat", p.SetRepeat(ctx, "all", nil), rec)
	wantRefused(t, "transfer nowhere", p.Transfer(ctx, " ", true), rec)
	wantRefused(t, "queue album", p.AddToQueue(ctx, album, nil), rec)
	wantRefused(t, "context and uris", p.Play(ctx, &PlayerPlayOptions{ContextURI: album, URIs: []string{"spotify:track:" + trackID}}), rec)
	wantRefused(t, "offset alone", p.Play(ctx, &PlayerPlayOptions{Offset: &PlayerOffset{Position: 2}}), rec)
	wantRefused(t, "offset both", p.Play(ctx, &PlayerPlayOptions{ContextURI: album, Offset: &PlayerOffset{Position: 2, URI: "spotify:track:" + trackID}}), rec)
	wantRefused(t, "negative offset", p.Play(ctx, &PlayerPlayOptions{ContextURI: album, Offset: &PlayerOffset{Position: -1}}), rec)
	wantRefused(t, "track as context", p.Play(ctx, &PlayerPlayOptions{ContextURI: "spotify:track:" + trackID}), rec)
	wantRefused(t, "album in uris", p.Play(ctx, &PlayerPlayOptions{URIs: []string{album}}), rec)
	wantRefused(t, "negative position", p.Play(ctx, &PlayerPlayOptions{PositionMS: -5}), rec)
	_, err := p.State(ctx, &PlayerStateOptions{AdditionalTypes: []string{"album"}})
	wantRefused(t, "additional type", err, rec)
	_, err = p.RecentlyPlayed(ctx, &PlayerRecentlyPlayedOptions{Limit: 51})
	wantRefused(t, "limit 51", err, rec)
	_, err = p.RecentlyPlayed(ctx, &PlayerRecentlyPlayedOptions{After: time.Now(), Before: time.Now()})
	wantRefused(t, "after and before", err, rec)
}

func TestPlayerStateAndCurrentlyPlaying(t *testing.T) {
	ctx := context.Background()
	opts := &PlayerStateOptions{Market: "from_token", AdditionalTypes: []string{AdditionalTypeEpisode}}
	wantQuery := url.Values{"market": {"from_token"}, "additional_types": {"episode"}}

	c, rec := recordingClient(t, replyWith(200, catFixture(t, "player_state.json")))
	st, err := c.Player.State(ctx, opts)
	if err != nil || st == nil || !st.ShuffleState || st.RepeatState != "off" || st.ProgressMS != 102509 {
		t.Fatalf("State: %+v, %v", st, err)
	}
	checkCall(t, rec.only(t), "GET", "me/player", wantQuery)

	c, rec = recordingClient(t, replyWith(200, catFixture(t, "player_currently_playing.json")))
	cp, err := c.Player.CurrentlyPlaying(ctx, opts)
	if err != nil || cp == nil || cp.ProgressMS != 102509 {
		t.Fatalf("CurrentlyPlaying: %+v, %v", cp, err)
	}
	checkCall(t, rec.only(t), "GET", "me/player/currently-playing", wantQuery)

	// Nothing playing: 204 and no body is (nil, nil), not an error.
	c, _ = recordingClient(t, replyWith(204, ""))
	if st, err := c.Player.State(ctx, nil); st != nil || err != nil {
		t.Errorf("State on 204: %+v, %v", st, err)
	}
	if cp, err := c.Player.CurrentlyPlaying(ctx, nil); cp != nil || err != nil {
		t.Errorf("CurrentlyPlaying on 204: %+v, %v", cp, err)
	}
}

func TestPlayerDevicesAndQueue(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, catFixture(t, "player_available_devices.json")))
	devs, err := c.Player.Devices(ctx)
	if err != nil || len(devs) != 2 || devs[1].Name != "Pixel" {
		t.Fatalf("Devices: %+v, %v", devs, err)
	}
	checkCall(t, rec.only(t), "GET", "me/player/devices", nil)

	c, rec = recordingClient(t, replyWith(200, `{"currently_playing":`+catFixture(t, "find_track.json")+`,"queue":[]}`))
	q, err := c.Player.Queue(ctx)
	if err != nil || q == nil {
		t.Fatalf("Queue: %+v, %v", q, err)
	}
	checkCall(t, rec.only(t), "GET", "me/player/queue", nil)
}

func TestPlayerRecentlyPlayed(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, catFixture(t, "player_recently_played.json")))
	after := time.UnixMilli(1484811043508)
	p, err := c.Player.RecentlyPlayed(ctx, &PlayerRecentlyPlayedOptions{Limit: 20, After: after})
	if err != nil || len(p.Items) != 20 || p.Cursors.Before != "1495842394544" {
		t.Fatalf("RecentlyPlayed: %v", err)
	}
	checkCall(t, rec.only(t), "GET", "me/player/recently-played", url.Values{"limit": {"20"}, "after": {"1484811043508"}})
}

func TestPlayerRecentlyPlayedAllFollowsBefore(t *testing.T) {
	page := func(next, before string, n int) string {
		items := ""
		for i := range n {
			if i > 0 {
				items += ","
			}
			items += `{"played_at":"2017-05-27T20:07:54.721Z","track":{"id":"` + trackID + `"}}`
		}
		return `{"items":[` + items + `],"next":` + next + `,"cursors":{"after":"1495915674720","before":"` + before + `"},"limit":2}`
	}
	c, rec := recordingClient(t, func(n int, r *http.Request) (int, string) {
		switch n {
		case 0:
			return 200, page(`"https://api.spotify.com/v1/me/player/recently-played?before=1495842394544&limit=2"`, "1495842394544", 2)
		case 1:
			return 200, page(`"https://api.spotify.com/v1/me/player/recently-played?before=1495000000000&limit=2"`, "1495000000000", 2)
		}
		return 200, page("null", "", 1)
	})
	count := 0
	for _, err := range c.Player.RecentlyPlayedAll(context.Background(), &PlayerRecentlyPlayedOptions{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		count++
	}
	reqs := rec.all()
	if count != 5 || len(reqs) != 3 {
		t.Fatalf("got %d items in %d requests", count, len(reqs))
	}
	checkCall(t, reqs[0], "GET", "me/player/recently-played", url.Values{"limit": {"2"}})
	checkCall(t, reqs[1], "GET", "me/player/recently-played", url.Values{"limit": {"2"}, "before": {"1495842394544"}})
	checkCall(t, reqs[2], "GET", "me/player/recently-played", url.Values{"limit": {"2"}, "before": {"1495000000000"}})
}
