package spotifytest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Playlists: read, create, change, items, cover, and the user lists.
//
// GET of a playlist and of its items honours `fields` (Spotify's syntax:
// "total,items(added_at,item(name,album(name)))", dotted paths too; "!"
// exclusions are not supported and answer 400) and market. Episodes come
// as episodes when additional_types names "episode", and otherwise in a
// track's shape, as Spotify answers clients that predate episodes (see
// episodeAsTrack). Every row's item carries the booleans "episode" and
// "track" that Spotify adds inside playlist rows only.
//
// Shapes: in DevelopmentMode a playlist carries only `items` and a row only
// `item` (the February 2026 names). In ExtendedQuota both the current and
// the legacy keys are served, which the contract allows: rows from
// /items and /tracks carry both `item` and `track`, and a full playlist
// carries `items` (rows with `item`) and `tracks` (rows with `track`), so
// that clients written for either shape work and the playlist is not four
// times its size.

// The largest pages of /items and of the legacy /tracks. A full playlist
// nests the first page of each at that size, so that its next links are
// ones the routes accept.
const (
	itemsMaxLimit  = 50
	tracksMaxLimit = 100
)

// plView is what rendering a playlist needs, copied out under the lock.
type plView struct {
	p     plist // a copy; rows point at the page only
	owner userRef
	rows  []row
	by    []userRef // added_by of each row
}

func (st *state) playlistImages(p *plist) []jImage {
	if p.cover != "" {
		return []jImage{{URL: p.cover}}
	}
	h := strconv.FormatUint(mix64(hashString(p.id)), 16)
	return []jImage{
		{URL: "https://mosaic.scdn.co/640/" + h, Height: ptr(640), Width: ptr(640)},
		{URL: "https://mosaic.scdn.co/300/" + h, Height: ptr(300), Width: ptr(300)},
		{URL: "https://mosaic.scdn.co/60/" + h, Height: ptr(60), Width: ptr(60)},
	}
}

// playlistObject builds the members a simplified and a full playlist share.
// Call with the lock held.
func (st *state) playlistObject(v *view, p *plist) jPlaylist {
	o := jPlaylist{
		Collaborative: p.collaborative,
		Description:   p.description,
		ExternalURLs:  openURL(kPlaylist, p.id),
		Href:          v.api + "/playlists/" + p.id,
		ID:            p.id,
		Images:        st.playlistImages(p),
		Name:          p.name,
		Owner:         v.playlistUser(st.people[p.owner], true),
		Public:        p.public,
		SnapshotID:    p.snapshot(),
		Type:          "playlist",
		URI:           uri(kPlaylist, p.id),
	}
	return o
}

// simplePlaylist is a SimplifiedPlaylistObject. Call with the lock held.
func (st *state) simplePlaylist(v *view, p *plist) jPlaylist {
	o := st.playlistObject(v, p)
	if o.Description == nil {
		o.Description = ptr("") // the simplified schema does not allow null
	}
	o.Items = &jTracksRef{Href: v.api + "/playlists/" + p.id + "/items", Total: p.n}
	if !v.dev {
		o.Tracks = &jTracksRef{Href: v.api + "/playlists/" + p.id + "/tracks", Total: p.n}
	}
	return o
}

// grab copies rows [from, to) of p and their adders. Call with the lock held.
func (st *state) grab(p *plist, from, to int) ([]row, []userRef) {
	rows := make([]row, 0, to-from)
	by := make([]userRef, 0, to-from)
	for i := from; i < to; i++ {
		r := st.rowAt(p, i)
		rows = append(rows, r)
		by = append(by, st.people[r.addedBy])
	}
	return rows, by
}

// rowKeys says under which keys a row carries its item.
type rowKeys uint8

const (
	rowItem  rowKeys = 1 << iota // the current key, "item"
	rowTrack                     // the legacy key, "track"
)

// keysFor is what rows of endpoints carry in the view's mode.
func (v *view) keysFor() rowKeys {
	if v.dev {
		return rowItem
	}
	return rowItem | rowTrack
}

// rowItemJSON renders the item of a playlist row: an episode as an
// episode only when the caller takes episodes.
func (v *view) rowItemJSON(r ref) []byte {
	if r.k == kEpisode && !v.episodes {
		return mustJSON(v.episodeAsTrack(int(r.idx)))
	}
	return v.itemJSON(r)
}

// appendRowItem appends a row's rendered item with what Spotify adds to
// the items of playlist rows (and to no other track or episode): the
// booleans "episode" and "track", and an episode's resume point for a
// user's call.
func (v *view) appendRowItem(b, item []byte, r ref) []byte {
	if len(item) < 2 {
		return append(b, item...)
	}
	b = append(b, item[:len(item)-1]...)
	if r.k != kEpisode {
		return append(b, `,"episode":false,"track":true}`...)
	}
	if ms, ok := v.resume[r.idx]; ok && v.episodes {
		b = append(b, `,"resume_point":{"fully_played":false,"resume_position_ms":`...)
		b = strconv.AppendInt(b, int64(ms), 10)
		b = append(b, '}')
	}
	return append(b, `,"episode":true,"track":false}`...)
}

// resumes is the user's resume point in each episode of rows, for
// view.resume; nil for a client-credentials call (userID "") or rows
// without episodes. Call with the lock held.
func (st *state) resumes(userID string, rows []row) map[int32]int {
	if userID == "" {
		return nil
	}
	u := st.user(userID)
	var out map[int32]int // most pages hold no episode
	for _, r := range rows {
		if r.item.k == kEpisode {
			if out == nil {
				out = map[int32]int{}
			}
			out[r.item.idx] = u.resume[r.item]
		}
	}
	return out
}

// appendRow appends one PlaylistTrackObject to b.
func (v *view) appendRow(b []byte, r row, by userRef, keys rowKeys, addedBy map[string][]byte) []byte {
	item := v.rowItemJSON(r.item)
	ab, ok := addedBy[by.id]
	if !ok {
		ab = mustJSON(v.playlistUser(by, false))
		addedBy[by.id] = ab
	}
	b = append(b, `{"added_at":"`...)
	b = time.Unix(r.addedAt, 0).UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
	b = append(b, `","added_by":`...)
	b = append(b, ab...)
	b = append(b, `,"is_local":false`...)
	if keys&rowItem != 0 {
		b = append(b, `,"item":`...)
		b = v.appendRowItem(b, item, r.item)
	}
	b = append(b, `,"primary_color":null`...)
	if keys&rowTrack != 0 {
		b = append(b, `,"track":`...)
		b = v.appendRowItem(b, item, r.item)
	}
	return append(b, `,"video_thumbnail":{"url":null}}`...)
}

// rowsPage sets p to write the rows straight into its buffer.
func (v *view) rowsPage(p *pageJSON, rows []row, by []userRef, keys rowKeys) {
	per := 1
	if keys == rowItem|rowTrack {
		per = 2
	}
	p.sizeHint = 0
	for _, r := range rows {
		n := 1600 // an episode in a track's shape, rendered as it is written
		if r.item.k != kEpisode || v.episodes {
			n = len(v.itemJSON(r.item))
		}
		p.sizeHint += per*(n+40) + 400
	}
	p.items = nil
	p.appendItems = func(b []byte) []byte {
		addedBy := make(map[string][]byte, 2)
		for k, r := range rows {
			if k > 0 {
				b = append(b, ',')
			}
			b = v.appendRow(b, r, by[k], keys, addedBy)
		}
		return b
	}
}

// pageBuffers recycles the buffers of playlist pages, the largest and most
// requested answers.
var pageBuffers = sync.Pool{New: func() any { return new([]byte) }}

// fullPlaylist renders a PlaylistObject with its first rows, as userID
// sees them ("" for a client-credentials call). Call with the lock held.
func (st *state) fullPlaylist(v *view, p *plist, userID string) []byte {
	o := st.playlistObject(v, p)
	o.Followers = &jFollowers{Total: p.followers}
	obj := mustJSON(o)
	_, end := span(0, tracksMaxLimit, p.n)
	rows, by := st.grab(p, 0, end)
	v.resume = st.resumes(userID, rows)
	nItems := min(itemsMaxLimit, len(rows))
	items := newPage(v.api+"/playlists/"+p.id+"/items", nil, 0, itemsMaxLimit, p.n)
	v.rowsPage(&items, rows[:nItems], by[:nItems], rowItem)
	obj = splice(obj, "items", items.bytes())
	if !v.dev {
		tracks := newPage(v.api+"/playlists/"+p.id+"/tracks", nil, 0, tracksMaxLimit, p.n)
		v.rowsPage(&tracks, rows, by, rowTrack)
		obj = splice(obj, "tracks", tracks.bytes())
	}
	return obj
}

// playlistParam resolves {playlist_id}; call with the lock held.
func (q *req) playlistParam() (*plist, bool) {
	id := q.r.PathValue("playlist_id")
	if !isBase62ID(id) {
		q.fail(http.StatusBadRequest, "Invalid base62 id")
		return nil, false
	}
	p, ok := q.s.state.playlists[id]
	if !ok {
		q.notFound()
	}
	return p, ok
}

// playlistView is marketView for the playlist reads, which also take
// additional_types.
func (q *req) playlistView() *view {
	v := q.marketView()
	if v != nil {
		for _, t := range q.r.URL.Query()["additional_types"] {
			if slices.Contains(splitComma(t), "episode") {
				v.episodes = true
			}
		}
	}
	return v
}

func hPlaylist(q *req) {
	v := q.playlistView()
	if v == nil {
		return
	}
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	if p, ok := q.playlistParam(); ok {
		q.version = p.snapshot()
		if b := q.withFields(q.s.state.fullPlaylist(v, p, q.userID())); b != nil {
			q.raw(http.StatusOK, b)
		}
	}
}

// hPlaylistItems serves /items (max itemsMaxLimit) and the legacy /tracks
// (max tracksMaxLimit).
func hPlaylistItems(max int) handler {
	return func(q *req) {
		v := q.playlistView()
		if v == nil {
			return
		}
		limit, offset, ok := q.limits(20, max)
		if !ok {
			return
		}
		q.s.mu.Lock()
		p, ok := q.playlistParam()
		if !ok {
			q.s.mu.Unlock()
			return
		}
		from, to := span(offset, limit, p.n)
		rows, by := q.s.state.grab(p, from, to)
		v.resume = q.s.state.resumes(q.userID(), rows)
		total := p.n
		q.version = p.snapshot()
		q.s.mu.Unlock()
		pg := q.page(offset, limit, total)
		v.rowsPage(&pg, rows, by, v.keysFor())
		buf := pageBuffers.Get().(*[]byte)
		b := slices.Grow((*buf)[:0], pg.size())
		b = pg.appendTo(b)
		if f := q.withFields(b); f != nil {
			q.raw(http.StatusOK, f)
		}
		*buf = b
		pageBuffers.Put(buf)
	}
}

// me returns the caller's state; call with the lock held.
func (q *req) me() *userState {
	u := q.s.state.user(q.userID())
	u.player.anchor(q.s.now())
	return u
}

func (q *req) canEdit(p *plist) bool {
	u := q.me()
	if p.owner == u.idx || p.collaborative {
		return true
	}
	q.fail(http.StatusForbidden, "You cannot modify a playlist you don't own.")
	return false
}

func hMyPlaylists(q *req) {
	q.libraryPlaylists(q.userID(), true)
}

func hUserPlaylists(q *req) {
	id := q.r.PathValue("user_id")
	q.s.mu.Lock()
	_, known := q.s.state.peopleIdx[id]
	q.s.mu.Unlock()
	if !known {
		q.notFound()
		return
	}
	q.libraryPlaylists(id, id == q.userID())
}

// libraryPlaylists pages a user's playlists, newest first; others see
// only the public ones.
func (q *req) libraryPlaylists(userID string, all bool) {
	limit, offset, ok := q.limits(20, 50)
	if !ok {
		return
	}
	if offset > 100_000 {
		q.fail(http.StatusBadRequest, "Invalid offset")
		return
	}
	v := q.view(false)
	q.s.mu.Lock()
	st := q.s.state
	u := st.user(userID)
	var list []*plist
	for k := len(u.library) - 1; k >= 0; k-- {
		p := st.playlists[u.library[k]]
		if all || p.public {
			list = append(list, p)
		}
	}
	pg := q.page(offset, limit, len(list))
	from, to := span(offset, limit, len(list))
	for _, p := range list[from:to] {
		pg.items = append(pg.items, mustJSON(st.simplePlaylist(v, p)))
	}
	q.s.mu.Unlock()
	q.raw(http.StatusOK, pg.bytes())
}

type playlistDetails struct {
	Name          *string `json:"name"`
	Public        *bool   `json:"public"`
	Collaborative *bool   `json:"collaborative"`
	Description   *string `json:"description"`
}

func hCreatePlaylist(forUser bool) handler {
	return func(q *req) {
		if forUser && q.r.PathValue("user_id") != q.userID() {
			q.fail(http.StatusForbidden, "You cannot create a playlist for another user.")
			return
		}
		var d playlistDetails
		if !q.body(&d) {
			return
		}
		if d.Name == nil || *d.Name == "" {
			q.fail(http.StatusBadRequest, "Missing required field: name")
			return
		}
		public := d.Public == nil || *d.Public
		collab := d.Collaborative != nil && *d.Collaborative
		if collab && public {
			q.fail(http.StatusBadRequest, "Collaborative playlists can't be public.")
			return
		}
		v := q.view(false)
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		p := q.s.state.createPlaylist(q.me(), *d.Name, d.Description, public, collab)
		q.raw(http.StatusCreated, q.s.state.fullPlaylist(v, p, q.userID()))
	}
}

func hChangePlaylist(q *req) {
	var d playlistDetails
	if !q.body(&d) {
		return
	}
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	p, ok := q.playlistParam()
	if !ok {
		return
	}
	if p.owner != q.me().idx {
		q.fail(http.StatusForbidden, "You cannot change the details of a playlist you don't own.")
		return
	}
	public, collab := p.public, p.collaborative
	if d.Public != nil {
		public = *d.Public
	}
	if d.Collaborative != nil {
		collab = *d.Collaborative
	}
	if collab && public {
		q.fail(http.StatusBadRequest, "Collaborative playlists can't be public.")
		return
	}
	if d.Name != nil {
		if *d.Name == "" {
			q.fail(http.StatusBadRequest, "Playlist name must not be empty")
			return
		}
		p.name = *d.Name
	}
	if d.Description != nil {
		p.description = ptr(*d.Description)
	}
	p.public, p.collaborative = public, collab
	p.version++
	q.empty(http.StatusOK)
}

func hPlaylistCover(q *req) {
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	if p, ok := q.playlistParam(); ok {
		q.json(http.StatusOK, q.s.state.playlistImages(p))
	}
}

// maxCover is Spotify's limit on the base64 payload of a cover upload.
const maxCover = 256 << 10

func hUploadCover(q *req) {
	data, err := io.ReadAll(io.LimitReader(q.r.Body, maxCover+1))
	if err != nil {
		q.fail(http.StatusBadRequest, "Could not read the request body")
		return
	}
	if len(data) > maxCover {
		q.fail(http.StatusRequestEntityTooLarge, "Image too large: the maximum payload size is 256 KB")
		return
	}
	img, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(data)))
	if err != nil || !bytes.HasPrefix(img, []byte{0xff, 0xd8, 0xff}) {
		q.fail(http.StatusBadRequest, "Image must be base64-encoded JPEG data")
		return
	}
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	p, ok := q.playlistParam()
	if !ok || !q.canEdit(p) {
		return
	}
	q.s.state.coverSeq++
	h := strconv.FormatUint(mix64(hashString(p.id)^q.s.state.coverSeq), 16)
	p.cover = "https://image-cdn-ak.spotifycdn.com/image/ab67706c0000da84" + h
	p.version++
	q.empty(http.StatusAccepted)
}

// maxItemsPerCall bounds the URIs of one add, replace or remove call.
const maxItemsPerCall = 100

// itemURIs parses playlist item URIs: tracks and episodes of the catalog.
func (q *req) itemURIs(uris []string) ([]ref, bool) {
	if len(uris) > maxItemsPerCall {
		q.fail(http.StatusBadRequest, "You can add a maximum of 100 tracks per request.")
		return nil, false
	}
	out := make([]ref, 0, len(uris))
	for _, u := range uris {
		k, id, ok := parseURI(strings.TrimSpace(u))
		if !ok || (k != kTrack && k != kEpisode) {
			q.fail(http.StatusBadRequest, "Invalid track uri: "+u)
			return nil, false
		}
		i, ok := q.s.cat.lookup(k, id)
		if !ok {
			q.fail(http.StatusBadRequest, "Payload contains a non-existing ID")
			return nil, false
		}
		out = append(out, ref{k, int32(i)})
	}
	return out, true
}

// queryList splits a comma-separated query parameter.
func (q *req) queryList(name string) []string {
	s := q.r.URL.Query().Get(name)
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func (q *req) snapshotAnswer(status int, p *plist) {
	q.raw(status, wrap(member{"snapshot_id", jsonString(p.snapshot())}))
}

func hAddItems(q *req) {
	var body struct {
		URIs     []string `json:"uris"`
		Position *int     `json:"position"`
	}
	if !q.body(&body) {
		return
	}
	uris := body.URIs
	if qs := q.queryList("uris"); qs != nil {
		uris = qs
	}
	pos := body.Position
	if s := q.r.URL.Query().Get("position"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			q.fail(http.StatusBadRequest, "Invalid position")
			return
		}
		pos = &n
	}
	if len(uris) == 0 {
		q.fail(http.StatusBadRequest, "No uris provided")
		return
	}
	items, ok := q.itemURIs(uris)
	if !ok {
		return
	}
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	p, ok := q.playlistParam()
	if !ok || !q.canEdit(p) {
		return
	}
	at := p.n
	if pos != nil {
		if *pos < 0 || *pos > p.n {
			q.fail(http.StatusBadRequest, "Index out of bounds")
			return
		}
		at = *pos
	}
	st := q.s.state
	st.materialize(p)
	now, by := q.s.now().Unix(), q.me().idx
	add := make([]row, len(items))
	for k, it := range items {
		add[k] = row{item: it, addedAt: now, addedBy: by}
	}
	p.rows = append(p.rows[:at], append(add, p.rows[at:]...)...)
	p.touch()
	q.snapshotAnswer(http.StatusCreated, p)
}

// checkSnapshot accepts an empty snapshot_id or one of p's snapshots.
func (q *req) checkSnapshot(p *plist, snap string) bool {
	if snap == "" {
		return true
	}
	if v, ok := snapshotVersion(p.id, snap); ok && v <= p.version {
		return true
	}
	q.fail(http.StatusBadRequest, "Invalid snapshot id")
	return false
}

type removal struct {
	URI       string `json:"uri"`
	Positions []int  `json:"positions"`
}

// hRemoveItems removes by URI (every occurrence) or by URI and positions.
// key is the body's list: "items" for /items, "tracks" for /tracks; either
// is accepted on both.
func hRemoveItems(key string) handler {
	return func(q *req) {
		var body struct {
			Items      []removal `json:"items"`
			Tracks     []removal `json:"tracks"`
			SnapshotID string    `json:"snapshot_id"`
		}
		if !q.body(&body) {
			return
		}
		list := body.Items
		if key == "tracks" || list == nil {
			list = append(body.Tracks, body.Items...)
		}
		if len(list) == 0 {
			q.fail(http.StatusBadRequest, "Missing required field: "+key)
			return
		}
		uris := make([]string, len(list))
		for k, r := range list {
			uris[k] = r.URI
		}
		refs, ok := q.itemURIs(uris)
		if !ok {
			return
		}
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		p, ok := q.playlistParam()
		if !ok || !q.canEdit(p) || !q.checkSnapshot(p, body.SnapshotID) {
			return
		}
		q.s.state.materialize(p)
		drop := make([]bool, len(p.rows))
		for k, r := range list {
			if r.Positions == nil {
				for i := range p.rows {
					if p.rows[i].item == refs[k] {
						drop[i] = true
					}
				}
				continue
			}
			for _, pos := range r.Positions {
				if pos < 0 || pos >= len(p.rows) || p.rows[pos].item != refs[k] {
					q.fail(http.StatusBadRequest, "Could not remove tracks, please check parameters.")
					return
				}
				drop[pos] = true
			}
		}
		kept := p.rows[:0]
		for i, r := range p.rows {
			if !drop[i] {
				kept = append(kept, r)
			}
		}
		p.rows = kept
		p.touch()
		q.snapshotAnswer(http.StatusOK, p)
	}
}

// hUpdateItems reorders (range_start set) or replaces (uris) the items.
func hUpdateItems(q *req) {
	var body struct {
		URIs         []string `json:"uris"`
		RangeStart   *int     `json:"range_start"`
		InsertBefore *int     `json:"insert_before"`
		RangeLength  *int     `json:"range_length"`
		SnapshotID   string   `json:"snapshot_id"`
	}
	if !q.body(&body) {
		return
	}
	if qs := q.queryList("uris"); qs != nil {
		body.URIs = qs
	}
	var refs []ref
	if body.RangeStart == nil {
		if body.URIs == nil {
			q.fail(http.StatusBadRequest, "Missing uris or range_start")
			return
		}
		var ok bool
		if refs, ok = q.itemURIs(body.URIs); !ok {
			return
		}
	}
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	p, ok := q.playlistParam()
	if !ok || !q.canEdit(p) || !q.checkSnapshot(p, body.SnapshotID) {
		return
	}
	st := q.s.state
	if body.RangeStart == nil {
		now, by := q.s.now().Unix(), q.me().idx
		rows := make([]row, len(refs))
		for k, it := range refs {
			rows[k] = row{item: it, addedAt: now, addedBy: by}
		}
		p.rows = rows
		p.touch()
		q.snapshotAnswer(http.StatusOK, p)
		return
	}
	if body.InsertBefore == nil {
		q.fail(http.StatusBadRequest, "Missing insert_before")
		return
	}
	start, before, length := *body.RangeStart, *body.InsertBefore, 1
	if body.RangeLength != nil {
		length = *body.RangeLength
	}
	if start < 0 || length < 1 || start+length > p.n || before < 0 || before > p.n {
		q.fail(http.StatusBadRequest, "Invalid range")
		return
	}
	st.materialize(p)
	p.rows = reorder(p.rows, start, length, before)
	p.touch()
	q.snapshotAnswer(http.StatusOK, p)
}

// reorder moves rows[start:start+length] before the row that was at
// index before.
func reorder(rows []row, start, length, before int) []row {
	if before >= start && before <= start+length {
		return rows
	}
	seg := append([]row(nil), rows[start:start+length]...)
	rest := append(append([]row(nil), rows[:start]...), rows[start+length:]...)
	at := before
	if before > start {
		at -= length
	}
	out := make([]row, 0, len(rows))
	out = append(out, rest[:at]...)
	out = append(out, seg...)
	return append(out, rest[at:]...)
}

func hFollowPlaylist(follow bool) handler {
	return func(q *req) {
		var body struct {
			Public *bool `json:"public"`
		}
		if follow && !q.body(&body) {
			return
		}
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		p, ok := q.playlistParam()
		if !ok {
			return
		}
		u := q.me()
		switch {
		case follow && !u.inLibrary(p.id):
			u.library = append(u.library, p.id)
			p.followers++
		case !follow && u.inLibrary(p.id):
			u.removeFromLibrary(p.id)
			p.followers = max(p.followers-1, 0)
		}
		q.empty(http.StatusOK)
	}
}

func hFollowsPlaylist(q *req) {
	ids := q.queryList("ids")
	if len(ids) > 1 {
		q.fail(http.StatusBadRequest, "Too many ids requested")
		return
	}
	if len(ids) == 0 && q.userID() != "" {
		ids = []string{q.userID()}
	}
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	p, ok := q.playlistParam()
	if !ok {
		return
	}
	out := []bool{false}
	if len(ids) == 1 {
		if _, known := q.s.state.peopleIdx[ids[0]]; known {
			out[0] = q.s.state.user(ids[0]).inLibrary(p.id)
		}
	}
	q.json(http.StatusOK, out)
}

// fieldTree is a parsed `fields` parameter: the keys to keep, each with the
// keys to keep below it (nil keeps the whole value).
type fieldTree map[string]fieldTree

// parseFields parses Spotify's fields syntax, e.g.
// "total,items(added_at,track(name,album(name)))" or "tracks.items(track.id)".
func parseFields(s string) (fieldTree, bool) {
	t, rest, ok := parseFieldList(s)
	return t, ok && rest == ""
}

func parseFieldList(s string) (fieldTree, string, bool) {
	t := fieldTree{}
	for {
		end := strings.IndexAny(s, ",()")
		if end < 0 {
			end = len(s)
		}
		path := strings.TrimSpace(s[:end])
		if path == "" || strings.HasPrefix(path, "!") {
			return nil, s, false
		}
		s = s[end:]
		var sub fieldTree
		if strings.HasPrefix(s, "(") {
			var ok bool
			if sub, s, ok = parseFieldList(s[1:]); !ok || !strings.HasPrefix(s, ")") {
				return nil, s, false
			}
			s = s[1:]
		}
		t.add(strings.Split(path, "."), sub)
		if !strings.HasPrefix(s, ",") {
			return t, s, true
		}
		s = s[1:]
	}
}

// add records a dotted path, merging with what is there.
func (t fieldTree) add(path []string, sub fieldTree) {
	k := path[0]
	if len(path) > 1 {
		sub = fieldTree{}.withPath(path[1:], sub)
	}
	old, seen := t[k]
	switch {
	case !seen:
		t[k] = sub
	case old == nil || sub == nil:
		t[k] = nil // one of them keeps everything
	default:
		for sk, sv := range sub {
			old.add([]string{sk}, sv)
		}
	}
}

func (t fieldTree) withPath(path []string, sub fieldTree) fieldTree {
	t.add(path, sub)
	return t
}

// filter keeps the fields of t in v; arrays are filtered element by element.
func (t fieldTree) filter(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, sub := range t {
			if val, ok := x[k]; ok {
				if sub != nil {
					val = sub.filter(val)
				}
				out[k] = val
			}
		}
		return out
	case []any:
		for i := range x {
			x[i] = t.filter(x[i])
		}
		return x
	}
	return v
}

// withFields applies the request's fields parameter to a rendered body;
// it answers 400 for a malformed one and returns nil.
func (q *req) withFields(b []byte) []byte {
	s := q.r.URL.Query().Get("fields")
	if s == "" {
		return b
	}
	t, ok := parseFields(s)
	if !ok {
		q.fail(http.StatusBadRequest, "Invalid fields parameter")
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return b
	}
	return mustJSON(t.filter(v))
}
