package spotifytest

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// kind is the type of a catalog object, as in its URI.
type kind uint8

const (
	kNone kind = iota
	kTrack
	kAlbum
	kArtist
	kPlaylist
	kShow
	kEpisode
	kAudiobook
	kChapter
	kUser
	kCategory
)

// uriType is the type segment of a kind's URI. Chapters are served as
// episodes: the contract's ChapterBase.type allows only "episode".
func (k kind) uriType() string {
	switch k {
	case kTrack:
		return "track"
	case kAlbum:
		return "album"
	case kArtist:
		return "artist"
	case kPlaylist:
		return "playlist"
	case kShow:
		return "show"
	case kEpisode, kChapter:
		return "episode"
	case kAudiobook:
		return "audiobook"
	case kUser:
		return "user"
	}
	return ""
}

// ref points at one object of the catalog.
type ref struct {
	k   kind
	idx int32
}

// row is one entry of a playlist.
type row struct {
	item    ref   // a track or an episode
	addedAt int64 // unix seconds
	addedBy int32 // user index
}

type artist struct {
	id, name   string
	lname      string // lower-cased name for search
	genres     []string
	popularity int
	followers  int
	albums     []int32
}

type album struct {
	id, name    string
	lname       string
	artists     []int32
	albumType   string // album, single, compilation
	firstTrack  int32
	nTracks     int32
	releaseDate string
	precision   string
	label       string
	upc         string
	popularity  int
	year        int
}

type track struct {
	id, name   string
	lname      string
	album      int32
	artists    []int32
	disc, num  int
	durationMs int
	explicit   bool
	popularity int
	isrc       string
}

type playlist struct {
	id, name, description string
	lname                 string
	owner                 int32
	public, collaborative bool
	followers             int
	n                     int  // rows
	mixed                 bool // some rows are episodes
	big                   bool // rows are a permutation of the tracks
	rowKey                uint64
}

type show struct {
	id, name, publisher, description string
	lname                            string
	firstEpisode, nEpisodes          int32
	explicit                         bool
	mediaType                        string
	language                         string
}

type episode struct {
	id, name, description string
	lname                 string
	show                  int32
	durationMs            int
	releaseDate           string
	explicit              bool
}

type audiobook struct {
	id, name, publisher, description string
	lname                            string
	authors, narrators               []string
	firstChapter, nChapters          int32
	edition                          string
	explicit                         bool
	language                         string
}

type chapter struct {
	id, name    string
	book        int32
	number      int
	durationMs  int
	releaseDate string
}

type category struct {
	id, name string
}

type user struct {
	id, displayName string
	followers       int
	country         string
	product         string
}

// catalog is the synthetic, seed-determined catalog. It is read-only once
// built, except for the lazily filled JSON caches, which use atomics.
type catalog struct {
	seed  uint64
	epoch time.Time // "now" of the catalog: every date lies before it

	markets     []string
	marketSet   map[string]bool
	marketsJSON json.RawMessage
	genres      []string

	artists    []artist
	albums     []album
	tracks     []track
	playlists  []playlist
	shows      []show
	episodes   []episode
	audiobooks []audiobook
	chapters   []chapter
	categories []category
	users      []user

	byID map[idKey]int32

	big10K, big100K int    // indexes in playlists
	step            uint64 // walks the tracks in the big playlists
	newReleases     []int32
	// isNewRelease marks the albums of newReleases, which search's
	// tag:new finds: Spotify's "released in the past two weeks" is, in a
	// catalog whose newest albums are of the year before its epoch, what
	// the fake lists as new releases.
	isNewRelease []bool
	// hipsterBelow is the popularity under which an album is among the
	// least popular tenth, which search's tag:hipster finds.
	hipsterBelow int

	// trackJSON caches the rendered full track per variant (see variant).
	trackJSON [nVariants][]atomic.Pointer[[]byte]
	epJSON    [nVariants][]atomic.Pointer[[]byte]
	// cacheAPI is the href base the cached renderings use: the first one a
	// request brought. Requests through another host name render afresh.
	cacheAPI atomic.Pointer[string]
}

// cacheFor reports whether renderings for api may use the caches.
func (c *catalog) cacheFor(api string) bool {
	if p := c.cacheAPI.Load(); p != nil {
		return *p == api
	}
	c.cacheAPI.CompareAndSwap(nil, &api)
	return *c.cacheAPI.Load() == api
}

type idKey struct {
	k  kind
	id string
}

// Default sizes of the catalog.
const (
	defaultArtists         = 200
	defaultAlbumsPerArtist = 5
	defaultTracksPerAlbum  = 10
	defaultPlaylists       = 50
	defaultShows           = 20
	defaultEpisodesPerShow = 30
	defaultAudiobooks      = 20
	defaultChaptersPerBook = 20
	defaultUsers           = 10

	big10KItems  = 10_000
	big100KItems = 100_000
)

// withDefaults fills the zero fields of s with the default sizes.
func (s Size) withDefaults() Size {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&s.Artists, defaultArtists)
	def(&s.AlbumsPerArtist, defaultAlbumsPerArtist)
	def(&s.TracksPerAlbum, defaultTracksPerAlbum)
	def(&s.Playlists, defaultPlaylists)
	def(&s.Shows, defaultShows)
	def(&s.EpisodesPerShow, defaultEpisodesPerShow)
	def(&s.Audiobooks, defaultAudiobooks)
	def(&s.ChaptersPerBook, defaultChaptersPerBook)
	def(&s.Users, defaultUsers)
	if s.Users < 2 {
		s.Users = 2 // the default user and the editor of the big playlists
	}
	return s
}

// catalogEpoch is the fixed "now" of every catalog, so that dates do not
// depend on when the fake starts.
var catalogEpoch = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// newCatalog builds the catalog of seed and size. The same arguments give
// the same catalog, byte for byte.
func newCatalog(seed int64, size Size) *catalog {
	size = size.withDefaults()
	c := &catalog{
		seed:    uint64(seed),
		epoch:   catalogEpoch,
		markets: spotifyMarkets,
		genres:  genreSeeds,
		byID:    make(map[idKey]int32),
	}
	c.marketSet = make(map[string]bool, len(c.markets))
	for _, m := range c.markets {
		c.marketSet[m] = true
	}
	c.marketsJSON, _ = json.Marshal(c.markets)
	r := rand.New(rand.NewPCG(c.seed, 0x5f0f1a7e))
	c.buildUsers(r, size)
	c.buildMusic(r, size)
	c.buildShows(r, size)
	c.buildAudiobooks(r, size)
	c.step = coprimeStep(len(c.tracks))
	c.buildPlaylists(r, size)
	c.buildCategories()
	c.buildNewReleases()
	c.hipsterBelow = tenthPercentile(c.albums)
	for v := range c.trackJSON {
		c.trackJSON[v] = make([]atomic.Pointer[[]byte], len(c.tracks))
		c.epJSON[v] = make([]atomic.Pointer[[]byte], len(c.episodes))
	}
	return c
}

// newID returns the ID of the idx-th object of kind k, and indexes it.
func (c *catalog) newID(k kind, idx int) string {
	id := base62ID(c.seed*0x9e3779b97f4a7c15 ^ uint64(k)<<56 ^ uint64(idx))
	c.byID[idKey{k, id}] = int32(idx)
	return id
}

// lookup finds the index of an object by kind and ID.
func (c *catalog) lookup(k kind, id string) (int, bool) {
	i, ok := c.byID[idKey{k, id}]
	return int(i), ok
}

// lookupUser finds a user by ID.
func (c *catalog) lookupUser(id string) (int, bool) {
	for i := range c.users {
		if c.users[i].id == id {
			return i, true
		}
	}
	return 0, false
}

func (c *catalog) buildUsers(r *rand.Rand, size Size) {
	c.users = make([]user, size.Users)
	for i := range c.users {
		u := &c.users[i]
		switch i {
		case 0:
			u.id, u.displayName = DefaultUser, "Spotflow Tester"
		case 1:
			u.id, u.displayName = "spotflow-editor", "Spotflow Editorial"
		default:
			first := pick(r, firstNames)
			u.id = strings.ToLower(first) + strconv.Itoa(100+r.IntN(900))
			u.displayName = first + " " + pick(r, lastNames)
		}
		u.followers = r.IntN(5000)
		u.country = c.markets[r.IntN(len(c.markets))]
		u.product = "premium"
		if i > 0 && r.IntN(3) == 0 {
			u.product = "free"
		}
		c.byID[idKey{kUser, u.id}] = int32(i)
	}
	c.users[0].country = "SE"
}

func (c *catalog) buildMusic(r *rand.Rand, size Size) {
	c.artists = make([]artist, size.Artists)
	c.albums = make([]album, 0, size.Artists*size.AlbumsPerArtist)
	c.tracks = make([]track, 0, size.Artists*size.AlbumsPerArtist*size.TracksPerAlbum)
	for i := range c.artists {
		a := &c.artists[i]
		a.id = c.newID(kArtist, i)
		a.name = artistName(r)
		a.lname = strings.ToLower(a.name)
		a.genres = make([]string, 1+r.IntN(3))
		for g := range a.genres {
			a.genres[g] = pick(r, c.genres)
		}
		a.popularity = r.IntN(101)
		a.followers = r.IntN(2_000_000)
	}
	for i := range c.artists {
		for j := 0; j < size.AlbumsPerArtist; j++ {
			c.addAlbum(r, i, j, size.TracksPerAlbum)
		}
	}
}

func (c *catalog) addAlbum(r *rand.Rand, artistIdx, nth, nTracks int) {
	idx := len(c.albums)
	al := album{
		id:         c.newID(kAlbum, idx),
		name:       titleWords(r, 1+r.IntN(3)),
		artists:    []int32{int32(artistIdx)},
		albumType:  "album",
		firstTrack: int32(len(c.tracks)),
		nTracks:    int32(nTracks),
		label:      pick(r, labels),
		popularity: r.IntN(101),
		year:       1965 + r.IntN(61),
	}
	switch {
	case nth%5 == 3:
		al.albumType = "single"
	case nth%5 == 4 && r.IntN(3) == 0:
		al.albumType = "compilation"
	}
	if r.IntN(8) == 0 && len(c.artists) > 1 {
		al.artists = append(al.artists, int32(r.IntN(len(c.artists))))
	}
	al.releaseDate, al.precision = releaseDate(r, al.year)
	al.upc = digits(r, 12)
	al.lname = strings.ToLower(al.name)
	c.albums = append(c.albums, al)
	c.artists[artistIdx].albums = append(c.artists[artistIdx].albums, int32(idx))
	for k := 0; k < nTracks; k++ {
		t := track{
			id:         c.newID(kTrack, len(c.tracks)),
			name:       titleWords(r, 1+r.IntN(4)),
			album:      int32(idx),
			artists:    al.artists,
			disc:       1,
			num:        k + 1,
			durationMs: 95_000 + r.IntN(330_000),
			explicit:   r.IntN(7) == 0,
			popularity: r.IntN(101),
			isrc:       pick(r, isrcCountries) + string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(26))) + digits(r, 1) + strconv.Itoa(al.year%100 + 100)[1:] + digits(r, 5),
		}
		if r.IntN(10) == 0 && len(c.artists) > 1 {
			t.artists = append(append([]int32(nil), al.artists...), int32(r.IntN(len(c.artists))))
			t.name += " (feat. " + c.artists[t.artists[len(t.artists)-1]].name + ")"
		}
		t.lname = strings.ToLower(t.name)
		c.tracks = append(c.tracks, t)
	}
}

func (c *catalog) buildShows(r *rand.Rand, size Size) {
	c.shows = make([]show, size.Shows)
	c.episodes = make([]episode, 0, size.Shows*size.EpisodesPerShow)
	for i := range c.shows {
		sh := &c.shows[i]
		sh.id = c.newID(kShow, i)
		sh.name = "The " + titleWords(r, 2) + " " + pick(r, showSuffixes)
		sh.lname = strings.ToLower(sh.name)
		sh.publisher = pick(r, firstNames) + " " + pick(r, lastNames)
		sh.description = "Conversations about " + strings.ToLower(titleWords(r, 2)) + " and everything around it."
		sh.explicit = r.IntN(4) == 0
		sh.mediaType = "audio"
		if r.IntN(4) == 0 {
			sh.mediaType = "mixed"
		}
		sh.language = pick(r, languages)
		sh.firstEpisode = int32(len(c.episodes))
		sh.nEpisodes = int32(size.EpisodesPerShow)
		for k := 0; k < size.EpisodesPerShow; k++ {
			day := c.epoch.AddDate(0, 0, -7*(size.EpisodesPerShow-k)-r.IntN(3))
			ep := episode{
				id:          c.newID(kEpisode, len(c.episodes)),
				name:        "#" + strconv.Itoa(k+1) + ": " + titleWords(r, 2+r.IntN(3)),
				show:        int32(i),
				durationMs:  600_000 + r.IntN(5_400_000),
				releaseDate: day.Format(time.DateOnly),
				explicit:    sh.explicit && r.IntN(2) == 0,
			}
			ep.description = "In this episode of " + sh.name + ": " + strings.ToLower(ep.name[strings.Index(ep.name, ":")+2:]) + "."
			ep.lname = strings.ToLower(ep.name)
			c.episodes = append(c.episodes, ep)
		}
	}
}

func (c *catalog) buildAudiobooks(r *rand.Rand, size Size) {
	c.audiobooks = make([]audiobook, size.Audiobooks)
	c.chapters = make([]chapter, 0, size.Audiobooks*size.ChaptersPerBook)
	for i := range c.audiobooks {
		b := &c.audiobooks[i]
		b.id = c.newID(kAudiobook, i)
		b.name = titleWords(r, 2+r.IntN(3))
		b.lname = strings.ToLower(b.name)
		b.authors = []string{pick(r, firstNames) + " " + pick(r, lastNames)}
		b.narrators = []string{pick(r, firstNames) + " " + pick(r, lastNames)}
		b.publisher = pick(r, labels) + " Audio"
		b.description = "A novel about " + strings.ToLower(titleWords(r, 2)) + "."
		b.edition = "Unabridged"
		b.explicit = r.IntN(6) == 0
		b.language = pick(r, languages)
		b.firstChapter = int32(len(c.chapters))
		b.nChapters = int32(size.ChaptersPerBook)
		released := c.epoch.AddDate(0, 0, -r.IntN(3000)).Format(time.DateOnly)
		for k := 0; k < size.ChaptersPerBook; k++ {
			c.chapters = append(c.chapters, chapter{
				id:          c.newID(kChapter, len(c.chapters)),
				name:        "Chapter " + strconv.Itoa(k+1),
				book:        int32(i),
				number:      k,
				durationMs:  300_000 + r.IntN(2_400_000),
				releaseDate: released,
			})
		}
	}
}

func (c *catalog) buildPlaylists(r *rand.Rand, size Size) {
	n := size.Playlists
	c.playlists = make([]playlist, 0, n+2)
	for i := 0; i < n; i++ {
		p := playlist{
			id:          c.newID(kPlaylist, i),
			name:        titleWords(r, 1+r.IntN(3)) + " " + pick(r, playlistSuffixes),
			owner:       int32(i % len(c.users)),
			public:      i%7 != 6,
			followers:   r.IntN(100_000),
			n:           5 + r.IntN(96),
			mixed:       i%5 == 4 && len(c.episodes) > 0,
			rowKey:      r.Uint64(),
			description: "Songs picked for " + strings.ToLower(titleWords(r, 2)) + ".",
		}
		p.collaborative = !p.public && i%2 == 0
		p.lname = strings.ToLower(p.name)
		c.playlists = append(c.playlists, p)
	}
	for _, big := range []struct {
		name string
		n    int
	}{{"Ten Thousand Songs", big10KItems}, {"One Hundred Thousand Songs", big100KItems}} {
		idx := len(c.playlists)
		p := playlist{
			id:          c.newID(kPlaylist, idx),
			name:        big.name,
			lname:       strings.ToLower(big.name),
			description: "A very long playlist for paging tests.",
			owner:       1,
			public:      true,
			followers:   r.IntN(1_000_000),
			n:           big.n,
			big:         true,
			rowKey:      r.Uint64(),
		}
		if big.n == big10KItems {
			c.big10K = idx
		} else {
			c.big100K = idx
		}
		c.playlists = append(c.playlists, p)
	}
}

// playlistRow derives row i of catalog playlist p without storing it.
func (c *catalog) playlistRow(p *playlist, i int) row {
	h := mix64(p.rowKey + uint64(i))
	rw := row{
		addedBy: p.owner,
		// Rows were added over the months before the epoch, oldest first.
		addedAt: c.epoch.Unix() - int64(p.n-i)*int64(60+h%3600),
	}
	nt := len(c.tracks)
	switch {
	case p.big:
		// A step coprime with the number of tracks walks every track before
		// repeating one, so the 10,000-item list has no duplicate when the
		// catalog has 10,000 tracks.
		rw.item = ref{kTrack, int32((uint64(i)*c.step + p.rowKey) % uint64(nt))}
	case p.mixed && h%4 == 0:
		rw.item = ref{kEpisode, int32((h >> 8) % uint64(len(c.episodes)))}
	default:
		rw.item = ref{kTrack, int32((h >> 8) % uint64(nt))}
	}
	return rw
}

// coprimeStep returns a step near n*0.618 that is coprime with n.
func coprimeStep(n int) uint64 {
	s := n*618/1000 + 1
	for gcd(s, n) != 1 {
		s++
	}
	return uint64(s)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func (c *catalog) buildCategories() {
	c.categories = make([]category, len(categoryNames))
	for i, name := range categoryNames {
		id := strings.ToLower(strings.NewReplacer(" ", "", "&", "", "-", "").Replace(name))
		c.categories[i] = category{id: id, name: name}
		c.byID[idKey{kCategory, id}] = int32(i)
	}
}

// categoryPlaylists are the ordinary playlists of category i.
func (c *catalog) categoryPlaylists(i int) []int32 {
	var out []int32
	n := len(c.playlists) - 2
	for p := 0; p < n; p++ {
		if c.playlists[p].public && mix64(uint64(p)*31+uint64(i))%4 == 0 {
			out = append(out, int32(p))
		}
	}
	return out
}

// featuredPlaylists are the public ordinary playlists, most followed first
// is not needed: catalog order is stable and good enough.
func (c *catalog) featuredPlaylists() []int32 {
	var out []int32
	for p := 0; p < len(c.playlists)-2; p++ {
		if c.playlists[p].public && p%3 == 0 {
			out = append(out, int32(p))
		}
	}
	return out
}

func (c *catalog) buildNewReleases() {
	for i := range c.albums {
		if c.albums[i].year >= 2024 {
			c.newReleases = append(c.newReleases, int32(i))
		}
	}
	if len(c.newReleases) == 0 {
		for i := 0; i < len(c.albums) && i < 20; i++ {
			c.newReleases = append(c.newReleases, int32(i))
		}
	}
	c.isNewRelease = make([]bool, len(c.albums))
	for _, i := range c.newReleases {
		c.isNewRelease[i] = true
	}
}

// tenthPercentile is the popularity under which at most a tenth of the
// albums lie.
func tenthPercentile(albums []album) int {
	if len(albums) == 0 {
		return 0
	}
	pops := make([]int, len(albums))
	for i := range albums {
		pops[i] = albums[i].popularity
	}
	slices.Sort(pops)
	return pops[len(pops)/10]
}

// topTracks are an artist's ten most popular tracks.
func (c *catalog) topTracks(a int) []int32 {
	var out []int32
	for _, al := range c.artists[a].albums {
		for t := c.albums[al].firstTrack; t < c.albums[al].firstTrack+c.albums[al].nTracks; t++ {
			out = append(out, t)
		}
	}
	sortByPopularity(out, c.tracks)
	if len(out) > 10 {
		out = out[:10]
	}
	return out
}

func sortByPopularity(ts []int32, tracks []track) {
	// Insertion sort: lists are at most a few hundred long.
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && tracks[ts[j]].popularity > tracks[ts[j-1]].popularity; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// relatedArtists are up to 20 artists sharing a's first genre.
func (c *catalog) relatedArtists(a int) []int32 {
	var out []int32
	g := c.artists[a].genres[0]
	for i := range c.artists {
		if i == a {
			continue
		}
		for _, x := range c.artists[i].genres {
			if x == g {
				out = append(out, int32(i))
				break
			}
		}
		if len(out) == 20 {
			break
		}
	}
	return out
}

// Helpers for generating names and codes.

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func titleWords(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(pick(r, titleWordList))
	}
	return b.String()
}

func artistName(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return pick(r, firstNames) + " " + pick(r, lastNames)
	case 1:
		return "The " + pick(r, titleWordList) + " " + pick(r, bandNouns)
	default:
		return pick(r, titleWordList) + " " + pick(r, bandNouns)
	}
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// releaseDate returns a date in year with Spotify's precisions: old albums
// often carry only a year.
func releaseDate(r *rand.Rand, year int) (string, string) {
	y := strconv.Itoa(year)
	switch {
	case year < 1990 && r.IntN(2) == 0:
		return y, "year"
	case r.IntN(12) == 0:
		return y + "-" + twoDigits(1+r.IntN(12)), "month"
	}
	d := time.Date(year, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	if d.After(catalogEpoch) {
		d = catalogEpoch.AddDate(0, 0, -1-r.IntN(60))
	}
	return d.Format(time.DateOnly), "day"
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// Word lists. Names only need to look plausible and share words, so that
// search finds several objects for one word.

var titleWordList = []string{
	"Midnight", "Golden", "River", "Echo", "Neon", "Velvet", "Silver", "Summer",
	"Winter", "Paper", "Electric", "Northern", "Lights", "Ocean", "Fire", "Glass",
	"Shadow", "Wild", "Blue", "Crimson", "Hollow", "Satellite", "Honey", "Thunder",
	"Desert", "Garden", "Stone", "Signal", "Static", "Mirror", "Horizon", "Harbor",
	"Dream", "Coast", "City", "Heart", "Machine", "Forest", "Morning", "Orbit",
	"Rain", "Smoke", "Sugar", "Tide", "Wolves", "Youth", "Avenue", "Bloom",
	"Cascade", "Dusk", "Ember", "Fever", "Gravity", "Haze", "Iris", "Jade",
	"Kingdom", "Lantern", "Meadow", "Nova", "Opal", "Prism", "Quiet", "Radio",
}

var bandNouns = []string{
	"Foxes", "Parade", "Collective", "Club", "Society", "Machines", "Kids",
	"Riders", "Sisters", "Brothers", "Orchestra", "Band", "Project", "Ghosts",
}

var firstNames = []string{
	"Mira", "Jonas", "Aiko", "Lena", "Omar", "Priya", "Felix", "Nora", "Theo",
	"Sofia", "Mateo", "Ingrid", "Kofi", "Yara", "Elias", "Hana", "Luca", "Ava",
}

var lastNames = []string{
	"Stone", "Lindqvist", "Okafor", "Tanaka", "Moreau", "Silva", "Novak",
	"Berg", "Costa", "Haddad", "Kowalski", "Reyes", "Fischer", "Ito", "Quinn",
}

var labels = []string{
	"Northbound Records", "Paper Lantern", "Blue Harbor Music", "Static Sound",
	"Orbit Recordings", "Velvet Tide", "Golden Hour", "Glasshouse",
}

var isrcCountries = []string{"US", "GB", "SE", "DE", "FR", "JP", "BR", "NL"}

var showSuffixes = []string{"Podcast", "Show", "Hour", "Radio", "Talks"}

var playlistSuffixes = []string{"Mix", "Vibes", "Essentials", "Radar", "Favorites", "Hits"}

var languages = []string{"en", "en-US", "sv", "de", "es", "fr", "ja", "pt-BR"}

var categoryNames = []string{
	"Top Lists", "Pop", "Hip-Hop", "Rock", "Indie", "Dance Electronic",
	"Mood", "Chill", "Workout", "Focus", "Sleep", "Jazz", "Classical",
	"Country", "Latin", "Soul", "Metal", "Folk Acoustic", "Party", "Romance",
}

// genreSeeds are genre names as Spotify's genre seeds spell them.
var genreSeeds = []string{
	"acoustic", "afrobeat", "alt-rock", "alternative", "ambient", "blues",
	"bossanova", "british", "chill", "classical", "club", "country", "dance",
	"deep-house", "disco", "drum-and-bass", "dub", "dubstep", "edm",
	"electro", "electronic", "folk", "funk", "garage", "gospel", "grunge",
	"hard-rock", "hip-hop", "house", "indie", "indie-pop", "j-pop", "jazz",
	"k-pop", "latin", "metal", "new-age", "piano", "pop", "power-pop",
	"punk", "r-n-b", "reggae", "reggaeton", "rock", "rock-n-roll", "salsa",
	"singer-songwriter", "ska", "soul", "synth-pop", "techno", "trance",
	"trip-hop", "world-music",
}

// spotifyMarkets are the country codes where Spotify is available, as its
// Web API lists them.
var spotifyMarkets = strings.Fields(`AD AE AG AL AM AO AR AT AU AZ BA BB BD BE
BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CG CH CI CL CM CO CR CV CW CY CZ
DE DJ DK DM DO DZ EC EE EG ES FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY
HK HN HR HT HU ID IE IL IN IQ IS IT JM JO JP KE KG KH KI KM KN KR KW KZ LA LB
LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MN MO MR MT MU MV MW MX MY
MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PS PT PW PY QA RO RS RW SA
SB SC SE SG SI SK SL SM SN SR ST SV SZ TD TG TH TJ TL TN TO TR TT TV TW TZ UA
UG US UY UZ VC VE VN VU WS XK ZA ZM ZW`)
