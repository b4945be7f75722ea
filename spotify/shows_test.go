package spotify

import (
	"context"
	"strings"
	"testing"
)

const showID = "3vuV292Him90EjQ5YL4XIw"

func TestShowCalls(t *testing.T) {
	show := catFixture(t, "get_show.json")
	runCatCases(t, []catCase{
		{name: "Get", reply: show, method: "GET", path: "shows/" + showID, query: "market=FR",
			call: func(ctx context.Context, c *Client) error {
				s, err := c.Shows.Get(ctx, showID, &MarketOptions{Market: "FR"})
				if err != nil {
					return err
				}
				return expect(s.Name == "Uncommon Core" && len(s.Episodes.Items) > 0, "%q, %d episodes", s.Name, len(s.Episodes.Items))
			}},
		{name: "GetMany", reply: `{"shows":[{"id":"` + showID + `","type":"show","name":"Uncommon Core"}]}`, method: "GET", path: "shows",
			query: "ids=" + showID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Shows.GetMany(ctx, []string{"spotify:show:" + showID}, nil)
				if err != nil {
					return err
				}
				return expect(len(got) == 1 && got[0].Name == "Uncommon Core", "%v", got)
			}},
		{name: "Episodes", reply: catFixture(t, "get_show_episodes.json"),
			method: "GET", path: "shows/" + showID + "/episodes", query: "limit=50",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Shows.Episodes(ctx, showID, &ShowEpisodesOptions{ListOptions: ListOptions{Limit: 50}})
				if err != nil {
					return err
				}
				return expect(p.Total == 25 && len(p.Items) == 25 && p.Items[0].ID == episodeID, "%d of %d", len(p.Items), p.Total)
			}},
		{name: "Saved", reply: pageOf(`{"added_at":"2024-02-03T04:05:06Z","show":{"id":"`+showID+`","name":"Uncommon Core"}}`, 1, 0, 1),
			method: "GET", path: "me/shows", query: "limit=5",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Shows.Saved(ctx, &ShowSavedOptions{ListOptions{Limit: 5}})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 1 && p.Items[0].Show.Name == "Uncommon Core", "%+v", p)
			}},
		{name: "Save", method: "PUT", path: "me/shows", query: "ids=" + showID,
			call: func(ctx context.Context, c *Client) error { return c.Shows.Save(ctx, []string{showID}) }},
		{name: "RemoveSaved", method: "DELETE", path: "me/shows", query: "ids=" + showID + "&market=US",
			call: func(ctx context.Context, c *Client) error {
				return c.Shows.RemoveSaved(ctx, []string{showID}, &MarketOptions{Market: "US"})
			}},
		{name: "CheckSaved", reply: "[true]", method: "GET", path: "me/shows/contains", query: "ids=" + showID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Shows.CheckSaved(ctx, []string{showID})
				if err != nil {
					return err
				}
				return expect(len(got) == 1 && got[0], "%v", got)
			}},
	})
}

func TestShowIteratorsAndChunks(t *testing.T) {
	episode := `{"id":"` + episodeID + `"}`
	c, seen := catServer(t, pageOf(episode, 50, 10, 61), pageOf(episode, 1, 60, 61))
	n := 0
	for _, err := range c.Shows.EpisodesAll(context.Background(), showID, &ShowEpisodesOptions{ListOptions: ListOptions{Offset: 10}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if calls := seen(); n != 51 || len(calls) != 2 || calls[1].query != "limit=50&offset=60" {
		t.Fatalf("%d items, requests %+v", n, calls)
	}

	c, seen = catServer(t, pageOf(`{"show":{"id":"`+showID+`"}}`, 1, 0, 1))
	for s, err := range c.Shows.SavedAll(context.Background(), nil) {
		if err != nil || s.Show.ID != showID {
			t.Fatalf("%+v, %v", s, err)
		}
	}
	checkCatCall(t, seen()[0], "GET", "me/shows", "limit=50", "")

	ids := catIDs(51)
	c, seen = catServer(t)
	if err := c.Shows.RemoveSaved(context.Background(), ids, nil); err != nil {
		t.Fatal(err)
	}
	calls := seen()
	if len(calls) != 2 {
		t.Fatalf("%d requests, want 2", len(calls))
	}
	checkCatCall(t, calls[0], "DELETE", "me/shows", "ids="+joinIDs(ids[:50]), "")
	checkCatCall(t, calls[1], "DELETE", "me/shows", "ids="+ids[50], "")
}

func TestShowRefusesBadInput(t *testing.T) {
	c, seen := catServer(t, "{}")
	ctx := context.Background()
	_, err := c.Shows.Get(ctx, "spotify:episode:"+episodeID, nil)
	wantInputError(t, "episode URI", err, seen)
	_, err = c.Shows.GetMany(ctx, nil, nil)
	wantInputError(t, "no IDs", err, seen)
	_, err = c.Shows.Episodes(ctx, showID, &ShowEpisodesOptions{ListOptions: ListOptions{Limit: 100}})
	wantInputError(t, "limit 100", err, seen)
	_, err = c.Shows.Saved(ctx, &ShowSavedOptions{ListOptions{Offset: -5}})
	wantInputError(t, "negative offset", err, seen)
	wantInputError(t, "remove with bad market", c.Shows.RemoveSaved(ctx, []string{showID}, &MarketOptions{Market: "u"}), seen)
	_, err = c.Shows.CheckSaved(ctx, []string{strings.Repeat("a", 23)})
	wantInputError(t, "long ID", err, seen)
}
