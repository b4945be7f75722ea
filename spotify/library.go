package spotify

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/spotflow/spotflow/models"
)

// LibraryService calls the /me/library endpoints, which save, remove and
// check items of any kind in the current user's library by Spotify URI.
type LibraryService service

// libraryMaxURIs is uris_max of the /me/library endpoints.
const libraryMaxURIs = 40

var opSaveLibraryItems = &operation{id: "save-library-items", method: http.MethodPut, route: "/me/library", repeat: repeatSafe}

// Save adds items to the current user's library: tracks and albums are
// saved, shows, episodes and audiobooks followed, artists, users and
// playlists followed. uris are spotify: URIs or open.spotify.com URLs of
// tracks, albums, episodes, shows, audiobooks, artists, users or playlists;
// bare IDs are refused because their kind is unknown. Any number may be
// given: they are sent 40 per request, in order. Saving is idempotent, so a
// failed call can simply be repeated.
//
//   - Endpoint: PUT /v1/me/library
//   - Scopes: user-library-modify, user-follow-modify or
//     playlist-modify-public, depending on the kinds saved.
//   - Limits: 40 URIs per request; longer lists are split into chunks of 40,
//     sent in order, and the first failure ends the call.
//
//spotify:operation save-library-items
func (s *LibraryService) Save(ctx context.Context, uris []string) error {
	return s.change(ctx, opSaveLibraryItems, uris)
}

var opRemoveLibraryItems = &operation{id: "remove-library-items", method: http.MethodDelete, route: "/me/library", repeat: repeatSafe}

// Remove takes items out of the current user's library; uris are accepted
// and sent as for [LibraryService.Save].
//
//   - Endpoint: DELETE /v1/me/library
//   - Scopes: user-library-modify, user-follow-modify or
//     playlist-modify-public, depending on the kinds removed.
//   - Limits: 40 URIs per request; longer lists are split into chunks of 40,
//     sent in order, and the first failure ends the call.
//
//spotify:operation remove-library-items
func (s *LibraryService) Remove(ctx context.Context, uris []string) error {
	return s.change(ctx, opRemoveLibraryItems, uris)
}

var opCheckLibraryContains = &operation{id: "check-library-contains", method: http.MethodGet, route: "/me/library/contains"}

// Contains reports, for each of uris, whether it is in the current user's
// library; the answer lines up with uris. uris are accepted as for
// [LibraryService.Save].
//
//   - Endpoint: GET /v1/me/library/contains
//   - Scopes: user-library-read, user-follow-read or playlist-read-private,
//     depending on the kinds asked about.
//   - Limits: 40 URIs per request; longer lists are asked about in chunks of
//     40, one after another.
//
//spotify:operation check-library-contains
func (s *LibraryService) Contains(ctx context.Context, uris []string) ([]bool, error) {
	return containsQuery(ctx, s.c, opCheckLibraryContains, "me/library/contains", "uris", uris, func(v string) (string, error) {
		return parseURI(v, libraryKind)
	}, libraryMaxURIs)
}

func (s *LibraryService) change(ctx context.Context, op *operation, uris []string) error {
	parsed, err := parseURIs(uris, libraryKind)
	if err != nil {
		return err
	}
	for _, chunk := range chunks(parsed, libraryMaxURIs) {
		q := url.Values{"uris": {strings.Join(chunk, ",")}}
		if err := s.c.send(ctx, op, "me/library", q, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// libraryKind reports whether /me/library takes URIs of kind k. Spotify's
// reference lists artists only for contains, yet names save and remove as
// the replacements of following artists, so artists are accepted by all
// three.
func libraryKind(k models.Kind) bool {
	switch k {
	case models.KindTrack, models.KindAlbum, models.KindEpisode, models.KindShow,
		models.KindAudiobook, models.KindArtist, models.KindUser, models.KindPlaylist:
		return true
	}
	return false
}

// playableKind reports whether k can be a playlist entry, a queue entry or
// an item to play: a track or an episode.
func playableKind(k models.Kind) bool {
	return k == models.KindTrack || k == models.KindEpisode
}

// parseURI parses a spotify: URI or open.spotify.com URL and returns its
// canonical spotify: URI, refusing bare IDs (their kind is unknown) and
// kinds ok does not allow.
func parseURI(s string, ok func(models.Kind) bool) (string, error) {
	r, err := models.Parse(s)
	switch {
	case err != nil:
	case r.Kind == "":
		err = fmt.Errorf("%w: %q is a bare ID; give a spotify: URI or URL so its type is known", models.ErrInvalidID, s)
	case !ok(r.Kind):
		err = fmt.Errorf("%w: %q is a %s, which this endpoint does not take", models.ErrInvalidID, s, r.Kind)
	default:
		return r.URI(), nil
	}
	return "", &inputError{err}
}

// parseURIs parses every URI of a batch with parseURI; an empty list is an
// error.
func parseURIs(uris []string, ok func(models.Kind) bool) ([]string, error) {
	if len(uris) == 0 {
		return nil, fmt.Errorf("%w: no URIs given", ErrInvalidInput)
	}
	out := make([]string, len(uris))
	for i, s := range uris {
		u, err := parseURI(s, ok)
		if err != nil {
			return nil, err
		}
		out[i] = u
	}
	return out, nil
}
