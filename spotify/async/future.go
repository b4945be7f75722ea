package async

import "context"

// Future is the result of a call running in its own goroutine. Create one
// with [Go] or a service method; it is safe to await from many goroutines.
type Future[T any] struct {
	done chan struct{}
	val  T
	err  error
}

// Go starts fn(ctx) in a new goroutine at once and returns its future.
// Cancelling ctx is how to stop the work: fn receives ctx. A panic in fn is
// recovered and becomes the future's error, a *[PanicError].
func Go[T any](ctx context.Context, fn func(ctx context.Context) (T, error)) *Future[T] {
	f := &Future[T]{done: make(chan struct{})}
	if err := checkArgs(ctx, fn == nil); err != nil {
		f.err = err
		close(f.done)
		return f
	}
	go f.run(ctx, fn)
	return f
}

func (f *Future[T]) run(ctx context.Context, fn func(context.Context) (T, error)) {
	f.err = errGoexit // stays if fn calls runtime.Goexit
	defer close(f.done)
	f.val, f.err = safely(ctx, func(ctx context.Context, _ struct{}) (T, error) { return fn(ctx) }, struct{}{})
}

// Resolved returns a future that is already done with val and err; useful
// to return early from code that otherwise returns futures.
func Resolved[T any](val T, err error) *Future[T] {
	f := &Future[T]{done: make(chan struct{}), val: val, err: err}
	close(f.done)
	return f
}

// Await waits for the call to finish and returns its result. If ctx ends
// first, Await returns ctx's error at once but does not stop the call: it
// keeps running under the context given to [Go], and a later Await can
// still collect its result. Cancel that context to stop the work.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.val, f.err
	default:
	}
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// Done returns a channel closed when the call has finished; the result is
// then available from Await without waiting.
func (f *Future[T]) Done() <-chan struct{} { return f.done }
