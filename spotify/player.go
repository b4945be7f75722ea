package spotify

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// PlayerService calls the player endpoints, which read and control the
// current user's playback. Commands need Spotify Premium: Spotify refuses
// them for other users with 403 and reason PREMIUM_REQUIRED
// ([ErrForbidden]); with no active device they fail with [ErrNotFound].
type PlayerService service

// RepeatState is a repeat mode of the player.
type RepeatState string

// The repeat modes.
const (
	RepeatOff     RepeatState = "off"     // no repeat
	RepeatTrack   RepeatState = "track"   // repeat the current track
	RepeatContext RepeatState = "context" // repeat the album, playlist or show
)

// The item types besides tracks a caller can ask to see in playback
// states and playlists (AdditionalTypes fields).
const (
	AdditionalTypeTrack   = "track"
	AdditionalTypeEpisode = "episode"
)

// PlayerStateOptions selects what [PlayerService.State] and
// [PlayerService.CurrentlyPlaying] return.
type PlayerStateOptions struct {
	Market string // see MarketOptions
	// AdditionalTypes lists the item types besides tracks the caller
	// understands: AdditionalTypeEpisode. Without it a playing episode
	// comes back with a null item.
	AdditionalTypes []string
}

// PlayerDeviceOptions picks the device a player command targets.
type PlayerDeviceOptions struct {
	DeviceID string // empty targets the user's active device
}

// PlayerPlayOptions says what [PlayerService.Play] plays. Set ContextURI or
// URIs, not both; with neither, playback resumes where it was paused.
type PlayerPlayOptions struct {
	DeviceID string // empty targets the user's active device
	// ContextURI is the album, artist, playlist, show or audiobook to play,
	// as a spotify: URI or open.spotify.com URL.
	ContextURI string
	// URIs are the tracks or episodes to play, in order.
	URIs []string
	// Offset is where in ContextURI or URIs playback starts; nil starts at
	// the beginning.
	Offset *PlayerOffset
	// PositionMS is where in the first item playback starts, in
	// milliseconds.
	PositionMS int
}

// PlayerOffset is where playback starts within a context or a list of URIs:
// at the zero-based Position, or at the item URI. Set one.
type PlayerOffset struct {
	Position int
	URI      string
}

// PlayerRecentlyPlayedOptions selects a page of recently played tracks. Set
// After or Before, not both; with neither, the page ends with the most
// recent play.
type PlayerRecentlyPlayedOptions struct {
	Limit  int       // 1-50, default 20
	After  time.Time // plays strictly after this instant (sent as Unix milliseconds)
	Before time.Time // plays strictly before this instant (sent as Unix milliseconds)
}

var opGetInformationAboutTheUsersCurrentPlayback = &operation{id: "get-information-about-the-users-current-playback", method: http.MethodGet, route: "/me/player"}

// State returns the user's playback state: device, progress, repeat and
// shuffle modes, and the item playing. It returns (nil, nil) when Spotify
// answers 204 No Content, which it does when no device is active.
//
//   - Endpoint: GET /v1/me/player
//   - Scopes: user-read-playback-state.
//   - Limits: one request; nothing to page.
//
//spotify:operation get-information-about-the-users-current-playback
func (s *PlayerService) State(ctx context.Context, opts *PlayerStateOptions) (*models.CurrentlyPlayingContext, error) {
	q := query{}
	if err := q.playerState(s.c, derefOr(opts)); err != nil {
		return nil, err
	}
	st := new(models.CurrentlyPlayingContext)
	if err := s.c.get(ctx, opGetInformationAboutTheUsersCurrentPlayback, "me/player", q.values(), st); err != nil {
		if isNoContent(err) {
			return nil, nil
		}
		return nil, err
	}
	return st, nil
}

var opGetTheUsersCurrentlyPlayingTrack = &operation{id: "get-the-users-currently-playing-track", method: http.MethodGet, route: "/me/player/currently-playing"}

// CurrentlyPlaying returns the item playing on the user's account and its
// progress. It returns (nil, nil) when Spotify answers 204 No Content, which
// it does when nothing is playing.
//
//   - Endpoint: GET /v1/me/player/currently-playing
//   - Scopes: user-read-currently-playing.
//   - Limits: one request; nothing to page.
//
//spotify:operation get-the-users-currently-playing-track
func (s *PlayerService) CurrentlyPlaying(ctx context.Context, opts *PlayerStateOptions) (*models.CurrentlyPlaying, error) {
	q := query{}
	if err := q.playerState(s.c, derefOr(opts)); err != nil {
		return nil, err
	}
	cp := new(models.CurrentlyPlaying)
	if err := s.c.get(ctx, opGetTheUsersCurrentlyPlayingTrack, "me/player/currently-playing", q.values(), cp); err != nil {
		if isNoContent(err) {
			return nil, nil
		}
		return nil, err
	}
	return cp, nil
}

var opGetAUsersAvailableDevices = &operation{id: "get-a-users-available-devices", method: http.MethodGet, route: "/me/player/devices"}

// Devices returns the devices the user can play on.
//
//   - Endpoint: GET /v1/me/player/devices
//   - Scopes: user-read-playback-state.
//   - Limits: one request for the whole list.
//
//spotify:operation get-a-users-available-devices
func (s *PlayerService) Devices(ctx context.Context) ([]models.Device, error) {
	var resp struct {
		Devices []models.Device `json:"devices"`
	}
	if err := s.c.get(ctx, opGetAUsersAvailableDevices, "me/player/devices", nil, &resp); err != nil {
		return nil, err
	}
	return resp.Devices, nil
}

var opTransferAUsersPlayback = &operation{id: "transfer-a-users-playback", method: http.MethodPut, route: "/me/player", repeat: repeatSafe}

// Transfer moves playback to the device deviceID. With play, playback
// starts there; otherwise it keeps its current state (paused stays paused).
//
//   - Endpoint: PUT /v1/me/player
//   - Scopes: user-modify-playback-state.
//   - Limits: one device ID: the body takes a list, but Spotify refuses more
//     than one. Needs Spotify Premium.
//
//spotify:operation transfer-a-users-playback
func (s *PlayerService) Transfer(ctx context.Context, deviceID string, play bool) error {
	if strings.TrimSpace(deviceID) == "" {
		return fmt.Errorf("%w: no device ID given", ErrInvalidInput)
	}
	body := struct {
		DeviceIDs []string `json:"device_ids"`
		Play      bool     `json:"play,omitzero"`
	}{[]string{deviceID}, play}
	return s.c.send(ctx, opTransferAUsersPlayback, "me/player", nil, body, nil)
}

var opStartAUsersPlayback = &operation{id: "start-a-users-playback", method: http.MethodPut, route: "/me/player/play", repeat: repeatSafe}

// Play starts or resumes playback: of opts.ContextURI or opts.URIs when
// set, else of whatever was paused.
//
//   - Endpoint: PUT /v1/me/player/play
//   - Scopes: user-modify-playback-state.
//   - Limits: one command per request; set a context or item URIs, not both.
//     Needs Spotify Premium.
//
//spotify:operation start-a-users-playback
func (s *PlayerService) Play(ctx context.Context, opts *PlayerPlayOptions) error {
	o := derefOr(opts)
	body, err := playBody(o)
	if err != nil {
		return err
	}
	var b any // a nil *playRequest in an interface would be sent as null
	if body != nil {
		b = body
	}
	return s.c.send(ctx, opStartAUsersPlayback, "me/player/play", deviceQuery(o.DeviceID), b, nil)
}

// playRequest is the body of a play command.
type playRequest struct {
	ContextURI string         `json:"context_uri,omitzero"`
	URIs       []string       `json:"uris,omitzero"`
	Offset     map[string]any `json:"offset,omitzero"`
	PositionMS int            `json:"position_ms,omitzero"`
}

// playBody checks o and builds the play command's body, nil for a plain
// resume.
func playBody(o PlayerPlayOptions) (*playRequest, error) {
	if o.ContextURI != "" && len(o.URIs) > 0 {
		return nil, fmt.Errorf("%w: set a context URI or item URIs, not both", ErrInvalidInput)
	}
	if o.PositionMS < 0 {
		return nil, fmt.Errorf("%w: position %d ms is negative", ErrInvalidInput, o.PositionMS)
	}
	var b playRequest
	var err error
	if o.ContextURI != "" {
		if b.ContextURI, err = contextURI(o.ContextURI); err != nil {
			return nil, err
		}
	}
	if len(o.URIs) > 0 {
		if b.URIs, err = parseURIs(o.URIs, playableKind); err != nil {
			return nil, err
		}
	}
	if o.Offset != nil {
		if b.Offset, err = playOffset(*o.Offset, b.ContextURI != "" || len(b.URIs) > 0); err != nil {
			return nil, err
		}
	}
	b.PositionMS = o.PositionMS
	if b.ContextURI == "" && b.URIs == nil && b.Offset == nil && b.PositionMS == 0 {
		return nil, nil
	}
	return &b, nil
}

func playOffset(off PlayerOffset, haveItems bool) (map[string]any, error) {
	switch {
	case !haveItems:
		return nil, fmt.Errorf("%w: an offset needs a context URI or item URIs", ErrInvalidInput)
	case off.URI != "" && off.Position != 0:
		return nil, fmt.Errorf("%w: set an offset position or URI, not both", ErrInvalidInput)
	case off.Position < 0:
		return nil, fmt.Errorf("%w: offset position %d is negative", ErrInvalidInput, off.Position)
	case off.URI != "":
		u, err := parseURI(off.URI, playableKind)
		if err != nil {
			return nil, err
		}
		return map[string]any{"uri": u}, nil
	}
	return map[string]any{"position": off.Position}, nil
}

// contextURI checks a context to play and returns its spotify: URI. The
// user-scoped contexts Spotify reports in playback states (such as
// spotify:user:ID:collection, the user's liked songs) are passed as given.
func contextURI(s string) (string, error) {
	if strings.HasPrefix(s, "spotify:user:") && strings.Count(s, ":") > 2 {
		return s, nil
	}
	return parseURI(s, func(k models.Kind) bool {
		switch k {
		case models.KindAlbum, models.KindArtist, models.KindPlaylist, models.KindShow, models.KindAudiobook:
			return true
		}
		return false
	})
}

// Spotify refuses to pause paused playback (403, "Restriction violated"):
// a repeat of a pause that took effect would turn it into an error.
var opPauseAUsersPlayback = &operation{id: "pause-a-users-playback", method: http.MethodPut, route: "/me/player/pause", repeat: repeatUnsafe}

// Pause pauses playback. Spotify refuses to pause playback that is paused
// already (403 matching [ErrForbidden]), so a pause is not sent again after
// a failure that may have reached Spotify: such a failure wraps
// [ErrMaybeApplied], and [PlayerService.State] tells whether it paused.
//
//   - Endpoint: PUT /v1/me/player/pause
//   - Scopes: user-modify-playback-state.
//   - Limits: one command per request. Needs Spotify Premium.
//
//spotify:operation pause-a-users-playback
func (s *PlayerService) Pause(ctx context.Context, opts *PlayerDeviceOptions) error {
	return s.command(ctx, opPauseAUsersPlayback, "me/player/pause", derefOr(opts).DeviceID, nil)
}

// A repeat skips a second item.
var opSkipUsersPlaybackToNextTrack = &operation{id: "skip-users-playback-to-next-track", method: http.MethodPost, route: "/me/player/next", repeat: repeatUnsafe}

// Next skips to the next item in the queue. A repeat would skip twice, so
// a request that may have reached Spotify is never sent again: a failure
// wrapping [ErrMaybeApplied] may have skipped.
//
//   - Endpoint: POST /v1/me/player/next
//   - Scopes: user-modify-playback-state.
//   - Limits: one command per request, never retried once sent. Needs Spotify
//     Premium.
//
//spotify:operation skip-users-playback-to-next-track
func (s *PlayerService) Next(ctx context.Context, opts *PlayerDeviceOptions) error {
	return s.command(ctx, opSkipUsersPlaybackToNextTrack, "me/player/next", derefOr(opts).DeviceID, nil)
}

// A repeat goes back a second item.
var opSkipUsersPlaybackToPreviousTrack = &operation{id: "skip-users-playback-to-previous-track", method: http.MethodPost, route: "/me/player/previous", repeat: repeatUnsafe}

// Previous skips to the previous item. Like [PlayerService.Next], a failure
// wrapping [ErrMaybeApplied] may have skipped.
//
//   - Endpoint: POST /v1/me/player/previous
//   - Scopes: user-modify-playback-state.
//   - Limits: one command per request, never retried once sent. Needs Spotify
//     Premium.
//
//spotify:operation skip-users-playback-to-previous-track
func (s *PlayerService) Previous(ctx context.Context, opts *PlayerDeviceOptions) error {
	return s.command(ctx, opSkipUsersPlaybackToPreviousTrack, "me/player/previous", derefOr(opts).DeviceID, nil)
}

var opSeekToPositionInCurrentlyPlayingTrack = &operation{id: "seek-to-position-in-currently-playing-track", method: http.MethodPut, route: "/me/player/seek", repeat: repeatSafe}

// Seek moves playback to positionMS milliseconds into the current item; a
// position past its end skips to the next item.
//
//   - Endpoint: PUT /v1/me/player/seek
//   - Scopes: user-modify-playback-state.
//   - Limits: positionMS 0 or more; one command per request. Needs Spotify
//     Premium.
//
//spotify:operation seek-to-position-in-currently-playing-track
func (s *PlayerService) Seek(ctx context.Context, positionMS int, opts *PlayerDeviceOptions) error {
	if positionMS < 0 {
		return fmt.Errorf("%w: seek position %d ms is negative", ErrInvalidInput, positionMS)
	}
	return s.command(ctx, opSeekToPositionInCurrentlyPlayingTrack, "me/player/seek", derefOr(opts).DeviceID,
		url.Values{"position_ms": {strconv.Itoa(positionMS)}})
}

var opSetRepeatModeOnUsersPlayback = &operation{id: "set-repeat-mode-on-users-playback", method: http.MethodPut, route: "/me/player/repeat", repeat: repeatSafe}

// SetRepeat sets the repeat mode.
//
//   - Endpoint: PUT /v1/me/player/repeat
//   - Scopes: user-modify-playback-state.
//   - Limits: state is RepeatOff, RepeatTrack or RepeatContext; one command
//     per request. Needs Spotify Premium.
//
//spotify:operation set-repeat-mode-on-users-playback
func (s *PlayerService) SetRepeat(ctx context.Context, state RepeatState, opts *PlayerDeviceOptions) error {
	switch state {
	case RepeatOff, RepeatTrack, RepeatContext:
	default:
		return fmt.Errorf("%w: repeat state %q is not off, track or context", ErrInvalidInput, state)
	}
	return s.command(ctx, opSetRepeatModeOnUsersPlayback, "me/player/repeat", derefOr(opts).DeviceID,
		url.Values{"state": {string(state)}})
}

var opToggleShuffleForUsersPlayback = &operation{id: "toggle-shuffle-for-users-playback", method: http.MethodPut, route: "/me/player/shuffle", repeat: repeatSafe}

// SetShuffle turns shuffle on or off.
//
//   - Endpoint: PUT /v1/me/player/shuffle
//   - Scopes: user-modify-playback-state.
//   - Limits: one command per request. Needs Spotify Premium.
//
//spotify:operation toggle-shuffle-for-users-playback
func (s *PlayerService) SetShuffle(ctx context.Context, on bool, opts *PlayerDeviceOptions) error {
	return s.command(ctx, opToggleShuffleForUsersPlayback, "me/player/shuffle", derefOr(opts).DeviceID,
		url.Values{"state": {strconv.FormatBool(on)}})
}

var opSetVolumeForUsersPlayback = &operation{id: "set-volume-for-users-playback", method: http.MethodPut, route: "/me/player/volume", repeat: repeatSafe}

// SetVolume sets the volume, from 0 to 100 percent. Devices whose
// supports_volume is false refuse it.
//
//   - Endpoint: PUT /v1/me/player/volume
//   - Scopes: user-modify-playback-state.
//   - Limits: percent 0-100; one command per request. Needs Spotify Premium.
//
//spotify:operation set-volume-for-users-playback
func (s *PlayerService) SetVolume(ctx context.Context, percent int, opts *PlayerDeviceOptions) error {
	if percent < 0 || percent > 100 {
		return fmt.Errorf("%w: volume %d%% is outside 0..100", ErrInvalidInput, percent)
	}
	return s.command(ctx, opSetVolumeForUsersPlayback, "me/player/volume", derefOr(opts).DeviceID,
		url.Values{"volume_percent": {strconv.Itoa(percent)}})
}

var opGetQueue = &operation{id: "get-queue", method: http.MethodGet, route: "/me/player/queue"}

// Queue returns the item playing and the items queued after it.
//
//   - Endpoint: GET /v1/me/player/queue
//   - Scopes: user-read-currently-playing and user-read-playback-state.
//   - Limits: one request; the queue comes as Spotify lists it, unpaged.
//
//spotify:operation get-queue
func (s *PlayerService) Queue(ctx context.Context) (*models.Queue, error) {
	q := new(models.Queue)
	if err := s.c.get(ctx, opGetQueue, "me/player/queue", nil, q); err != nil {
		return nil, err
	}
	return q, nil
}

// A repeat queues the item a second time.
var opAddToQueue = &operation{id: "add-to-queue", method: http.MethodPost, route: "/me/player/queue", repeat: repeatUnsafe}

// AddToQueue appends a track or episode, given as a spotify: URI or
// open.spotify.com URL, to the queue. A repeat would queue it twice, so a
// request that may have reached Spotify is never sent again: a failure
// wrapping [ErrMaybeApplied] may have queued the item.
//
//   - Endpoint: POST /v1/me/player/queue
//   - Scopes: user-modify-playback-state.
//   - Limits: one item per request, never retried once sent. Needs Spotify
//     Premium.
//
//spotify:operation add-to-queue
func (s *PlayerService) AddToQueue(ctx context.Context, uri string, opts *PlayerDeviceOptions) error {
	u, err := parseURI(uri, playableKind)
	if err != nil {
		return err
	}
	return s.command(ctx, opAddToQueue, "me/player/queue", derefOr(opts).DeviceID, url.Values{"uri": {u}})
}

// command sends a player command of op with its query plus the optional
// device_id. Commands answer 202 or 204 with an empty or plain-text body,
// so nothing is decoded.
func (s *PlayerService) command(ctx context.Context, op *operation, path, deviceID string, q url.Values) error {
	if deviceID != "" {
		if q == nil {
			q = url.Values{}
		}
		q.Set("device_id", deviceID)
	}
	return s.c.send(ctx, op, path, q, nil, nil)
}

func deviceQuery(deviceID string) url.Values {
	if deviceID == "" {
		return nil
	}
	return url.Values{"device_id": {deviceID}}
}

var opGetRecentlyPlayed = &operation{id: "get-recently-played", method: http.MethodGet, route: "/me/player/recently-played"}

// RecentlyPlayed returns one page of the tracks the user played, most
// recent first. Spotify keeps only the last 50 plays and does not list
// podcast episodes.
//
//   - Endpoint: GET /v1/me/player/recently-played
//   - Scopes: user-read-recently-played.
//   - Limits: limit 1-50 per page, default 20; paged by cursor (After or
//     Before), and only the last 50 plays exist.
//
//spotify:operation get-recently-played
func (s *PlayerService) RecentlyPlayed(ctx context.Context, opts *PlayerRecentlyPlayedOptions) (*models.CursorPage[models.PlayHistory], error) {
	o := derefOr(opts)
	if o.Limit < 0 || o.Limit > 50 {
		return nil, fmt.Errorf("%w: limit %d is outside 1..50", ErrInvalidInput, o.Limit)
	}
	if !o.After.IsZero() && !o.Before.IsZero() {
		return nil, fmt.Errorf("%w: set After or Before, not both", ErrInvalidInput)
	}
	q := query{}
	q.setInt("limit", o.Limit)
	if !o.After.IsZero() {
		q.set("after", strconv.FormatInt(o.After.UnixMilli(), 10))
	}
	if !o.Before.IsZero() {
		q.set("before", strconv.FormatInt(o.Before.UnixMilli(), 10))
	}
	p := new(models.CursorPage[models.PlayHistory])
	if err := s.c.get(ctx, opGetRecentlyPlayed, "me/player/recently-played", q.values(), p.Within(pageBound(o.Limit, 50))); err != nil {
		return nil, err
	}
	return p, nil
}

// RecentlyPlayedAll iterates over the user's recent plays from the point
// opts sets, fetching pages of opts.Limit (default 50) lazily as the loop
// asks. It goes back in time from Before (or from now), or forward from
// After, following the cursor Spotify's next link carries.
//
//   - Endpoint: GET /v1/me/player/recently-played, once per page
//   - Scopes: user-read-recently-played.
//   - Limits: limit 1-50 per page; only the last 50 plays exist.
func (s *PlayerService) RecentlyPlayedAll(ctx context.Context, opts *PlayerRecentlyPlayedOptions) iter.Seq2[models.PlayHistory, error] {
	o := derefOr(opts)
	o.Limit = orDefault(o.Limit, 50)
	return paging.Cursor(ctx, func(ctx context.Context, cursor string) (*models.CursorPage[models.PlayHistory], error) {
		if cursor != "" {
			if err := applyPlayCursor(&o, cursor); err != nil {
				return nil, err
			}
		}
		p, err := s.RecentlyPlayed(ctx, &o)
		if err != nil {
			return nil, err
		}
		// paging.Cursor continues from Cursors.After; hand it the cursor
		// of the next link, which points back in time with before=.
		walk := *p
		walk.Cursors.After = nextPlayCursor(p, !o.After.IsZero())
		return &walk, nil
	}, walkOptions(opGetRecentlyPlayed, o.Limit)...)
}

// nextPlayCursor returns "before=MS" or "after=MS" for the page after p,
// read from p's next link, or "" when there is none.
func nextPlayCursor(p *models.CursorPage[models.PlayHistory], forward bool) string {
	if p.Next == "" {
		return ""
	}
	if u, err := url.Parse(p.Next); err == nil {
		for _, key := range []string{"before", "after"} {
			if v := u.Query().Get(key); v != "" {
				return key + "=" + v
			}
		}
	}
	if forward && p.Cursors.After != "" {
		return "after=" + p.Cursors.After
	}
	if !forward && p.Cursors.Before != "" {
		return "before=" + p.Cursors.Before
	}
	return ""
}

// applyPlayCursor sets o's After or Before from a cursor of nextPlayCursor.
func applyPlayCursor(o *PlayerRecentlyPlayedOptions, cursor string) error {
	key, v, _ := strings.Cut(cursor, "=")
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		// Not quoted: the value is the server's, and no token is at hand
		// here to scrub from it.
		return fmt.Errorf("%w: the recently played cursor (%d bytes) is not Unix milliseconds", ErrInvalidReply, len(v))
	}
	o.After, o.Before = time.Time{}, time.Time{}
	if key == "after" {
		o.After = time.UnixMilli(ms)
	} else {
		o.Before = time.UnixMilli(ms)
	}
	return nil
}

// isNoContent reports whether err is the client's complaint about a 204
// answer with no body, which the playback reads send when nothing plays.
func isNoContent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNoContent
}

func (q query) playerState(c *Client, o PlayerStateOptions) error {
	if err := q.market(c, o.Market); err != nil {
		return err
	}
	return q.additionalTypes(o.AdditionalTypes)
}

// additionalTypes adds additional_types after checking each is a track or
// an episode.
func (q query) additionalTypes(types []string) error {
	for _, t := range types {
		if t != AdditionalTypeTrack && t != AdditionalTypeEpisode {
			return fmt.Errorf("%w: additional type %q is not track or episode", ErrInvalidInput, t)
		}
	}
	q.setList("additional_types", types)
	return nil
}
