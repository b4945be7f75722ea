package spotify

import (
	"context"
	"errors"
	"testing"

	"github.com/spotflow/spotflow/models"
)

// TestWhatACallReturns holds the README's account of a call's errors:
// answers are *Error with a sentinel; bad input and an ended context are
// not *Error, but match ErrInvalidInput (and models.ErrInvalidID for IDs)
// and the context's error.
func TestWhatACallReturns(t *testing.T) {
	ctx := context.Background()
	var se *Error

	c, _ := recordingClient(t, replyWith(404, `{"error":{"status":404,"message":"Non existing id"}}`))
	_, err := c.Tracks.Get(ctx, trackID, nil)
	if !errors.As(err, &se) || se.Status != 404 || !errors.Is(err, ErrNotFound) {
		t.Errorf("404: %v; want *Error matching ErrNotFound", err)
	}

	c, _ = recordingClient(t, replyWith(200, "<html>"))
	_, err = c.Tracks.Get(ctx, trackID, nil)
	if !errors.As(err, &se) || !errors.Is(err, ErrInvalidReply) {
		t.Errorf("HTML body: %v; want *Error matching ErrInvalidReply", err)
	}

	c, rec := recordingClient(t, replyWith(200, "{}"))
	_, err = c.Tracks.Get(ctx, "spotify:album:"+trackID, nil)
	if errors.As(err, &se) || !errors.Is(err, ErrInvalidInput) || !errors.Is(err, models.ErrInvalidID) {
		t.Errorf("wrong kind of ID: %v; want no *Error, ErrInvalidInput and models.ErrInvalidID", err)
	}
	_, err = c.Search.Search(ctx, "", []SearchType{SearchTypeTrack}, nil)
	if errors.As(err, &se) || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("empty query: %v; want no *Error and ErrInvalidInput", err)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Tracks.Get(ended, trackID, nil)
	if errors.As(err, &se) || !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: %v; want no *Error and context.Canceled", err)
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("%d requests sent for bad input or an ended context", n)
	}
}
