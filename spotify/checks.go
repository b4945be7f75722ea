package spotify

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/paging"
)

// An answer is data from a stranger. Decoding refuses what is larger than
// asked (request.go, models.UnmarshalWithin); the walks refuse pages that
// contradict each other (paging). What is left is checked here, on the
// decoded answer, before it is handed on: a lookup must give the object
// asked for, a batch one entry per ID asked. Messages hold no text from
// the server.

// invalidReply is the error for an answer to op at path that decoded but
// is not what was asked for.
func invalidReply(op *operation, path, msg string) error {
	return &Error{Status: http.StatusOK, Method: op.method, Endpoint: path, Message: msg, sentinel: ErrInvalidReply}
}

// walkOptions are the checks of a walk over op's pages of limit items.
func walkOptions(op *operation, limit int) []paging.Option {
	return []paging.Option{paging.WithLimit(limit), paging.WithEndpoint(op.method + " " + op.route)}
}

// checkObject says what is wrong with v, the decoded answer to a lookup of
// id, or "" when it is an object of the type asked for with that ID (or,
// for a relinked track, linked from it; any ID when id is ""). Models
// without a type and an ID must at least not be empty, as null and {}
// decode.
func checkObject(v any, id string) string {
	typ, got, linked, want, ok := identity(v)
	switch {
	case !ok:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().IsZero() {
			return "null or an empty object"
		}
		return ""
	case typ == "" && got == "":
		return "null or an empty object where " + article(want[0]) + " was asked for"
	case !slices.Contains(want, typ):
		return "an object of another type where " + article(want[0]) + " was asked for"
	case id != "" && got != id && (linked == "" || linked != id):
		return fmt.Sprintf("another %s than the one asked for", want[0])
	}
	return ""
}

// identity returns the type and ID an answer says it has, the ID a
// relinked track was linked from, and the types it may have.
func identity(v any) (typ, id, linked string, want []string, ok bool) {
	switch o := v.(type) {
	case *models.Track:
		if o.LinkedFrom != nil {
			linked = o.LinkedFrom.ID
		}
		return o.Type, o.ID, linked, []string{"track"}, true
	case *models.Album:
		return o.Type, o.ID, "", []string{"album"}, true
	case *models.Artist:
		return o.Type, o.ID, "", []string{"artist"}, true
	case *models.Show:
		return o.Type, o.ID, "", []string{"show"}, true
	case *models.SimplifiedShow:
		return o.Type, o.ID, "", []string{"show"}, true
	case *models.Episode:
		return o.Type, o.ID, "", []string{"episode"}, true
	case *models.Audiobook:
		return o.Type, o.ID, "", []string{"audiobook"}, true
	case *models.Chapter:
		return o.Type, o.ID, "", []string{"chapter", "episode"}, true // the contract says "episode"
	case *models.AudioFeatures:
		return o.Type, o.ID, "", []string{"audio_features"}, true
	case *models.Playlist:
		return o.Type, o.ID, "", []string{"playlist"}, true
	case *models.PrivateUser:
		return o.Type, o.ID, "", []string{"user"}, true
	case *models.PublicUser:
		return o.Type, o.ID, "", []string{"user"}, true
	}
	return "", "", "", nil, false
}

// article returns "a track", "an album", "an audio_features object".
func article(typ string) string {
	switch typ {
	case "album", "artist", "episode", "audiobook":
		return "an " + typ
	case "audio_features":
		return "an audio features object"
	}
	return "a " + typ
}
