package spotify

import (
	"context"
	"slices"
	"testing"
)

func TestMarketList(t *testing.T) {
	c, rec := recordingClient(t, replyWith(200, `{"markets":["CA","BR","IT"]}`))
	got, err := c.Markets.List(context.Background())
	if err != nil || !slices.Equal(got, []string{"CA", "BR", "IT"}) {
		t.Fatalf("got %v, %v", got, err)
	}
	checkCall(t, rec.only(t), "GET", "markets", nil)
}
