package models

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Unmarshal decodes a Spotify response body into v. It never retains data
// after it returns, so callers may reuse the buffer.
//
// It first checks the body against [DecodeBudget] (see [UnmarshalWithin]).
// It then decodes strictly, which is the fast path. When that fails, v is
// reset to its zero value (v must be a non-nil pointer, as for any
// decoding; a target with its own decoding, such as [Page.Within], resets
// what it fills itself) and the body is decoded again in tolerant mode,
// which accepts what Spotify is known to send besides the documented shapes:
// integers written as floats (2.0, 1.1113535E7) or as quoted numbers,
// numbers where strings are expected, duplicate member names and invalid
// UTF-8. Nulls for arrays, objects, strings and numbers are accepted in
// both modes and decode as zero values.
func Unmarshal(data []byte, v any) error {
	return UnmarshalWithin(data, v, DecodeBudget)
}

// UnmarshalWithin is [Unmarshal] with a budget: before decoding anything,
// it refuses with a [LimitError] (matching [ErrInvalidReply]) a body that
// could decode to more than budget bytes, whose arrays hold more than
// [MaxArray] elements, or that nests deeper than the decoder allows. The
// estimate is an upper bound made from counts of the body's objects,
// nulls, commas and brackets and the sizes of the types v can hold; bodies
// too small to reach the budget in any shape are not counted. A page or a
// list with more elements than its target's bound ([MaxPageItems],
// [Page.Within], [ListWithin]) is refused while decoding, before the
// element past the bound is allocated.
func UnmarshalWithin(data []byte, v any, budget int64) error {
	if err := checkBudget(data, v, budget); err != nil {
		return err
	}
	err := json.Unmarshal(data, v, strict)
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrInvalidReply) {
		return err // a limit: decoding again would refuse it again
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return err
	}
	if _, ok := v.(json.UnmarshalerFrom); !ok {
		rv.Elem().SetZero()
	}
	if err2 := json.Unmarshal(data, v, tolerant); err2 != nil {
		return err2
	}
	return nil
}

// Marshal encodes v the way Spotify would, including undeclared fields that
// were kept while decoding. What tolerant decoding let through is written
// back: duplicate member names as they came, invalid UTF-8 as U+FFFD.
func Marshal(v any) ([]byte, error) {
	return json.Marshal(v, lenient)
}

// lenient holds the options of Marshal.
var lenient = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// strict holds the options of the first, fast decoding pass. Duplicate
// member names are allowed (the last wins) as checking them costs about 5%
// of the decoding time and guards against nothing in a response body.
var strict = jsontext.AllowDuplicateNames(true)

// tolerant holds the options of the second, forgiving decoding pass.
var tolerant = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
	json.WithUnmarshalers(json.JoinUnmarshalers(
		json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *int) error {
			n, err := looseInt(dec, strconv.IntSize)
			*v = int(n)
			return err
		}),
		json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *int64) error {
			n, err := looseInt(dec, 64)
			*v = n
			return err
		}),
		json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *Key) error {
			n, err := looseInt(dec, strconv.IntSize)
			*v = Key(n)
			return err
		}),
		json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *Mode) error {
			n, err := looseInt(dec, strconv.IntSize)
			*v = Mode(n)
			return err
		}),
		json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *TimeSignature) error {
			n, err := looseInt(dec, strconv.IntSize)
			*v = TimeSignature(n)
			return err
		}),
		json.UnmarshalFromFunc(looseString),
	)),
)

// looseInt reads a number or a quoted number and returns it as an integer,
// truncating a fraction. Other kinds are left to the default decoding.
func looseInt(dec *jsontext.Decoder, bits int) (int64, error) {
	switch dec.PeekKind() {
	case '0', '"':
	default:
		return 0, json.SkipFunc
	}
	val, err := dec.ReadValue()
	if err != nil {
		return 0, err
	}
	s := string(val)
	if val.Kind() == '"' {
		b, err := jsontext.AppendUnquote(nil, val)
		if err != nil {
			return 0, err
		}
		if len(b) == 0 {
			return 0, nil
		}
		s = string(b)
	}
	if n, err := strconv.ParseInt(s, 10, bits); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	limit := math.Ldexp(1, bits-1)
	if err != nil || math.IsNaN(f) || f >= limit || f < -limit {
		return 0, fmt.Errorf("models: %s is not an integer of %d bits", s, bits)
	}
	return int64(f), nil
}

// looseString accepts a number or boolean where a string is expected and
// keeps its literal text.
func looseString(dec *jsontext.Decoder, v *string) error {
	switch dec.PeekKind() {
	case '0', 't', 'f':
	default:
		return json.SkipFunc
	}
	val, err := dec.ReadValue()
	if err != nil {
		return err
	}
	*v = string(val)
	return nil
}
