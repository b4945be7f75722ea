package async

import (
	"context"
	"errors"
	"iter"
	"sync"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// Stream delivers the items of a list in order from goroutines that fetch
// it. Read it either through the channel of [Stream.C] followed by
// [Stream.Err], or with a range over [Stream.All]; not both.
//
// The goroutines behind a stream stop when its list is complete, when a
// fetch fails, when the context given at its creation ends, or when
// [Stream.Close] is called. A consumer that stops reading without calling
// Close (or breaking out of All, which closes) leaves them blocked until
// the context ends.
type Stream[T any] struct {
	ch     chan T
	done   chan struct{} // closed once every goroutine has exited
	cancel context.CancelCauseFunc

	mu  sync.Mutex
	err error
}

// errStopped is what producers return when the stream's context ended; the
// stream reports the context's cause instead.
var errStopped = errors.New("async: stopped")

// produce fetches a list and hands each item to send, in order. send
// returns false once the stream's context has ended; produce must then
// return (any error; the stream reports the context's cause) after every
// goroutine it started has exited.
type produce[T any] func(ctx context.Context, send func(T) bool) error

func newStream[T any](parent context.Context, p produce[T]) *Stream[T] {
	if err := checkArgs(parent, p == nil); err != nil {
		return failedStream[T](err)
	}
	ctx, cancel := context.WithCancelCause(parent)
	s := &Stream[T]{ch: make(chan T), done: make(chan struct{}), cancel: cancel}
	go s.run(ctx, p)
	return s
}

// failedStream is a stream that ended with err before it started.
func failedStream[T any](err error) *Stream[T] {
	s := &Stream[T]{ch: make(chan T), done: make(chan struct{}), cancel: func(error) {}, err: err}
	close(s.ch)
	close(s.done)
	return s
}

func (s *Stream[T]) run(ctx context.Context, p produce[T]) {
	defer close(s.done)
	err := errGoexit // stays if the producer calls runtime.Goexit
	defer func() {
		if err != nil && ctx.Err() != nil {
			// Stopped from outside: say why, not what a fetch saw.
			err = context.Cause(ctx)
		}
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(s.ch)
		s.cancel(nil) // release the context's resources
	}()
	send := func(v T) bool {
		select {
		case s.ch <- v:
			return true
		case <-ctx.Done():
			return false
		}
	}
	_, err = safely(ctx, func(ctx context.Context, _ struct{}) (struct{}, error) {
		return struct{}{}, p(ctx, send)
	}, struct{}{})
}

// C returns the channel the items arrive on, in order. It is closed when
// the stream ends; then [Stream.Err] tells whether the list was complete.
func (s *Stream[T]) C() <-chan T { return s.ch }

// Err returns why the stream ended early, or nil when it delivered the
// whole list. It is meaningful once the channel of C is closed; before
// that it returns nil. It is the first fetch error, [ErrClosed] after
// Close, or the context's cause when the context ended.
func (s *Stream[T]) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close stops the stream and every goroutine behind it, and waits for them
// to exit. Items not yet received are dropped. It is safe to call more than
// once and from any goroutine; after a complete stream it changes nothing.
func (s *Stream[T]) Close() {
	s.cancel(ErrClosed)
	<-s.done
}

// Done returns a channel closed once every goroutine of the stream has
// exited.
func (s *Stream[T]) Done() <-chan struct{} { return s.done }

// All returns an iterator over the stream's items, in order. If the stream
// ends early, the last pair carries the error and a zero item. Breaking out
// of the loop closes the stream, stopping every goroutine behind it; when
// the loop ends, every goroutine has exited. Range over it once.
func (s *Stream[T]) All() iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		defer s.Close()
		for v := range s.ch {
			if !yield(v, nil) {
				return
			}
		}
		if err := s.Err(); err != nil {
			var zero T
			yield(zero, err)
		}
	}
}

// Collect reads the whole stream into a slice. On error it returns the
// items delivered before the error, and the error.
func (s *Stream[T]) Collect() ([]T, error) {
	var out []T
	for v, err := range s.All() {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// StreamPages streams an offset-paged list: it fetches the first page,
// learns the total, then fetches the offsets the total says remain
// concurrently within the prefetch window ([WithPrefetch]) and delivers
// every item in order. At most prefetch pages are in flight or waiting at
// any time, and none beyond the window is fetched while the consumer lags.
// It starts at offset 0, or at [WithStartOffset]; [WithPaging] says what
// each fetch asks for; other options are ignored.
//
// The stream delivers the same items as [paging.Offset] over the same
// server, and ends with the same error: pages fetched ahead are handed to
// one [paging.Walk] in order, which checks each as the sequential walk
// does. The offsets ahead are planned from the size of the last page and
// made only as the window needs them, so a total of any size costs no
// memory. A page of another size than planned (shorter or longer than
// the pages before it) makes the offsets after it wrong: those fetches are
// dropped and the rest is planned again from the offset after its last
// item. When the pages give no total, or prefetch is 1, the rest is walked
// sequentially. The first failing fetch that the walk reaches ends the
// stream with its error, after the items before it; a fetch failing
// beyond the list's end, or beyond a page that changed the plan, is never
// reached. Option errors end the stream at once with that error.
func StreamPages[T any](ctx context.Context, fetch paging.PageFunc[T], opts ...Option) *Stream[T] {
	cfg, err := newConfig(opts)
	if err != nil {
		return failedStream[T](err)
	}
	if fetch == nil {
		return failedStream[T](checkArgs(context.Background(), true))
	}
	return streamPages(ctx, cfg.start, cfg.prefetch, fetch, cfg.paging...)
}

func streamPages[T any](ctx context.Context, start, prefetch int, fetch paging.PageFunc[T], opts ...paging.Option) *Stream[T] {
	w, err := paging.NewWalk[T](start, opts...)
	if err != nil {
		return failedStream[T](err)
	}
	return newStream(ctx, func(ctx context.Context, send func(T) bool) error {
		return pages(ctx, w, prefetch, fetch, send)
	})
}

// pages is the producer of offset streams.
func pages[T any](ctx context.Context, w *paging.Walk[T], prefetch int, fetch paging.PageFunc[T], send func(T) bool) error {
	from := w.Offset()
	first, err := fetch(ctx, from)
	if err != nil {
		return err
	}
	pending, more, err := judge(w, first)
	size := w.Offset() - from
	for more && err == nil && prefetch > 1 && w.Total() > w.Offset() {
		size, more, err = ahead(ctx, w, prefetch, size, fetch, pending, send)
		pending = nil
	}
	if serr := sendAll(pending, send); serr != nil {
		return serr
	}
	if err != nil || !more {
		return err
	}
	return sequential(ctx, w, fetch, send)
}

// judge hands page to the walk: it returns the items to deliver, whether a
// page follows, and the error to end with once the items are delivered.
func judge[T any](w *paging.Walk[T], page *models.Page[T]) ([]T, bool, error) {
	if err := w.Check(page); err != nil {
		return nil, false, err
	}
	more, err := w.Advance(page)
	return page.Items, more, err
}

// ahead sends pending, the items of the page before the walk's offset,
// while it fetches the pages the walk's total says remain: from the walk's
// offset on, size apart, at most prefetch ahead. It hands them to the walk
// in order and returns when the walk ends, when the plan runs out, or when
// a page is not size items long, which makes the offsets planned after it
// wrong. It returns the length of the last page handed on, and whether the
// walk goes on.
func ahead[T any](ctx context.Context, w *paging.Walk[T], prefetch, size int, fetch paging.PageFunc[T], pending []T, send func(T) bool) (int, bool, error) {
	win := newWindow(ctx, prefetch, (func(context.Context, int) (*models.Page[T], error))(fetch))
	defer win.close()
	win.reserve() // the pending page counts against the window while it is delivered
	win.start(paging.Plan(w.Offset(), size, w.Total()))
	if err := sendAll(pending, send); err != nil {
		return 0, false, err
	}
	win.release()
	last, more := size, true
	err := win.drain(func(p *models.Page[T]) (bool, error) {
		from := w.Offset()
		items, m, err := judge(w, p)
		if serr := sendAll(items, send); serr != nil {
			return false, serr
		}
		last, more = w.Offset()-from, m
		return more && last == size && err == nil, err
	})
	return last, more, err
}

// sequential walks the rest of the list one page after another.
func sequential[T any](ctx context.Context, w *paging.Walk[T], fetch paging.PageFunc[T], send func(T) bool) error {
	for {
		page, err := fetch(ctx, w.Offset())
		if err != nil {
			return err
		}
		items, more, err := judge(w, page)
		if serr := sendAll(items, send); serr != nil {
			return serr
		}
		if err != nil || !more {
			return err
		}
	}
}

func sendAll[T any](items []T, send func(T) bool) error {
	for _, v := range items {
		if !send(v) {
			return errStopped
		}
	}
	return nil
}

func sendSeq[T any](seq iter.Seq2[T, error], send func(T) bool) error {
	for v, err := range seq {
		if err != nil {
			return err
		}
		if !send(v) {
			return errStopped
		}
	}
	return nil
}

// StreamCursor streams a cursor-paged list, one page after another: each
// request needs the cursor the page before it gave. The walk is
// [paging.Cursor]'s, with the checks [WithPaging] asks for; a failing
// fetch or an invalid page ends the stream with its error after the items
// before it. Other options are ignored; option errors end the stream at
// once with that error.
func StreamCursor[T any](ctx context.Context, fetch paging.CursorFunc[T], opts ...Option) *Stream[T] {
	cfg, err := newConfig(opts)
	if err != nil {
		return failedStream[T](err)
	}
	if fetch == nil {
		return failedStream[T](checkArgs(context.Background(), true))
	}
	return newStream(ctx, func(ctx context.Context, send func(T) bool) error {
		return sendSeq(paging.Cursor(ctx, fetch, cfg.paging...), send)
	})
}

// streamIter streams what a sequential iterator yields; seq gets the
// stream's context, so that closing the stream ends the walk.
func streamIter[T any](ctx context.Context, seq func(context.Context) iter.Seq2[T, error]) *Stream[T] {
	return newStream(ctx, func(ctx context.Context, send func(T) bool) error {
		return sendSeq(seq(ctx), send)
	})
}
