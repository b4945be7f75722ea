package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/ratelimit"
	"github.com/spotflow/spotflow/spotify"
)

// Exit codes, as the root command's help documents them.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitAuth        = 3
	exitRateLimited = 4
	exitInterrupted = 130
)

// usageError is a mistake in the command line.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErr(err error) error { return &usageError{err} }

func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// Errors of missing authorization, explained by explain.
var (
	errNoCredentials = errors.New("no Spotify app credentials")
	errNotLoggedIn   = errors.New("not logged in")
)

const credentialsHelp = `Set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (or pass --client-id and
--client-secret) to your app's values from https://developer.spotify.com/dashboard,
or try spotflow against its built-in fake Spotify with --fake.`

const loginHelp = `Run 'spotflow login' first (it needs SPOTIFY_CLIENT_ID and a redirect URI
registered for your app), or try spotflow against its built-in fake Spotify with --fake.`

// explain returns the exit code of err and a message for people. now is
// the time a rate limit's wait is counted from.
func explain(err error, now time.Time) (int, string) {
	var ue *usageError
	switch {
	case errors.As(err, &ue):
		return exitUsage, err.Error()
	case errors.Is(err, context.Canceled):
		return exitInterrupted, "interrupted"
	case errors.Is(err, errNoCredentials):
		return exitAuth, err.Error() + ".\n" + credentialsHelp
	case errors.Is(err, errNotLoggedIn):
		return exitAuth, err.Error() + ".\n" + loginHelp
	case errors.Is(err, auth.ErrInvalidClient):
		return exitAuth, "Spotify refused the client ID or secret; check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET (or --client-id, --client-secret)."
	case errors.Is(err, auth.ErrReauthRequired):
		return exitAuth, "the stored login is no longer valid (revoked, or older than Spotify allows); run 'spotflow login' again."
	case errors.Is(err, auth.ErrAccessDenied):
		return exitAuth, "the login was declined in the browser."
	case errors.Is(err, spotify.ErrUnauthorized):
		return exitAuth, "Spotify refused the token (" + err.Error() + "); run 'spotflow login' again or check the app's credentials."
	}
	if d, ok := retryAfter(err); ok {
		return exitRateLimited, rateLimitMessage(d, now)
	}
	if errors.Is(err, spotify.ErrRateLimited) || errors.Is(err, ratelimit.ErrRateLimited) {
		return exitRateLimited, "Spotify's rate limit was reached; try again in a little while."
	}
	if errors.Is(err, spotify.ErrForbidden) {
		return exitError, err.Error() + "\nSpotify refuses this to the token or to the app: it may need a scope the login did not ask for, or an Extended Quota app."
	}
	return exitError, err.Error()
}

// retryAfter returns how long Spotify, or the shared rate limiter, asked
// to wait before the next request.
func retryAfter(err error) (time.Duration, bool) {
	var se *spotify.Error
	if errors.As(err, &se) && se.Status == 429 && se.RetryAfter > 0 {
		return se.RetryAfter, true
	}
	var ge *ratelimit.GateError
	if errors.As(err, &ge) && ge.RetryAfter > 0 {
		return ge.RetryAfter, true
	}
	return 0, false
}

// rateLimitMessage says when the next request may go.
func rateLimitMessage(wait time.Duration, now time.Time) string {
	wait = wait.Round(time.Second)
	at := now.Add(wait).Local()
	when := at.Format("15:04:05")
	if wait >= 24*time.Hour || at.YearDay() != now.Local().YearDay() {
		when = at.Format("Mon Jan 2 15:04:05")
	}
	return fmt.Sprintf("Spotify's rate limit was reached and it asked to wait %s before the next request.\nTry again after %s (in %s).", wait, when, wait)
}
