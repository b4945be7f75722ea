package spotify

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// A playlist's snapshot_id names its version: Spotify gives the playlist a
// new one with every change it applies. That makes a change that is not
// safe to repeat (adding, moving, removing by position) safe to send again
// after the server answered that it failed, as long as the playlist's
// snapshot before the change is known: if the playlist still has it, the
// change was not applied. The spotifytest fake keeps the same contract.
//
// A read proves that only once the server is done with the change. After
// a 504 (a gateway gave up waiting; the API may still be at work) or a
// failure with no answer (a reset, a timeout, a stalled or cut answer) the
// change may still be under way and land after the read; after a 2xx whose
// body was unusable it was applied, whatever a read that lags behind the
// write says. Those failures are returned as they are.

// maxSnapshotResends bounds how often one change is sent again after its
// playlist was found unchanged.
const maxSnapshotResends = 2

type snapshotResponse struct {
	SnapshotID string `json:"snapshot_id"`
}

// sendChange sends a change of op to the playlist pid (at path, with
// body) and returns the playlist's new snapshot ID. known is the snapshot
// the playlist had before the change as far as the caller knows, or "".
// When the change fails in a way that leaves its effect unknown (the error
// matches ErrMaybeApplied) and known is set, sendChange reads the
// playlist's current snapshot: still known means nothing was applied, and
// the change is sent again (at most maxSnapshotResends times); anything
// else returns the error as it was. Only a failure the server answered
// (see answeredFailed) is checked this way.
func (s *PlaylistsService) sendChange(ctx context.Context, op *operation, pid, path string, body any, known string) (string, error) {
	for resends := 0; ; resends++ {
		var resp snapshotResponse
		err := s.c.send(ctx, op, path, nil, body, &resp)
		if err == nil || known == "" || resends == maxSnapshotResends || !errors.Is(err, ErrMaybeApplied) || !answeredFailed(err) {
			return resp.SnapshotID, err
		}
		if cur, cerr := s.currentSnapshot(ctx, pid); cerr != nil || cur != known {
			return "", err
		}
	}
}

// currentSnapshot reads the snapshot ID the playlist pid has now.
func (s *PlaylistsService) currentSnapshot(ctx context.Context, pid string) (string, error) {
	var resp snapshotResponse
	if err := s.c.get(ctx, opGetPlaylist, "playlists/"+pid, url.Values{"fields": {"snapshot_id"}}, &resp); err != nil {
		return "", err
	}
	if resp.SnapshotID == "" {
		return "", errors.New("spotify: the playlist came without a snapshot_id")
	}
	return resp.SnapshotID, nil
}

// answeredFailed reports whether err is an answer in which the server said
// the request failed, so that it is done with it: a 5xx other than 504.
func answeredFailed(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status >= 500 && e.Status != http.StatusGatewayTimeout
}
