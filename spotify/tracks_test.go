package spotify

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

func TestTrackCalls(t *testing.T) {
	track := catFixture(t, "find_track.json")
	features := `{"id":"` + trackID + `","danceability":0.735,"energy":0.578,"key":5,"mode":0,"tempo":98.002,"time_signature":4,"duration_ms":255349,"type":"audio_features"}`
	runCatCases(t, []catCase{
		{name: "Get", reply: track, method: "GET", path: "tracks/1zHlj4dQ8ZAtrayhuDDmkY",
			call: func(ctx context.Context, c *Client) error {
				tr, err := c.Tracks.Get(ctx, "1zHlj4dQ8ZAtrayhuDDmkY", nil)
				if err != nil {
					return err
				}
				return expect(tr.Name == "Timber" && tr.Album.Name != "", "%q, album %q", tr.Name, tr.Album.Name)
			}},
		{name: "GetMany", reply: catFixture(t, "find_tracks_notfound.json"), method: "GET", path: "tracks",
			query: "ids=0eGsygTp906u18L0Oimnem%2C" + trackID + "&market=SE",
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Tracks.GetMany(ctx, []string{"0eGsygTp906u18L0Oimnem", trackID}, &MarketOptions{Market: "SE"})
				if err != nil {
					return err
				}
				return expect(len(got) == 2 && got[0].ID == "0eGsygTp906u18L0Oimnem" && got[1] == nil, "%v", got)
			}},
		{name: "Saved", reply: catFixture(t, "current_users_tracks.json"), method: "GET", path: "me/tracks", query: "market=from_token",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Tracks.Saved(ctx, &TrackSavedOptions{Market: "from_token"})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 3 && p.Items[0].Track.Name == "You & I (Nobody In The World)", "%+v", p.Items)
			}},
		{name: "Save", method: "PUT", path: "me/tracks", body: `{"ids":["` + trackID + `"]}`,
			call: func(ctx context.Context, c *Client) error {
				return c.Tracks.Save(ctx, []string{"spotify:track:" + trackID})
			}},
		{name: "SaveTimestamped", method: "PUT", path: "me/tracks",
			body: `{"ids":["` + trackID + `"],"timestamped_ids":[{"id":"` + trackID + `","added_at":"2023-01-15T14:30:00.25Z"}]}`,
			call: func(ctx context.Context, c *Client) error {
				at := time.Date(2023, 1, 15, 15, 30, 0, 250_000_999, time.FixedZone("CET", 3600))
				return c.Tracks.SaveTimestamped(ctx, []TimestampedTrack{{ID: trackID, AddedAt: at}})
			}},
		{name: "RemoveSaved", method: "DELETE", path: "me/tracks", query: "ids=" + trackID,
			call: func(ctx context.Context, c *Client) error { return c.Tracks.RemoveSaved(ctx, []string{trackID}) }},
		{name: "CheckSaved", reply: "[false]", method: "GET", path: "me/tracks/contains", query: "ids=" + trackID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Tracks.CheckSaved(ctx, []string{trackID})
				if err != nil {
					return err
				}
				return expect(len(got) == 1 && !got[0], "%v", got)
			}},
		{name: "AudioFeatures", reply: features, method: "GET", path: "audio-features/" + trackID,
			call: func(ctx context.Context, c *Client) error {
				f, err := c.Tracks.AudioFeatures(ctx, trackID)
				if err != nil {
					return err
				}
				return expect(f.ID == trackID && f.Tempo == 98.002 && f.Key == 5, "%+v", f)
			}},
		{name: "AudioFeaturesMany", reply: `{"audio_features":[` + features + `,null]}`, method: "GET", path: "audio-features",
			query: "ids=" + trackID + "%2C" + albumID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Tracks.AudioFeaturesMany(ctx, []string{trackID, albumID})
				if err != nil {
					return err
				}
				return expect(len(got) == 2 && got[0].ID == trackID && got[1] == nil, "%v", got)
			}},
		{name: "AudioAnalysis", reply: catFixture(t, "get_audio_analysis.json"), method: "GET", path: "audio-analysis/" + trackID,
			call: func(ctx context.Context, c *Client) error {
				a, err := c.Tracks.AudioAnalysis(ctx, trackID)
				if err != nil {
					return err
				}
				return expect(len(a.Bars) == 1 && len(a.Segments) == 1, "%+v", a)
			}},
		{name: "Recommendations",
			reply:  `{"seeds":[{"id":"` + artistID + `","type":"ARTIST","afterFilteringSize":250,"afterRelinkingSize":250,"initialPoolSize":250}],"tracks":[` + track + `]}`,
			method: "GET", path: "recommendations",
			query: "limit=10&max_energy=0.9&min_energy=0.4&min_tempo=120&seed_artists=" + artistID +
				"&seed_genres=classical&seed_tracks=" + trackID + "&target_duration_ms=180000&target_key=5",
			call: func(ctx context.Context, c *Client) error {
				r, err := c.Tracks.Recommendations(ctx,
					RecommendationSeeds{Artists: []string{artistID}, Genres: []string{"classical"}, Tracks: []string{"spotify:track:" + trackID}},
					&TrackRecommendationsOptions{
						Limit:  10,
						Min:    map[Tunable]float64{TunableEnergy: 0.4, TunableTempo: 120},
						Max:    map[Tunable]float64{TunableEnergy: 0.9},
						Target: map[Tunable]float64{TunableKey: 5, TunableDurationMS: 180000},
					})
				if err != nil {
					return err
				}
				return expect(len(r.Seeds) == 1 && len(r.Tracks) == 1 && r.Tracks[0].Name == "Timber", "%+v", r)
			}},
	})
}

func TestTrackBatchesChunk(t *testing.T) {
	ids := catIDs(101)
	c, seen := catServer(t, nullsOf("audio_features", 100), nullsOf("audio_features", 1))
	got, err := c.Tracks.AudioFeaturesMany(context.Background(), ids)
	if err != nil || len(got) != 101 {
		t.Fatalf("%d results, %v", len(got), err)
	}
	if calls := seen(); len(calls) != 2 || calls[1].query != "ids="+ids[100] {
		t.Fatalf("requests %+v", calls)
	}

	c, seen = catServer(t)
	at := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	stamped := make([]TimestampedTrack, 51)
	for i, id := range catIDs(51) {
		stamped[i] = TimestampedTrack{ID: id, AddedAt: at}
	}
	if err := c.Tracks.SaveTimestamped(context.Background(), stamped); err != nil {
		t.Fatal(err)
	}
	calls := seen()
	if len(calls) != 2 || strings.Count(calls[0].body, `"added_at"`) != 50 {
		t.Fatalf("requests %+v", calls)
	}
	checkCatCall(t, calls[1], "PUT", "me/tracks", "",
		`{"ids":["`+stamped[50].ID+`"],"timestamped_ids":[{"id":"`+stamped[50].ID+`","added_at":"2024-05-01T00:00:00Z"}]}`)

	c, seen = catServer(t)
	if err := c.Tracks.Save(context.Background(), catIDs(51)); err != nil {
		t.Fatal(err)
	}
	if calls := seen(); len(calls) != 2 || calls[1].body != `{"ids":["`+catIDs(51)[50]+`"]}` {
		t.Fatalf("requests %+v", calls)
	}
}

func TestTrackSavedAll(t *testing.T) {
	item := `{"added_at":"2024-01-02T03:04:05Z","track":{"id":"` + trackID + `"}}`
	c, seen := catServer(t, pageOf(item, 50, 0, 51), pageOf(item, 1, 50, 51))
	n := 0
	for st, err := range c.Tracks.SavedAll(context.Background(), nil) {
		if err != nil || st.Track.ID != trackID {
			t.Fatalf("%+v, %v", st, err)
		}
		n++
	}
	if calls := seen(); n != 51 || len(calls) != 2 || calls[1].query != "limit=50&offset=50" {
		t.Fatalf("%d items, requests %+v", n, calls)
	}
}

func TestTrackRefusesBadInput(t *testing.T) {
	c, seen := catServer(t, "{}")
	ctx := context.Background()
	one := RecommendationSeeds{Genres: []string{"jazz"}}
	bad := map[string]struct {
		seeds RecommendationSeeds
		opts  *TrackRecommendationsOptions
	}{
		"no seeds":          {RecommendationSeeds{}, nil},
		"six seeds":         {RecommendationSeeds{Artists: catIDs(3), Tracks: catIDs(3)}, nil},
		"genre with comma":  {RecommendationSeeds{Genres: []string{"rock,pop"}}, nil},
		"empty genre":       {RecommendationSeeds{Genres: []string{""}}, nil},
		"album as artist":   {RecommendationSeeds{Artists: []string{"spotify:album:" + albumID}}, nil},
		"limit 101":         {one, &TrackRecommendationsOptions{Limit: 101}},
		"key 12":            {one, &TrackRecommendationsOptions{Min: map[Tunable]float64{TunableKey: 12}}},
		"half a mode":       {one, &TrackRecommendationsOptions{Target: map[Tunable]float64{TunableMode: 0.5}}},
		"energy above 1":    {one, &TrackRecommendationsOptions{Max: map[Tunable]float64{TunableEnergy: 1.5}}},
		"NaN tempo":         {one, &TrackRecommendationsOptions{Target: map[Tunable]float64{TunableTempo: math.NaN()}}},
		"unknown attribute": {one, &TrackRecommendationsOptions{Target: map[Tunable]float64{"groove": 1}}},
		"min above max": {one, &TrackRecommendationsOptions{
			Min: map[Tunable]float64{TunablePopularity: 80}, Max: map[Tunable]float64{TunablePopularity: 20}}},
		"bad market": {one, &TrackRecommendationsOptions{Market: "xx"}},
	}
	for name, tt := range bad {
		_, err := c.Tracks.Recommendations(ctx, tt.seeds, tt.opts)
		wantInputError(t, name, err, seen)
	}
	wantInputError(t, "no timestamped tracks", c.Tracks.SaveTimestamped(ctx, nil), seen)
	wantInputError(t, "zero time", c.Tracks.SaveTimestamped(ctx, []TimestampedTrack{{ID: trackID}}), seen)
	wantInputError(t, "episode to save", c.Tracks.Save(ctx, []string{"spotify:episode:" + trackID}), seen)
	_, err := c.Tracks.AudioFeatures(ctx, "spotify:album:"+albumID)
	wantInputError(t, "album features", err, seen)
	_, err = c.Tracks.AudioFeaturesMany(ctx, nil)
	wantInputError(t, "no IDs", err, seen)
	_, err = c.Tracks.AudioAnalysis(ctx, "x/y")
	wantInputError(t, "slash", err, seen)
	_, err = c.Tracks.Saved(ctx, &TrackSavedOptions{ListOptions: ListOptions{Limit: 51}})
	wantInputError(t, "limit 51", err, seen)
}
