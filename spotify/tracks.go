package spotify

import (
	"context"
	"fmt"
	"iter"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spotflow/spotflow/models"
)

// TracksService calls the track endpoints.
type TracksService service

// Batch limits (ids_max) of the track endpoints.
const (
	tracksMaxIDs        = 50
	audioFeaturesMaxIDs = 100
)

// Recommendation limits: 1-100 tracks, and at most 5 seeds of any kind.
const (
	recommendationsMaxLimit = 100
	recommendationsMaxSeeds = 5
)

// TrackSavedOptions selects a page of the current user's saved tracks.
type TrackSavedOptions struct {
	ListOptions        // Limit at most 50
	Market      string // see MarketOptions
}

// TimestampedTrack is a track to save together with the time it counts as
// saved, which places it in the library's chronological order.
type TimestampedTrack struct {
	ID      string    // track ID, URI or URL
	AddedAt time.Time // Spotify orders the library by the minute
}

// RecommendationSeeds are what recommendations start from: 1 to 5 values in
// any mix of the three kinds.
type RecommendationSeeds struct {
	Artists []string // artist IDs, URIs or URLs
	Genres  []string // genre names, as [GenresService.Seeds] lists them
	Tracks  []string // track IDs, URIs or URLs
}

// Tunable is a track attribute recommendations can be tuned by.
type Tunable string

// The tunable track attributes, with the values Spotify accepts.
const (
	TunableAcousticness     Tunable = "acousticness"     // 0-1
	TunableDanceability     Tunable = "danceability"     // 0-1
	TunableDurationMS       Tunable = "duration_ms"      // whole milliseconds
	TunableEnergy           Tunable = "energy"           // 0-1
	TunableInstrumentalness Tunable = "instrumentalness" // 0-1
	TunableKey              Tunable = "key"              // pitch class, whole 0-11
	TunableLiveness         Tunable = "liveness"         // 0-1
	TunableLoudness         Tunable = "loudness"         // decibels, usually -60-0
	TunableMode             Tunable = "mode"             // 0 minor, 1 major
	TunablePopularity       Tunable = "popularity"       // whole 0-100
	TunableSpeechiness      Tunable = "speechiness"      // 0-1
	TunableTempo            Tunable = "tempo"            // beats per minute
	TunableTimeSignature    Tunable = "time_signature"   // beats per bar, whole
	TunableValence          Tunable = "valence"          // 0-1, musical positiveness
)

// TrackRecommendationsOptions tunes recommendations. Each map sends its
// attributes as min_, max_ or target_ parameters: Min and Max are hard
// bounds, Target asks for tracks near the value.
type TrackRecommendationsOptions struct {
	Limit  int    // tracks wanted, 1-100; 0 leaves Spotify's default of 20
	Market string // see MarketOptions
	Min    map[Tunable]float64
	Max    map[Tunable]float64
	Target map[Tunable]float64
}

var opGetTrack = &operation{id: "get-track", method: http.MethodGet, route: "/tracks/{id}"}

// Get returns one track, by ID, URI or URL.
//
//   - Endpoint: GET /v1/tracks/{id}
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one track per request.
//
//spotify:operation get-track
func (s *TracksService) Get(ctx context.Context, id string, opts *MarketOptions) (*models.Track, error) {
	return getInMarket[models.Track](ctx, s.c, opGetTrack, "tracks/", id, models.KindTrack, marketOf(opts))
}

var opGetSeveralTracks = &operation{id: "get-several-tracks", method: http.MethodGet, route: "/tracks"}

// GetMany returns several tracks, by ID, URI or URL, in the order given.
// Any number may be given: they are looked up 50 per request, one request
// after another. Duplicates are looked up as given; an ID Spotify does not
// know gives a nil entry.
//
//   - Endpoint: GET /v1/tracks
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: Spotify deprecated this endpoint on 2026-02-08 and removed it
// for Development Mode apps (new ones from 2026-02-11, existing ones from
// 2026-03-09), which get a 403 matching [ErrForbidden]; look tracks up one at
// a time with [TracksService.Get]. Extended Quota apps can still call it.
//
//spotify:operation get-several-tracks
func (s *TracksService) GetMany(ctx context.Context, ids []string, opts *MarketOptions) ([]*models.Track, error) {
	q, err := marketQuery(s.c, marketOf(opts))
	if err != nil {
		return nil, err
	}
	return getMany[models.Track](ctx, s.c, opGetSeveralTracks, "tracks", "tracks", ids, models.KindTrack, tracksMaxIDs, q)
}

var opGetUsersSavedTracks = &operation{id: "get-users-saved-tracks", method: http.MethodGet, route: "/me/tracks"}

// Saved returns one page of the tracks saved in the current user's library
// ("Liked Songs"), most recently saved first.
//
//   - Endpoint: GET /v1/me/tracks
//   - Scopes: user-library-read.
//   - Limits: limit 1-50 per page, default 20.
//
//spotify:operation get-users-saved-tracks
func (s *TracksService) Saved(ctx context.Context, opts *TrackSavedOptions) (*models.Page[models.SavedTrack], error) {
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	return getPage[models.SavedTrack](ctx, s.c, opGetUsersSavedTracks, "me/tracks", q, o.ListOptions, 50)
}

// SavedAll iterates over the current user's saved tracks from opts.Offset
// on, fetching pages of opts.Limit (default 50) lazily as the loop asks.
//
//   - Endpoint: GET /v1/me/tracks, once per page
//   - Scopes: user-library-read.
//   - Limits: limit 1-50 per page.
func (s *TracksService) SavedAll(ctx context.Context, opts *TrackSavedOptions) iter.Seq2[models.SavedTrack, error] {
	o := derefOr(opts)
	return offsetAll(ctx, opGetUsersSavedTracks, o.ListOptions, 50, func(ctx context.Context, lo ListOptions) (*models.Page[models.SavedTrack], error) {
		o := o
		o.ListOptions = lo
		return s.Saved(ctx, &o)
	})
}

var opSaveTracksUser = &operation{id: "save-tracks-user", method: http.MethodPut, route: "/me/tracks", repeat: repeatSafe}

// Save adds tracks, by ID, URI or URL, to the current user's library. Any
// number may be given: they are sent 50 per request, in order, in the
// body. Saving is idempotent, so a failed call can simply be repeated. To
// choose when each counts as saved, use [TracksService.SaveTimestamped].
//
//   - Endpoint: PUT /v1/me/tracks
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Save] with track URIs (PUT /v1/me/library),
// which Spotify made its replacement on 2026-02-10. This endpoint still
// answers, in Development Mode too.
//
//spotify:operation save-tracks-user
func (s *TracksService) Save(ctx context.Context, ids []string) error {
	return changeSaved(ctx, s.c, opSaveTracksUser, "me/tracks", ids, models.KindTrack, tracksMaxIDs)
}

// SaveTimestamped adds tracks to the current user's library as if saved at
// the given times, which places them in the library's order (Spotify keeps
// minutes, not seconds). It calls the same endpoint as [TracksService.Save],
// 50 tracks per request, in order.
//
//   - Endpoint: PUT /v1/me/tracks
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Save], which takes no times; Spotify made
// PUT /v1/me/library the replacement of this endpoint on 2026-02-10. This
// endpoint still answers, in Development Mode too.
func (s *TracksService) SaveTimestamped(ctx context.Context, tracks []TimestampedTrack) error {
	if len(tracks) == 0 {
		return fmt.Errorf("%w: no tracks given", ErrInvalidInput)
	}
	items := make([]timestampedID, len(tracks))
	for i, t := range tracks {
		id, err := parseID(t.ID, models.KindTrack)
		if err != nil {
			return err
		}
		if t.AddedAt.IsZero() || t.AddedAt.Year() > 9999 {
			return fmt.Errorf("%w: track %s has no usable save time (%v)", ErrInvalidInput, id, t.AddedAt)
		}
		items[i] = timestampedID{ID: id, AddedAt: t.AddedAt.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano)}
	}
	for _, chunk := range chunks(items, tracksMaxIDs) {
		// ids is required by the contract; Spotify ignores it when
		// timestamped_ids is present.
		body := saveTracksBody{IDs: make([]string, len(chunk)), TimestampedIDs: chunk}
		for i, t := range chunk {
			body.IDs[i] = t.ID
		}
		if err := s.c.send(ctx, opSaveTracksUser, "me/tracks", nil, body, nil); err != nil {
			return err
		}
	}
	return nil
}

// saveTracksBody is the body of PUT /me/tracks.
type saveTracksBody struct {
	IDs            []string        `json:"ids"`
	TimestampedIDs []timestampedID `json:"timestamped_ids,omitzero"`
}

type timestampedID struct {
	ID      string `json:"id"`
	AddedAt string `json:"added_at"` // ISO 8601 in UTC
}

var opRemoveTracksUser = &operation{id: "remove-tracks-user", method: http.MethodDelete, route: "/me/tracks", repeat: repeatSafe}

// RemoveSaved removes tracks, by ID, URI or URL, from the current user's
// library, 50 per request, in order.
//
//   - Endpoint: DELETE /v1/me/tracks
//   - Scopes: user-library-modify.
//   - Limits: 50 IDs per request; longer lists are split into chunks of 50,
//     sent in order, and the first failure ends the call.
//
// Deprecated: use [LibraryService.Remove] with track URIs (DELETE
// /v1/me/library), which Spotify made its replacement on 2026-02-10. This
// endpoint still answers, in Development Mode too.
//
//spotify:operation remove-tracks-user
func (s *TracksService) RemoveSaved(ctx context.Context, ids []string) error {
	return changeSavedQuery(ctx, s.c, opRemoveTracksUser, "me/tracks", ids, models.KindTrack, tracksMaxIDs, nil)
}

var opCheckUsersSavedTracks = &operation{id: "check-users-saved-tracks", method: http.MethodGet, route: "/me/tracks/contains"}

// CheckSaved reports, for each of ids (track IDs, URIs or URLs), whether it
// is saved in the current user's library; the answer lines up with ids.
//
//   - Endpoint: GET /v1/me/tracks/contains
//   - Scopes: user-library-read.
//   - Limits: 50 IDs per request; longer lists are asked about in chunks of
//     50, one after another.
//
// Deprecated: use [LibraryService.Contains] with track URIs (GET
// /v1/me/library/contains), which Spotify made its replacement on 2026-02-12.
// This endpoint still answers, in Development Mode too.
//
//spotify:operation check-users-saved-tracks
func (s *TracksService) CheckSaved(ctx context.Context, ids []string) ([]bool, error) {
	return containsSaved(ctx, s.c, opCheckUsersSavedTracks, "me/tracks", ids, models.KindTrack, tracksMaxIDs)
}

var opGetAudioFeatures = &operation{id: "get-audio-features", method: http.MethodGet, route: "/audio-features/{id}"}

// AudioFeatures returns the audio features (tempo, key, energy, ...) of one
// track, by ID, URI or URL.
//
//   - Endpoint: GET /v1/audio-features/{id}
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one track per request.
//
// Deprecated: Spotify cut new apps off audio features on 2024-11-27 and
// deprecated the endpoint in its OpenAPI definition on 2024-12-23, with no
// replacement. Development Mode apps get a 403 matching [ErrForbidden];
// Extended Quota apps that had access before then can still call it.
//
//spotify:operation get-audio-features
func (s *TracksService) AudioFeatures(ctx context.Context, id string) (*models.AudioFeatures, error) {
	return getByID[models.AudioFeatures](ctx, s.c, opGetAudioFeatures, "audio-features/", id, models.KindTrack, nil)
}

var opGetSeveralAudioFeatures = &operation{id: "get-several-audio-features", method: http.MethodGet, route: "/audio-features"}

// AudioFeaturesMany returns the audio features of several tracks, by ID,
// URI or URL, in the order given. Any number may be given: they are looked
// up 100 per request, one request after another. Duplicates are looked up
// as given; an ID Spotify does not know gives a nil entry.
//
//   - Endpoint: GET /v1/audio-features
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: 100 IDs per request; longer lists are split into chunks of 100,
//     sent in order, and the first failure ends the call.
//
// Deprecated: Spotify cut new apps off audio features on 2024-11-27 and
// deprecated the endpoint in its OpenAPI definition on 2024-12-23, with no
// replacement. Development Mode apps get a 403 matching [ErrForbidden];
// Extended Quota apps that had access before then can still call it.
//
//spotify:operation get-several-audio-features
func (s *TracksService) AudioFeaturesMany(ctx context.Context, ids []string) ([]*models.AudioFeatures, error) {
	return getMany[models.AudioFeatures](ctx, s.c, opGetSeveralAudioFeatures, "audio-features", "audio_features", ids, models.KindTrack, audioFeaturesMaxIDs, nil)
}

var opGetAudioAnalysis = &operation{id: "get-audio-analysis", method: http.MethodGet, route: "/audio-analysis/{id}"}

// AudioAnalysis returns the low-level audio analysis of one track, by ID,
// URI or URL: its bars, beats, sections, segments and tatums.
//
//   - Endpoint: GET /v1/audio-analysis/{id}
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: one track per request; analyses of long tracks can be large,
//     and a body over the client's size cap fails with [ErrTooLarge].
//
// Deprecated: Spotify cut new apps off audio analysis on 2024-11-27 and
// deprecated the endpoint in its OpenAPI definition on 2024-12-23, with no
// replacement. Development Mode apps get a 403 matching [ErrForbidden];
// Extended Quota apps that had access before then can still call it.
//
//spotify:operation get-audio-analysis
func (s *TracksService) AudioAnalysis(ctx context.Context, id string) (*models.AudioAnalysis, error) {
	return getByID[models.AudioAnalysis](ctx, s.c, opGetAudioAnalysis, "audio-analysis/", id, models.KindTrack, nil)
}

var opGetRecommendations = &operation{id: "get-recommendations", method: http.MethodGet, route: "/recommendations"}

// Recommendations returns tracks like the seeds, tuned by opts. Seeds must
// hold 1 to 5 values in all; attribute values out of their range, and
// fractions for whole-number attributes, are refused before any request.
//
//   - Endpoint: GET /v1/recommendations
//   - Scopes: no scope needed; a client-credentials token will do.
//   - Limits: limit 1-100 tracks, default 20; 1 to 5 seeds in all.
//
// Deprecated: Spotify cut new apps off recommendations on 2024-11-27 and
// deprecated the endpoint in its OpenAPI definition on 2024-12-23, with no
// replacement. Development Mode apps get a 403 matching [ErrForbidden];
// Extended Quota apps that had access before then can still call it.
//
//spotify:operation get-recommendations
func (s *TracksService) Recommendations(ctx context.Context, seeds RecommendationSeeds, opts *TrackRecommendationsOptions) (*models.Recommendations, error) {
	o := derefOr(opts)
	q, err := marketQuery(s.c, o.Market)
	if err != nil {
		return nil, err
	}
	if o.Limit < 0 || o.Limit > recommendationsMaxLimit {
		return nil, fmt.Errorf("%w: limit %d is outside 1..%d", ErrInvalidInput, o.Limit, recommendationsMaxLimit)
	}
	q.setInt("limit", o.Limit)
	if err := q.seeds(seeds); err != nil {
		return nil, err
	}
	if err := q.tunables(o); err != nil {
		return nil, err
	}
	r := new(models.Recommendations)
	if err := s.c.get(ctx, opGetRecommendations, "recommendations", q.values(), r); err != nil {
		return nil, err
	}
	return r, nil
}

// seeds adds the seed_ parameters after checking their count and values.
func (q query) seeds(s RecommendationSeeds) error {
	n := len(s.Artists) + len(s.Genres) + len(s.Tracks)
	if n < 1 || n > recommendationsMaxSeeds {
		return fmt.Errorf("%w: %d recommendation seeds given, want 1 to %d", ErrInvalidInput, n, recommendationsMaxSeeds)
	}
	artists, err := seedIDs(s.Artists, models.KindArtist)
	if err != nil {
		return err
	}
	tracks, err := seedIDs(s.Tracks, models.KindTrack)
	if err != nil {
		return err
	}
	for _, g := range s.Genres {
		if g == "" || strings.ContainsAny(g, ", ") {
			return fmt.Errorf("%w: genre seed %q is not a genre name", ErrInvalidInput, g)
		}
	}
	q.setList("seed_artists", artists)
	q.setList("seed_genres", s.Genres)
	q.setList("seed_tracks", tracks)
	return nil
}

func seedIDs(ids []string, kind models.Kind) ([]string, error) {
	out := make([]string, len(ids))
	for i, s := range ids {
		id, err := parseID(s, kind)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// tunables adds the min_, max_ and target_ parameters after checking each
// value against its attribute's range, and each minimum against its maximum.
func (q query) tunables(o TrackRecommendationsOptions) error {
	for _, set := range []struct {
		prefix string
		values map[Tunable]float64
	}{{"min_", o.Min}, {"max_", o.Max}, {"target_", o.Target}} {
		for t, v := range set.values {
			if err := checkTunable(t, v); err != nil {
				return err
			}
			q.set(set.prefix+string(t), strconv.FormatFloat(v, 'f', -1, 64))
		}
	}
	for t, lo := range o.Min {
		if hi, ok := o.Max[t]; ok && lo > hi {
			return fmt.Errorf("%w: min %s %v is above max %v", ErrInvalidInput, t, lo, hi)
		}
	}
	return nil
}

func checkTunable(t Tunable, v float64) error {
	lo, hi, whole, ok := tunableRange(t)
	switch {
	case !ok:
		return fmt.Errorf("%w: %q is not a tunable track attribute", ErrInvalidInput, t)
	case math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi:
		return fmt.Errorf("%w: %s %v is outside %v..%v", ErrInvalidInput, t, v, lo, hi)
	case whole && v != math.Trunc(v):
		return fmt.Errorf("%w: %s %v is not a whole number", ErrInvalidInput, t, v)
	}
	return nil
}

// tunableRange returns the values an attribute takes and whether they are
// whole numbers; ok is false for unknown attributes.
func tunableRange(t Tunable) (lo, hi float64, whole, ok bool) {
	switch t {
	case TunableAcousticness, TunableDanceability, TunableEnergy, TunableInstrumentalness,
		TunableLiveness, TunableSpeechiness, TunableValence:
		return 0, 1, false, true
	case TunableKey:
		return 0, 11, true, true
	case TunableMode:
		return 0, 1, true, true
	case TunablePopularity:
		return 0, 100, true, true
	case TunableDurationMS, TunableTimeSignature:
		return 0, math.MaxInt32, true, true
	case TunableTempo:
		return 0, math.MaxFloat64, false, true
	case TunableLoudness:
		return -math.MaxFloat64, math.MaxFloat64, false, true
	}
	return 0, 0, false, false
}

func marketOf(o *MarketOptions) string {
	if o == nil {
		return ""
	}
	return o.Market
}
