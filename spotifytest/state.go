package spotifytest

import (
	"encoding/base64"
	"strconv"
)

// state is the mutable part of the fake: every user's library, follows and
// player, and every playlist (the catalog's, copied on first write, and the
// created ones). The Server's mu guards all of it.
type state struct {
	cat *catalog

	users     map[string]*userState
	people    []userRef // everyone the fake knows; indexes are row.addedBy and plist.owner
	peopleIdx map[string]int32

	playlists map[string]*plist
	order     []string // playlist IDs, catalog ones first, then in creation order
	created   uint64   // playlists created through the API
	coverSeq  uint64
}

// plist is one playlist.
type plist struct {
	id            string
	cat           int // index in the catalog, -1 when created through the API
	name          string
	description   *string
	owner         int32
	public        bool
	collaborative bool
	followers     int
	rows          []row // nil while they are the catalog's derived rows
	n             int
	version       int
	cover         string // URL of an uploaded cover, "" for the generated one
}

// userState is one user's library, follows and player.
type userState struct {
	idx       int32 // in state.people
	saved     [kCategory + 1]savedList
	artists   savedList // followed artists
	following savedList // followed users, by people index
	library   []string  // playlists in the user's library, oldest first
	player    *player
	resume    map[ref]int // resume points in ms of episodes and chapters
}

// savedList is an ordered set of catalog indexes, oldest first.
type savedList struct {
	items []savedItem
	at    map[int32]int64
}

type savedItem struct {
	idx     int32
	addedAt int64 // unix seconds
}

func (l *savedList) has(i int32) bool { _, ok := l.at[i]; return ok }

func (l *savedList) add(i int32, at int64) {
	if l.has(i) {
		return
	}
	if l.at == nil {
		l.at = make(map[int32]int64)
	}
	l.at[i] = at
	l.items = append(l.items, savedItem{i, at})
}

func (l *savedList) remove(i int32) {
	if !l.has(i) {
		return
	}
	delete(l.at, i)
	for k, it := range l.items {
		if it.idx == i {
			l.items = append(l.items[:k], l.items[k+1:]...)
			return
		}
	}
}

// newest returns the k-th most recently added item.
func (l *savedList) newest(k int) savedItem { return l.items[len(l.items)-1-k] }

// newState builds the starting state: the catalog's playlists, and a lived-in
// library, follows, history and player for the default user.
func newState(cat *catalog) *state {
	st := &state{
		cat:       cat,
		users:     make(map[string]*userState),
		peopleIdx: make(map[string]int32),
		playlists: make(map[string]*plist, len(cat.playlists)),
	}
	for i := range cat.users {
		u := &cat.users[i]
		st.people = append(st.people, userRef{id: u.id, displayName: u.displayName, followers: u.followers, country: u.country, product: u.product, known: true})
		st.peopleIdx[u.id] = int32(i)
	}
	for i := range cat.playlists {
		p := &cat.playlists[i]
		desc := p.description
		st.playlists[p.id] = &plist{
			id: p.id, cat: i, name: p.name, description: &desc, owner: p.owner,
			public: p.public, collaborative: p.collaborative, followers: p.followers, n: p.n,
		}
		st.order = append(st.order, p.id)
	}
	for i := range cat.users {
		st.user(cat.users[i].id)
	}
	st.seedDefaultUser()
	return st
}

// person returns the people index of a user ID, adding it when new.
func (st *state) person(id string) int32 {
	if i, ok := st.peopleIdx[id]; ok {
		return i
	}
	i := int32(len(st.people))
	st.people = append(st.people, userRef{id: id, displayName: id, country: "US", product: "premium"})
	st.peopleIdx[id] = i
	return i
}

// user returns a user's state, creating an empty one on first use: any
// user ID a token names is a user of the fake.
func (st *state) user(id string) *userState {
	if u, ok := st.users[id]; ok {
		return u
	}
	u := &userState{idx: st.person(id), resume: make(map[ref]int)}
	u.player = newPlayer(id)
	for _, pid := range st.order {
		if st.playlists[pid].owner == u.idx {
			u.library = append(u.library, pid)
		}
	}
	st.users[id] = u
	return u
}

// seedDefaultUser gives the default user saved items, follows, followed
// playlists, resume points, listening history and something playing.
func (st *state) seedDefaultUser() {
	c := st.cat
	u := st.user(c.users[0].id)
	base := c.epoch.Unix()
	pickN := func(k kind, n, of int, salt uint64) {
		n = min(n, of)
		for j, idx := range distinctPicks(salt, n, of) {
			u.saved[k].add(int32(idx), base-int64(n-j)*86_400)
		}
	}
	pickN(kTrack, 40, len(c.tracks), 1<<20)
	pickN(kAlbum, 12, len(c.albums), 2<<20)
	pickN(kShow, 5, len(c.shows), 3<<20)
	pickN(kEpisode, 10, len(c.episodes), 4<<20)
	pickN(kAudiobook, 4, len(c.audiobooks), 5<<20)
	for j, a := range distinctPicks(6<<20, min(30, len(c.artists)), len(c.artists)) {
		u.artists.add(int32(a), base-int64(30-j)*3600)
	}
	for j := 1; j < len(c.users) && j <= 3; j++ {
		u.following.add(int32(j), base-int64(j)*3600)
	}
	// Follow a few playlists of other users and the two big ones.
	for i := 1; i < len(c.playlists)-2 && i <= 3; i++ {
		if c.playlists[i].owner != 0 {
			u.library = append(u.library, c.playlists[i].id)
		}
	}
	u.library = append(u.library, c.playlists[c.big10K].id, c.playlists[c.big100K].id)
	for j := 0; j < 5; j++ {
		e := int32(u.saved[kEpisode].items[j%len(u.saved[kEpisode].items)].idx)
		u.resume[ref{kEpisode, e}] = c.episodes[e].durationMs / (j + 2)
	}
	u.player.seed(st, u)
}

// snapshot is the snapshot_id of a playlist's current version.
func (p *plist) snapshot() string {
	return snapshotID(p.id, p.version)
}

func snapshotID(id string, version int) string {
	raw := strconv.Itoa(version) + "," + strconv.FormatUint(hashString(id)^uint64(version)*0x9e3779b97f4a7c15, 16)
	return base64.StdEncoding.EncodeToString([]byte(raw))
}

// snapshotVersion parses a snapshot ID of playlist id; ok is false when it
// is not one of its snapshots.
func snapshotVersion(id, snap string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(snap)
	if err != nil {
		return 0, false
	}
	s := string(b)
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			v, err := strconv.Atoi(s[:i])
			if err != nil || snapshotID(id, v) != snap {
				return 0, false
			}
			return v, true
		}
	}
	return 0, false
}

// rowAt returns row i of p.
func (st *state) rowAt(p *plist, i int) row {
	if p.rows != nil || p.cat < 0 {
		return p.rows[i]
	}
	return st.cat.playlistRow(&st.cat.playlists[p.cat], i)
}

// materialize copies a catalog playlist's derived rows so they can change.
func (st *state) materialize(p *plist) {
	if p.rows != nil || p.cat < 0 {
		return
	}
	rows := make([]row, p.n, p.n+16)
	cp := &st.cat.playlists[p.cat]
	for i := range rows {
		rows[i] = st.cat.playlistRow(cp, i)
	}
	p.rows = rows
}

// touch records a change of p.
func (p *plist) touch() {
	p.version++
	p.n = len(p.rows)
}

// createPlaylist adds an empty playlist owned by user.
func (st *state) createPlaylist(owner *userState, name string, desc *string, public, collab bool) *plist {
	st.created++
	key := st.cat.seed ^ 0xc0ffee<<32 ^ st.created
	p := &plist{
		id:   base62ID(mix64(key)),
		cat:  -1,
		name: name, description: desc,
		owner: owner.idx, public: public, collaborative: collab,
		rows: []row{},
	}
	st.playlists[p.id] = p
	st.order = append(st.order, p.id)
	owner.library = append(owner.library, p.id)
	return p
}

// inLibrary reports whether playlist id is in u's library.
func (u *userState) inLibrary(id string) bool {
	for _, x := range u.library {
		if x == id {
			return true
		}
	}
	return false
}

func (u *userState) removeFromLibrary(id string) {
	for k, x := range u.library {
		if x == id {
			u.library = append(u.library[:k], u.library[k+1:]...)
			return
		}
	}
}
