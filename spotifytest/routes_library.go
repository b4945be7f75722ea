package spotifytest

import (
	"net/http"
	"strings"
	"time"
)

// The user's library: saved tracks, albums, shows, episodes and audiobooks
// (the deprecated type-specific operations) and /me/library (2026, by URI).

var savedKey = map[kind]string{
	kTrack: "track", kAlbum: "album", kShow: "show", kEpisode: "episode", kAudiobook: "audiobook",
}

// savedJSON renders a saved-item wrapper, e.g. {"added_at":..,"track":{..}}.
func (q *req) savedJSON(v *view, k kind, it savedItem) []byte {
	i := int(it.idx)
	var obj []byte
	switch k {
	case kTrack:
		obj = v.trackJSON(i)
	case kAlbum:
		obj = v.albumJSON(i)
	case kShow:
		obj = mustJSON(v.simpleShow(i))
	case kEpisode:
		obj = mustJSON(v.episode(i, true, q.resumeLocked(kEpisode, i)))
	case kAudiobook:
		obj = v.audiobookJSON(i)
	}
	return wrap(member{"added_at", jsonString(timestamp(it.addedAt))}, member{savedKey[k], obj})
}

// resumeLocked is the caller's resume point; call with the lock held.
func (q *req) resumeLocked(k kind, i int) *jResumePoint {
	ms := q.me().resume[ref{k, int32(i)}]
	return &jResumePoint{ResumePositionMs: ms}
}

// resumePoint is a user's resume point in an episode or chapter; nil for
// client-credentials calls, which have no user.
func (s *Server) resumePoint(userID string, k kind, i int) *jResumePoint {
	if userID == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ms := s.state.user(userID).resume[ref{k, int32(i)}]
	return &jResumePoint{ResumePositionMs: ms}
}

func hSaved(k kind) handler {
	return func(q *req) {
		v := q.marketView()
		if v == nil {
			return
		}
		limit, offset, ok := q.limits(20, 50)
		if !ok {
			return
		}
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		l := &q.me().saved[k]
		p := q.page(offset, limit, len(l.items))
		from, to := span(offset, limit, len(l.items))
		for n := from; n < to; n++ {
			p.items = append(p.items, q.savedJSON(v, k, l.newest(n)))
		}
		q.raw(http.StatusOK, p.bytes())
	}
}

// idsQueryOrBody reads IDs from ?ids= or else from the body's "ids" (and, for
// tracks, "timestamped_ids").
func (q *req) idsQueryOrBody(max int) ([]string, map[string]int64, bool) {
	if s := q.r.URL.Query().Get("ids"); s != "" {
		ids, ok := q.checkIDs(strings.Split(s, ","), max)
		return ids, nil, ok
	}
	var body struct {
		IDs         []string `json:"ids"`
		Timestamped []struct {
			ID      string    `json:"id"`
			AddedAt time.Time `json:"added_at"`
		} `json:"timestamped_ids"`
	}
	if !q.body(&body) {
		return nil, nil, false
	}
	ids := body.IDs
	var at map[string]int64
	for _, t := range body.Timestamped {
		if at == nil {
			at = make(map[string]int64)
		}
		ids = append(ids, t.ID)
		at[t.ID] = t.AddedAt.Unix()
	}
	if len(ids) == 0 {
		q.fail(http.StatusBadRequest, "Missing required parameter: ids")
		return nil, nil, false
	}
	ids, ok := q.checkIDs(ids, max)
	return ids, at, ok
}

func hSave(k kind, max int) handler {
	return func(q *req) {
		ids, at, ok := q.idsQueryOrBody(max)
		if !ok {
			return
		}
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		l := &q.me().saved[k]
		now := q.s.now().Unix()
		for _, id := range ids {
			// Unknown IDs are ignored, as nothing could be listed for them.
			if i, ok := q.s.cat.lookup(k, id); ok {
				t, ok := at[id]
				if !ok {
					t = now
				}
				l.add(int32(i), t)
			}
		}
		q.empty(http.StatusOK)
	}
}

func hUnsave(k kind, max int) handler {
	return func(q *req) {
		ids, _, ok := q.idsQueryOrBody(max)
		if !ok {
			return
		}
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		l := &q.me().saved[k]
		for _, id := range ids {
			if i, ok := q.s.cat.lookup(k, id); ok {
				l.remove(int32(i))
			}
		}
		q.empty(http.StatusOK)
	}
}

func hSavedContains(k kind, max int) handler {
	return func(q *req) {
		ids, ok := q.ids(max)
		if !ok {
			return
		}
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		l := &q.me().saved[k]
		out := make([]bool, len(ids))
		for n, id := range ids {
			if i, ok := q.s.cat.lookup(k, id); ok {
				out[n] = l.has(int32(i))
			}
		}
		q.json(http.StatusOK, out)
	}
}

// maxLibraryURIs bounds the URIs of one /me/library call.
const maxLibraryURIs = 40

// libraryURIs reads ?uris= for /me/library: at most 40 URIs of tracks,
// albums, episodes, shows, audiobooks, artists, users or playlists.
func (q *req) libraryURIs() ([]string, bool) {
	uris := q.queryList("uris")
	if len(uris) == 0 {
		q.fail(http.StatusBadRequest, "Missing required parameter: uris")
		return nil, false
	}
	if len(uris) > maxLibraryURIs {
		q.fail(http.StatusBadRequest, "Too many uris requested: the maximum is 40")
		return nil, false
	}
	for _, u := range uris {
		if _, _, ok := parseURI(u); !ok {
			q.fail(http.StatusBadRequest, "Invalid uri: "+u)
			return nil, false
		}
	}
	return uris, true
}

func hLibraryChange(save bool) handler {
	return func(q *req) {
		uris, ok := q.libraryURIs()
		if !ok {
			return
		}
		q.s.mu.Lock()
		defer q.s.mu.Unlock()
		u := q.me()
		now := q.s.now().Unix()
		for _, s := range uris {
			k, id, _ := parseURI(s)
			q.libraryApply(u, k, id, save, now)
		}
		q.empty(http.StatusOK)
	}
}

// libraryApply saves or removes one object; unknown objects are ignored.
func (q *req) libraryApply(u *userState, k kind, id string, save bool, now int64) {
	st := q.s.state
	switch k {
	case kUser:
		if _, known := st.peopleIdx[id]; !known && !save {
			return
		}
		p := st.person(id)
		if save {
			u.following.add(p, now)
		} else {
			u.following.remove(p)
		}
	case kPlaylist:
		p, ok := st.playlists[id]
		switch {
		case !ok:
		case save && !u.inLibrary(id):
			u.library = append(u.library, id)
			p.followers++
		case !save && u.inLibrary(id):
			u.removeFromLibrary(id)
			p.followers = max(p.followers-1, 0)
		}
	default:
		i, ok := q.s.cat.lookup(k, id)
		if !ok {
			return
		}
		l := &u.saved[k]
		if k == kArtist {
			l = &u.artists
		}
		if save {
			l.add(int32(i), now)
		} else {
			l.remove(int32(i))
		}
	}
}

func hLibraryContains(q *req) {
	uris, ok := q.libraryURIs()
	if !ok {
		return
	}
	q.s.mu.Lock()
	defer q.s.mu.Unlock()
	u := q.me()
	st := q.s.state
	out := make([]bool, len(uris))
	for n, s := range uris {
		k, id, _ := parseURI(s)
		switch k {
		case kUser:
			if p, known := st.peopleIdx[id]; known {
				out[n] = u.following.has(p)
			}
		case kPlaylist:
			out[n] = u.inLibrary(id)
		case kArtist:
			if i, ok := q.s.cat.lookup(k, id); ok {
				out[n] = u.artists.has(int32(i))
			}
		default:
			if i, ok := q.s.cat.lookup(k, id); ok {
				out[n] = u.saved[k].has(int32(i))
			}
		}
	}
	q.json(http.StatusOK, out)
}
