package models

import (
	"errors"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Time is a point in time that Spotify sends as an ISO 8601 string (added_at,
// played_at). It accepts a zone offset or none (taken as UTC), fractional
// seconds, a bare date, unix milliseconds as a number, and null or "" (the
// zero Time). It encodes as RFC 3339 in UTC, and the zero Time as null.
type Time struct {
	time.Time
}

// UnixMillis is a point in time that Spotify sends as unix milliseconds
// (timestamp). It accepts the same forms as [Time] and encodes as an integer
// of milliseconds; the zero UnixMillis encodes as 0.
type UnixMillis struct {
	time.Time
}

var errTime = errors.New("models: not a time")

// UnmarshalJSONFrom decodes a time string, number or null.
func (t *Time) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	val, err := dec.ReadValue()
	if err != nil {
		return err
	}
	t.Time, err = parseTimeValue(val)
	return err
}

// UnmarshalJSON decodes a time string, number or null; it lets encoding/json
// decode models too.
func (t *Time) UnmarshalJSON(b []byte) (err error) {
	t.Time, err = parseTimeValue(b)
	return err
}

// MarshalJSONTo encodes t as an RFC 3339 string, or null when zero.
func (t Time) MarshalJSONTo(enc *jsontext.Encoder) error {
	return enc.WriteValue(t.appendJSON(nil))
}

// MarshalJSON encodes t as an RFC 3339 string, or null when zero.
func (t Time) MarshalJSON() ([]byte, error) { return t.appendJSON(nil), nil }

func (t Time) appendJSON(b []byte) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// UnmarshalJSONFrom decodes a number of milliseconds, a time string or null.
func (t *UnixMillis) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	val, err := dec.ReadValue()
	if err != nil {
		return err
	}
	t.Time, err = parseTimeValue(val)
	return err
}

// UnmarshalJSON decodes a number of milliseconds, a time string or null; it
// lets encoding/json decode models too.
func (t *UnixMillis) UnmarshalJSON(b []byte) (err error) {
	t.Time, err = parseTimeValue(b)
	return err
}

// MarshalJSONTo encodes t as an integer of unix milliseconds.
func (t UnixMillis) MarshalJSONTo(enc *jsontext.Encoder) error {
	return enc.WriteValue(t.appendJSON(nil))
}

// MarshalJSON encodes t as an integer of unix milliseconds.
func (t UnixMillis) MarshalJSON() ([]byte, error) { return t.appendJSON(nil), nil }

func (t UnixMillis) appendJSON(b []byte) []byte {
	if t.IsZero() {
		return append(b, '0')
	}
	return strconv.AppendInt(b, t.UnixMilli(), 10)
}

// parseTimeValue parses a JSON value holding a time.
func parseTimeValue(val []byte) (time.Time, error) {
	val = trimSpace(val)
	if len(val) == 0 {
		return time.Time{}, errTime
	}
	switch c := val[0]; {
	case c == 'n':
		return time.Time{}, nil
	case c == '"':
		s := val[1 : len(val)-1]
		for _, b := range s {
			if b == '\\' {
				u, err := jsontext.AppendUnquote(nil, val)
				if err != nil {
					return time.Time{}, errTime
				}
				s = u
				break
			}
		}
		return parseTime(s)
	case c == '-' || c >= '0' && c <= '9':
		f, err := strconv.ParseFloat(string(val), 64)
		if err != nil {
			return time.Time{}, errTime
		}
		if f == 0 {
			return time.Time{}, nil
		}
		return time.UnixMilli(int64(f)).UTC(), nil
	}
	return time.Time{}, errTime
}

func trimSpace(b []byte) []byte {
	i := skipSpace(b, 0)
	j := len(b)
	for j > i && (b[j-1] == ' ' || b[j-1] == '\n' || b[j-1] == '\r' || b[j-1] == '\t') {
		j--
	}
	return b[i:j]
}

// parseTime parses the forms Spotify uses. The common one,
// 2006-01-02T15:04:05Z with optional fraction, is parsed by hand without
// allocating; the rest go through time.Parse.
func parseTime(s []byte) (time.Time, error) {
	if len(s) == 0 {
		return time.Time{}, nil
	}
	if t, ok := parseTimeFast(s); ok {
		return t, nil
	}
	str := string(s)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, str); err == nil {
			return t, nil
		}
	}
	if n, err := strconv.ParseInt(str, 10, 64); err == nil {
		return time.UnixMilli(n).UTC(), nil
	}
	return time.Time{}, errTime
}

// timeLayouts are tried in order; layouts without a zone parse as UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// parseTimeFast parses YYYY-MM-DDTHH:MM:SS[.fff]Z.
func parseTimeFast(s []byte) (time.Time, bool) {
	if len(s) < 20 || s[len(s)-1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	nsec := 0
	if rest := s[19 : len(s)-1]; len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return time.Time{}, false
		}
		frac, ok := digits(rest[1:])
		if !ok {
			return time.Time{}, false
		}
		nsec = frac
		for range 9 - (len(rest) - 1) {
			nsec *= 10
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

// digits parses a run of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
