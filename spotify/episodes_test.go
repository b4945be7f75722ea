package spotify

import (
	"context"
	"testing"
)

const episodeID = "2DSKnz9Hqm1tKimcXqcMJD"

func TestEpisodeCalls(t *testing.T) {
	episode := catFixture(t, "get_episode.json")
	runCatCases(t, []catCase{
		{name: "Get", reply: episode, method: "GET", path: "episodes/" + episodeID, query: "market=US",
			call: func(ctx context.Context, c *Client) error {
				e, err := c.Episodes.Get(ctx, "spotify:episode:"+episodeID, &MarketOptions{Market: "US"})
				if err != nil {
					return err
				}
				return expect(e.ID == episodeID && e.DurationMS > 0, "%q %d", e.ID, e.DurationMS)
			}},
		{name: "GetMany", reply: `{"episodes":[` + episode + `,null]}`, method: "GET", path: "episodes",
			query: "ids=" + episodeID + "%2C" + episodeID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Episodes.GetMany(ctx, []string{episodeID, episodeID}, nil)
				if err != nil {
					return err
				}
				return expect(len(got) == 2 && got[0].ID == episodeID && got[1] == nil, "%v", got)
			}},
		{name: "Saved", reply: pageOf(`{"added_at":"2024-02-03T04:05:06Z","episode":`+episode+`}`, 1, 0, 1),
			method: "GET", path: "me/episodes", query: "limit=50&market=SE",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Episodes.Saved(ctx, &EpisodeSavedOptions{ListOptions{Limit: 50}, "SE"})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 1 && p.Items[0].Episode.ID == episodeID, "%+v", p)
			}},
		{name: "Save", method: "PUT", path: "me/episodes", query: "ids=" + episodeID,
			call: func(ctx context.Context, c *Client) error { return c.Episodes.Save(ctx, []string{episodeID}) }},
		{name: "RemoveSaved", method: "DELETE", path: "me/episodes", query: "ids=" + episodeID,
			call: func(ctx context.Context, c *Client) error {
				return c.Episodes.RemoveSaved(ctx, []string{episodeID})
			}},
		{name: "CheckSaved", reply: "[true,false]", method: "GET", path: "me/episodes/contains", query: "ids=" + episodeID + "%2C" + trackID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Episodes.CheckSaved(ctx, []string{episodeID, trackID})
				if err != nil {
					return err
				}
				return expect(len(got) == 2 && got[0] && !got[1], "%v", got)
			}},
	})
}

func TestEpisodeSavedAllAndChunks(t *testing.T) {
	item := `{"added_at":"2024-02-03T04:05:06Z","episode":{"id":"` + episodeID + `"}}`
	c, seen := catServer(t, pageOf(item, 2, 0, 2))
	n := 0
	for e, err := range c.Episodes.SavedAll(context.Background(), nil) {
		if err != nil || e.Episode.ID != episodeID {
			t.Fatalf("%+v, %v", e, err)
		}
		n++
	}
	if calls := seen(); n != 2 || len(calls) != 1 || calls[0].query != "limit=50" {
		t.Fatalf("%d items, requests %+v", n, calls)
	}

	ids := catIDs(120)
	c, seen = catServer(t, "["+bools(50)+"]", "["+bools(50)+"]", "["+bools(20)+"]")
	got, err := c.Episodes.CheckSaved(context.Background(), ids)
	if err != nil || len(got) != 120 {
		t.Fatalf("%d answers, %v", len(got), err)
	}
	if calls := seen(); len(calls) != 3 || calls[2].query != "ids="+joinIDs(ids[100:]) {
		t.Fatalf("requests %+v", calls)
	}
}

func TestEpisodeRefusesBadInput(t *testing.T) {
	c, seen := catServer(t, "{}")
	ctx := context.Background()
	_, err := c.Episodes.Get(ctx, "spotify:show:"+episodeID, nil)
	wantInputError(t, "show URI", err, seen)
	_, err = c.Episodes.GetMany(ctx, nil, nil)
	wantInputError(t, "no IDs", err, seen)
	_, err = c.Episodes.Saved(ctx, &EpisodeSavedOptions{Market: "Sweden"})
	wantInputError(t, "bad market", err, seen)
	wantInputError(t, "save track", c.Episodes.Save(ctx, []string{"spotify:track:" + trackID}), seen)
	wantInputError(t, "remove none", c.Episodes.RemoveSaved(ctx, nil), seen)
}
