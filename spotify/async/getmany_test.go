package async

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

type thing struct{ id string }

// fakeBatch is a catalog of things behind a batch endpoint and a single
// one; unknown IDs start with "x".
type fakeBatch struct {
	refuse      bool          // batch answers 403
	refuseOne   bool          // single lookups answer 403 too
	fail        error         // batch answers this error, when set
	hold        chan struct{} // batch waits for it to close, when set
	mu          sync.Mutex
	batchCalls  [][]string
	singleCalls []string
}

func (f *fakeBatch) lookup() lookup[thing] {
	return lookup[thing]{kind: batchTracks, id: models.KindTrack, max: 3, batch: f.batch, one: f.one}
}

func (f *fakeBatch) batch(_ context.Context, ids []string) ([]*thing, error) {
	f.mu.Lock()
	f.batchCalls = append(f.batchCalls, ids)
	fail := f.fail
	f.mu.Unlock()
	if f.hold != nil {
		<-f.hold
	}
	if fail != nil {
		return nil, fail
	}
	if f.refuse {
		return nil, &spotify.Error{Status: 403, Message: "Forbidden"}
	}
	out := make([]*thing, len(ids))
	for i, id := range ids {
		if !strings.HasPrefix(id, "x") {
			out[i] = &thing{id}
		}
	}
	return out, nil
}

func (f *fakeBatch) one(_ context.Context, id string) (*thing, error) {
	f.mu.Lock()
	f.singleCalls = append(f.singleCalls, id)
	f.mu.Unlock()
	switch {
	case f.refuseOne:
		return nil, &spotify.Error{Status: 403, Message: "Forbidden"}
	case strings.HasPrefix(id, "x"):
		return nil, &spotify.Error{Status: 404, Message: "Not found"}
	}
	return &thing{id}, nil
}

func checkThings(t *testing.T, ids []string, got []*thing) {
	t.Helper()
	if len(got) != len(ids) {
		t.Fatalf("%d results for %d IDs", len(got), len(ids))
	}
	first := map[string]*thing{}
	for i, id := range ids {
		id = strings.TrimPrefix(id, "spotify:track:")
		switch {
		case strings.HasPrefix(id, "x"):
			if got[i] != nil {
				t.Fatalf("result %d for unknown %s = %v; want nil", i, id, got[i])
			}
		case got[i] == nil || got[i].id != id:
			t.Fatalf("result %d = %v; want %s", i, got[i], id)
		}
		if p, ok := first[id]; ok && p != got[i] {
			t.Fatalf("duplicate %s got a different pointer", id)
		}
		first[id] = got[i]
	}
}

// tid is a well-formed track ID; unknown ones start with x.
func tid(prefix string, i int) string { return fmt.Sprintf("%s%021d", prefix, i) }

func testIDs() []string {
	var ids []string
	for i := range 20 {
		ids = append(ids, tid("a", i))
	}
	return append(ids, tid("a", 3), "spotify:track:"+tid("a", 5), tid("x", 1), tid("a", 7), tid("x", 1), tid("x", 2))
}

func TestGetManyBatch(t *testing.T) {
	f := &fakeBatch{}
	a := &Client{concurrency: 4}
	ids := testIDs()
	got, err := getMany(t.Context(), a, f.lookup(), ids)
	if err != nil {
		t.Fatal(err)
	}
	checkThings(t, ids, got)
	var asked []string
	for _, c := range f.batchCalls {
		if len(c) > 3 {
			t.Fatalf("chunk of %d IDs; max is 3", len(c))
		}
		asked = append(asked, c...)
	}
	slices.Sort(asked)
	if len(asked) != 22 || len(slices.Compact(asked)) != 22 {
		t.Fatalf("asked for %d IDs; want the 22 distinct ones once each", len(asked))
	}
	if len(f.singleCalls) != 0 || a.batch[batchTracks].mode.Load() != batchServed {
		t.Fatalf("single calls %d, mode %d", len(f.singleCalls), a.batch[batchTracks].mode.Load())
	}
}

func TestGetManyFallsBackAndRemembers(t *testing.T) {
	f := &fakeBatch{refuse: true}
	a := &Client{concurrency: 4}
	ids := testIDs()
	got, err := getMany(t.Context(), a, f.lookup(), ids)
	if err != nil {
		t.Fatal(err)
	}
	checkThings(t, ids, got)
	if len(f.batchCalls) != 1 {
		t.Fatalf("%d batch calls; want one probe", len(f.batchCalls))
	}
	if len(f.singleCalls) != 22 {
		t.Fatalf("%d single calls; want 22", len(f.singleCalls))
	}
	// The choice is remembered: the next call goes straight to single GETs.
	if _, err := getMany(t.Context(), a, f.lookup(), ids[:5]); err != nil {
		t.Fatal(err)
	}
	if len(f.batchCalls) != 1 || len(f.singleCalls) != 27 {
		t.Fatalf("second call: %d batch, %d single calls", len(f.batchCalls), len(f.singleCalls))
	}
}

// TestGetManyLearnsRefusalOnce starts lookups together on a client that
// has not called the batch endpoint yet: one probes it, the others wait for
// what it learns, so a refused endpoint costs one 403, not one per lookup.
func TestGetManyLearnsRefusalOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeBatch{refuse: true, hold: make(chan struct{})}
		a := &Client{concurrency: 4}
		const calls = 8
		var wg sync.WaitGroup
		errs := make([]error, calls)
		for i := range calls {
			wg.Go(func() {
				got, err := getMany(t.Context(), a, f.lookup(), testIDs())
				if err == nil {
					checkThings(t, testIDs(), got)
				}
				errs[i] = err
			})
		}
		synctest.Wait() // the probe is held in the batch endpoint; the others wait for it
		close(f.hold)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if len(f.batchCalls) != 1 {
			t.Fatalf("%d batch calls from %d lookups started together; want one probe", len(f.batchCalls), calls)
		}
		if len(f.singleCalls) != calls*22 || a.batch[batchTracks].mode.Load() != batchRefused {
			t.Fatalf("%d single calls, mode %d", len(f.singleCalls), a.batch[batchTracks].mode.Load())
		}
	})
}

// TestGetManyProbeFailsOrWaiterLeaves: a probe that fails for another
// reason than a 403 teaches nothing, and the next lookup probes again; a
// lookup whose context ends while it waits for a probe returns at once.
func TestGetManyProbeFailsOrWaiterLeaves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeBatch{fail: &spotify.Error{Status: 500, Message: "boom"}, hold: make(chan struct{})}
		a := &Client{concurrency: 2}
		probeErr := make(chan error, 1)
		go func() {
			_, err := getMany(t.Context(), a, f.lookup(), testIDs())
			probeErr <- err
		}()
		synctest.Wait()
		ctx, cancel := context.WithCancel(t.Context())
		waiterErr := make(chan error, 1)
		go func() {
			_, err := getMany(ctx, a, f.lookup(), testIDs())
			waiterErr <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-waiterErr; !errors.Is(err, context.Canceled) {
			t.Fatalf("waiter: %v; want context.Canceled", err)
		}
		f.mu.Lock()
		f.fail = nil
		f.mu.Unlock()
		close(f.hold)
		if err := <-probeErr; !errors.Is(err, spotify.ErrServer) {
			t.Fatalf("probe: %v; want its 500", err)
		}
		if a.batch[batchTracks].mode.Load() != batchUnknown {
			t.Fatal("a failed probe was remembered")
		}
		got, err := getMany(t.Context(), a, f.lookup(), testIDs())
		if err != nil {
			t.Fatal(err)
		}
		checkThings(t, testIDs(), got)
		if a.batch[batchTracks].mode.Load() != batchServed || len(f.batchCalls) < 2 {
			t.Fatalf("after a failed probe: mode %d, %d batch calls", a.batch[batchTracks].mode.Load(), len(f.batchCalls))
		}
	})
}

func TestGetManyForbiddenEverywhere(t *testing.T) {
	f := &fakeBatch{refuse: true, refuseOne: true}
	a := &Client{concurrency: 2}
	if _, err := getMany(t.Context(), a, f.lookup(), testIDs()); !errors.Is(err, spotify.ErrForbidden) {
		t.Fatalf("err = %v; want ErrForbidden", err)
	}
	if a.batch[batchTracks].mode.Load() == batchRefused {
		t.Fatal("a scope problem was remembered as a refused batch endpoint")
	}
}

func TestGetManyBadInput(t *testing.T) {
	f := &fakeBatch{}
	a := &Client{concurrency: 2}
	if _, err := getMany(t.Context(), a, f.lookup(), nil); !errors.Is(err, spotify.ErrInvalidInput) {
		t.Fatalf("no IDs: %v", err)
	}
	if _, err := getMany(t.Context(), a, f.lookup(), []string{tid("a", 1), "spotify:album:" + tid("a", 2)}); !errors.Is(err, models.ErrInvalidID) || !errors.Is(err, spotify.ErrInvalidInput) {
		t.Fatalf("album URI: %v", err)
	}
	if len(f.batchCalls)+len(f.singleCalls) != 0 {
		t.Fatal("requests sent for bad input")
	}
}

func TestGetManyError(t *testing.T) {
	boom := errors.New("boom")
	l := (&fakeBatch{}).lookup()
	l.batch = func(_ context.Context, ids []string) ([]*thing, error) {
		if ids[0] == tid("a", 6) {
			return nil, boom
		}
		return make([]*thing, len(ids)), nil
	}
	if _, err := getMany(t.Context(), &Client{concurrency: 3}, l, testIDs()); !errors.Is(err, boom) {
		t.Fatalf("err = %v; want boom", err)
	}
}

func TestChunk(t *testing.T) {
	got := chunk([]string{"a", "b", "c", "d", "e"}, 2)
	if len(got) != 3 || len(got[2]) != 1 {
		t.Fatalf("chunk = %v", got)
	}
}

// A batch answer that does not line up with its IDs ends the lookup with
// ErrInvalidReply instead of shifting or padding results.
func TestGetManyRefusesMisalignedAnswers(t *testing.T) {
	for _, extra := range []int{-1, 1} {
		l := (&fakeBatch{}).lookup()
		l.batch = func(_ context.Context, ids []string) ([]*thing, error) {
			return make([]*thing, len(ids)+extra), nil
		}
		if _, err := getMany(t.Context(), &Client{concurrency: 3}, l, testIDs()); !errors.Is(err, spotify.ErrInvalidReply) {
			t.Errorf("%+d entries: err = %v; want ErrInvalidReply", extra, err)
		}
	}
}
