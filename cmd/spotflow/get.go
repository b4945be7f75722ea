package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

const kindNames = "track, album, artist, playlist, show, episode, audiobook, chapter or user"

func (a *app) getCmd() *cobra.Command {
	var kind, format string
	cmd := &cobra.Command{
		Use:   "get <id|uri|url>",
		Short: "Look up one item by ID, spotify: URI or open.spotify.com URL",
		Long: `Look up one item. The type comes from a spotify: URI or an open.spotify.com URL;
a bare ID needs --type. JSON (as Spotify sends it) by default, --format table
for people.`,
		Example: `  spotflow get spotify:track:6rqhFgbbKwnb9MLmUQDhG6
  spotflow get https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy --format table
  spotflow get --type artist 0OdUWJ0sBjDrqHygGUXeCF`,
		Args:        cobra.ExactArgs(1),
		Annotations: uses(catalogFlags...),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, formatJSON, formatTable); err != nil {
				return err
			}
			ref, err := resolveRef(args[0], kind)
			if err != nil {
				return err
			}
			if ref.Kind == models.KindArtist || ref.Kind == models.KindUser {
				if err := refuse(cmd, "does not apply to "+string(ref.Kind)+"s", "market"); err != nil {
					return err
				}
			}
			return a.get(cmd.Context(), ref, format)
		},
	}
	cmd.Flags().StringVarP(&kind, "type", "t", "", "type of a bare ID: "+kindNames)
	cmd.Flags().StringVarP(&format, "format", "f", formatJSON, "output format: json or table")
	return cmd
}

// resolveRef parses arg and settles its kind with --type.
func resolveRef(arg, kind string) (models.Ref, error) {
	want := models.Kind(strings.ToLower(kind))
	if want != "" && !want.Valid() {
		return models.Ref{}, usageErrorf("--type %q: want %s", kind, kindNames)
	}
	ref, err := models.Parse(arg)
	if err != nil {
		if want == models.KindUser { // user IDs are not base62
			if id, uerr := models.ParseID(arg, models.KindUser); uerr == nil {
				return models.Ref{Kind: models.KindUser, ID: id}, nil
			}
		}
		return models.Ref{}, usageErr(err)
	}
	switch {
	case ref.Kind == "" && want == "":
		return ref, usageErrorf("%q is a bare ID: say what it names with --type (%s), or give a spotify: URI or open.spotify.com URL", arg, kindNames)
	case ref.Kind == "":
		ref.Kind = want
	case want != "" && ref.Kind != want:
		return ref, usageErrorf("%q names a %s, not a %s", arg, ref.Kind, want)
	}
	return ref, nil
}

func (a *app) get(ctx context.Context, ref models.Ref, format string) error {
	s, err := a.connect(ctx, asApp)
	if err != nil {
		return err
	}
	defer s.Close()
	obj, fields, err := lookup(ctx, s.client, ref)
	if err != nil {
		return err
	}
	if format == formatTable {
		return writeFields(a.stdout, fields)
	}
	return writeJSON(a.stdout, obj)
}

// lookup fetches the object ref names, and the fields a table shows of it.
func lookup(ctx context.Context, c *spotify.Client, ref models.Ref) (any, []field, error) {
	switch ref.Kind {
	case models.KindTrack:
		t, err := c.Tracks.Get(ctx, ref.ID, nil)
		if err != nil {
			return nil, nil, err
		}
		return t, trackFields(t), nil
	case models.KindAlbum:
		al, err := c.Albums.Get(ctx, ref.ID, nil)
		if err != nil {
			return nil, nil, err
		}
		return al, albumFields(al), nil
	case models.KindArtist:
		ar, err := c.Artists.Get(ctx, ref.ID)
		if err != nil {
			return nil, nil, err
		}
		return ar, artistFields(ar), nil
	case models.KindPlaylist:
		p, err := c.Playlists.Get(ctx, ref.ID, nil)
		if err != nil {
			return nil, nil, err
		}
		return p, playlistFields(p), nil
	case models.KindShow:
		sh, err := c.Shows.Get(ctx, ref.ID, nil)
		if err != nil {
			return nil, nil, err
		}
		return sh, showFields(sh), nil
	case models.KindEpisode:
		e, err := c.Episodes.Get(ctx, ref.ID, nil)
		if err != nil {
			return nil, nil, err
		}
		return e, episodeFields(e), nil
	case models.KindAudiobook:
		b, err := c.Audiobooks.Get(ctx, ref.ID, nil)
		if err != nil {
			return nil, nil, err
		}
		return b, audiobookFields(b), nil
	case models.KindChapter:
		ch, err := c.Chapters.Get(ctx, ref.ID, nil)
		if err != nil {
			return nil, nil, err
		}
		return ch, chapterFields(ch), nil
	case models.KindUser:
		// Deprecated for Development Mode apps, but the one way to read
		// another user's profile.
		u, err := c.Users.Get(ctx, ref.ID)
		if err != nil {
			return nil, nil, err
		}
		return u, userFields(u), nil
	}
	return nil, nil, usageErrorf("cannot look up a %q", ref.Kind)
}

func trackFields(t *models.Track) []field {
	return []field{
		{"Name", t.Name},
		{"Artists", artistNames(t.Artists)},
		{"Album", t.Album.Name},
		{"Released", t.Album.ReleaseDate},
		{"Track", strconv.Itoa(t.TrackNumber)},
		{"Duration", duration(t.DurationMS)},
		{"Popularity", strconv.Itoa(t.Popularity)},
		{"Explicit", yesNo(t.Explicit)},
		{"ISRC", t.ExternalIDs.ISRC},
		{"URI", t.URI},
		{"URL", t.ExternalURLs.Spotify},
	}
}

func albumFields(al *models.Album) []field {
	return []field{
		{"Name", al.Name},
		{"Artists", artistNames(al.Artists)},
		{"Type", string(al.AlbumType)},
		{"Released", al.ReleaseDate},
		{"Tracks", count(al.TotalTracks)},
		{"Label", al.Label},
		{"Popularity", strconv.Itoa(al.Popularity)},
		{"URI", al.URI},
		{"URL", al.ExternalURLs.Spotify},
	}
}

func artistFields(ar *models.Artist) []field {
	return []field{
		{"Name", ar.Name},
		{"Genres", strings.Join(ar.Genres, ", ")},
		{"Followers", count(ar.Followers.Total)},
		{"Popularity", strconv.Itoa(ar.Popularity)},
		{"URI", ar.URI},
		{"URL", ar.ExternalURLs.Spotify},
	}
}

func playlistFields(p *models.Playlist) []field {
	return []field{
		{"Name", p.Name},
		{"Owner", p.Owner.DisplayName},
		{"Description", truncate(p.Description, 80)},
		{"Items", count(p.ItemsPage().Total)},
		{"Followers", count(p.Followers.Total)},
		{"Collaborative", yesNo(p.Collaborative)},
		{"URI", p.URI},
		{"URL", p.ExternalURLs.Spotify},
	}
}

func showFields(sh *models.Show) []field {
	return []field{
		{"Name", sh.Name},
		{"Publisher", sh.Publisher},
		{"Episodes", count(sh.TotalEpisodes)},
		{"Description", truncate(sh.Description, 80)},
		{"URI", sh.URI},
		{"URL", sh.ExternalURLs.Spotify},
	}
}

func episodeFields(e *models.Episode) []field {
	show := ""
	if e.Show != nil {
		show = e.Show.Name
	}
	return []field{
		{"Name", e.Name},
		{"Show", show},
		{"Released", e.ReleaseDate},
		{"Duration", duration(e.DurationMS)},
		{"Description", truncate(e.Description, 80)},
		{"URI", e.URI},
		{"URL", e.ExternalURLs.Spotify},
	}
}

func audiobookFields(b *models.Audiobook) []field {
	return []field{
		{"Name", b.Name},
		{"Authors", authorNames(b.Authors)},
		{"Publisher", b.Publisher},
		{"Chapters", count(b.TotalChapters)},
		{"URI", b.URI},
		{"URL", b.ExternalURLs.Spotify},
	}
}

func chapterFields(ch *models.Chapter) []field {
	book := ""
	if ch.Audiobook != nil {
		book = ch.Audiobook.Name
	}
	return []field{
		{"Name", ch.Name},
		{"Audiobook", book},
		{"Chapter", strconv.Itoa(ch.ChapterNumber)},
		{"Duration", duration(ch.DurationMS)},
		{"URI", ch.URI},
		{"URL", ch.ExternalURLs.Spotify},
	}
}

func userFields(u *models.PublicUser) []field {
	return []field{
		{"Name", u.DisplayName},
		{"ID", u.ID},
		{"Followers", count(u.Followers.Total)},
		{"URI", u.URI},
		{"URL", u.ExternalURLs.Spotify},
	}
}
