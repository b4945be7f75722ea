package spotify

import (
	"context"
	"testing"
)

const (
	audiobookID = "7iHfbu1YPACw6oZPAFJtqe"
	chapterID   = "0D5wENdkdwbqlrHoaJ9g29"
)

func TestAudiobookCalls(t *testing.T) {
	book := `{"id":"` + audiobookID + `","name":"Dune","type":"audiobook","total_chapters":2,"authors":[{"name":"Frank Herbert"}],` +
		`"chapters":` + pageOf(`{"id":"`+chapterID+`","name":"Chapter 1"}`, 1, 0, 2) + `}`
	runCatCases(t, []catCase{
		{name: "Get", reply: book, method: "GET", path: "audiobooks/" + audiobookID, query: "market=US",
			call: func(ctx context.Context, c *Client) error {
				b, err := c.Audiobooks.Get(ctx, "spotify:audiobook:"+audiobookID, &MarketOptions{Market: "US"})
				if err != nil {
					return err
				}
				return expect(b.Name == "Dune" && len(b.Chapters.Items) == 1, "%+v", b)
			}},
		{name: "GetMany", reply: `{"audiobooks":[null,` + book + `]}`, method: "GET", path: "audiobooks",
			query: "ids=" + albumID + "%2C" + audiobookID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Audiobooks.GetMany(ctx, []string{albumID, audiobookID}, nil)
				if err != nil {
					return err
				}
				return expect(len(got) == 2 && got[0] == nil && got[1].Name == "Dune", "%v", got)
			}},
		{name: "Chapters", reply: pageOf(`{"id":"`+chapterID+`","name":"Chapter 1"}`, 1, 1, 2),
			method: "GET", path: "audiobooks/" + audiobookID + "/chapters", query: "limit=1&market=GB&offset=1",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Audiobooks.Chapters(ctx, audiobookID, &AudiobookChaptersOptions{ListOptions{1, 1}, "GB"})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 1 && p.Items[0].ID == chapterID, "%+v", p)
			}},
		{name: "Saved", reply: pageOf(`{"added_at":"2024-02-03T04:05:06Z","audiobook":{"id":"`+audiobookID+`","name":"Dune"}}`, 1, 0, 1),
			method: "GET", path: "me/audiobooks", query: "offset=4",
			call: func(ctx context.Context, c *Client) error {
				p, err := c.Audiobooks.Saved(ctx, &AudiobookSavedOptions{ListOptions{Offset: 4}})
				if err != nil {
					return err
				}
				return expect(len(p.Items) == 1 && p.Items[0].Audiobook.Name == "Dune", "%+v", p)
			}},
		{name: "Save", method: "PUT", path: "me/audiobooks", query: "ids=" + audiobookID,
			call: func(ctx context.Context, c *Client) error { return c.Audiobooks.Save(ctx, []string{audiobookID}) }},
		{name: "RemoveSaved", method: "DELETE", path: "me/audiobooks", query: "ids=" + audiobookID,
			call: func(ctx context.Context, c *Client) error {
				return c.Audiobooks.RemoveSaved(ctx, []string{audiobookID})
			}},
		{name: "CheckSaved", reply: "[true]", method: "GET", path: "me/audiobooks/contains", query: "ids=" + audiobookID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Audiobooks.CheckSaved(ctx, []string{audiobookID})
				if err != nil {
					return err
				}
				return expect(len(got) == 1 && got[0], "%v", got)
			}},
	})
}

func TestAudiobookIterators(t *testing.T) {
	chapter := `{"id":"` + chapterID + `"}`
	c, seen := catServer(t, pageOf(chapter, 50, 0, 70), pageOf(chapter, 20, 50, 70))
	n := 0
	for _, err := range c.Audiobooks.ChaptersAll(context.Background(), audiobookID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if calls := seen(); n != 70 || len(calls) != 2 || calls[1].query != "limit=50&offset=50" {
		t.Fatalf("%d items, requests %+v", n, calls)
	}

	c, seen = catServer(t, pageOf(`{"audiobook":{"id":"`+audiobookID+`"}}`, 3, 0, 3))
	n = 0
	for b, err := range c.Audiobooks.SavedAll(context.Background(), &AudiobookSavedOptions{ListOptions{Limit: 3}}) {
		if err != nil || b.Audiobook.ID != audiobookID {
			t.Fatalf("%+v, %v", b, err)
		}
		n++
	}
	if calls := seen(); n != 3 || len(calls) != 1 || calls[0].query != "limit=3" {
		t.Fatalf("%d items, requests %+v", n, calls)
	}
}

func TestAudiobookRefusesBadInput(t *testing.T) {
	c, seen := catServer(t, "{}")
	ctx := context.Background()
	_, err := c.Audiobooks.Get(ctx, "spotify:chapter:"+chapterID, nil)
	wantInputError(t, "chapter URI", err, seen)
	_, err = c.Audiobooks.GetMany(ctx, []string{}, nil)
	wantInputError(t, "no IDs", err, seen)
	_, err = c.Audiobooks.Chapters(ctx, audiobookID, &AudiobookChaptersOptions{ListOptions: ListOptions{Limit: 51}})
	wantInputError(t, "limit 51", err, seen)
	_, err = c.Audiobooks.Saved(ctx, &AudiobookSavedOptions{ListOptions{Limit: -1}})
	wantInputError(t, "negative limit", err, seen)
	wantInputError(t, "save none", c.Audiobooks.Save(ctx, nil), seen)
	wantInputError(t, "remove show", c.Audiobooks.RemoveSaved(ctx, []string{"spotify:show:" + audiobookID}), seen)
	_, err = c.Audiobooks.CheckSaved(ctx, []string{"nope"})
	wantInputError(t, "check malformed", err, seen)
}

func TestChapterCalls(t *testing.T) {
	chapter := `{"id":"` + chapterID + `","type":"episode","name":"Chapter 1","chapter_number":0,"audiobook":{"id":"` + audiobookID + `","name":"Dune"}}`
	runCatCases(t, []catCase{
		{name: "Get", reply: chapter, method: "GET", path: "chapters/" + chapterID, query: "market=US",
			call: func(ctx context.Context, c *Client) error {
				ch, err := c.Chapters.Get(ctx, "https://open.spotify.com/chapter/"+chapterID, &MarketOptions{Market: "US"})
				if err != nil {
					return err
				}
				return expect(ch.Name == "Chapter 1" && ch.Audiobook.Name == "Dune", "%+v", ch)
			}},
		{name: "GetMany", reply: `{"chapters":[` + chapter + `]}`, method: "GET", path: "chapters", query: "ids=" + chapterID,
			call: func(ctx context.Context, c *Client) error {
				got, err := c.Chapters.GetMany(ctx, []string{chapterID}, nil)
				if err != nil {
					return err
				}
				return expect(len(got) == 1 && got[0].ID == chapterID, "%v", got)
			}},
	})
}

func TestChapterRefusesBadInput(t *testing.T) {
	c, seen := catServer(t, "{}")
	ctx := context.Background()
	_, err := c.Chapters.Get(ctx, "spotify:audiobook:"+audiobookID, nil)
	wantInputError(t, "audiobook URI", err, seen)
	_, err = c.Chapters.GetMany(ctx, nil, nil)
	wantInputError(t, "no IDs", err, seen)
	_, err = c.Chapters.GetMany(ctx, []string{chapterID}, &MarketOptions{Market: "gb"})
	wantInputError(t, "bad market", err, seen)
}
