package async

import (
	"context"
	"slices"
)

// LibraryService runs the /me/library calls of [spotify.LibraryService].
type LibraryService service

// Save is the asynchronous [spotify.LibraryService.Save].
func (s *LibraryService) Save(ctx context.Context, uris []string) *Future[struct{}] {
	uris = slices.Clone(uris)
	return do(ctx, func(ctx context.Context) error { return s.a.c.Library.Save(ctx, uris) })
}

// Remove is the asynchronous [spotify.LibraryService.Remove].
func (s *LibraryService) Remove(ctx context.Context, uris []string) *Future[struct{}] {
	uris = slices.Clone(uris)
	return do(ctx, func(ctx context.Context) error { return s.a.c.Library.Remove(ctx, uris) })
}

// Contains is the asynchronous [spotify.LibraryService.Contains].
func (s *LibraryService) Contains(ctx context.Context, uris []string) *Future[[]bool] {
	uris = slices.Clone(uris)
	return run(ctx, func(ctx context.Context) ([]bool, error) { return s.a.c.Library.Contains(ctx, uris) })
}
