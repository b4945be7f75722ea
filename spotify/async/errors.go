package async

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/spotflow/spotflow/spotify"
)

// PanicError is returned in place of a result when a function run by this
// package panicked. The panic is recovered so that one bad callback cannot
// take down the program, and reported so that it cannot pass silently.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the panicking goroutine's stack
}

// Error names the panic's value.
func (e *PanicError) Error() string {
	return fmt.Sprintf("async: panic: %v", e.Value)
}

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// errGoexit reports a function that called runtime.Goexit (t.FailNow in a
// test, for one) instead of returning.
var errGoexit = errors.New("async: function called runtime.Goexit")

// ErrClosed is a stream's error when [Stream.Close] stopped it before its
// list was complete.
var ErrClosed = errors.New("async: stream closed")

// checkArgs rejects a nil context or a missing function.
func checkArgs(ctx context.Context, nilFunc bool) error {
	switch {
	case ctx == nil:
		return fmt.Errorf("%w: nil context", spotify.ErrInvalidInput)
	case nilFunc:
		return fmt.Errorf("%w: nil function", spotify.ErrInvalidInput)
	}
	return nil
}

// safely calls fn(ctx, v), turning a panic into a *PanicError. A Goexit
// still ends the goroutine; callers that must answer anyway preset their
// result to errGoexit in a deferred send.
func safely[In, Out any](ctx context.Context, fn func(context.Context, In) (Out, error), v In) (out Out, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn(ctx, v)
}

// inputError is an ID refused before any request. Like the synchronous
// client's, it matches both models.ErrInvalidID and spotify.ErrInvalidInput.
type inputError struct{ err error }

func (e *inputError) Error() string   { return e.err.Error() }
func (e *inputError) Unwrap() []error { return []error{e.err, spotify.ErrInvalidInput} }
