package async

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// batchKind names a batch lookup endpoint; the client remembers per kind
// whether Spotify serves it.
type batchKind int

const (
	batchTracks batchKind = iota
	batchAlbums
	batchArtists
	batchShows
	batchEpisodes
	batchAudiobooks
	batchChapters
	batchAudioFeatures
	numBatchKinds
)

var batchNames = [numBatchKinds]string{"tracks", "albums", "artists", "shows", "episodes", "audiobooks", "chapters", "audio features"}

// What the client knows about a batch endpoint.
const (
	batchUnknown int32 = iota // not called yet: probe with one chunk first
	batchServed               // answered before: fan the chunks out
	batchRefused              // refused with 403: look IDs up one by one
)

// lookup describes one batch endpoint and its single-ID counterpart.
type lookup[T any] struct {
	kind  batchKind
	id    models.Kind
	max   int                                                   // ids_max of the batch endpoint
	batch func(ctx context.Context, ids []string) ([]*T, error) // at most max IDs
	one   func(ctx context.Context, id string) (*T, error)
}

// getMany looks ids up and returns one result per input, in input order:
// duplicates share a pointer, unknown IDs give nil. IDs are parsed (any
// form) and de-duplicated first; the unique ones are split into chunks of
// l.max looked up concurrently, or, once the batch endpoint was refused
// with 403, looked up one by one concurrently.
func getMany[T any](ctx context.Context, a *Client, l lookup[T], ids []string) ([]*T, error) {
	if ctx == nil {
		return nil, checkArgs(ctx, false)
	}
	uniq, index, err := dedupe(ids, l.id)
	if err != nil {
		return nil, err
	}
	got, err := lookupUnique(ctx, a, l, uniq)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(ids))
	for i, j := range index {
		out[i] = got[j]
	}
	return out, nil
}

// dedupe parses ids and returns the distinct ones in first-seen order, and
// for each input the index of its ID among them.
func dedupe(ids []string, kind models.Kind) (uniq []string, index []int, err error) {
	if len(ids) == 0 {
		return nil, nil, fmt.Errorf("%w: no %s IDs given", spotify.ErrInvalidInput, kind)
	}
	seen := make(map[string]int, len(ids))
	index = make([]int, len(ids))
	for i, s := range ids {
		id, err := models.ParseID(s, kind)
		if err != nil {
			return nil, nil, &inputError{err}
		}
		j, ok := seen[id]
		if !ok {
			j = len(uniq)
			seen[id] = j
			uniq = append(uniq, id)
		}
		index[i] = j
	}
	return uniq, index, nil
}

func lookupUnique[T any](ctx context.Context, a *Client, l lookup[T], ids []string) ([]*T, error) {
	mode := &a.batch[l.kind]
	if mode.Load() != batchRefused {
		got, err := batchLookup(ctx, a, l, ids)
		if !errors.Is(err, spotify.ErrForbidden) {
			return got, err
		}
	}
	got, err := singleLookup(ctx, a, l, ids)
	// A 403 on the single lookups too means the token lacks a scope, not
	// that the app lost the batch endpoint: do not remember that.
	if !errors.Is(err, spotify.ErrForbidden) && mode.Swap(batchRefused) != batchRefused && a.log != nil {
		a.log.InfoContext(ctx, "spotify batch lookup refused; using single-ID lookups from now on", "kind", batchNames[l.kind])
	}
	return got, err
}

// batchLookup fans the chunks of ids out to the batch endpoint. The first
// call on a client sends one chunk alone, so that an app refused the batch
// endpoint learns it from one request rather than from a volley.
func batchLookup[T any](ctx context.Context, a *Client, l lookup[T], ids []string) ([]*T, error) {
	chunks := chunk(ids, l.max)
	answers := make([][]*T, len(chunks))
	probed := 0
	if a.batch[l.kind].Load() == batchUnknown {
		got, err := l.batch(ctx, chunks[0])
		if err != nil {
			return nil, err
		}
		a.batch[l.kind].CompareAndSwap(batchUnknown, batchServed)
		answers[0], probed = got, 1
	}
	rest, err := Map(ctx, chunks[probed:], a.concurrency, l.batch)
	if err != nil {
		return nil, err
	}
	copy(answers[probed:], rest)
	out := make([]*T, 0, len(ids))
	for i, c := range chunks {
		out = append(out, fit(answers[i], len(c))...)
	}
	return out, nil
}

// fit lines one chunk's answer up with the chunk: Spotify answers one entry
// per ID, but a short answer must not shift the results after it.
func fit[T any](got []*T, n int) []*T {
	if len(got) >= n {
		return got[:n]
	}
	return append(got, make([]*T, n-len(got))...)
}

// singleLookup looks ids up one by one, concurrently; 404 gives nil.
func singleLookup[T any](ctx context.Context, a *Client, l lookup[T], ids []string) ([]*T, error) {
	return Map(ctx, ids, a.concurrency, func(ctx context.Context, id string) (*T, error) {
		v, err := l.one(ctx, id)
		if errors.Is(err, spotify.ErrNotFound) {
			return nil, nil
		}
		return v, err
	})
}

// chunk splits ids into consecutive runs of at most n.
func chunk(ids []string, n int) [][]string {
	out := make([][]string, 0, (len(ids)+n-1)/n)
	for len(ids) > n {
		out = append(out, ids[:n:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// many runs getMany as a future, on a copy of ids.
func many[T any](ctx context.Context, a *Client, l lookup[T], ids []string) *Future[[]*T] {
	ids = slices.Clone(ids)
	return Go(ctx, func(ctx context.Context) ([]*T, error) { return getMany(ctx, a, l, ids) })
}
