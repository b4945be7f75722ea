package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/cmd/spotflow/internal/rows"
	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
)

// exportPageSize is the page size of exports: the endpoints' maximum.
const exportPageSize = 50

// exportOptions are the flags of every export.
type exportOptions struct {
	format string
	out    string
}

func (o *exportOptions) flags(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&o.format, "format", "f", formatJSONL, "output format: jsonl or csv")
	cmd.Flags().StringVarP(&o.out, "out", "o", "-", "file to write; - for stdout")
}

func (a *app) exportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export a playlist or your saved tracks as JSON Lines or CSV",
		Long: `Export every item of a playlist, or every saved track of your library, one row
per item: position, added_at, added_by, type, id, name, artists, album,
duration_ms, explicit, uri. Pages are fetched concurrently (--concurrency) and
written in order as they arrive, with progress on stderr.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown export %q: want playlist or library", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(a.exportPlaylistCmd(), a.exportLibraryCmd())
	return cmd
}

func (a *app) exportPlaylistCmd() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "playlist <id|uri|url>",
		Short: "Export every item of a playlist",
		Example: `  spotflow export playlist spotify:playlist:37i9dQZF1DXcBWIGoYBM5M --format csv --out hits.csv
  spotflow export playlist https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M > hits.jsonl`,
		Args:        cobra.ExactArgs(1),
		Annotations: uses(crawlFlags...),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := models.ParseID(args[0], models.KindPlaylist)
			if err != nil {
				return usageErr(err)
			}
			return a.export(cmd.Context(), asApp, o, "playlist", a.playlistRows(id))
		},
	}
	o.flags(cmd)
	return cmd
}

func (a *app) exportLibraryCmd() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:         "library",
		Short:       "Export your saved tracks (needs 'spotflow login')",
		Args:        cobra.NoArgs,
		Annotations: uses(crawlFlags...),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.export(cmd.Context(), asUser, o, "saved tracks", a.savedTrackRows())
		},
	}
	o.flags(cmd)
	return cmd
}

// rowSource yields an export's rows in order, reporting the list's total
// to task once it is known.
type rowSource func(ctx context.Context, s *session, task *progress.Task) iter.Seq2[rows.Row, error]

// playlistRows are the rows of the playlist id.
func (a *app) playlistRows(id string) rowSource {
	return func(ctx context.Context, s *session, task *progress.Task) iter.Seq2[rows.Row, error] {
		fetch := func(ctx context.Context, offset int) (*models.Page[models.PlaylistItem], error) {
			// Items asks for tracks and episodes (additional_types), so
			// that no episode comes in a track's shape.
			opts := &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: exportPageSize, Offset: offset}}
			return s.client.Playlists.Items(ctx, id, opts)
		}
		return pagedRows(ctx, a.g.concurrency, task, "GET /playlists/{playlist_id}/items", rows.FromPlaylistItem, fetch)
	}
}

// savedTrackRows are the rows of the user's saved tracks.
func (a *app) savedTrackRows() rowSource {
	return func(ctx context.Context, s *session, task *progress.Task) iter.Seq2[rows.Row, error] {
		fetch := func(ctx context.Context, offset int) (*models.Page[models.SavedTrack], error) {
			opts := &spotify.TrackSavedOptions{ListOptions: spotify.ListOptions{Limit: exportPageSize, Offset: offset}}
			return s.client.Tracks.Saved(ctx, opts)
		}
		return pagedRows(ctx, a.g.concurrency, task, "GET /me/tracks", rows.FromSavedTrack, fetch)
	}
}

// export writes the rows of src in o's format, with progress.
func (a *app) export(ctx context.Context, who identity, o exportOptions, label string, src rowSource) (err error) {
	if err := checkFormat(o.format, formatJSONL, formatCSV); err != nil {
		return err
	}
	s, err := a.connect(ctx, who)
	if err != nil {
		return err
	}
	defer s.Close()

	out, finish, err := a.openOut(o.out)
	if err != nil {
		return err
	}
	defer func() { err = finish(err) }()
	w, err := rows.NewWriter(out, o.format)
	if err != nil {
		return usageErr(err)
	}

	g := a.exportProgress(ctx, o.out)
	defer g.Close()
	task := g.Add(label, "items", 0)
	n := 0
	for r, err := range src(ctx, s, task) {
		if err != nil {
			return err
		}
		if err := w.Write(r); err != nil {
			return err
		}
		n++
		task.Add(1)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	task.Done()
	g.Close()
	if o.out != "-" {
		fmt.Fprintf(a.stderr, "wrote %s items to %s\n", count(n), o.out)
	}
	return nil
}

// exportProgress shows progress unless the export itself goes to a
// terminal, where bars would be drawn over the rows.
func (a *app) exportProgress(ctx context.Context, out string) *progress.Group {
	if mode, _ := progress.ParseMode(a.g.progress); out == "-" && mode == progress.Auto && progress.IsTerminal(a.stdout) {
		return progress.New(ctx, a.stderr, progress.Off)
	}
	return a.progress(ctx)
}

// openOut opens the export's destination. finish flushes and closes it,
// removing a file left incomplete by an error, and returns the first error.
func (a *app) openOut(path string) (io.Writer, func(error) error, error) {
	if path == "-" || path == "" {
		bw := bufio.NewWriter(a.stdout)
		return bw, func(err error) error { return errors.Join(err, bw.Flush()) }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriter(f)
	return bw, func(err error) error {
		err = errors.Join(err, bw.Flush(), f.Close())
		if err != nil {
			os.Remove(path)
		}
		return err
	}, nil
}

// pagedRows streams an offset-paged list as rows: pages are fetched
// concurrently (prefetch at a time) and their items delivered in order,
// each page checked as the stream's walk does against the export's page
// size; route names the endpoint in its errors. Every page reports the
// list's total to task.
func pagedRows[T any](ctx context.Context, prefetch int, task *progress.Task, route string, toRow func(int, *T) rows.Row,
	fetch func(ctx context.Context, offset int) (*models.Page[T], error)) iter.Seq2[rows.Row, error] {
	return func(yield func(rows.Row, error) bool) {
		st := async.StreamPages(ctx, func(ctx context.Context, offset int) (*models.Page[T], error) {
			p, err := fetch(ctx, offset)
			if err == nil {
				task.SetTotal(int64(p.Total))
			}
			return p, err
		}, async.WithPrefetch(prefetch), async.WithPaging(paging.WithLimit(exportPageSize), paging.WithEndpoint(route)))
		pos := 0
		for item, err := range st.All() { // breaking out closes the stream
			if err != nil {
				yield(rows.Row{}, err)
				return
			}
			if !yield(toRow(pos, &item), nil) {
				return
			}
			pos++
		}
	}
}
