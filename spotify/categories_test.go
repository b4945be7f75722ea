package spotify

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

func TestCategoryGetAndList(t *testing.T) {
	ctx := context.Background()
	c, rec := recordingClient(t, replyWith(200, `{"href":"https://api.spotify.com/v1/browse/categories/dinner","icons":[],"id":"dinner","name":"Middag"}`))
	cat, err := c.Categories.Get(ctx, "dinner", &CategoryOptions{Locale: "sv_SE"})
	if err != nil || cat.Name != "Middag" {
		t.Fatalf("Get: %+v, %v", cat, err)
	}
	checkCall(t, rec.only(t), "GET", "browse/categories/dinner", url.Values{"locale": {"sv_SE"}})

	c, rec = recordingClient(t, func(n int, r *http.Request) (int, string) {
		if n == 0 {
			return 200, `{"categories":{"items":[{"id":"dinner","name":"Dinner"},{"id":"party","name":"Party"}],"total":3,"limit":2,"offset":0,"next":"more"}}`
		}
		return 200, `{"categories":{"items":[{"id":"0JQ5DAqbMKFQ00XGBls6ym","name":"Hip-Hop"}],"total":3,"limit":2,"offset":2,"next":null}}`
	})
	var names []string
	for cat, err := range c.Categories.ListAll(ctx, &CategoryListOptions{ListOptions: ListOptions{Limit: 2}, Locale: "es"}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, cat.Name)
	}
	reqs := rec.all()
	if len(names) != 3 || names[2] != "Hip-Hop" || len(reqs) != 2 {
		t.Fatalf("got %v in %d requests", names, len(reqs))
	}
	checkCall(t, reqs[1], "GET", "browse/categories", url.Values{"limit": {"2"}, "offset": {"2"}, "locale": {"es"}})
}

func TestCategoryRefusesBadInput(t *testing.T) {
	c, rec := recordingClient(t, replyWith(200, "{}"))
	ctx := context.Background()
	checks := map[string]error{}
	_, checks["empty ID"] = c.Categories.Get(ctx, "", nil)
	_, checks["path in ID"] = c.Categories.Get(ctx, "../me", nil)
	_, checks["locale"] = c.Categories.Get(ctx, "dinner", &CategoryOptions{Locale: "sv-se"})
	_, checks["limit"] = c.Categories.List(ctx, &CategoryListOptions{ListOptions: ListOptions{Limit: 51}})
	_, checks["playlists of a bad category"] = c.Playlists.ForCategory(ctx, "a/b", nil)
	for name, err := range checks {
		wantRefused(t, name, err, rec)
	}
}
