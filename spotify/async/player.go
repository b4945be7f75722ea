package async

import (
	"context"
	"iter"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/spotify"
)

// PlayerService runs the playback calls of [spotify.PlayerService].
type PlayerService service

// State is the asynchronous [spotify.PlayerService.State].
func (s *PlayerService) State(ctx context.Context, opts *spotify.PlayerStateOptions) *Future[*models.CurrentlyPlayingContext] {
	return call(ctx, opts, s.a.c.Player.State)
}

// CurrentlyPlaying is the asynchronous [spotify.PlayerService.CurrentlyPlaying].
func (s *PlayerService) CurrentlyPlaying(ctx context.Context, opts *spotify.PlayerStateOptions) *Future[*models.CurrentlyPlaying] {
	return call(ctx, opts, s.a.c.Player.CurrentlyPlaying)
}

// Devices is the asynchronous [spotify.PlayerService.Devices].
func (s *PlayerService) Devices(ctx context.Context) *Future[[]models.Device] {
	return run(ctx, s.a.c.Player.Devices)
}

// Transfer is the asynchronous [spotify.PlayerService.Transfer].
func (s *PlayerService) Transfer(ctx context.Context, deviceID string, play bool) *Future[struct{}] {
	return do(ctx, func(ctx context.Context) error { return s.a.c.Player.Transfer(ctx, deviceID, play) })
}

// Play is the asynchronous [spotify.PlayerService.Play].
func (s *PlayerService) Play(ctx context.Context, opts *spotify.PlayerPlayOptions) *Future[struct{}] {
	return command(ctx, opts, s.a.c.Player.Play)
}

// Pause is the asynchronous [spotify.PlayerService.Pause].
func (s *PlayerService) Pause(ctx context.Context, opts *spotify.PlayerDeviceOptions) *Future[struct{}] {
	return command(ctx, opts, s.a.c.Player.Pause)
}

// Next is the asynchronous [spotify.PlayerService.Next].
func (s *PlayerService) Next(ctx context.Context, opts *spotify.PlayerDeviceOptions) *Future[struct{}] {
	return command(ctx, opts, s.a.c.Player.Next)
}

// Previous is the asynchronous [spotify.PlayerService.Previous].
func (s *PlayerService) Previous(ctx context.Context, opts *spotify.PlayerDeviceOptions) *Future[struct{}] {
	return command(ctx, opts, s.a.c.Player.Previous)
}

// Seek is the asynchronous [spotify.PlayerService.Seek].
func (s *PlayerService) Seek(ctx context.Context, positionMS int, opts *spotify.PlayerDeviceOptions) *Future[struct{}] {
	return command(ctx, opts, func(ctx context.Context, o *spotify.PlayerDeviceOptions) error {
		return s.a.c.Player.Seek(ctx, positionMS, o)
	})
}

// SetRepeat is the asynchronous [spotify.PlayerService.SetRepeat].
func (s *PlayerService) SetRepeat(ctx context.Context, state spotify.RepeatState, opts *spotify.PlayerDeviceOptions) *Future[struct{}] {
	return command(ctx, opts, func(ctx context.Context, o *spotify.PlayerDeviceOptions) error {
		return s.a.c.Player.SetRepeat(ctx, state, o)
	})
}

// SetShuffle is the asynchronous [spotify.PlayerService.SetShuffle].
func (s *PlayerService) SetShuffle(ctx context.Context, on bool, opts *spotify.PlayerDeviceOptions) *Future[struct{}] {
	return command(ctx, opts, func(ctx context.Context, o *spotify.PlayerDeviceOptions) error {
		return s.a.c.Player.SetShuffle(ctx, on, o)
	})
}

// SetVolume is the asynchronous [spotify.PlayerService.SetVolume].
func (s *PlayerService) SetVolume(ctx context.Context, percent int, opts *spotify.PlayerDeviceOptions) *Future[struct{}] {
	return command(ctx, opts, func(ctx context.Context, o *spotify.PlayerDeviceOptions) error {
		return s.a.c.Player.SetVolume(ctx, percent, o)
	})
}

// Queue is the asynchronous [spotify.PlayerService.Queue].
func (s *PlayerService) Queue(ctx context.Context) *Future[*models.Queue] {
	return run(ctx, s.a.c.Player.Queue)
}

// AddToQueue is the asynchronous [spotify.PlayerService.AddToQueue].
func (s *PlayerService) AddToQueue(ctx context.Context, uri string, opts *spotify.PlayerDeviceOptions) *Future[struct{}] {
	return command(ctx, opts, func(ctx context.Context, o *spotify.PlayerDeviceOptions) error {
		return s.a.c.Player.AddToQueue(ctx, uri, o)
	})
}

// RecentlyPlayed streams the user's recent plays from the point opts sets,
// one page after another (the list is cursor-paged); see
// [spotify.PlayerService.RecentlyPlayedAll].
func (s *PlayerService) RecentlyPlayed(ctx context.Context, opts *spotify.PlayerRecentlyPlayedOptions) *Stream[models.PlayHistory] {
	o := clone(opts)
	return streamIter(ctx, func(ctx context.Context) iter.Seq2[models.PlayHistory, error] {
		return s.a.c.Player.RecentlyPlayedAll(ctx, o)
	})
}

// command runs a call that answers nothing, with a copy of its options.
func command[O any](ctx context.Context, opts *O, fn func(context.Context, *O) error) *Future[struct{}] {
	o := clone(opts)
	return do(ctx, func(ctx context.Context) error { return fn(ctx, o) })
}
