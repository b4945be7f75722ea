package async

import (
	"context"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// AudiobooksService runs the audiobook calls of [spotify.AudiobooksService].
type AudiobooksService service

// Get is the asynchronous [spotify.AudiobooksService.Get].
func (s *AudiobooksService) Get(ctx context.Context, id string, opts *spotify.MarketOptions) *Future[*models.Audiobook] {
	return call(ctx, opts, func(ctx context.Context, o *spotify.MarketOptions) (*models.Audiobook, error) {
		return s.a.c.Audiobooks.Get(ctx, id, o)
	})
}

// GetMany looks up any number of audiobooks as [TracksService.GetMany]
// looks up tracks, in chunks of 50.
func (s *AudiobooksService) GetMany(ctx context.Context, ids []string, opts *spotify.MarketOptions) *Future[[]*models.Audiobook] {
	o := clone(opts)
	return many(ctx, s.a, lookup[models.Audiobook]{kind: batchAudiobooks, id: models.KindAudiobook, max: 50,
		batch: func(ctx context.Context, ids []string) ([]*models.Audiobook, error) {
			return s.a.c.Audiobooks.GetMany(ctx, ids, o)
		},
		one: func(ctx context.Context, id string) (*models.Audiobook, error) {
			return s.a.c.Audiobooks.Get(ctx, id, o)
		},
	}, ids)
}

// Chapters streams every chapter of an audiobook from opts.Offset on, in
// pages of opts.Limit (default 50) fetched concurrently.
func (s *AudiobooksService) Chapters(ctx context.Context, id string, opts *spotify.AudiobookChaptersOptions) *Stream[models.SimplifiedChapter] {
	return pageOpts(ctx, s.a, "GET /audiobooks/{id}/chapters", opts, 50, func(o *spotify.AudiobookChaptersOptions) *spotify.ListOptions { return &o.ListOptions },
		func(ctx context.Context, o *spotify.AudiobookChaptersOptions) (*models.Page[models.SimplifiedChapter], error) {
			return s.a.c.Audiobooks.Chapters(ctx, id, o)
		})
}

// Saved streams the current user's saved audiobooks, in pages of
// opts.Limit (default 50) fetched concurrently.
func (s *AudiobooksService) Saved(ctx context.Context, opts *spotify.AudiobookSavedOptions) *Stream[models.SavedAudiobook] {
	return pageOpts(ctx, s.a, "GET /me/audiobooks", opts, 50, func(o *spotify.AudiobookSavedOptions) *spotify.ListOptions { return &o.ListOptions },
		s.a.c.Audiobooks.Saved)
}

// Save is the asynchronous [spotify.AudiobooksService.Save].
//
// Deprecated: use [LibraryService.Save]; see [spotify.AudiobooksService.Save].
func (s *AudiobooksService) Save(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Audiobooks.Save)
}

// RemoveSaved is the asynchronous [spotify.AudiobooksService.RemoveSaved].
//
// Deprecated: use [LibraryService.Remove]; see [spotify.AudiobooksService.RemoveSaved].
func (s *AudiobooksService) RemoveSaved(ctx context.Context, ids []string) *Future[struct{}] {
	return idsCall(ctx, ids, s.a.c.Audiobooks.RemoveSaved)
}

// CheckSaved is the asynchronous [spotify.AudiobooksService.CheckSaved].
//
// Deprecated: use [LibraryService.Contains]; see [spotify.AudiobooksService.CheckSaved].
func (s *AudiobooksService) CheckSaved(ctx context.Context, ids []string) *Future[[]bool] {
	return idsQuery(ctx, ids, s.a.c.Audiobooks.CheckSaved)
}
