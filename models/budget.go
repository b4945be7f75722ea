package models

import (
	"bytes"
	"fmt"
	"reflect"
)

// Decoding has a budget, checked before anything is decoded: an answer
// within the client's byte cap must not make the client hold much more
// than the cap, whatever its shape. A 16 MiB body of empty objects
// ({"items":[{},{},...]}) would otherwise decode into 5.6 million models.
const (
	// DecodeBudget is the most bytes [Unmarshal] lets an answer decode
	// to: three times the client's default 16 MiB byte cap. The client
	// gives [UnmarshalWithin] three times its own cap.
	DecodeBudget = 48 << 20

	// MaxArray is the most elements any array of an answer may hold. The
	// longest arrays Spotify sends are the segments of an audio analysis,
	// a few thousand for an hour of audio.
	MaxArray = 100_000

	// maxDepth is how deeply an answer's arrays and objects may nest, as
	// the decoder itself allows.
	maxDepth = 10_000
)

// The costs the estimate assumes when it does not look at the target's
// type: the largest model (a full track is about 830 bytes) and the
// largest slot an array of scalars can hold (a string header).
const (
	anyUnit = 1024
	anySlot = 16
)

// LimitError is an answer refused by a decoding limit: larger than its
// budget, with an array longer than [MaxArray], nested too deeply, or with
// a list longer than the request could produce. It matches
// [ErrInvalidReply].
type LimitError struct {
	Reason string // what was over which limit
}

func (e *LimitError) Error() string { return "models: answer refused: " + e.Reason }

// Is reports whether target is [ErrInvalidReply].
func (e *LimitError) Is(target error) bool { return target == ErrInvalidReply }

// checkBudget refuses data before it is decoded into v when decoding could
// hold more than budget bytes, or when an array of it holds more than
// MaxArray elements.
//
// Decoding allocates per JSON object at most the largest type a slice,
// pointer or map of v's type holds (its unit), per array element that is
// not an object at most the largest scalar, pointer or header a slice
// holds (its slot, which is also what a null element costs in a slice of
// pointers), and for strings and raw values at most the bytes they came
// from. The estimate counts objects, nulls, commas and brackets (the
// counts run at memory speed) and triples what slices hold, for their
// growth and the arrays they leave behind. Small answers skip the counts:
// they cannot reach the budget whatever their shape. The type is only
// looked at when the rough estimate, made with the costs of the largest
// models, is over the budget.
func checkBudget(data []byte, v any, budget int64) error {
	n := int64(len(data))
	if n*(3*(anyUnit/2+anySlot)+2) <= budget && n <= 2*MaxArray {
		return nil // even all "{}" could not reach it, nor "0,0,..." hold MaxArray elements
	}
	c := count(data)
	est := c.estimate(n, anyUnit, anySlot)
	if est > budget {
		c.nulls = int64(bytes.Count(data, []byte("null"))) // exact where the bound is not enough
		est = c.estimate(n, anyUnit, anySlot)
	}
	if est > budget {
		unit, slot := footprint(v)
		if est = c.estimate(n, int64(unit), int64(slot)); est > budget {
			return &LimitError{Reason: fmt.Sprintf("%d bytes could decode to %d, over the budget of %d", n, est, budget)}
		}
	}
	if c.commas+c.arrays > MaxArray {
		return checkArrays(data)
	}
	return nil
}

// counts are upper bounds of what a body holds.
type counts struct {
	objects, nulls, commas, arrays int64
}

// count counts single bytes, which runs at memory speed; nulls are bounded
// by half the letters 'l', as counting "null" itself takes several times
// longer than the other three counts together.
func count(data []byte) counts {
	return counts{
		objects: int64(bytes.Count(data, []byte{'{'})),
		nulls:   int64(bytes.Count(data, []byte{'l'}) / 2),
		commas:  int64(bytes.Count(data, []byte{','})),
		arrays:  int64(bytes.Count(data, []byte{'['})),
	}
}

// estimate bounds what a body of n bytes with counts c decodes to, given
// the cost of an object (unit) and of an array slot (slot).
func (c counts) estimate(n, unit, slot int64) int64 {
	return 3*((c.objects+c.nulls)*unit+(c.commas+c.arrays)*slot) + 2*n
}

// checkArrays refuses data if one of its arrays holds more than MaxArray
// elements, or if it nests deeper than the decoder allows. It scans the
// bytes once, skipping strings.
func checkArrays(data []byte) error {
	var stack []int32 // per open container: commas so far, or -1 for an object
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			i = skipString(data, i)
		case '[', '{':
			if len(stack) == maxDepth {
				return &LimitError{Reason: fmt.Sprintf("nested deeper than %d", maxDepth)}
			}
			c := int32(0)
			if data[i] == '{' {
				c = -1
			}
			stack = append(stack, c)
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if k := len(stack) - 1; k >= 0 && stack[k] >= 0 {
				if stack[k]++; stack[k] >= MaxArray {
					return &LimitError{Reason: fmt.Sprintf("an array of more than %d elements", MaxArray)}
				}
			}
		}
	}
	return nil
}

// skipString returns the index of the quote that closes the string
// opening at data[i], or len(data) when there is none.
func skipString(data []byte, i int) int {
	for {
		j := bytes.IndexByte(data[i+1:], '"')
		if j < 0 {
			return len(data)
		}
		i += 1 + j
		backslashes := 0
		for k := i - 1; k >= 0 && data[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return i
		}
	}
}

// footprinter is a decoding target that knows its own footprint, such as
// the one of [Members], whose targets an interface hides from reflection.
type footprinter interface {
	footprint() (unit, slot int)
}

// footprint returns the unit and slot of decoding into v: the largest type
// a slice, pointer or map reachable from v's type holds, and the largest
// slice element that is not a struct. The value v points to is the
// caller's, not the decoder's: it is not counted. An interface could hold
// anything: it costs what the largest model does.
func footprint(v any) (unit, slot int) {
	if f, ok := v.(footprinter); ok {
		return f.footprint()
	}
	t := reflect.TypeOf(v)
	if t == nil {
		return 1, 1
	}
	seen := make(map[reflect.Type]bool)
	var walk func(t reflect.Type, held bool)
	walk = func(t reflect.Type, held bool) {
		if held && t.Kind() == reflect.Struct {
			unit = max(unit, int(t.Size()))
		}
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer:
			walk(t.Elem(), true)
		case reflect.Slice:
			if e := t.Elem(); e.Kind() != reflect.Struct {
				slot = max(slot, int(e.Size()))
			}
			walk(t.Elem(), true)
		case reflect.Map:
			slot = max(slot, int(t.Key().Size()+t.Elem().Size()))
			walk(t.Key(), true)
			walk(t.Elem(), true)
		case reflect.Array:
			walk(t.Elem(), false)
		case reflect.Struct:
			for i := range t.NumField() {
				walk(t.Field(i).Type, false)
			}
		case reflect.Interface:
			unit, slot = max(unit, anyUnit), max(slot, anySlot)
		}
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	walk(t, false)
	return max(unit, 1), max(slot, 1)
}
