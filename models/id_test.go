package models

import (
	"errors"
	"strings"
	"testing"
)

const (
	trackID    = "6rqhFgbbKwnb9MLmUQDhG6"
	playlistID = "37i9dQZF1DXcBWIGoYBM5M"
)

// parseCase is one row of the ID table: input, the kind ParseID is asked
// for, and the result; errPart is a piece of the expected error message.
type parseCase struct {
	in      string
	want    Kind
	ref     Ref    // expected Parse result, when ok
	errPart string // "" means accepted
}

var parseCases = []parseCase{
	// Bare IDs.
	{in: trackID, want: KindTrack, ref: Ref{ID: trackID}},
	{in: trackID, want: "", ref: Ref{ID: trackID}},
	{in: "smedjan", want: KindUser, ref: Ref{Kind: KindUser, ID: "smedjan"}},
	{in: "31l77y75hfnhk79zzxx3mcgsmjxu", want: KindUser, ref: Ref{Kind: KindUser, ID: "31l77y75hfnhk79zzxx3mcgsmjxu"}},
	{in: "john.doe_99-x", want: KindUser, ref: Ref{Kind: KindUser, ID: "john.doe_99-x"}},
	{in: "björk", want: KindUser, ref: Ref{Kind: KindUser, ID: "björk"}},
	// URIs.
	{in: "spotify:track:" + trackID, want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy", want: KindAlbum, ref: Ref{Kind: KindAlbum, ID: "4aawyAB9vmqN3uQ7FjRGTy"}},
	{in: "spotify:artist:0TnOYISbd1XYRBk9myaseg", want: KindArtist, ref: Ref{Kind: KindArtist, ID: "0TnOYISbd1XYRBk9myaseg"}},
	{in: "spotify:playlist:" + playlistID, want: KindPlaylist, ref: Ref{Kind: KindPlaylist, ID: playlistID}},
	{in: "spotify:show:38bS44xjbVVZ3No3ByF1dJ", want: KindShow, ref: Ref{Kind: KindShow, ID: "38bS44xjbVVZ3No3ByF1dJ"}},
	{in: "spotify:episode:5Xt5DXGzch68nYYamXrNxZ", want: KindEpisode, ref: Ref{Kind: KindEpisode, ID: "5Xt5DXGzch68nYYamXrNxZ"}},
	{in: "spotify:audiobook:7iHfbu1YPACw6oZPAFJtqe", want: KindAudiobook, ref: Ref{Kind: KindAudiobook, ID: "7iHfbu1YPACw6oZPAFJtqe"}},
	{in: "spotify:chapter:0D5wENdkdwbqlrHoaJ9g29", want: KindChapter, ref: Ref{Kind: KindChapter, ID: "0D5wENdkdwbqlrHoaJ9g29"}},
	{in: "spotify:user:smedjan", want: KindUser, ref: Ref{Kind: KindUser, ID: "smedjan"}},
	{in: "spotify:user:smedjan:playlist:" + playlistID, want: KindPlaylist, ref: Ref{Kind: KindPlaylist, ID: playlistID, Owner: "smedjan"}},
	// URLs.
	{in: "https://open.spotify.com/track/" + trackID, want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "http://open.spotify.com/track/" + trackID, want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "HTTPS://Open.Spotify.com/track/" + trackID, want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "open.spotify.com/track/" + trackID, want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "https://open.spotify.com/track/" + trackID + "?si=a1b2c3d4e5f6", want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "https://open.spotify.com/track/" + trackID + "/", want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "https://open.spotify.com/track/" + trackID + "/?si=x&utm_source=copy-link", want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "https://open.spotify.com/track/" + trackID + "#t=1", want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "https://open.spotify.com/intl-de/track/" + trackID, want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "https://open.spotify.com/intl-pt-BR/album/4aawyAB9vmqN3uQ7FjRGTy?si=1", want: KindAlbum, ref: Ref{Kind: KindAlbum, ID: "4aawyAB9vmqN3uQ7FjRGTy"}},
	{in: "https://open.spotify.com/embed/playlist/" + playlistID, want: KindPlaylist, ref: Ref{Kind: KindPlaylist, ID: playlistID}},
	{in: "https://open.spotify.com/embed-podcast/episode/5Xt5DXGzch68nYYamXrNxZ", want: KindEpisode, ref: Ref{Kind: KindEpisode, ID: "5Xt5DXGzch68nYYamXrNxZ"}},
	{in: "https://open.spotify.com/intl-fr/embed/track/" + trackID + "?utm_source=generator", want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "https://open.spotify.com:443/track/" + trackID, want: KindTrack, ref: Ref{Kind: KindTrack, ID: trackID}},
	{in: "https://open.spotify.com/user/smedjan", want: KindUser, ref: Ref{Kind: KindUser, ID: "smedjan"}},
	{in: "https://open.spotify.com/user/smedjan?si=x", want: KindUser, ref: Ref{Kind: KindUser, ID: "smedjan"}},
	{in: "https://open.spotify.com/user/smedjan/playlist/" + playlistID, want: KindPlaylist, ref: Ref{Kind: KindPlaylist, ID: playlistID, Owner: "smedjan"}},

	// Rejected: empty, length, alphabet.
	{in: "", want: KindTrack, errPart: "is empty"},
	{in: "", want: KindUser, errPart: "is empty"},
	{in: "6rqhFgbbKwnb9MLmUQDhG", want: KindTrack, errPart: "21 characters, want 22"},
	{in: "6rqhFgbbKwnb9MLmUQDhG6x", want: KindTrack, errPart: "23 characters, want 22"},
	{in: "6rqhFgbbKwnb9MLmUQDh-6", want: KindTrack, errPart: `'-' in its ID`},
	{in: "6rqhFgbbKwnb9MLmUQDh_6", want: KindTrack, errPart: "want base62"},
	{in: "6rqhFgbbKwnb9MLmUQDhé6", want: KindTrack, errPart: "want base62"},
	{in: " " + trackID, want: KindTrack, errPart: "a space"},
	{in: trackID + "\n", want: KindTrack, errPart: "a space"},
	{in: "6rqhFgbbKwnb9MLmU\x00DhG6", want: KindTrack, errPart: "control character"},
	{in: "../../me/player", want: KindTrack, errPart: "'.'"},
	{in: "..%2F..%2Fme", want: KindTrack, errPart: "'.'"},
	{in: "%2F" + trackID, want: KindTrack, errPart: "'%'"},
	{in: strings.Repeat("a", 1000), want: KindTrack, errPart: "1000 characters"},
	// Rejected: wrong type.
	{in: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy", want: KindTrack, errPart: "is an album URI, want a track"},
	{in: "https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg", want: KindTrack, errPart: "is an artist URL, want a track"},
	{in: "spotify:track:" + trackID, want: KindEpisode, errPart: "is a track URI, want an episode"},
	{in: "spotify:user:smedjan:playlist:" + playlistID, want: KindUser, errPart: "is a playlist URI, want a user"},
	{in: "spotify:user:smedjan", want: KindPlaylist, errPart: "is a user URI, want a playlist"},
	{in: "spotify:genre:" + trackID, want: KindTrack, errPart: `unknown type "genre"`},
	{in: "spotify:Track:" + trackID, want: KindTrack, errPart: `unknown type "Track"`},
	{in: "spotify:local:Artist:Album:Title:180", want: KindTrack, errPart: "not a spotify:TYPE:ID URI"},
	{in: "spotify:user:smedjan:collection", want: KindUser, errPart: "not a spotify:TYPE:ID URI"},
	// Rejected: malformed URIs.
	{in: "spotify:", want: KindTrack, errPart: "not a spotify:TYPE:ID URI"},
	{in: "spotify:track:", want: KindTrack, errPart: "empty ID"},
	{in: "spotify:track:" + trackID + ":", want: KindTrack, errPart: "not a spotify:TYPE:ID URI"},
	{in: "spotify:track:6rqhFgbbKwnb9MLmUQDhG", want: KindTrack, errPart: "21 characters"},
	{in: "spotify:track:../../me", want: KindTrack, errPart: "'.'"},
	{in: "spotify:user:", want: KindUser, errPart: "empty user ID"},
	{in: "spotify:user:..", want: KindUser, errPart: "dot path segment"},
	{in: "spotify:user:a/b", want: KindUser, errPart: "'/'"},
	{in: "spotify:user:x:playlist:short", want: KindPlaylist, errPart: "5 characters"},
	// Rejected: user IDs.
	{in: "..", want: KindUser, errPart: "dot path segment"},
	{in: ".", want: KindUser, errPart: "dot path segment"},
	{in: "a..b", want: KindUser, errPart: "dot path segment"},
	{in: "../me", want: KindUser, errPart: "dot path segment"},
	{in: "a/b", want: KindUser, errPart: "'/'"},
	{in: "a?b=1", want: KindUser, errPart: "'?'"},
	{in: "a#b", want: KindUser, errPart: "'#'"},
	{in: "a%2Fb", want: KindUser, errPart: "'%'"},
	{in: "a\\b", want: KindUser, errPart: `'\\'`},
	{in: "john doe", want: KindUser, errPart: "space or control"},
	{in: "john\tdoe", want: KindUser, errPart: "space or control"},
	{in: "john\x7f", want: KindUser, errPart: "space or control"},
	{in: "john\xff", want: KindUser, errPart: "invalid UTF-8"},
	{in: strings.Repeat("u", 65), want: KindUser, errPart: "65 bytes, want at most 64"},
	// Rejected: URLs.
	{in: "https://play.spotify.com/track/" + trackID, want: KindTrack, errPart: "another host"},
	{in: "https://open.spotify.com.evil.example/track/" + trackID, want: KindTrack, errPart: "another host"},
	{in: "https://evil.example/open.spotify.com/track/" + trackID, want: KindTrack, errPart: "another host"},
	{in: "ftp://open.spotify.com/track/" + trackID, want: KindTrack, errPart: "another host"},
	{in: "https://open.spotify.com/", want: KindTrack, errPart: "not an open.spotify.com/TYPE/ID URL"},
	{in: "https://open.spotify.com/track", want: KindTrack, errPart: "not an open.spotify.com/TYPE/ID URL"},
	{in: "https://open.spotify.com/track/" + trackID + "/extra", want: KindTrack, errPart: "not an open.spotify.com/TYPE/ID URL"},
	{in: "https://open.spotify.com/track//" + trackID, want: KindTrack, errPart: "not an open.spotify.com/TYPE/ID URL"},
	{in: "https://open.spotify.com/track/../../me/player", want: KindTrack, errPart: "not an open.spotify.com/TYPE/ID URL"},
	{in: "https://open.spotify.com/track/" + trackID + "%2F..", want: KindTrack, errPart: "'%'"},
	{in: "https://open.spotify.com/track/%2E%2E", want: KindTrack, errPart: "'%'"},
	{in: "https://open.spotify.com/podcast/" + trackID, want: KindTrack, errPart: `unknown type "podcast"`},
	{in: "https://open.spotify.com/intl-/track/" + trackID, want: KindTrack, errPart: "not an open.spotify.com/TYPE/ID URL"},
	{in: "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy", want: KindTrack, errPart: "is an album URL, want a track"},
	{in: "https://open.spotify.com/user/a%2Fb", want: KindUser, errPart: "'%'"},
	{in: "https://open.spotify.com/user/..", want: KindUser, errPart: "dot path segment"},
}

func TestParseID(t *testing.T) {
	for _, c := range parseCases {
		got, err := ParseID(c.in, c.want)
		if c.errPart != "" {
			if err == nil {
				t.Errorf("ParseID(%q, %q) = %q, want error containing %q", c.in, c.want, got, c.errPart)
				continue
			}
			if !errors.Is(err, ErrInvalidID) {
				t.Errorf("ParseID(%q): error %v does not wrap ErrInvalidID", c.in, err)
			}
			var ie *IDError
			if !errors.As(err, &ie) {
				t.Errorf("ParseID(%q): error %T is not *IDError", c.in, err)
			}
			if !strings.Contains(err.Error(), c.errPart) {
				t.Errorf("ParseID(%q, %q) error %q, want it to contain %q", c.in, c.want, err, c.errPart)
			}
			continue
		}
		if err != nil || got != c.ref.ID {
			t.Errorf("ParseID(%q, %q) = %q, %v; want %q", c.in, c.want, got, err, c.ref.ID)
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		if c.errPart != "" || (c.ref.Kind == KindUser && !strings.Contains(c.in, ":") && !strings.Contains(c.in, "/")) {
			continue // errors are checked by TestParseID; bare user IDs need ParseID
		}
		got, err := Parse(c.in)
		if err != nil || got != c.ref {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.in, got, err, c.ref)
		}
	}
}

func TestParseBareUserIDNeedsKind(t *testing.T) {
	if _, err := Parse("smedjan"); !errors.Is(err, ErrInvalidID) {
		t.Errorf("Parse(smedjan) = %v, want ErrInvalidID", err)
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := ParseID("spotify:album:X", KindTrack)
	// An unknown short album ID fails on its length before its type.
	if want := `spotify: invalid ID: "spotify:album:X" has an ID of 1 characters, want 22`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	_, err = ParseID("spotify:album:4aawyAB9vmqN3uQ7FjRGTy", KindTrack)
	if want := `spotify: invalid ID: "spotify:album:4aawyAB9vmqN3uQ7FjRGTy" is an album URI, want a track`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	_, err = ParseID(strings.Repeat("x", 500), KindTrack)
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("long input not shortened: %v", err)
	}
}

func TestRefForms(t *testing.T) {
	r := Ref{Kind: KindPlaylist, ID: playlistID, Owner: "smedjan"}
	if got, want := r.URI(), "spotify:playlist:"+playlistID; got != want {
		t.Errorf("URI = %q, want %q", got, want)
	}
	if got, want := r.URL(), "https://open.spotify.com/playlist/"+playlistID; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	bare := Ref{ID: trackID}
	if bare.URI() != trackID || bare.URL() != "" || bare.String() != trackID {
		t.Errorf("bare Ref forms: %q %q %q", bare.URI(), bare.URL(), bare.String())
	}
}

// FuzzParse checks that parsing never panics, that errors wrap
// ErrInvalidID, and that every accepted input round-trips through its URI
// and URL forms.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in, string(c.want))
	}
	f.Fuzz(func(t *testing.T, s, want string) {
		if id, err := ParseID(s, Kind(want)); err != nil {
			if !errors.Is(err, ErrInvalidID) {
				t.Fatalf("ParseID(%q): %v does not wrap ErrInvalidID", s, err)
			}
		} else if id == "" {
			t.Fatalf("ParseID(%q) accepted an empty ID", s)
		}
		r, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidID) {
				t.Fatalf("Parse(%q): %v does not wrap ErrInvalidID", s, err)
			}
			return
		}
		for _, form := range []string{r.URI(), r.URL()} {
			if form == "" {
				continue
			}
			r2, err := Parse(form)
			if err != nil || r2.Kind != r.Kind || r2.ID != r.ID {
				t.Fatalf("Parse(%q) = %+v; Parse(%q) = %+v, %v", s, r, form, r2, err)
			}
		}
	})
}
