package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

var searchTypes = []spotify.SearchType{
	spotify.SearchTypeTrack, spotify.SearchTypeArtist, spotify.SearchTypeAlbum, spotify.SearchTypePlaylist,
	spotify.SearchTypeShow, spotify.SearchTypeEpisode, spotify.SearchTypeAudiobook,
}

func (a *app) searchCmd() *cobra.Command {
	var (
		types         []string
		limit, offset int
		format        string
	)
	cmd := &cobra.Command{
		Use:   "search <query>",
		Short: "Search the catalog",
		Long: `Search the catalog for tracks, artists, albums, playlists, shows, episodes or
audiobooks. The query takes Spotify's field filters, such as artist:, album:,
track:, year:1990-1999 and genre:.`,
		Example: `  spotflow search miles davis --type artist,album
  spotflow search 'track:doxy year:1950-1960' --limit 10 --format table`,
		Args:        cobra.MinimumNArgs(1),
		Annotations: uses(catalogFlags...),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, formatJSON, formatTable); err != nil {
				return err
			}
			st, err := parseSearchTypes(types)
			if err != nil {
				return err
			}
			if limit < 1 || limit > 10 {
				return usageErrorf("--limit must be between 1 and 10, not %d", limit)
			}
			if offset < 0 || offset > 1000 {
				return usageErrorf("--offset must be between 0 and 1000, not %d", offset)
			}
			q := strings.Join(args, " ")
			if strings.TrimSpace(q) == "" {
				return usageErrorf("the search query is empty: say what to search for")
			}
			opts := &spotify.SearchOptions{ListOptions: spotify.ListOptions{Limit: limit, Offset: offset}}
			return a.search(cmd.Context(), q, st, opts, format)
		},
	}
	cmd.Flags().StringSliceVarP(&types, "type", "t", []string{"track"}, "types to search, comma-separated: track, artist, album, playlist, show, episode, audiobook")
	cmd.Flags().IntVarP(&limit, "limit", "n", 5, "results per type (1-10)")
	cmd.Flags().IntVar(&offset, "offset", 0, "index of the first result (0-1000)")
	cmd.Flags().StringVarP(&format, "format", "f", formatJSON, "output format: json or table")
	return cmd
}

func parseSearchTypes(names []string) ([]spotify.SearchType, error) {
	var out []spotify.SearchType
	for _, n := range names {
		t := spotify.SearchType(strings.ToLower(strings.TrimSpace(n)))
		found := false
		for _, known := range searchTypes {
			found = found || t == known
		}
		if !found {
			return nil, usageErrorf("--type %q: want track, artist, album, playlist, show, episode or audiobook", n)
		}
		out = append(out, t)
	}
	return out, nil
}

func (a *app) search(ctx context.Context, q string, types []spotify.SearchType, opts *spotify.SearchOptions, format string) error {
	s, err := a.connect(ctx, asApp)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.client.Search.Search(ctx, q, types, opts)
	if err != nil {
		return err
	}
	if format == formatJSON {
		return writeJSON(a.stdout, res)
	}
	return writeSearchTable(a, res, types)
}

// writeSearchTable prints one table per type searched.
func writeSearchTable(a *app, res *spotify.SearchResult, types []spotify.SearchType) error {
	for i, t := range types {
		title, total, rows := searchRows(res, t)
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprintf(a.stdout, "%s (%s found)\n", title, count(total))
		if len(rows) == 0 {
			continue
		}
		if err := writeRows(a.stdout, []string{"#", "NAME", "BY", "URI"}, rows); err != nil {
			return err
		}
	}
	return nil
}

// searchRows returns the rows of one type's page of results.
func searchRows(res *spotify.SearchResult, t spotify.SearchType) (title string, total int, rows [][]string) {
	add := func(offset int, name, by, uri string) {
		rows = append(rows, []string{fmt.Sprint(offset + len(rows) + 1), truncate(name, 50), truncate(by, 40), uri})
	}
	switch t {
	case spotify.SearchTypeTrack:
		if p := res.Tracks; p != nil {
			for _, x := range p.Items {
				add(p.Offset, x.Name, artistNames(x.Artists), x.URI)
			}
			return "Tracks", p.Total, rows
		}
		return "Tracks", 0, nil
	case spotify.SearchTypeArtist:
		if p := res.Artists; p != nil {
			for _, x := range p.Items {
				add(p.Offset, x.Name, strings.Join(x.Genres, ", "), x.URI)
			}
			return "Artists", p.Total, rows
		}
		return "Artists", 0, nil
	case spotify.SearchTypeAlbum:
		if p := res.Albums; p != nil {
			for _, x := range p.Items {
				add(p.Offset, x.Name, artistNames(x.Artists), x.URI)
			}
			return "Albums", p.Total, rows
		}
		return "Albums", 0, nil
	case spotify.SearchTypePlaylist:
		if p := res.Playlists; p != nil {
			for _, x := range p.Items {
				add(p.Offset, x.Name, x.Owner.DisplayName, x.URI)
			}
			return "Playlists", p.Total, rows
		}
		return "Playlists", 0, nil
	case spotify.SearchTypeShow:
		if p := res.Shows; p != nil {
			for _, x := range p.Items {
				add(p.Offset, x.Name, x.Publisher, x.URI)
			}
			return "Shows", p.Total, rows
		}
		return "Shows", 0, nil
	case spotify.SearchTypeEpisode:
		if p := res.Episodes; p != nil {
			for _, x := range p.Items {
				add(p.Offset, x.Name, x.ReleaseDate, x.URI)
			}
			return "Episodes", p.Total, rows
		}
		return "Episodes", 0, nil
	case spotify.SearchTypeAudiobook:
		if p := res.Audiobooks; p != nil {
			for _, x := range p.Items {
				add(p.Offset, x.Name, authorNames(x.Authors), x.URI)
			}
			return "Audiobooks", p.Total, rows
		}
		return "Audiobooks", 0, nil
	}
	return string(t), 0, nil
}

func authorNames(as []models.Author) string {
	names := make([]string, len(as))
	for i, au := range as {
		names[i] = au.Name
	}
	return strings.Join(names, ", ")
}
