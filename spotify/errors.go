package spotify

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/spotflow/spotflow/models"
	"github.com/spotflow/spotflow/ratelimit"
)

// Sentinels matched by errors.Is against the errors the client returns.
var (
	ErrBadRequest   = errors.New("spotify: bad request")              // 400
	ErrUnauthorized = errors.New("spotify: unauthorized")             // 401: token missing, invalid or expired
	ErrForbidden    = errors.New("spotify: forbidden")                // 403: scope missing, or refused for the app's quota mode
	ErrNotFound     = errors.New("spotify: not found")                // 404
	ErrRateLimited  = errors.New("spotify: rate limited")             // 429, or the shared gate stayed closed too long; ratelimit.ErrRateLimited matches too
	ErrServer       = errors.New("spotify: server error")             // 5xx
	ErrInvalidReply = models.ErrInvalidReply                          // a success that is not what was asked for; paging.ErrInvalidReply is the same value
	ErrTooLarge     = errors.New("spotify: response too large")       // a body over the client's size cap
	ErrInvalidInput = errors.New("spotify: invalid argument")         // bad input caught before any request; bad IDs match models.ErrInvalidID too
	ErrMaybeApplied = errors.New("spotify: request may have applied") // a call not safe to repeat failed after it may have reached Spotify
)

// Error is a failed call: a non-2xx answer from Spotify, a rate limit the
// shared gate refused to wait for, or a success whose body was unusable.
//
// Message and Reason come from the server, so they are made safe when the
// Error is built: the request's access token is removed in every encoding
// a server may echo it in (raw, URL-escaped, JSON-escaped, HTML entities,
// base64), control characters are escaped, and each is cut to about 1 KiB
// (the cut is marked).
type Error struct {
	Status     int           // HTTP status; 429 for a refused wait on the gate
	Message    string        // Spotify's message, or what was wrong with the body
	Reason     string        // Spotify's reason code, e.g. QUOTA_EXCEEDED, PREMIUM_REQUIRED
	RetryAfter time.Duration // how long Spotify asked callers to wait, for 429s
	Method     string        // the request's method
	Endpoint   string        // the request's path below the base URL, without the query

	sentinel error // the class errors.Is matches, when it is not implied by Status
}

// Error says which call failed and how: method, endpoint, status, Spotify's
// message and reason, and the Retry-After wait when there is one. It never
// holds a token or a header.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("spotify: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Endpoint)
	b.WriteString(": ")
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteByte(' ')
	}
	b.WriteString(e.Message)
	if e.Reason != "" {
		b.WriteString(" (" + e.Reason + ")")
	}
	if e.RetryAfter > 0 {
		b.WriteString("; retry after " + e.RetryAfter.String())
	}
	return b.String()
}

// Is matches the sentinel of the error's class.
func (e *Error) Is(target error) bool {
	if e.sentinel != nil {
		return target == e.sentinel
	}
	switch {
	case e.Status == http.StatusBadRequest:
		return target == ErrBadRequest
	case e.Status == http.StatusUnauthorized:
		return target == ErrUnauthorized
	case e.Status == http.StatusForbidden:
		return target == ErrForbidden
	case e.Status == http.StatusNotFound:
		return target == ErrNotFound
	case e.Status == http.StatusTooManyRequests:
		// ratelimit's sentinel too, so one check serves callers that
		// use the limiter directly as well as through the client.
		return target == ErrRateLimited || target == ratelimit.ErrRateLimited
	case e.Status >= 500:
		return target == ErrServer
	}
	return false
}

// errorBody is both shapes of error Spotify sends: the Web API's object and
// the accounts service's flat form.
type errorBody struct {
	Error            jsontext.Value `json:"error"`
	ErrorDescription string         `json:"error_description"`
}

type apiError struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	Reason  string `json:"reason"`
}

// parseErrorBody fills e.Message and e.Reason from an error body, falling
// back to the status text when the body is not Spotify's (a proxy's HTML page).
func (e *Error) parseErrorBody(body []byte, contentType string) {
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil && len(eb.Error) > 0 {
		var ae apiError
		var code string
		switch {
		case json.Unmarshal(eb.Error, &ae) == nil && ae.Message != "":
			e.Message, e.Reason = ae.Message, ae.Reason
			return
		case json.Unmarshal(eb.Error, &code) == nil && code != "":
			e.Message, e.Reason = eb.ErrorDescription, code
			if e.Message == "" {
				e.Message = code
			}
			return
		}
	}
	e.Message = http.StatusText(e.Status)
	if len(body) > 0 {
		e.Message += fmt.Sprintf(" (%d-byte %s body)", len(body), mediaType(contentType))
	}
}

func mediaType(contentType string) string {
	if contentType == "" {
		return "untyped"
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.TrimSpace(mt)
}
