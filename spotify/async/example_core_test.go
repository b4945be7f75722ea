package async_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
	"github.com/spotflow/spotflow/spotify/async"
)

// letters is an offset-paged list of the alphabet served from memory, four
// letters a page, standing in for a Spotify endpoint.
func letters(_ context.Context, offset int) (*models.Page[string], error) {
	const all = "abcdefghijklmnopqrstuvwxyz"
	p := &models.Page[string]{Offset: offset, Limit: 4, Total: len(all)}
	for i := offset; i < min(offset+4, len(all)); i++ {
		p.Items = append(p.Items, all[i:i+1])
	}
	if offset+4 < len(all) {
		p.Next = fmt.Sprintf("https://api.example/v1/letters?offset=%d&limit=4", offset+4)
	}
	return p, nil
}

// StreamPages turns any offset-paged fetch into an ordered stream whose
// pages after the first are fetched concurrently. WithPaging says what each
// fetch asks for, so that a page longer than that ends the stream with an
// error matching paging.ErrInvalidReply.
func ExampleStreamPages() {
	ctx := context.Background()
	var b strings.Builder
	for s, err := range async.StreamPages(ctx, letters, async.WithPrefetch(3), async.WithPaging(paging.WithLimit(4))).All() {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		b.WriteString(s)
	}
	fmt.Println(b.String())
	// Output: abcdefghijklmnopqrstuvwxyz
}

// Breaking out of the loop stops the stream and every goroutine behind it.
func ExampleStream_All_break() {
	ctx := context.Background()
	for s, err := range async.StreamPages(ctx, letters).All() {
		if err != nil {
			return
		}
		fmt.Print(s)
		if s == "e" {
			break
		}
	}
	fmt.Println()
	// Output: abcde
}

// Reading the channel, then Err, is the other way to consume a stream.
func ExampleStream_C() {
	ctx := context.Background()
	failing := func(ctx context.Context, offset int) (*models.Page[string], error) {
		if offset >= 8 {
			return nil, errors.New("page unavailable")
		}
		return letters(ctx, offset)
	}
	s := async.StreamPages(ctx, failing)
	defer s.Close()
	for v := range s.C() {
		fmt.Print(v)
	}
	fmt.Println()
	fmt.Println(s.Err())
	// Output:
	// abcdefgh
	// page unavailable
}

// Go runs calls concurrently; Await collects each result.
func ExampleGo() {
	ctx := context.Background()
	square := func(n int) *async.Future[int] {
		return async.Go(ctx, func(context.Context) (int, error) { return n * n, nil })
	}
	a, b := square(3), square(4)
	x, _ := a.Await(ctx)
	y, _ := b.Await(ctx)
	fmt.Println(x + y)
	// Output: 25
}

// Map fans a step of a pipeline out, keeping the input order.
func ExampleMap() {
	ctx := context.Background()
	words := []string{"artists", "albums", "tracks"}
	lengths, err := async.Map(ctx, words, 2, func(_ context.Context, w string) (int, error) {
		return len(w), nil
	})
	fmt.Println(lengths, err)
	// Output: [7 6 6] <nil>
}

// MapSeq streams the results of a fan-out over a sequence in input order,
// with at most limit calls in flight or waiting.
func ExampleMapSeq() {
	ctx := context.Background()
	upper := func(_ context.Context, s string) (string, error) { return strings.ToUpper(s), nil }
	out, err := async.MapSeq(ctx, slices.Values([]string{"a", "b", "c"}), 2, upper).Collect()
	fmt.Println(out, err)
	// Output: [A B C] <nil>
}
