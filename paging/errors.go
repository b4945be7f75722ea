package paging

import (
	"strconv"
	"strings"

	"github.com/spotflow/spotflow/models"
)

// ErrInvalidReply is matched by every [Error]. It is [models.ErrInvalidReply],
// the value spotify.ErrInvalidReply also holds, so one errors.Is check
// covers a refused page whichever layer refused it.
var ErrInvalidReply = models.ErrInvalidReply

// Error is a page that cannot belong to the list being walked: longer than
// asked, empty while it links to another, with a total that lies, a next
// link that goes nowhere new, or a cursor seen before. The walk ends with
// it after delivering the items before that page, and the page's own items
// when only what follows them is in doubt. It matches [ErrInvalidReply].
type Error struct {
	Endpoint string // the list, as [WithEndpoint] named it; "" when unnamed
	Page     int    // the page's position in the walk, 1 for the first
	Offset   int    // the offset the page was asked at; -1 in cursor walks
	Reason   string // what was wrong, e.g. "empty page with a link to a next one"
}

// Error says which list, which page and what was wrong. It holds numbers
// and fixed text only, never text the server sent.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("paging: ")
	if e.Endpoint != "" {
		b.WriteString(e.Endpoint)
		b.WriteString(": ")
	}
	b.WriteString("page ")
	b.WriteString(strconv.Itoa(e.Page))
	if e.Offset >= 0 {
		b.WriteString(" (offset ")
		b.WriteString(strconv.Itoa(e.Offset))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Is reports whether target is [ErrInvalidReply].
func (e *Error) Is(target error) bool { return target == ErrInvalidReply }
