package models

import (
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decodeStream decodes body in tolerant mode through a reader-backed
// decoder, whose buffer does not hold large objects whole, so that the
// look-ahead of [Playable] takes its slow path.
func decodeStream(body string, v any) error {
	dec := jsontext.NewDecoder(strings.NewReader(body), tolerant)
	return json.UnmarshalDecode(dec, v)
}
