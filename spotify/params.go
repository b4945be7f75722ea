package spotify

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/spotflow/spotflow/models"
)

// ListOptions selects one page of an offset-paged list. Zero values leave
// Spotify's defaults (limit 20, offset 0).
type ListOptions struct {
	Limit  int // items per page; each endpoint documents its maximum
	Offset int // index of the first item
}

// MarketOptions selects the market for a single lookup.
type MarketOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code or "from_token"; content
	// not available there is relinked or marked unplayable. Empty uses the
	// client's default market, if any.
	Market string
}

// inputError is an ID or URI refused before any request. It matches both
// models.ErrInvalidID and ErrInvalidInput, so one check of the latter
// covers every kind of bad input.
type inputError struct{ err error }

func (e *inputError) Error() string   { return e.err.Error() }
func (e *inputError) Unwrap() []error { return []error{e.err, ErrInvalidInput} }

// parseID is models.ParseID with its error made an inputError.
func parseID(s string, kind models.Kind) (string, error) {
	id, err := models.ParseID(s, kind)
	if err != nil {
		return "", &inputError{err}
	}
	return id, nil
}

// pathID parses s as an ID of kind and escapes it for a URL path.
func pathID(s string, kind models.Kind) (string, error) {
	id, err := parseID(s, kind)
	if err != nil {
		return "", err
	}
	return url.PathEscape(id), nil
}

// parseIDs parses every ID of a batch lookup; an empty list is an error.
func parseIDs(ids []string, kind models.Kind) ([]string, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no %s IDs given", ErrInvalidInput, kind)
	}
	out := make([]string, len(ids))
	for i, s := range ids {
		id, err := parseID(s, kind)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// chunks splits ids into consecutive runs of at most n.
func chunks[T any](ids []T, n int) [][]T {
	out := make([][]T, 0, (len(ids)+n-1)/n)
	for len(ids) > n {
		out = append(out, ids[:n:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// query builds the query of one request.
type query url.Values

func (q query) set(key, value string) {
	if value != "" {
		url.Values(q).Set(key, value)
	}
}

func (q query) setInt(key string, v int) {
	if v != 0 {
		url.Values(q).Set(key, strconv.Itoa(v))
	}
}

func (q query) setList(key string, values []string) {
	if len(values) > 0 {
		url.Values(q).Set(key, strings.Join(values, ","))
	}
}

// page adds limit and offset after checking them against the endpoint's
// maximum limit.
func (q query) page(o ListOptions, maxLimit int) error {
	if o.Limit < 0 || o.Limit > maxLimit {
		return fmt.Errorf("%w: limit %d is outside 1..%d", ErrInvalidInput, o.Limit, maxLimit)
	}
	if o.Offset < 0 {
		return fmt.Errorf("%w: offset %d is negative", ErrInvalidInput, o.Offset)
	}
	q.setInt("limit", o.Limit)
	q.setInt("offset", o.Offset)
	return nil
}

// market adds the market, or the client's default when m is empty.
func (q query) market(c *Client, m string) error {
	if m == "" {
		m = c.market
	}
	if err := checkMarket(m); err != nil {
		return err
	}
	q.set("market", m)
	return nil
}

// checkMarket accepts "", "from_token" and two-letter country codes.
func checkMarket(m string) error {
	if m == "" || m == "from_token" {
		return nil
	}
	if len(m) != 2 || m[0] < 'A' || m[0] > 'Z' || m[1] < 'A' || m[1] > 'Z' {
		return fmt.Errorf("%w: market %q is not an ISO 3166-1 alpha-2 code or from_token", ErrInvalidInput, m)
	}
	return nil
}

// values returns q for a request, nil when empty.
func (q query) values() url.Values {
	if len(q) == 0 {
		return nil
	}
	return url.Values(q)
}

// derefOr returns *p, or the zero value for nil.
func derefOr[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
