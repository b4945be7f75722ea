package paging_test

import (
	"context"
	"fmt"

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
			p.Next = "next"
		}
		return p, nil
	}
	for w, err := range paging.Offset(context.Background(), 0, fetch) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Print(w, " ")
	}
	fmt.Println()
	// Output: alpha beta gamma delta epsilon
}

// Plan lists the offsets of the pages after the first, which is how the
// async streams fetch them concurrently.
func ExamplePlan() {
	fmt.Println(paging.Plan(0, 50, 180))
	// Output: [50 100 150]
}
