package models

import (
	"fmt"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// A list in an answer is refused before its elements are decoded when it
// holds more than the request could produce: a page more items than its
// limit, a batch more entries than IDs asked. The targets below carry that
// bound into the decoder; the bound is checked as each element starts, so
// no element past it is ever allocated.

// MaxPageItems is the most items a page may hold when nothing tighter is
// known, as in a page nested in another object: the largest limit any
// Spotify endpoint accepts.
const MaxPageItems = 100

// UnmarshalJSONFrom decodes a page, refusing one of more than
// [MaxPageItems] items with a [LimitError]; use [Page.Within] when the
// limit asked is known.
func (p *Page[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return p.decode(dec, MaxPageItems)
}

// Within returns a decoding target for p that refuses, with a
// [LimitError], a page of more than n items before decoding item n+1.
// Decode into it with [Unmarshal]: it fills p.
func (p *Page[T]) Within(n int) json.UnmarshalerFrom {
	return &pageWithin[T]{p: p, n: n}
}

type pageWithin[T any] struct {
	p *Page[T]
	n int
}

func (w *pageWithin[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return w.p.decode(dec, w.n)
}

// pageFields is Page with a bounded list of items: Page's own decoding.
// TestPageTwinsMatch keeps its members in step with Page's.
type pageFields[T any] struct {
	Href     string         `json:"href"`
	Items    bounded[T]     `json:"items"`
	Limit    int            `json:"limit"`
	Next     string         `json:"next"`
	Offset   int            `json:"offset"`
	Previous string         `json:"previous"`
	Total    int            `json:"total"`
	Extra    jsontext.Value `json:",unknown"`
}

func (p *Page[T]) decode(dec *jsontext.Decoder, n int) error {
	f := pageFields[T]{Items: bounded[T]{max: n, what: "items"}}
	if err := json.UnmarshalDecode(dec, &f); err != nil {
		return err
	}
	*p = Page[T]{Href: f.Href, Items: f.Items.v, Limit: f.Limit, Next: f.Next, Offset: f.Offset,
		Previous: f.Previous, Total: f.Total, Extra: f.Extra}
	return nil
}

// UnmarshalJSONFrom decodes a cursor page, refusing one of more than
// [MaxPageItems] items with a [LimitError]; use [CursorPage.Within] when
// the limit asked is known.
func (p *CursorPage[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return p.decode(dec, MaxPageItems)
}

// Within returns a decoding target for p that refuses, with a
// [LimitError], a page of more than n items before decoding item n+1.
// Decode into it with [Unmarshal]: it fills p.
func (p *CursorPage[T]) Within(n int) json.UnmarshalerFrom {
	return &cursorPageWithin[T]{p: p, n: n}
}

type cursorPageWithin[T any] struct {
	p *CursorPage[T]
	n int
}

func (w *cursorPageWithin[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return w.p.decode(dec, w.n)
}

// cursorPageFields is CursorPage with a bounded list of items, kept in step
// with it by TestPageTwinsMatch.
type cursorPageFields[T any] struct {
	Href    string         `json:"href"`
	Items   bounded[T]     `json:"items"`
	Limit   int            `json:"limit"`
	Next    string         `json:"next"`
	Cursors Cursors        `json:"cursors"`
	Total   int            `json:"total"`
	Extra   jsontext.Value `json:",unknown"`
}

func (p *CursorPage[T]) decode(dec *jsontext.Decoder, n int) error {
	f := cursorPageFields[T]{Items: bounded[T]{max: n, what: "items"}}
	if err := json.UnmarshalDecode(dec, &f); err != nil {
		return err
	}
	*p = CursorPage[T]{Href: f.Href, Items: f.Items.v, Limit: f.Limit, Next: f.Next, Cursors: f.Cursors,
		Total: f.Total, Extra: f.Extra}
	return nil
}

// ListWithin returns a decoding target for a JSON array, or null, that
// refuses, with a [LimitError], an array of more than n elements before
// decoding element n+1. Decoding fills *list. It is how a batch answer is
// held to the IDs asked for; wrap it in [Members] for an array under a
// member.
func ListWithin[T any](list *[]T, n int) json.UnmarshalerFrom {
	return &listWithin[T]{list: list, n: n}
}

type listWithin[T any] struct {
	list *[]T
	n    int
}

func (w *listWithin[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	b := bounded[T]{max: w.n, what: "elements"}
	if err := b.UnmarshalJSONFrom(dec); err != nil {
		return err
	}
	*w.list = b.v
	return nil
}

// bounded is a list that refuses to grow past max elements while it is
// decoded.
type bounded[T any] struct {
	v    []T
	max  int
	what string // "items", "elements": for the error
}

func (b *bounded[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	b.v = nil
	if dec.PeekKind() != '[' {
		return json.UnmarshalDecode(dec, &b.v) // null, or the usual error
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != ']' {
		if len(b.v) == b.max {
			return &LimitError{Reason: fmt.Sprintf("more than the %d %s asked for", b.max, b.what)}
		}
		var zero T
		b.v = append(b.v, zero)
		if err := json.UnmarshalDecode(dec, &b.v[len(b.v)-1]); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// Members returns a decoding target for a JSON object, or null, that
// decodes the members targets names, each into its own target (a pointer
// to a model, or a target such as [Page.Within]), and skips the others
// without decoding them. It is how one member of a wrapped answer, such as
// the page under "albums", is decoded with a bound.
func Members(targets map[string]any) json.UnmarshalerFrom {
	return &members{targets: targets}
}

type members struct {
	targets map[string]any
}

func (m *members) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch k := dec.PeekKind(); k {
	case 'n':
		_, err := dec.ReadToken()
		return err
	case '{':
	default:
		_, err := dec.ReadValue() // the syntax error, if any
		if err == nil {
			err = fmt.Errorf("models: %v where an object was expected", k)
		}
		return err
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return err
		}
		target := m.targets[name.String()]
		if target == nil {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if err := json.UnmarshalDecode(dec, target); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// footprint is the largest of its targets'.
func (m *members) footprint() (unit, slot int) {
	unit, slot = 1, 1
	for _, target := range m.targets {
		u, s := footprint(target)
		unit, slot = max(unit, u), max(slot, s)
	}
	return unit, slot
}
