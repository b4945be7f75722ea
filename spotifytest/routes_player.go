package spotifytest

import (
	"net/http"
	"strconv"
	"time"
)

// The player: devices, playback state, commands, queue, recently played.
// Commands answer 204 with no body, like Spotify; a user without an active
// device gets 404 NO_ACTIVE_DEVICE, a free user 403 PREMIUM_REQUIRED.

type device struct {
	id, name, typ  string
	volume         int
	supportsVolume bool
}

// player is one user's playback. The list being played is a context (an
// album, artist, playlist or show) or, without one, the URIs of the last
// play call.
type player struct {
	devices  []device
	active   int // index in devices, -1 when none is active
	playing  bool
	ctxK     kind
	ctxID    string
	uris     []ref
	pos      int
	override *ref // a queued item playing in place of the context's
	progress int  // ms at since
	since    time.Time
	shuffle  bool
	repeat   string
	queue    []ref
	history  []played // oldest first
	steps    uint64   // commands so far, to vary shuffle
	changed  time.Time
	// unanchored: the seeded times are relative to a clock not yet read.
	unanchored bool
}

type played struct {
	track int32
	at    int64 // unix ms
	ctxK  kind
	ctxID string
}

const maxHistory = 1000

func newPlayer(userID string) *player {
	h := hashString(userID)
	devID := func(n uint64) string {
		s := strconv.FormatUint(mix64(h+n), 16) + strconv.FormatUint(mix64(h+n+100), 16) + strconv.FormatUint(mix64(h+n+200), 16)
		return (s + "0000000000000000000000000000000000000000")[:40]
	}
	return &player{
		devices: []device{
			{id: devID(1), name: "Spotflow Laptop", typ: "Computer", volume: 70, supportsVolume: true},
			{id: devID(2), name: "Pocket Phone", typ: "Smartphone", volume: 100, supportsVolume: true},
			{id: devID(3), name: "Kitchen Speaker", typ: "Speaker", volume: 40, supportsVolume: false},
		},
		active: -1,
		repeat: "off",
	}
}

// seed starts the default user's player: an album playing on the laptop,
// and a history of plays over the last hours. Its times are relative until
// anchor places them on the server's clock.
func (pl *player) seed(st *state, u *userState) {
	c := st.cat
	var now time.Time // the zero time; anchor moves everything to the clock
	pl.unanchored = true
	first := u.saved[kTrack].newest(0).idx
	pl.active = 0
	pl.ctxK, pl.ctxID = kAlbum, c.albums[c.tracks[first].album].id
	pl.pos = c.tracks[first].num - 1
	pl.playing = true
	pl.progress, pl.since, pl.changed = 42_000, now, now
	n := 75
	for j := 0; j < n; j++ {
		t := int32(mix64(7<<20+uint64(j)) % uint64(len(c.tracks)))
		h := played{track: t, at: -int64(n-j) * 210_000} // ms before the anchor
		switch j % 3 {
		case 0:
			h.ctxK, h.ctxID = kAlbum, c.albums[c.tracks[t].album].id
		case 1:
			h.ctxK, h.ctxID = kPlaylist, c.playlists[0].id
		}
		pl.history = append(pl.history, h)
	}
}

// anchor moves the seeded times onto the server's clock (see WithClock),
// on the first use of the player.
func (pl *player) anchor(now time.Time) {
	if !pl.unanchored {
		return
	}
	pl.unanchored = false
	pl.since, pl.changed = now, now
	for k := range pl.history {
		pl.history[k].at += now.UnixMilli()
	}
}

// length is the number of items of what is being played.
func (pl *player) length(st *state) int {
	c := st.cat
	switch pl.ctxK {
	case kAlbum:
		i, _ := c.lookup(kAlbum, pl.ctxID)
		return int(c.albums[i].nTracks)
	case kArtist:
		i, _ := c.lookup(kArtist, pl.ctxID)
		return len(c.topTracks(i))
	case kPlaylist:
		return st.playlists[pl.ctxID].n
	case kShow:
		i, _ := c.lookup(kShow, pl.ctxID)
		return int(c.shows[i].nEpisodes)
	}
	return len(pl.uris)
}

func (pl *player) itemAt(st *state, n int) ref {
	c := st.cat
	switch pl.ctxK {
	case kAlbum:
		i, _ := c.lookup(kAlbum, pl.ctxID)
		return ref{kTrack, c.albums[i].firstTrack + int32(n)}
	case kArtist:
		i, _ := c.lookup(kArtist, pl.ctxID)
		return ref{kTrack, c.topTracks(i)[n]}
	case kPlaylist:
		return st.rowAt(st.playlists[pl.ctxID], n).item
	case kShow:
		i, _ := c.lookup(kShow, pl.ctxID)
		return ref{kEpisode, c.shows[i].firstEpisode + int32(n)}
	}
	return pl.uris[n]
}

// current is what is playing or paused, if anything.
func (pl *player) current(st *state) (ref, bool) {
	if pl.active < 0 {
		return ref{}, false
	}
	if pl.override != nil {
		return *pl.override, true
	}
	n := pl.length(st)
	if n == 0 {
		return ref{}, false
	}
	return pl.itemAt(st, min(pl.pos, n-1)), true
}

func duration(c *catalog, r ref) int {
	if r.k == kEpisode {
		return c.episodes[r.idx].durationMs
	}
	return c.tracks[r.idx].durationMs
}

// progressNow is the position in the current item, advancing while playing.
func (pl *player) progressNow(st *state, now time.Time) int {
	p := pl.progress
	if pl.playing {
		p += int(now.Sub(pl.since).Milliseconds())
	}
	if cur, ok := pl.current(st); ok {
		p = min(p, duration(st.cat, cur))
	}
	return max(p, 0)
}

// setProgress moves the position, keeping the clock consistent.
func (pl *player) setProgress(ms int, now time.Time) {
	pl.progress, pl.since, pl.changed = ms, now, now
}

// begin starts the current item from ms and records it in the history.
func (pl *player) begin(st *state, ms int, now time.Time) {
	pl.playing = true
	pl.setProgress(ms, now)
	cur, ok := pl.current(st)
	if !ok || cur.k != kTrack {
		return
	}
	h := played{track: cur.idx, at: now.UnixMilli()}
	if pl.override == nil {
		h.ctxK, h.ctxID = pl.ctxK, pl.ctxID
	}
	pl.history = append(pl.history, h)
	if len(pl.history) > maxHistory {
		pl.history = pl.history[len(pl.history)-maxHistory:]
	}
}

func (v *view) deviceJSON(d device, active bool) jDevice {
	o := jDevice{
		ID: ptr(d.id), IsActive: active, Name: d.name, SupportsVolume: d.supportsVolume, Type: d.typ,
	}
	if d.supportsVolume {
		o.VolumePercent = ptr(d.volume)
	}
	return o
}

func (v *view) contextJSON(k kind, id string) []byte {
	if k == kNone {
		return nil
	}
	return mustJSON(jContext{ExternalURLs: openURL(k, id), Href: v.href(k, id), Type: k.uriType(), URI: uri(k, id)})
}

func (v *view) itemJSON(r ref) []byte {
	if r.k == kEpisode {
		return v.episodeJSON(int(r.idx))
	}
	return v.trackJSON(int(r.idx))
}

// playbackJSON renders CurrentlyPlayingContextObject (full) or
// CurrentlyPlayingObject; nil when nothing is loaded. Call with the lock held.
func (q *req) playbackJSON(v *view, pl *player, full bool) []byte {
	st := q.s.state
	cur, ok := pl.current(st)
	if !ok {
		return nil
	}
	now := q.s.now()
	typ := "track"
	if cur.k == kEpisode {
		typ = "episode"
	}
	var ms []member
	disallows := map[string]bool{}
	if pl.playing {
		disallows["resuming"] = true
	} else {
		disallows["pausing"] = true
	}
	ms = append(ms, member{"actions", mustJSON(map[string]any{"disallows": disallows})})
	if ctx := v.contextJSON(pl.ctxK, pl.ctxID); ctx != nil && pl.override == nil {
		ms = append(ms, member{"context", ctx})
	}
	ms = append(ms, member{"currently_playing_type", jsonString(typ)})
	if full {
		ms = append(ms, member{"device", mustJSON(v.deviceJSON(pl.devices[pl.active], true))})
	}
	ms = append(ms, member{"is_playing", strconv.AppendBool(nil, pl.playing)})
	// Without additional_types=episode Spotify leaves an episode out.
	if cur.k == kTrack || containsWord(q.r.URL.Query().Get("additional_types"), "episode") {
		ms = append(ms, member{"item", v.itemJSON(cur)})
	}
	ms = append(ms, member{"progress_ms", strconv.AppendInt(nil, int64(pl.progressNow(st, now)), 10)})
	if full {
		ms = append(ms,
			member{"repeat_state", jsonString(pl.repeat)},
			member{"shuffle_state", strconv.AppendBool(nil, pl.shuffle)},
			member{"smart_shuffle", []byte("false")})
	}
	ms = append(ms, member{"timestamp", strconv.AppendInt(nil, pl.changed.UnixMilli(), 10)})
	return wrap(ms...)
}

func containsWord(list, w string) bool {
	for _, x := range splitComma(list) {
		if x == w {
			return true
		}
	}
	return false
}

func splitComma(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != ',' {
			i++
		}
		out = append(out, s[:i])
		if i == len(s) {
			break
		}
		s = s[i+1:]
	}
	return out
}

func (q *req) playback(full bool) {
	v := q.marketView()
	if v == nil {
		return
	}
	q.s.mu.Lock()
	b := q.playbackJSON(v, q.me().player, full)
	q.s.mu.Unlock()
	if b == nil {
		q.empty(http.StatusNoContent)
		return
	}
	q.raw(http.StatusOK, b)
}

func hPlaybackState(q *req)    { q.playback(true) }
func hCurrentlyPlaying(q *req) { q.playback(false) }

func hDevices(q *req) {
	v := q.view(false)
	q.s.mu.Lock()
	pl := q.me().player
	out := make([]jDevice, len(pl.devices))
	for n, d := range pl.devices {
		out[n] = v.deviceJSON(d, n == pl.active)
	}
	q.s.mu.Unlock()
	q.json(http.StatusOK, map[string]any{"devices": out})
}

// command checks what every player command needs and returns the player
// with the lock held; the caller unlocks. With needActive, a device must be
// active or named by device_id (which then becomes the active one).
func (q *req) command(needActive bool) (*player, bool) {
	q.s.mu.Lock()
	u := q.me()
	if q.s.state.people[u.idx].product != "premium" {
		q.s.mu.Unlock()
		q.failReason(http.StatusForbidden, "Player command failed: Premium required", "PREMIUM_REQUIRED")
		return nil, false
	}
	pl := u.player
	if id := q.r.URL.Query().Get("device_id"); id != "" {
		d := pl.device(id)
		if d < 0 {
			q.s.mu.Unlock()
			q.fail(http.StatusNotFound, "Device not found")
			return nil, false
		}
		pl.active = d
	}
	if needActive && pl.active < 0 {
		q.s.mu.Unlock()
		q.failReason(http.StatusNotFound, "Player command failed: No active device found", "NO_ACTIVE_DEVICE")
		return nil, false
	}
	return pl, true
}

func (pl *player) device(id string) int {
	for n, d := range pl.devices {
		if d.id == id {
			return n
		}
	}
	return -1
}

func hTransfer(q *req) {
	var body struct {
		DeviceIDs []string `json:"device_ids"`
		Play      *bool    `json:"play"`
	}
	if !q.body(&body) {
		return
	}
	if len(body.DeviceIDs) != 1 {
		q.fail(http.StatusBadRequest, "Exactly one device id is required")
		return
	}
	pl, ok := q.command(false)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	d := pl.device(body.DeviceIDs[0])
	if d < 0 {
		q.fail(http.StatusNotFound, "Device not found")
		return
	}
	now := q.s.now()
	pl.setProgress(pl.progressNow(q.s.state, now), now)
	pl.active = d
	if body.Play != nil && *body.Play {
		pl.playing = true
	}
	q.empty(http.StatusNoContent)
}

func hPlay(q *req) {
	var body struct {
		ContextURI *string  `json:"context_uri"`
		URIs       []string `json:"uris"`
		Offset     *struct {
			Position *int    `json:"position"`
			URI      *string `json:"uri"`
		} `json:"offset"`
		PositionMs *int `json:"position_ms"`
	}
	if !q.body(&body) {
		return
	}
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	st, now := q.s.state, q.s.now()
	ms := 0
	if body.PositionMs != nil {
		if *body.PositionMs < 0 {
			q.fail(http.StatusBadRequest, "Invalid position_ms")
			return
		}
		ms = *body.PositionMs
	}
	if body.ContextURI == nil && body.URIs == nil {
		if _, ok := pl.current(st); !ok {
			q.fail(http.StatusBadRequest, "Player command failed: Nothing to resume")
			return
		}
		if body.PositionMs == nil {
			ms = pl.progressNow(st, now)
		}
		pl.playing = true
		pl.setProgress(ms, now)
		q.empty(http.StatusNoContent)
		return
	}
	next := *pl
	next.override = nil
	if body.ContextURI != nil {
		k, id, ok := parseURI(*body.ContextURI)
		if !ok || (k != kAlbum && k != kArtist && k != kPlaylist && k != kShow) || !q.exists(k, id) {
			q.fail(http.StatusBadRequest, "Invalid context uri")
			return
		}
		next.ctxK, next.ctxID, next.uris = k, id, nil
	} else {
		refs, ok := q.itemURIs(body.URIs)
		if !ok {
			return
		}
		next.ctxK, next.ctxID, next.uris = kNone, "", refs
	}
	n := next.length(st)
	next.pos = 0
	if o := body.Offset; o != nil {
		switch {
		case o.Position != nil && (*o.Position < 0 || *o.Position >= n):
			q.fail(http.StatusBadRequest, "Invalid offset")
			return
		case o.Position != nil:
			next.pos = *o.Position
		case o.URI != nil:
			next.pos = -1
			for i := 0; i < n; i++ {
				if k, id, _ := parseURI(*o.URI); next.itemAt(st, i) == q.refOf(k, id) {
					next.pos = i
					break
				}
			}
			if next.pos < 0 {
				q.fail(http.StatusBadRequest, "Invalid offset")
				return
			}
		}
	}
	if n == 0 {
		q.fail(http.StatusBadRequest, "Player command failed: Nothing to play")
		return
	}
	*pl = next
	pl.begin(st, ms, now)
	q.empty(http.StatusNoContent)
}

// exists reports whether an object of a context URI exists.
func (q *req) exists(k kind, id string) bool {
	if k == kPlaylist {
		_, ok := q.s.state.playlists[id]
		return ok
	}
	_, ok := q.s.cat.lookup(k, id)
	return ok
}

func (q *req) refOf(k kind, id string) ref {
	i, ok := q.s.cat.lookup(k, id)
	if !ok {
		return ref{}
	}
	return ref{k, int32(i)}
}

func hPause(q *req) {
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	if !pl.playing {
		q.failReason(http.StatusForbidden, "Player command failed: Restriction violated", "UNKNOWN")
		return
	}
	now := q.s.now()
	pl.setProgress(pl.progressNow(q.s.state, now), now)
	pl.playing = false
	q.empty(http.StatusNoContent)
}

func hNext(q *req) {
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	st := q.s.state
	pl.steps++
	switch n := pl.length(st); {
	case len(pl.queue) > 0:
		r := pl.queue[0]
		pl.queue = pl.queue[1:]
		pl.override = &r
	case n == 0:
	case pl.shuffle:
		pl.override = nil
		pl.pos = int(mix64(pl.steps) % uint64(n))
	default:
		pl.override = nil
		pl.pos++
		if pl.pos >= n {
			pl.pos = 0
			if pl.repeat != "context" {
				// The end of the list: Spotify stops at its start.
				pl.playing = false
				pl.setProgress(0, q.s.now())
				q.empty(http.StatusNoContent)
				return
			}
		}
	}
	pl.begin(st, 0, q.s.now())
	q.empty(http.StatusNoContent)
}

func hPrevious(q *req) {
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	st, now := q.s.state, q.s.now()
	// Like the apps: past the first seconds, "previous" restarts the item.
	if pl.progressNow(st, now) > 3000 || pl.override != nil {
		pl.override = nil
		pl.playing = true
		pl.setProgress(0, now)
		q.empty(http.StatusNoContent)
		return
	}
	if pl.pos > 0 {
		pl.pos--
	} else if pl.repeat == "context" {
		pl.pos = max(pl.length(st)-1, 0)
	}
	pl.begin(st, 0, now)
	q.empty(http.StatusNoContent)
}

// intParam reads a required integer query parameter.
func (q *req) intParam(name string) (int, bool) {
	n, err := strconv.Atoi(q.r.URL.Query().Get(name))
	if err != nil {
		q.fail(http.StatusBadRequest, "Missing or invalid parameter: "+name)
		return 0, false
	}
	return n, true
}

func hSeek(q *req) {
	ms, ok := q.intParam("position_ms")
	if !ok {
		return
	}
	if ms < 0 {
		q.fail(http.StatusBadRequest, "position_ms must be positive")
		return
	}
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	if cur, ok := pl.current(q.s.state); ok {
		ms = min(ms, duration(q.s.cat, cur))
	}
	pl.setProgress(ms, q.s.now())
	q.empty(http.StatusNoContent)
}

func hRepeat(q *req) {
	state := q.r.URL.Query().Get("state")
	if state != "track" && state != "context" && state != "off" {
		q.fail(http.StatusBadRequest, "State must be one of track, context or off.")
		return
	}
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	pl.repeat, pl.changed = state, q.s.now()
	q.empty(http.StatusNoContent)
}

func hShuffle(q *req) {
	state, err := strconv.ParseBool(q.r.URL.Query().Get("state"))
	if err != nil {
		q.fail(http.StatusBadRequest, "State must be true or false.")
		return
	}
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	pl.shuffle, pl.changed = state, q.s.now()
	q.empty(http.StatusNoContent)
}

func hVolume(q *req) {
	vol, ok := q.intParam("volume_percent")
	if !ok {
		return
	}
	if vol < 0 || vol > 100 {
		q.fail(http.StatusBadRequest, "volume_percent must be between 0 and 100")
		return
	}
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	d := &pl.devices[pl.active]
	if !d.supportsVolume {
		q.failReason(http.StatusForbidden, "Player command failed: Cannot control device volume", "VOLUME_CONTROL_DISALLOW")
		return
	}
	d.volume = vol
	q.empty(http.StatusNoContent)
}

func hAddToQueue(q *req) {
	s := q.r.URL.Query().Get("uri")
	if s == "" {
		q.fail(http.StatusBadRequest, "Missing required parameter: uri")
		return
	}
	pl, ok := q.command(true)
	if !ok {
		return
	}
	defer q.s.mu.Unlock()
	refs, ok := q.itemURIs([]string{s})
	if !ok {
		return
	}
	pl.queue = append(pl.queue, refs[0])
	q.empty(http.StatusNoContent)
}

// queueLength is how many upcoming items GET /me/player/queue lists.
const queueLength = 20

func hQueue(q *req) {
	v := q.view(false)
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	st := q.s.state
	pl := q.me().player
	var ms []member
	var items [][]byte
	if cur, ok := pl.current(st); ok {
		ms = append(ms, member{"currently_playing", v.itemJSON(cur)})
		for _, r := range pl.queue {
			if len(items) == queueLength {
				break
			}
			items = append(items, v.itemJSON(r))
		}
		n := pl.length(st)
		for i := pl.pos + 1; i < n && len(items) < queueLength; i++ {
			items = append(items, v.itemJSON(pl.itemAt(st, i)))
		}
	}
	if items == nil {
		items = [][]byte{}
	}
	ms = append(ms, member{"queue", joinArray(items)})
	q.raw(http.StatusOK, wrap(ms...))
}

// hRecentlyPlayed pages the history newest first with unix-ms cursors:
// before=T gives the plays before T, after=T the plays just after T.
func hRecentlyPlayed(q *req) {
	limit, _, ok := q.limits(20, 50)
	if !ok {
		return
	}
	qv := q.r.URL.Query()
	var before, after int64 = -1, -1
	for name, dst := range map[string]*int64{"before": &before, "after": &after} {
		if s := qv.Get(name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				q.fail(http.StatusBadRequest, "Invalid "+name+" cursor")
				return
			}
			*dst = n
		}
	}
	if before >= 0 && after >= 0 {
		q.fail(http.StatusBadRequest, "Only one of before and after may be given")
		return
	}
	v := q.view(false)
	q.s.mu.Lock()
	hist := q.me().player.history
	// hist is oldest first; pick the window [lo, hi).
	lo, hi := 0, len(hist)
	if after >= 0 {
		for lo < len(hist) && hist[lo].at <= after {
			lo++
		}
		hi = min(lo+limit, len(hist))
	} else {
		if before >= 0 {
			for hi > 0 && hist[hi-1].at >= before {
				hi--
			}
		}
		lo = max(hi-limit, 0)
	}
	page := append([]played(nil), hist[lo:hi]...)
	moreOlder, moreNewer := lo > 0, hi < len(hist)
	q.s.mu.Unlock()

	base := "http://" + q.r.Host + q.r.URL.Path
	cp := cursorPageJSON{limit: limit, total: -1, href: base + "?limit=" + strconv.Itoa(limit)}
	switch {
	case after >= 0:
		cp.href += "&after=" + strconv.FormatInt(after, 10)
	case before >= 0:
		cp.href += "&before=" + strconv.FormatInt(before, 10)
	}
	for k := len(page) - 1; k >= 0; k-- {
		h := page[k]
		ms := []member{}
		if ctx := v.contextJSON(h.ctxK, h.ctxID); ctx != nil {
			ms = append(ms, member{"context", ctx})
		}
		at := time.UnixMilli(h.at).UTC().Format("2006-01-02T15:04:05.000Z")
		ms = append(ms, member{"played_at", jsonString(at)}, member{"track", v.trackJSON(int(h.track))})
		cp.items = append(cp.items, wrap(ms...))
	}
	if len(page) > 0 {
		cp.after = strconv.FormatInt(page[len(page)-1].at, 10)
		cp.before = strconv.FormatInt(page[0].at, 10)
		switch {
		case after >= 0 && moreNewer:
			cp.next = base + "?after=" + cp.after + "&limit=" + strconv.Itoa(limit)
		case after < 0 && moreOlder:
			cp.next = base + "?before=" + cp.before + "&limit=" + strconv.Itoa(limit)
		}
	}
	q.raw(http.StatusOK, cp.bytes())
}
