package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify/async"
)

// lookupChunk is how many distinct IDs one GetMany call is given; the
// progress display advances as each chunk completes.
const lookupChunk = 500

func (a *app) tracksCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "tracks [IDs...|-]",
		Short: "Look up many tracks at once, from arguments or stdin",
		Long: `Look up any number of tracks, given as IDs, spotify: URIs or open.spotify.com
URLs, as arguments or on stdin (whitespace-separated; lines starting with # are
skipped). Duplicates are looked up once; batches of 50 go out concurrently,
at most --concurrency requests in flight, under the shared rate limit. Results come in input order; an
unknown ID gives null (json, jsonl) or "not found" (table).`,
		Example: `  spotflow tracks 6rqhFgbbKwnb9MLmUQDhG6 spotify:track:3n3Ppam7vgaVa1iaRUc9Lp
  cut -f1 ids.tsv | spotflow tracks --format jsonl > tracks.jsonl`,
		Annotations: uses(crawlFlags...),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, formatJSON, formatJSONL, formatTable); err != nil {
				return err
			}
			ids, err := a.trackIDs(args)
			if err != nil {
				return err
			}
			return a.tracks(cmd.Context(), ids, format)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", formatJSON, "output format: json, jsonl or table")
	return cmd
}

// trackIDs reads the IDs from args, or from stdin when there are none or
// the only one is "-".
func (a *app) trackIDs(args []string) ([]string, error) {
	if len(args) == 0 || (len(args) == 1 && args[0] == "-") {
		return readTrackIDs(a.stdin)
	}
	ids := make([]string, 0, len(args))
	for i, s := range args {
		id, err := models.ParseID(s, models.KindTrack)
		if err != nil {
			return nil, usageErrorf("argument %d: %v", i+1, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// readTrackIDs reads whitespace-separated track references from r.
func readTrackIDs(r io.Reader) ([]string, error) {
	var ids []string
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(text, "#") {
			continue
		}
		for _, s := range strings.Fields(text) {
			id, err := models.ParseID(s, models.KindTrack)
			if err != nil {
				return nil, usageErrorf("stdin line %d: %v", line, err)
			}
			ids = append(ids, id)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	if len(ids) == 0 {
		return nil, usageErrorf("no track IDs given: pass them as arguments or on stdin")
	}
	return ids, nil
}

func (a *app) tracks(ctx context.Context, ids []string, format string) error {
	s, err := a.connect(ctx, asApp)
	if err != nil {
		return err
	}
	defer s.Close()
	found, err := a.lookupTracks(ctx, s.async, ids)
	if err != nil {
		return err
	}
	out := make([]*models.Track, len(ids))
	for i, id := range ids {
		out[i] = found[id]
	}
	return writeTracks(a.stdout, out, ids, format)
}

// lookupTracks looks up the distinct IDs among ids with async GetMany, a
// chunk at a time, and returns them by ID (nil for an unknown one). The next
// chunk starts while the last batches of the one before finish, so that the
// limiter's in-flight slots (--concurrency, shared by every chunk) stay in
// use; no more than two chunks wait for slots at once.
func (a *app) lookupTracks(ctx context.Context, c *async.Client, ids []string) (map[string]*models.Track, error) {
	distinct := make([]string, 0, len(ids))
	found := make(map[string]*models.Track, len(ids))
	for _, id := range ids {
		if _, dup := found[id]; !dup {
			found[id] = nil
			distinct = append(distinct, id)
		}
	}
	// Progress only for lookups long enough to watch: more than a chunk.
	var task *progress.Task
	if len(distinct) > lookupChunk {
		g := a.progress(ctx)
		defer g.Close()
		task = g.Add("lookup", "tracks", int64(len(distinct)))
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the next chunk when one fails
	chunks := slices.Collect(slices.Chunk(distinct, lookupChunk))
	next := c.Tracks.GetMany(ctx, chunks[0], nil)
	for i, chunk := range chunks {
		f := next
		if i+1 < len(chunks) {
			next = c.Tracks.GetMany(ctx, chunks[i+1], nil)
		}
		got, err := f.Await(ctx)
		if err != nil {
			return nil, err
		}
		for j, t := range got {
			found[chunk[j]] = t
		}
		task.Add(len(got))
	}
	task.Done()
	return found, nil
}

// writeTracks writes tracks (nil for an unknown ID of ids) in format.
func writeTracks(w io.Writer, tracks []*models.Track, ids []string, format string) error {
	switch format {
	case formatJSONL:
		bw := bufio.NewWriter(w)
		for _, t := range tracks {
			if err := writeJSONLine(bw, t); err != nil {
				return err
			}
		}
		return bw.Flush()
	case formatTable:
		rows := make([][]string, len(tracks))
		for i, t := range tracks {
			if t == nil {
				rows[i] = []string{strconv.Itoa(i + 1), "(not found)", "", "", "", "spotify:track:" + ids[i]}
				continue
			}
			rows[i] = []string{strconv.Itoa(i + 1), truncate(t.Name, 40), truncate(artistNames(t.Artists), 30),
				truncate(t.Album.Name, 30), duration(t.DurationMS), t.URI}
		}
		return writeRows(w, []string{"#", "NAME", "ARTISTS", "ALBUM", "TIME", "URI"}, rows)
	}
	return writeJSON(w, tracks)
}
