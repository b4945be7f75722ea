package spotify

import "net/http"

// operation is one operation of the Web API contract, declared once in its
// service's file beside the method that carries its //spotify:operation
// directive. Every request carries its operation; TestOperations checks the
// declarations against the contract and the methods that use them.
type operation struct {
	id     string // the contract's operationId, e.g. "get-track"
	method string // the HTTP method
	// route is the path template below /v1 as the contract writes it,
	// e.g. "/tracks/{id}". It never holds an ID, so spans, metrics and
	// logs may name a call by it.
	route string
	// repeat says, for POST, PUT and DELETE, whether sending the request
	// again after a failure that may have reached the server is safe.
	// GETs are safe by nature and leave it unset.
	repeat repeatClass
}

// repeatClass is whether a change may be sent again when an attempt failed
// after it may have reached the server (a 5xx, a reset, a cut body, a
// timeout), so that it may or may not have been applied.
type repeatClass uint8

const (
	// repeatUndeclared is the zero value; it is treated as not safe.
	repeatUndeclared repeatClass = iota
	// repeatSafe: a repeat leaves the same state as one request (saving,
	// following, setting a value, replacing a whole).
	repeatSafe
	// repeatUnsafe: a repeat may apply the change twice (adding, moving,
	// skipping, creating).
	repeatUnsafe
)

// safeToRepeat reports whether a request of op may be sent again after a
// failure that left its effect unknown.
func (op *operation) safeToRepeat() bool {
	switch op.method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return op.repeat == repeatSafe
}
