package async

import "context"

// MarketsService runs the market calls of [spotify.MarketsService].
type MarketsService service

// List is the asynchronous [spotify.MarketsService.List].
//
// Deprecated: see [spotify.MarketsService.List].
func (s *MarketsService) List(ctx context.Context) *Future[[]string] {
	return run(ctx, s.a.c.Markets.List)
}
