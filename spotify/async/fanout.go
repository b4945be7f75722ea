package async

import (
	"context"
	"fmt"
	"iter"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/spotflow/spotflow/spotify"
)

// Map calls fn for every element of in, at most limit calls at a time, and
// returns the results in the order of in. The first error cancels the
// context of the calls still running, stops new calls from starting, and
// is returned once every call has exited; the results are then nil. A panic
// in fn is recovered and returned as a *[PanicError].
//
// Map suits the steps of a pipeline whose input is known, such as the
// albums of a list of artists; requests made by fn share the client's rate
// limiter, so limit bounds goroutines, not the request rate.
func Map[In, Out any](ctx context.Context, in []In, limit int, fn func(context.Context, In) (Out, error)) ([]Out, error) {
	if err := checkArgs(ctx, fn == nil); err != nil {
		return nil, err
	}
	if err := checkWindow("Map", limit); err != nil {
		return nil, err
	}
	out := make([]Out, len(in))
	var finished atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i, v := range in {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			r, err := safely(gctx, fn, v)
			finished.Add(1)
			out[i] = r
			return err
		})
	}
	err := g.Wait()
	if err == nil && int(finished.Load()) < len(in) {
		// Either ctx ended before every call started, or a call never
		// returned (runtime.Goexit).
		err = context.Cause(ctx)
		if err == nil {
			err = errGoexit
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MapSeq calls fn for every value of in, at most limit calls at a time, and
// streams the results in the order of in. At most limit calls are in
// flight or finished but not yet received, so a slow consumer pauses the
// calls and memory stays bounded however long in is.
//
// The first error cancels the calls after it (in input order) and ends the
// stream once the results before it have been delivered. in is read from a
// goroutine of the stream; it must end, or stop when the stream's context
// does, for [Stream.Close] to return.
func MapSeq[In, Out any](ctx context.Context, in iter.Seq[In], limit int, fn func(context.Context, In) (Out, error)) *Stream[Out] {
	if in == nil || fn == nil {
		return failedStream[Out](fmt.Errorf("%w: MapSeq: nil sequence or function", spotify.ErrInvalidInput))
	}
	if err := checkWindow("MapSeq", limit); err != nil {
		return failedStream[Out](err)
	}
	return mapStream(ctx, func(context.Context) iter.Seq[In] { return in }, limit, fn)
}

// mapStream runs MapSeq over the sequence seq returns for the stream's
// context.
func mapStream[In, Out any](ctx context.Context, seq func(context.Context) iter.Seq[In], limit int, fn func(context.Context, In) (Out, error)) *Stream[Out] {
	return newStream(ctx, func(ctx context.Context, send func(Out) bool) error {
		w := newWindow(ctx, limit, fn)
		defer w.close()
		w.start(seq(w.ctx))
		return w.drain(func(v Out) (bool, error) {
			if !send(v) {
				return false, errStopped
			}
			return true, nil
		})
	})
}

// MapChan is [MapSeq] over the values received from in until it is closed,
// the context ends or the stream is closed.
func MapChan[In, Out any](ctx context.Context, in <-chan In, limit int, fn func(context.Context, In) (Out, error)) *Stream[Out] {
	if in == nil || fn == nil {
		return failedStream[Out](fmt.Errorf("%w: MapChan: nil channel or function", spotify.ErrInvalidInput))
	}
	if err := checkWindow("MapChan", limit); err != nil {
		return failedStream[Out](err)
	}
	return mapStream(ctx, func(ctx context.Context) iter.Seq[In] { return chanSeq(ctx, in) }, limit, fn)
}

// chanSeq yields what arrives on ch until it closes or ctx ends.
func chanSeq[T any](ctx context.Context, ch <-chan T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for {
			select {
			case v, ok := <-ch:
				if !ok || !yield(v) {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}
}
