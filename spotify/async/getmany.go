package async

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

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

// batchMemory is what one client knows about one batch endpoint, and the
// probe that is finding it out. One call probes at a time: lookups started
// together on a client refused the endpoint learn it from one 403, not one
// each.
type batchMemory struct {
	mode atomic.Int32 // batchUnknown, batchServed or batchRefused

	mu      sync.Mutex
	probing chan struct{} // closed when the probe in flight ends; nil when none is
}

// claim returns what the client knows, waiting while another call probes.
// When nothing is known and no call probes, the caller becomes the prober
// (probe is true) and must call settle.
func (m *batchMemory) claim(ctx context.Context) (mode int32, probe bool, err error) {
	for {
		if mode := m.mode.Load(); mode != batchUnknown {
			return mode, false, nil
		}
		m.mu.Lock()
		switch {
		case m.mode.Load() != batchUnknown:
			m.mu.Unlock()
			continue
		case m.probing == nil:
			m.probing = make(chan struct{})
			m.mu.Unlock()
			return batchUnknown, true, nil
		}
		wait := m.probing
		m.mu.Unlock()
		select {
		case <-wait: // settled, or the probe decided nothing: look again
		case <-ctx.Done():
			return batchUnknown, false, context.Cause(ctx)
		}
	}
}

// settle ends the probe with what it learned (batchUnknown for nothing, as
// when it failed for another reason, so the next call probes again) and
// wakes the calls waiting for it.
func (m *batchMemory) settle(mode int32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if mode != batchUnknown {
		m.mode.Store(mode)
	}
	close(m.probing)
	m.probing = nil
}

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
	mode, probe, err := a.batch[l.kind].claim(ctx)
	if err != nil {
		return nil, err
	}
	if probe {
		return probeLookup(ctx, a, l, ids)
	}
	if mode != batchRefused {
		got, err := batchLookup(ctx, a, l, chunk(ids, l.max), nil)
		if !errors.Is(err, spotify.ErrForbidden) {
			return got, err
		}
	}
	got, err := singleLookup(ctx, a, l, ids)
	// A 403 on the single lookups too means the token lacks a scope, not
	// that the app lost the batch endpoint: do not remember that.
	if !errors.Is(err, spotify.ErrForbidden) {
		a.refused(ctx, l.kind)
	}
	return got, err
}

// probeLookup looks ids up on a client that does not know yet whether
// Spotify serves the batch endpoint: it sends one chunk alone, so that an
// app refused the endpoint learns it from one request rather than from a
// volley, and settles what it learned before fanning out the rest.
func probeLookup[T any](ctx context.Context, a *Client, l lookup[T], ids []string) (got []*T, err error) {
	mem := &a.batch[l.kind]
	settled := false
	settle := func(mode int32) {
		if !settled {
			settled = true
			mem.settle(mode)
		}
	}
	defer settle(batchUnknown) // whatever happens, the waiting calls go on

	chunks := chunk(ids, l.max)
	first, err := l.batch(ctx, chunks[0])
	switch {
	case err == nil:
		settle(batchServed)
		return batchLookup(ctx, a, l, chunks, [][]*T{first})
	case !errors.Is(err, spotify.ErrForbidden):
		return nil, err
	}
	// A 403 means the app is refused the batch endpoint, or the token
	// lacks a scope: a single lookup tells which.
	one, err := singleLookup(ctx, a, l, ids[:1])
	if err != nil {
		return nil, err
	}
	a.refused(ctx, l.kind)
	settle(batchRefused)
	rest, err := singleLookup(ctx, a, l, ids[1:])
	if err != nil {
		return nil, err
	}
	return append(one, rest...), nil
}

// refused remembers that Spotify refuses the client the batch endpoint of
// kind, logging it the first time.
func (a *Client) refused(ctx context.Context, kind batchKind) {
	if a.batch[kind].mode.Swap(batchRefused) != batchRefused && a.log != nil {
		a.log.InfoContext(ctx, "spotify batch lookup refused; using single-ID lookups from now on", "kind", batchNames[kind])
	}
}

// batchLookup fans chunks out to the batch endpoint, but for the first
// len(given) ones, whose answers are given (the probe's).
func batchLookup[T any](ctx context.Context, a *Client, l lookup[T], chunks [][]string, given [][]*T) ([]*T, error) {
	answers := make([][]*T, len(chunks))
	done := copy(answers, given)
	rest, err := Map(ctx, chunks[done:], a.concurrency, l.batch)
	if err != nil {
		return nil, err
	}
	copy(answers[done:], rest)
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	out := make([]*T, 0, n)
	for i, c := range chunks {
		// The sync lookup refuses an answer that does not line up with
		// its IDs; this holds whatever l.batch is, so that no result
		// shifts onto another ID.
		if len(answers[i]) != len(c) {
			return nil, fmt.Errorf("%w: batch lookup answered %d entries for %d IDs", spotify.ErrInvalidReply, len(answers[i]), len(c))
		}
		out = append(out, answers[i]...)
	}
	return out, nil
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
