package async

import "context"

// GenresService runs the genre calls of [spotify.GenresService].
type GenresService service

// Seeds is the asynchronous [spotify.GenresService.Seeds].
//
// Deprecated: see [spotify.GenresService.Seeds].
func (s *GenresService) Seeds(ctx context.Context) *Future[[]string] {
	return run(ctx, s.a.c.Genres.Seeds)
}
