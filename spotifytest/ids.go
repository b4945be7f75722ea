package spotifytest

// IDs lists identifiers of the fake's catalog, so that tests can ask for
// objects that exist. Every list is in catalog order and the same for the
// same seed and Size.
type IDs struct {
	Tracks     []string
	Albums     []string
	Artists    []string
	Playlists  []string // ordinary playlists, then the two big ones
	Shows      []string
	Episodes   []string
	Audiobooks []string
	Chapters   []string
	Categories []string
	Users      []string // user IDs; the first is the default user

	// Playlist10K has exactly 10,000 items and Playlist100K exactly 100,000.
	Playlist10K  string
	Playlist100K string

	// User is the default user, the one the fake's user tokens belong to
	// unless a test asks for another.
	User string
}

// IDs returns identifiers of the catalog's objects. The slices are fresh
// copies the caller may keep or change.
func (s *Server) IDs() IDs {
	c := s.cat
	ids := IDs{
		Tracks:       make([]string, len(c.tracks)),
		Albums:       make([]string, len(c.albums)),
		Artists:      make([]string, len(c.artists)),
		Playlists:    make([]string, len(c.playlists)),
		Shows:        make([]string, len(c.shows)),
		Episodes:     make([]string, len(c.episodes)),
		Audiobooks:   make([]string, len(c.audiobooks)),
		Chapters:     make([]string, len(c.chapters)),
		Categories:   make([]string, len(c.categories)),
		Users:        make([]string, len(c.users)),
		Playlist10K:  c.playlists[c.big10K].id,
		Playlist100K: c.playlists[c.big100K].id,
		User:         c.users[0].id,
	}
	for i := range c.tracks {
		ids.Tracks[i] = c.tracks[i].id
	}
	for i := range c.albums {
		ids.Albums[i] = c.albums[i].id
	}
	for i := range c.artists {
		ids.Artists[i] = c.artists[i].id
	}
	for i := range c.playlists {
		ids.Playlists[i] = c.playlists[i].id
	}
	for i := range c.shows {
		ids.Shows[i] = c.shows[i].id
	}
	for i := range c.episodes {
		ids.Episodes[i] = c.episodes[i].id
	}
	for i := range c.audiobooks {
		ids.Audiobooks[i] = c.audiobooks[i].id
	}
	for i := range c.chapters {
		ids.Chapters[i] = c.chapters[i].id
	}
	for i := range c.categories {
		ids.Categories[i] = c.categories[i].id
	}
	for i := range c.users {
		ids.Users[i] = c.users[i].id
	}
	return ids
}

const base62Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62ID makes a 22-character Spotify-style ID from a hash key; the same
// key gives the same ID.
func base62ID(key uint64) string {
	var b [22]byte
	var h uint64
	for i := range b {
		if i%10 == 0 {
			// 62^10 < 2^64: one hash gives ten characters.
			h = mix64(key + uint64(i)*0x9e3779b97f4a7c15)
		}
		b[i] = base62Digits[h%62]
		h /= 62
	}
	return string(b[:])
}

// isBase62ID reports whether s looks like a Spotify ID: 22 base62 characters.
func isBase62ID(s string) bool {
	if len(s) != 22 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// mix64 is SplitMix64's finalizer: a cheap, well-spread hash used to derive
// rows of big playlists and other per-index values without storing them.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
