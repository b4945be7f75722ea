package spotify

import (
	"context"
	"slices"
	"testing"
)

func TestGenreSeeds(t *testing.T) {
	c, rec := recordingClient(t, replyWith(200, `{"genres":["acoustic","samba"]}`))
	got, err := c.Genres.Seeds(context.Background())
	if err != nil || !slices.Equal(got, []string{"acoustic", "samba"}) {
		t.Fatalf("got %v, %v", got, err)
	}
	checkCall(t, rec.only(t), "GET", "recommendations/available-genre-seeds", nil)
}
