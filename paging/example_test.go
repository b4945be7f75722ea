package paging_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// Offset walks any offset-paged endpoint lazily: the next page is fetched
// only when the loop asks for its first item.
func ExampleOffset() {
	words := []string{"alpha", "beta", "gamma", "delta", "epsilon"}
	fetch := func(_ context.Context, offset int) (*models.Page[string], error) {
		end := min(offset+2, len(words))
		p := &models.Page[string]{Items: words[offset:end], Offset: offset, Limit: 2, Total: len(words)}
		if end < len(words) {
			p.Next = fmt.Sprintf("https://api.example/v1/words?offset=%d&limit=2", end)
		}
		return p, nil
	}
	for w, err := range paging.Offset(context.Background(), 0, fetch, paging.WithLimit(2)) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Print(w, " ")
	}
	fmt.Println()
	// Output: alpha beta gamma delta epsilon
}

// Plan makes the offsets of the pages after a first page of 50 items, as
// the async streams fetch them ahead, one at a time as they are needed.
func ExamplePlan() {
	fmt.Println(slices.Collect(paging.Plan(50, 50, 180)))
	// Output: [50 100 150]
}
