package models

import "errors"

// ErrInvalidReply is matched by every error about an answer that cannot be
// what was asked for: a body that does not decode, that would decode to more
// than its budget, a list longer than the request could produce, an object
// of another type, or pages that contradict each other. It is the one
// sentinel of that class for every layer: spotify.ErrInvalidReply and
// paging.ErrInvalidReply are this same value, so errors.Is finds it whichever
// layer refused the answer.
var ErrInvalidReply = errors.New("spotify: invalid response")
