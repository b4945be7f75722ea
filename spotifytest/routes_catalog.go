package spotifytest

import (
	"math"
	"net/http"
	"strconv"
	"strings"
)

// Read-only catalog operations: albums, artists, tracks, shows, episodes,
// audiobooks, chapters, browse, markets, genres and the 2024 removals.

// embedded is the first page of a list nested in a full object (an album's
// tracks, a show's episodes), with links against the API base.
func (v *view) embedded(path string, total, limit int, item func(i int) []byte) []byte {
	p := newPage(v.api+path, nil, 0, limit, total)
	_, end := span(0, limit, total)
	p.items = make([][]byte, 0, end)
	for i := 0; i < end; i++ {
		p.items = append(p.items, item(i))
	}
	return p.bytes()
}

func (v *view) albumJSON(i int) []byte {
	a := &v.c.albums[i]
	tracks := v.embedded("/albums/"+a.id+"/tracks", int(a.nTracks), 50, func(k int) []byte {
		return mustJSON(v.track(int(a.firstTrack)+k, false))
	})
	return splice(mustJSON(v.album(i)), "tracks", tracks)
}

// showJSON renders a full show; rp gives the user's resume points of its
// episodes (nil without a user).
func (v *view) showJSON(i int, rp func(e int) *jResumePoint) []byte {
	sh := &v.c.shows[i]
	eps := v.embedded("/shows/"+sh.id+"/episodes", int(sh.nEpisodes), 50, func(k int) []byte {
		e := int(sh.firstEpisode) + k
		return mustJSON(v.episode(e, false, rp(e)))
	})
	return splice(mustJSON(v.simpleShow(i)), "episodes", eps)
}

func (v *view) audiobookJSON(i int) []byte {
	b := &v.c.audiobooks[i]
	chs := v.embedded("/audiobooks/"+b.id+"/chapters", int(b.nChapters), 50, func(k int) []byte {
		return mustJSON(v.chapter(int(b.firstChapter)+k, false, nil))
	})
	return splice(mustJSON(v.simpleAudiobook(i)), "chapters", chs)
}

// fullJSON renders the object a batch lookup answers with.
func (v *view) fullJSON(k kind, i int) []byte {
	switch k {
	case kTrack:
		return v.trackJSON(i)
	case kAlbum:
		return v.albumJSON(i)
	case kArtist:
		return mustJSON(v.artist(i))
	case kShow:
		return mustJSON(v.simpleShow(i)) // ManySimplifiedShows
	case kEpisode:
		return v.episodeJSON(i)
	case kAudiobook:
		return v.audiobookJSON(i)
	case kChapter:
		return mustJSON(v.chapter(i, true, nil))
	}
	return []byte("null")
}

// fullJSON is v.fullJSON with the caller's resume point in an episode or
// a chapter, which Spotify adds for a user's call.
func (q *req) fullJSON(v *view, k kind, i int) []byte {
	if q.userID() != "" {
		switch k {
		case kEpisode:
			return mustJSON(v.episode(i, true, q.s.resumePoint(q.userID(), kEpisode, i)))
		case kChapter:
			return mustJSON(v.chapter(i, true, q.s.resumePoint(q.userID(), kChapter, i)))
		}
	}
	return v.fullJSON(k, i)
}

// hSeveral serves a batch ?ids= lookup: null stands for an unknown ID, as
// Spotify answers (the contract's arrays do not allow it).
func hSeveral(k kind, key string, max int) handler {
	return func(q *req) {
		v := q.marketView()
		if v == nil {
			return
		}
		ids, ok := q.ids(max)
		if !ok {
			return
		}
		items := make([][]byte, len(ids))
		for n, id := range ids {
			if i, ok := q.s.cat.lookup(k, id); ok {
				items[n] = q.fullJSON(v, k, i)
			} else {
				items[n] = []byte("null")
			}
		}
		q.raw(http.StatusOK, wrap(member{key, joinArray(items)}))
	}
}

func joinArray(items [][]byte) []byte {
	n := 2
	for _, it := range items {
		n += len(it) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for k, it := range items {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return append(b, ']')
}

func hAlbum(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	if i, ok := q.pathObject("id", kAlbum); ok {
		q.raw(http.StatusOK, v.albumJSON(i))
	}
}

func hAlbumTracks(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	i, ok := q.pathObject("id", kAlbum)
	if !ok {
		return
	}
	limit, offset, ok := q.limits(20, 50)
	if !ok {
		return
	}
	a := &q.s.cat.albums[i]
	p := q.page(offset, limit, int(a.nTracks))
	from, to := span(offset, limit, int(a.nTracks))
	for t := from; t < to; t++ {
		p.items = append(p.items, mustJSON(v.track(int(a.firstTrack)+t, false)))
	}
	q.raw(http.StatusOK, p.bytes())
}

func hNewReleases(q *req) {
	v := q.view(false)
	limit, offset, ok := q.limits(20, 50)
	if !ok {
		return
	}
	rel := q.s.cat.newReleases
	p := q.page(offset, limit, len(rel))
	from, to := span(offset, limit, len(rel))
	for _, a := range rel[from:to] {
		p.items = append(p.items, mustJSON(v.simpleAlbum(int(a))))
	}
	q.raw(http.StatusOK, wrap(member{"albums", p.bytes()}))
}

func hArtist(q *req) {
	if i, ok := q.pathObject("id", kArtist); ok {
		q.json(http.StatusOK, q.view(false).artist(i))
	}
}

// albumGroups are the include_groups values in the order Spotify lists them.
var albumGroups = []string{"album", "single", "compilation", "appears_on"}

func hArtistAlbums(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	i, ok := q.pathObject("id", kArtist)
	if !ok {
		return
	}
	limit, offset, ok := q.limitsMin(0, 5, 10)
	if !ok {
		return
	}
	want := map[string]bool{}
	if g := q.r.URL.Query().Get("include_groups"); g != "" {
		for _, x := range strings.Split(g, ",") {
			if !contains(albumGroups, x) {
				q.fail(http.StatusBadRequest, "Invalid include_groups value: "+x)
				return
			}
			want[x] = true
		}
	} else {
		for _, x := range albumGroups {
			want[x] = true
		}
	}
	type entry struct {
		album int32
		group string
	}
	var list []entry
	c := q.s.cat
	for _, g := range albumGroups[:3] {
		if !want[g] {
			continue
		}
		for _, a := range c.artists[i].albums {
			if c.albums[a].albumType == g {
				list = append(list, entry{a, g})
			}
		}
	}
	if want["appears_on"] {
		for a := range c.albums {
			if contains32(c.albums[a].artists[1:], int32(i)) {
				list = append(list, entry{int32(a), "appears_on"})
			}
		}
	}
	p := q.page(offset, limit, len(list))
	from, to := span(offset, limit, len(list))
	for _, e := range list[from:to] {
		o := v.simpleAlbum(int(e.album))
		o.AlbumGroup = e.group
		p.items = append(p.items, mustJSON(o))
	}
	q.raw(http.StatusOK, p.bytes())
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func contains32(list []int32, n int32) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func hRelatedArtists(q *req) {
	i, ok := q.pathObject("id", kArtist)
	if !ok {
		return
	}
	v := q.view(false)
	var items [][]byte
	for _, a := range q.s.cat.relatedArtists(i) {
		items = append(items, mustJSON(v.artist(int(a))))
	}
	q.raw(http.StatusOK, wrap(member{"artists", joinArray(items)}))
}

func hTopTracks(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	i, ok := q.pathObject("id", kArtist)
	if !ok {
		return
	}
	var items [][]byte
	for _, t := range q.s.cat.topTracks(i) {
		items = append(items, v.trackJSON(int(t)))
	}
	q.raw(http.StatusOK, wrap(member{"tracks", joinArray(items)}))
}

func hTrack(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	if i, ok := q.pathObject("id", kTrack); ok {
		q.raw(http.StatusOK, v.trackJSON(i))
	}
}

func hAudiobook(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	if i, ok := q.pathObject("id", kAudiobook); ok {
		q.raw(http.StatusOK, v.audiobookJSON(i))
	}
}

func hAudiobookChapters(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	i, ok := q.pathObject("id", kAudiobook)
	if !ok {
		return
	}
	b := &q.s.cat.audiobooks[i]
	childPage(q, int(b.firstChapter), int(b.nChapters), func(ch int) any {
		return v.chapter(ch, false, q.s.resumePoint(q.userID(), kChapter, ch))
	})
}

// childPage answers a page of a parent's children (a show's episodes, an
// audiobook's chapters), which the catalog numbers first to first+n-1.
func childPage(q *req, first, n int, item func(i int) any) {
	limit, offset, ok := q.limits(20, 50)
	if !ok {
		return
	}
	p := q.page(offset, limit, n)
	from, to := span(offset, limit, n)
	for k := from; k < to; k++ {
		p.items = append(p.items, mustJSON(item(first+k)))
	}
	q.raw(http.StatusOK, p.bytes())
}

func hChapter(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	if i, ok := q.pathObject("id", kChapter); ok {
		q.json(http.StatusOK, v.chapter(i, true, q.s.resumePoint(q.userID(), kChapter, i)))
	}
}

func hShow(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	if i, ok := q.pathObject("id", kShow); ok {
		q.raw(http.StatusOK, v.showJSON(i, func(e int) *jResumePoint {
			return q.s.resumePoint(q.userID(), kEpisode, e)
		}))
	}
}

func hShowEpisodes(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	i, ok := q.pathObject("id", kShow)
	if !ok {
		return
	}
	sh := &q.s.cat.shows[i]
	childPage(q, int(sh.firstEpisode), int(sh.nEpisodes), func(e int) any {
		return v.episode(e, false, q.s.resumePoint(q.userID(), kEpisode, e))
	})
}

func hEpisode(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	if i, ok := q.pathObject("id", kEpisode); ok {
		q.json(http.StatusOK, v.episode(i, true, q.s.resumePoint(q.userID(), kEpisode, i)))
	}
}

func hCategories(q *req) {
	v := q.view(false)
	limit, offset, ok := q.limits(20, 50)
	if !ok {
		return
	}
	n := len(q.s.cat.categories)
	p := q.page(offset, limit, n)
	from, to := span(offset, limit, n)
	for i := from; i < to; i++ {
		p.items = append(p.items, mustJSON(v.category(i)))
	}
	q.raw(http.StatusOK, wrap(member{"categories", p.bytes()}))
}

func (q *req) categoryParam() (int, bool) {
	id := q.r.PathValue("category_id")
	i, ok := q.s.cat.lookup(kCategory, id)
	if !ok {
		q.notFound()
	}
	return i, ok
}

func hCategory(q *req) {
	if i, ok := q.categoryParam(); ok {
		q.json(http.StatusOK, q.view(false).category(i))
	}
}

func hCategoryPlaylists(q *req) {
	i, ok := q.categoryParam()
	if !ok {
		return
	}
	q.playlistPage(q.s.cat.categoryPlaylists(i), q.s.cat.categories[i].name)
}

func hFeaturedPlaylists(q *req) {
	q.playlistPage(q.s.cat.featuredPlaylists(), "Popular Playlists")
}

// playlistPage answers {"message":..,"playlists":page} over catalog playlists.
func (q *req) playlistPage(list []int32, message string) {
	limit, offset, ok := q.limits(20, 50)
	if !ok {
		return
	}
	v := q.view(false)
	p := q.page(offset, limit, len(list))
	from, to := span(offset, limit, len(list))
	q.s.mu.Lock()
	for _, i := range list[from:to] {
		pl := q.s.state.playlists[q.s.cat.playlists[i].id]
		p.items = append(p.items, mustJSON(q.s.state.simplePlaylist(v, pl)))
	}
	q.s.mu.Unlock()
	q.raw(http.StatusOK, wrap(member{"message", jsonString(message)}, member{"playlists", p.bytes()}))
}

func hGenreSeeds(q *req) {
	q.json(http.StatusOK, map[string]any{"genres": q.s.cat.genres})
}

func hMarkets(q *req) {
	q.raw(http.StatusOK, wrap(member{"markets", q.s.cat.marketsJSON}))
}

type jAudioFeatures struct {
	Acousticness     float64 `json:"acousticness"`
	AnalysisURL      string  `json:"analysis_url"`
	Danceability     float64 `json:"danceability"`
	DurationMs       int     `json:"duration_ms"`
	Energy           float64 `json:"energy"`
	ID               string  `json:"id"`
	Instrumentalness float64 `json:"instrumentalness"`
	Key              int     `json:"key"`
	Liveness         float64 `json:"liveness"`
	Loudness         float64 `json:"loudness"`
	Mode             int     `json:"mode"`
	Speechiness      float64 `json:"speechiness"`
	Tempo            float64 `json:"tempo"`
	TimeSignature    int     `json:"time_signature"`
	TrackHref        string  `json:"track_href"`
	Type             string  `json:"type"`
	URI              string  `json:"uri"`
	Valence          float64 `json:"valence"`
}

// unit derives a value in [0,1) with three decimals from a key.
func unit(key uint64) float64 { return float64(mix64(key)%1000) / 1000 }

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

func (v *view) audioFeatures(i int) jAudioFeatures {
	t := &v.c.tracks[i]
	k := uint64(i) << 8
	return jAudioFeatures{
		Acousticness:     unit(k + 1),
		AnalysisURL:      v.api + "/audio-analysis/" + t.id,
		Danceability:     unit(k + 2),
		DurationMs:       t.durationMs,
		Energy:           unit(k + 3),
		ID:               t.id,
		Instrumentalness: unit(k + 4),
		Key:              int(mix64(k+5) % 12),
		Liveness:         unit(k + 6),
		Loudness:         round(-30+30*unit(k+7), 3),
		Mode:             int(mix64(k+8) % 2),
		Speechiness:      unit(k + 9),
		Tempo:            round(60+140*unit(k+10), 3),
		TimeSignature:    3 + int(mix64(k+11)%3),
		TrackHref:        v.href(kTrack, t.id),
		Type:             "audio_features",
		URI:              uri(kTrack, t.id),
		Valence:          unit(k + 12),
	}
}

func hAudioFeatures(q *req) {
	if i, ok := q.pathObject("id", kTrack); ok {
		q.json(http.StatusOK, q.view(false).audioFeatures(i))
	}
}

func hSeveralAudioFeatures(q *req) {
	ids, ok := q.ids(100)
	if !ok {
		return
	}
	v := q.view(false)
	items := make([][]byte, len(ids))
	for n, id := range ids {
		if i, ok := q.s.cat.lookup(kTrack, id); ok {
			items[n] = mustJSON(v.audioFeatures(i))
		} else {
			items[n] = []byte("null")
		}
	}
	q.raw(http.StatusOK, wrap(member{"audio_features", joinArray(items)}))
}

type jInterval struct {
	Start      float64 `json:"start"`
	Duration   float64 `json:"duration"`
	Confidence float64 `json:"confidence"`
}

type jSection struct {
	jInterval
	Loudness                float64 `json:"loudness"`
	Tempo                   float64 `json:"tempo"`
	TempoConfidence         float64 `json:"tempo_confidence"`
	Key                     int     `json:"key"`
	KeyConfidence           float64 `json:"key_confidence"`
	Mode                    int     `json:"mode"`
	ModeConfidence          float64 `json:"mode_confidence"`
	TimeSignature           int     `json:"time_signature"`
	TimeSignatureConfidence float64 `json:"time_signature_confidence"`
}

type jSegment struct {
	jInterval
	LoudnessStart   float64   `json:"loudness_start"`
	LoudnessMaxTime float64   `json:"loudness_max_time"`
	LoudnessMax     float64   `json:"loudness_max"`
	LoudnessEnd     float64   `json:"loudness_end"`
	Pitches         []float64 `json:"pitches"`
	Timbre          []float64 `json:"timbre"`
}

// audioAnalysis is a small but complete analysis: a few elements per list,
// all consistent with the track's duration and audio features.
func (v *view) audioAnalysis(i int) map[string]any {
	f := v.audioFeatures(i)
	dur := float64(v.c.tracks[i].durationMs) / 1000
	beat := round(60/f.Tempo, 5)
	var bars, beats, tatums []jInterval
	for n := 0; n < 8; n++ {
		beats = append(beats, jInterval{round(float64(n)*beat, 5), beat, unit(uint64(i*64 + n))})
		tatums = append(tatums, jInterval{round(float64(n)*beat/2, 5), round(beat/2, 5), unit(uint64(i*64 + n + 8))})
		if n%4 == 0 {
			bars = append(bars, jInterval{round(float64(n)*beat, 5), round(4*beat, 5), unit(uint64(i*64 + n + 16))})
		}
	}
	half := round(dur/2, 5)
	sections := []jSection{}
	for n := 0; n < 2; n++ {
		sections = append(sections, jSection{
			jInterval:       jInterval{round(float64(n)*half, 5), half, 1},
			Loudness:        f.Loudness,
			Tempo:           f.Tempo,
			TempoConfidence: unit(uint64(i*64 + 30 + n)),
			Key:             f.Key, KeyConfidence: unit(uint64(i*64 + 32 + n)),
			Mode: f.Mode, ModeConfidence: unit(uint64(i*64 + 34 + n)),
			TimeSignature: f.TimeSignature, TimeSignatureConfidence: 1,
		})
	}
	pitches := make([]float64, 12)
	timbre := make([]float64, 12)
	for n := range pitches {
		pitches[n] = unit(uint64(i*64 + 40 + n))
		timbre[n] = round(200*unit(uint64(i*64+52+n))-100, 3)
	}
	pitches[int(mix64(uint64(i))%12)] = 1
	segments := []jSegment{{
		jInterval:     jInterval{0, round(beat, 5), unit(uint64(i*64 + 39))},
		LoudnessStart: -60, LoudnessMaxTime: round(beat/4, 5), LoudnessMax: f.Loudness, LoudnessEnd: -60,
		Pitches: pitches, Timbre: timbre,
	}}
	return map[string]any{
		"meta": map[string]any{
			"analyzer_version": "4.0.0", "platform": "Linux", "detailed_status": "OK",
			"status_code": 0, "timestamp": v.c.epoch.Unix(), "analysis_time": 6.5,
			"input_process": "libvorbisfile L+R 44100->22050",
		},
		"track": map[string]any{
			"num_samples": int(dur * 22050), "duration": dur, "sample_md5": "",
			"offset_seconds": 0, "window_seconds": 0, "analysis_sample_rate": 22050,
			"analysis_channels": 1, "end_of_fade_in": 0.0, "start_of_fade_out": round(dur-4, 5),
			"loudness": f.Loudness, "tempo": f.Tempo, "tempo_confidence": unit(uint64(i*64 + 61)),
			"time_signature": f.TimeSignature, "time_signature_confidence": 1,
			"key": f.Key, "key_confidence": unit(uint64(i*64 + 62)),
			"mode": f.Mode, "mode_confidence": unit(uint64(i*64 + 63)),
			"codestring": "eJxVnAmS5DgOBL", "code_version": 3.15,
			"echoprintstring": "eJzlvQmSHDmStHslx", "echoprint_version": 4.12,
			"synchstring": "eJx1mIlx7ToORFNRCCK", "synch_version": 1,
			"rhythmstring": "eJyNXAmOLT2r28pZQuZh", "rhythm_version": 1,
		},
		"bars": bars, "beats": beats, "sections": sections, "segments": segments, "tatums": tatums,
	}
}

func hAudioAnalysis(q *req) {
	if i, ok := q.pathObject("id", kTrack); ok {
		q.json(http.StatusOK, q.view(false).audioAnalysis(i))
	}
}

type jSeed struct {
	AfterFilteringSize int    `json:"afterFilteringSize"`
	AfterRelinkingSize int    `json:"afterRelinkingSize"`
	Href               string `json:"href,omitempty"`
	ID                 string `json:"id"`
	InitialPoolSize    int    `json:"initialPoolSize"`
	Type               string `json:"type"`
}

func hRecommendations(q *req) {
	v := q.marketView()
	if v == nil {
		return
	}
	qv := q.r.URL.Query()
	limit := 20
	if s := qv.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			q.fail(http.StatusBadRequest, "Invalid limit")
			return
		}
		limit = n
	}
	c := q.s.cat
	var seeds []jSeed
	key := uint64(limit)
	for _, sk := range []struct {
		param string
		k     kind
		typ   string
	}{{"seed_artists", kArtist, "ARTIST"}, {"seed_tracks", kTrack, "TRACK"}, {"seed_genres", kNone, "GENRE"}} {
		s := qv.Get(sk.param)
		if s == "" {
			continue
		}
		for _, id := range strings.Split(s, ",") {
			seed := jSeed{ID: id, Type: sk.typ, InitialPoolSize: 250, AfterFilteringSize: 250, AfterRelinkingSize: 250}
			if sk.k == kNone {
				if !contains(c.genres, id) {
					q.fail(http.StatusBadRequest, "Invalid genre seed: "+id)
					return
				}
			} else {
				if !isBase62ID(id) {
					q.fail(http.StatusBadRequest, "Invalid base62 id")
					return
				}
				if _, ok := c.lookup(sk.k, id); !ok {
					q.fail(http.StatusBadRequest, "Invalid seed id: "+id)
					return
				}
				seed.Href = v.href(sk.k, id)
			}
			key = mix64(key ^ hashString(id))
			seeds = append(seeds, seed)
		}
	}
	if len(seeds) == 0 {
		q.fail(http.StatusBadRequest, "Missing seed: at least one of seed_artists, seed_tracks or seed_genres is required")
		return
	}
	if len(seeds) > 5 {
		q.fail(http.StatusBadRequest, "Too many seeds: at most 5 are allowed")
		return
	}
	limit = min(limit, len(c.tracks))
	items := make([][]byte, 0, limit)
	seen := map[int]bool{}
	for n := 0; len(items) < limit; n++ {
		t := int(mix64(key+uint64(n)) % uint64(len(c.tracks)))
		if seen[t] && n < 4*limit {
			continue
		}
		seen[t] = true
		items = append(items, v.trackJSON(t))
	}
	q.raw(http.StatusOK, wrap(member{"seeds", mustJSON(seeds)}, member{"tracks", joinArray(items)}))
}
