// Package demo runs the crawl of `spotflow demo` on any async client: it
// finds artists and a playlist by search, then runs three jobs at once
// sharing the client's rate limiter: the artists' discographies (albums,
// then every track), the playlist streamed in order, and a bulk lookup of
// the tracks the discographies turn up. Nothing is taken from a catalog
// known in advance, so the same crawl runs on the fake, on a proxy, or on
// api.spotify.com.
package demo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
)

// Plan is what a crawl fetches. Zero fields take the values of
// DefaultPlan, but Playlist, whose zero value means "find one".
type Plan struct {
	// Artists is how many artists, found by searching ArtistQuery, have
	// their discographies crawled.
	Artists     int
	ArtistQuery string
	// Playlist is the ID of the playlist streamed; empty for the one with
	// the most items among the first results of PlaylistQuery.
	Playlist      string
	PlaylistQuery string
	// Lookups is how many of the discographies' tracks are looked up in
	// bulk, as they turn up.
	Lookups int
	// Concurrency bounds the artists, and the albums of each, crawled at
	// once, and the playlist's pages fetched ahead. The requests in flight
	// are bounded by the client's limiter.
	Concurrency int
}

// DefaultPlan is the crawl of `spotflow demo`. On the embedded fake, "the"
// finds 62 artists and "ten thousand songs" its 10,000-item playlist; on
// Spotify both find plenty.
var DefaultPlan = Plan{
	Artists:       50,
	ArtistQuery:   "the",
	PlaylistQuery: "ten thousand songs",
	Lookups:       2000,
	Concurrency:   async.DefaultConcurrency,
}

func (p Plan) withDefaults() Plan {
	d := DefaultPlan
	if p.Artists <= 0 {
		p.Artists = d.Artists
	}
	if p.ArtistQuery == "" {
		p.ArtistQuery = d.ArtistQuery
	}
	if p.PlaylistQuery == "" {
		p.PlaylistQuery = d.PlaylistQuery
	}
	if p.Lookups <= 0 {
		p.Lookups = d.Lookups
	}
	if p.Concurrency <= 0 {
		p.Concurrency = d.Concurrency
	}
	return p
}

// searchPage is the largest page search serves since 2026.
const searchPage = 10

// Crawl runs plan on c, showing progress in g, and returns what it fetched
// and how long it took. The cost (requests, 429s, waits) is the caller's to
// fill in from the client's stack: Crawl only sees the client.
//
// Every goroutine it starts has ended when it returns. The first failure
// stops the other jobs and is returned with the summary so far; a playlist
// the server will not serve (403, or 404 as Spotify answers for its own
// playlists to new apps) is noted in the summary instead, since Spotify
// serves a playlist's items only to its owner and collaborators.
func Crawl(ctx context.Context, c *async.Client, plan Plan, g *progress.Group) (*Summary, error) {
	plan = plan.withDefaults()
	sum := &Summary{}
	start := time.Now()
	defer func() { sum.Elapsed = time.Since(start) }()

	// The tasks are added here so that they are listed in this order.
	found := g.Add("search", "results", 0)
	disco := discographyTasks{g.Add("artists", "artists", 0), g.Add("albums", "albums", 0)}
	items := g.Add("playlist", "items", 0)
	looked := g.Add("lookup", "tracks", int64(plan.Lookups))

	artists, list, err := discover(ctx, c, plan, found, sum)
	if err != nil {
		found.Abort()
		disco.abort()
		items.Abort()
		looked.Abort()
		return sum, err
	}
	found.Done()

	eg, ctx := errgroup.WithContext(ctx)
	tracks := make(chan []string)
	eg.Go(func() error {
		defer close(tracks)
		return discographies(ctx, c, artists, plan.Concurrency, disco, tracks, sum)
	})
	eg.Go(func() error { return playlist(ctx, c, list, plan.Concurrency, items, sum) })
	eg.Go(func() error { return lookup(ctx, c, tracks, plan.Lookups, looked, sum) })
	return sum, eg.Wait()
}

// discover finds the artists and the playlist of the crawl.
func discover(ctx context.Context, c *async.Client, plan Plan, task *progress.Task, sum *Summary) ([]string, string, error) {
	eg, ctx := errgroup.WithContext(ctx)
	var artists []string
	eg.Go(func() error {
		var err error
		artists, err = findArtists(ctx, c, plan.ArtistQuery, plan.Artists, task)
		return err
	})
	list := plan.Playlist
	if list == "" {
		eg.Go(func() error {
			p, err := findPlaylist(ctx, c, plan.PlaylistQuery, task)
			if err == nil {
				list, sum.Playlist = p.ID, p.Name
			}
			return err
		})
	}
	return artists, list, eg.Wait()
}

// findArtists returns the IDs of the first n distinct artists that q
// finds: one page, then the others up to n at once.
func findArtists(ctx context.Context, c *async.Client, q string, n int, task *progress.Task) ([]string, error) {
	search := func(ctx context.Context, offset int) (*models.Page[models.Artist], error) {
		opts := &spotify.SearchOptions{ListOptions: spotify.ListOptions{Limit: searchPage, Offset: offset}}
		p, err := c.Sync().Search.Artists(ctx, q, opts)
		if err == nil {
			task.Add(len(p.Items))
		}
		return p, err
	}
	first, err := search(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("searching artists: %w", err)
	}
	var offsets []int
	for off := searchPage; off < min(n, first.Total, 1000); off += searchPage {
		offsets = append(offsets, off)
	}
	pages, err := async.Map(ctx, offsets, len(offsets)+1, search)
	if err != nil {
		return nil, fmt.Errorf("searching artists: %w", err)
	}
	seen := map[string]bool{}
	var ids []string
	for _, p := range append([]*models.Page[models.Artist]{first}, pages...) {
		for _, a := range p.Items {
			if a.ID != "" && !seen[a.ID] && len(ids) < n {
				seen[a.ID] = true
				ids = append(ids, a.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("searching artists for %q found none", q)
	}
	return ids, nil
}

// findPlaylist returns the playlist with the most items among the first
// page of those q finds.
func findPlaylist(ctx context.Context, c *async.Client, q string, task *progress.Task) (models.SimplifiedPlaylist, error) {
	opts := &spotify.SearchOptions{ListOptions: spotify.ListOptions{Limit: searchPage}}
	p, err := c.Sync().Search.Playlists(ctx, q, opts)
	if err != nil {
		return models.SimplifiedPlaylist{}, fmt.Errorf("searching playlists: %w", err)
	}
	task.Add(len(p.Items))
	var best models.SimplifiedPlaylist
	for _, pl := range p.Items { // Spotify sends null for some: they have no ID
		if pl.ID != "" && (best.ID == "" || pl.ItemsRef().Total > best.ItemsRef().Total) {
			best = pl
		}
	}
	if best.ID == "" {
		return best, fmt.Errorf("searching playlists for %q found none; name one with --playlist", q)
	}
	return best, nil
}

// discographyTasks count the artists and the albums done.
type discographyTasks struct{ artists, albums *progress.Task }

func (t discographyTasks) abort() {
	t.artists.Abort()
	t.albums.Abort()
}

// discographies lists every album of each artist, then every track of
// each album, artists and albums fanned out together; an album listed by
// several artists is crawled once. The IDs of each album's tracks are sent
// on tracks as they come.
func discographies(ctx context.Context, c *async.Client, artists []string, limit int, tasks discographyTasks, tracks chan<- []string, sum *Summary) error {
	tasks.artists.SetTotal(int64(len(artists)))
	var albums, ntracks atomic.Int64
	var seen sync.Map
	_, err := async.Map(ctx, artists, limit, func(ctx context.Context, id string) (struct{}, error) {
		list, err := c.Artists.Albums(ctx, id, nil).Collect()
		if err != nil {
			return struct{}{}, err
		}
		var fresh []string
		for _, al := range list {
			if _, dup := seen.LoadOrStore(al.ID, true); !dup {
				fresh = append(fresh, al.ID)
			}
		}
		albums.Add(int64(len(fresh)))
		tasks.albums.AddTotal(len(fresh))
		_, err = async.Map(ctx, fresh, limit, func(ctx context.Context, album string) (struct{}, error) {
			ts, err := c.Albums.Tracks(ctx, album, nil).Collect()
			if err != nil {
				return struct{}{}, err
			}
			ntracks.Add(int64(len(ts)))
			tasks.albums.Add(1)
			ids := make([]string, 0, len(ts))
			for _, t := range ts {
				if t.ID != "" {
					ids = append(ids, t.ID)
				}
			}
			select {
			case tracks <- ids:
				return struct{}{}, nil
			case <-ctx.Done():
				return struct{}{}, context.Cause(ctx)
			}
		})
		tasks.artists.Add(1)
		return struct{}{}, err
	})
	if err != nil {
		tasks.abort()
		return fmt.Errorf("discographies: %w", err)
	}
	tasks.artists.Done()
	tasks.albums.Done()
	sum.Artists, sum.Albums, sum.Tracks = len(artists), int(albums.Load()), int(ntracks.Load())
	return nil
}

// playlist streams every item of the playlist id, pages fetched
// concurrently (prefetch at a time) and items delivered in order.
func playlist(ctx context.Context, c *async.Client, id string, prefetch int, task *progress.Task, sum *Summary) error {
	fetch := func(ctx context.Context, offset int) (*models.Page[models.PlaylistItem], error) {
		opts := &spotify.PlaylistItemsOptions{ListOptions: spotify.ListOptions{Limit: 50, Offset: offset}}
		p, err := c.Sync().Playlists.Items(ctx, id, opts)
		if err == nil {
			task.SetTotal(int64(p.Total))
		}
		return p, err
	}
	n := 0
	st := async.StreamPages(ctx, fetch, async.WithPrefetch(prefetch),
		async.WithPaging(paging.WithLimit(50), paging.WithEndpoint("GET /playlists/{playlist_id}/items")))
	for _, err := range st.All() {
		switch {
		case n == 0 && (errors.Is(err, spotify.ErrForbidden) || errors.Is(err, spotify.ErrNotFound)):
			task.Abort()
			sum.PlaylistRefused = statusOf(err)
			return nil
		case err != nil:
			task.Abort()
			return fmt.Errorf("playlist: %w", err)
		}
		n++
		task.Add(1)
	}
	task.Done()
	sum.PlaylistItems = n
	return nil
}

// statusOf is the HTTP status of a refusal.
func statusOf(err error) int {
	var se *spotify.Error
	if errors.As(err, &se) {
		return se.Status
	}
	return 0
}

// lookupChunk is how many IDs each GetMany call gets, so that the progress
// display moves as chunks complete.
const lookupChunk = 250

// lookup looks up, with GetMany, the first n distinct track IDs that come
// on ids, a chunk at a time as they arrive, counting the chunks done as they
// complete; it drains ids until it closes.
func lookup(ctx context.Context, c *async.Client, ids <-chan []string, n int, task *progress.Task, sum *Summary) error {
	eg, ctx := errgroup.WithContext(ctx)
	futures := make(chan *async.Future[[]*models.Track], n/lookupChunk+1) // room for all: sending never blocks
	var wanted int
	eg.Go(func() error {
		defer close(futures)
		var pending []string
		seen := map[string]bool{}
		flush := func() {
			if len(pending) > 0 {
				futures <- c.Tracks.GetMany(ctx, pending, nil)
				pending = nil
			}
		}
		for batch := range ids {
			for _, id := range batch {
				if len(seen) < n && !seen[id] {
					seen[id] = true
					pending = append(pending, id)
				}
			}
			if len(pending) >= lookupChunk {
				flush()
			}
		}
		flush()
		wanted = len(seen)
		return nil
	})
	found := 0
	eg.Go(func() error {
		for f := range futures {
			got, err := f.Await(ctx)
			if err != nil {
				return err
			}
			for _, t := range got {
				if t != nil {
					found++
				}
			}
			task.Add(len(got))
		}
		return nil
	})
	if err := eg.Wait(); err != nil {
		task.Abort()
		return fmt.Errorf("bulk lookup: %w", err)
	}
	task.SetTotal(int64(wanted))
	task.Done()
	sum.LookedUp = found
	return nil
}
