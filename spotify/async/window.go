package async

import (
	"context"
	"iter"
	"sync"
)

// window runs fn over a sequence of inputs with at most n calls in flight
// or finished but not yet handed on, and hands the results on in input
// order. A slot is taken when a call starts and given back only once its
// result has been handed on, so a slow consumer stops new calls: that is
// the backpressure and the memory bound of ordered streams.
//
// When call i fails, calls after i are cancelled and no new one starts;
// calls before i go on, so that everything preceding the failure is still
// handed on before the error, as a sequential walk would.
type window[In, Out any] struct {
	ctx   context.Context
	stop  context.CancelFunc
	fn    func(context.Context, In) (Out, error)
	slots chan struct{}
	queue chan chan result[Out] // one per started call, in input order
	wg    sync.WaitGroup
	ended bool // set by dispatch when the input ran out, before queue closes

	mu      sync.Mutex
	cancels map[int]context.CancelFunc // calls in flight, by index
	cut     int                        // index of the earliest failed call
}

type result[T any] struct {
	v   T
	err error
}

func newWindow[In, Out any](ctx context.Context, n int, fn func(context.Context, In) (Out, error)) *window[In, Out] {
	ctx, stop := context.WithCancel(ctx)
	return &window[In, Out]{
		ctx:     ctx,
		stop:    stop,
		fn:      fn,
		slots:   make(chan struct{}, n),
		queue:   make(chan chan result[Out], n),
		cancels: make(map[int]context.CancelFunc),
		cut:     int(^uint(0) >> 1),
	}
}

// reserve takes a slot for a result handed on outside the window (the
// first page of a stream); call before start.
func (w *window[In, Out]) reserve() { w.slots <- struct{}{} }

// release gives a slot back.
func (w *window[In, Out]) release() { <-w.slots }

// start dispatches calls over in from a new goroutine.
func (w *window[In, Out]) start(in iter.Seq[In]) {
	w.wg.Go(func() { w.dispatch(in) })
}

// close cancels every call and waits for every goroutine of the window.
func (w *window[In, Out]) close() {
	w.stop()
	w.wg.Wait()
}

func (w *window[In, Out]) dispatch(in iter.Seq[In]) {
	defer close(w.queue)
	i := 0
	for v := range in {
		select {
		case w.slots <- struct{}{}:
		case <-w.ctx.Done():
			return
		}
		ctx, ok := w.begin(i)
		if !ok {
			return
		}
		rc := make(chan result[Out], 1)
		w.queue <- rc // never blocks: each queued call holds a slot
		idx := i
		w.wg.Go(func() { w.call(ctx, idx, v, rc) })
		i++
	}
	// A sequence that watches the context (MapChan's) also ends when the
	// stream stops: that is not the end of the input.
	w.ended = w.ctx.Err() == nil
}

// begin registers call i, unless an earlier call already failed.
func (w *window[In, Out]) begin(i int) (context.Context, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if i > w.cut {
		return nil, false
	}
	ctx, cancel := context.WithCancel(w.ctx)
	w.cancels[i] = cancel
	return ctx, true
}

func (w *window[In, Out]) call(ctx context.Context, i int, v In, rc chan<- result[Out]) {
	r := result[Out]{err: errGoexit} // stays if fn calls runtime.Goexit
	defer func() {
		w.end(i, r.err != nil)
		rc <- r
	}()
	r.v, r.err = safely(ctx, w.fn, v)
}

// end unregisters call i; a failure cancels every later call.
func (w *window[In, Out]) end(i int, failed bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cancel := w.cancels[i]; cancel != nil {
		cancel()
		delete(w.cancels, i)
	}
	if !failed || i >= w.cut {
		return
	}
	w.cut = i
	for j, cancel := range w.cancels {
		if j > i {
			cancel()
			delete(w.cancels, j)
		}
	}
}

// drain hands results to deliver in input order until the input is done,
// a call fails, or deliver says to stop. deliver returns whether to go on,
// and an error to end with. drain returns the failed call's error, the
// error deliver gave, nil when deliver stopped without one or the input
// was done, or errStopped when the context ended first.
func (w *window[In, Out]) drain(deliver func(Out) (bool, error)) error {
	for rc := range w.queue {
		r := <-rc
		if r.err != nil {
			return r.err
		}
		if more, err := deliver(r.v); !more || err != nil {
			return err
		}
		w.release()
	}
	if !w.ended {
		return errStopped
	}
	return nil
}
