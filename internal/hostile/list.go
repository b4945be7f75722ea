// Package hostile serves lists the way a wrong server would, for the
// property tests and fuzz targets of the walkers: pages shorter or longer
// than asked, empty pages, totals that lie or are missing, next links that
// loop. A [List] is a ground truth (the items 0..Len-1) plus the faults of
// its server, which are decided per page offset from a seed, so that every
// walker asking the same offset gets the same page whatever the order of
// its requests.
//
// Only tests import this package.
package hostile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Fault is one way a page can be wrong.
type Fault uint8

const (
	Short    Fault = 1 << iota // fewer items than asked before the end, with a next link
	Long                       // more items than asked
	Empty                      // no item before the end, with a next link
	NextLoop                   // a next link back to the page's own offset
	NextBack                   // a next link to an offset before the page's
)

// Benign reports whether a list whose pages have only faults f must still
// be walked whole: a short page says where the list goes on.
func (f Fault) Benign() bool { return f&^Short == 0 }

// TotalMode is what the pages say the total is.
type TotalMode uint8

const (
	TotalTrue     TotalMode = iota
	TotalHigh               // more than Len: by a little, or absurdly
	TotalLow                // less than Len, when Len > 0
	TotalMissing            // 0, as when the member is absent
	TotalNegative           // -5
)

// List is a list of the ints 0..Len-1 and the faults its server makes.
type List struct {
	Seed   uint64
	Len    int
	Start  int       // where the walk starts
	Limit  int       // items each request asks for
	Cap    int       // the server never returns more than this many (0: no cap); a legal shortening
	Total  TotalMode // what every page says the total is
	High   int       // the total given under TotalHigh
	Faults Fault     // the kinds of fault the server makes
	Rate   float64   // the chance that a page has one of them
	Opaque bool      // next links carry no offset and never change: the second page repeats the first's
}

// Random draws a list: lengths from 0 to 5,000 (spread so that short and
// long lists both come often), every total mode, and on most lists a few
// faults of random kinds at random offsets.
func Random(r *rand.Rand) List {
	l := List{Seed: r.Uint64(), Limit: pick(r, 1, 2, 3, 5, 10, 20, 37, 50)}
	if r.IntN(10) > 0 {
		l.Len = int(math.Exp(r.Float64()*math.Log(5001))) - 1
	}
	if r.IntN(5) == 0 {
		l.Start = r.IntN(l.Len + 1)
	}
	if r.IntN(10) == 0 {
		l.Cap = 1 + r.IntN(l.Limit)
	}
	switch x := r.IntN(20); {
	case x < 8:
		l.Total = TotalTrue
	case x < 11:
		l.Total, l.High = TotalHigh, l.Len+1+r.IntN(100)
		if r.IntN(3) == 0 {
			l.High = pick(r, 1_000_000_000, math.MaxInt64, math.MaxInt32)
		}
	case x < 14:
		l.Total = TotalLow
	case x < 19:
		l.Total = TotalMissing
	default:
		l.Total = TotalNegative
	}
	if r.IntN(10) >= 3 {
		l.Rate = 0.02 + r.Float64()*0.1
		for l.Faults == 0 {
			l.Faults = Fault(r.IntN(32))
		}
	}
	l.Opaque = r.IntN(20) == 0
	return l
}

func pick(r *rand.Rand, v ...int) int { return v[r.IntN(len(v))] }

// FromFuzz builds a list from numbers a fuzzer chose: a length up to 5,000,
// a limit up to 50, the total mode and whether next links are opaque (total),
// the kinds of fault and whether the server caps its pages (faults), the
// rate of faults (rate/512) and the start offset.
func FromFuzz(seed uint64, n uint16, limit, total, faults, rate uint8, start uint16) List {
	l := List{
		Seed:   seed,
		Len:    int(n % 5001),
		Limit:  1 + int(limit%50),
		Total:  TotalMode(total % 5),
		Faults: Fault(faults % 32),
		Rate:   float64(rate) / 512,
		Opaque: total&0x80 != 0,
	}
	l.Start = int(start) % (l.Len + 1)
	if l.Total == TotalHigh {
		l.High = l.Len + 1 + int(seed%1000)
	}
	if faults&0x80 != 0 {
		l.Cap = 1 + int(seed%uint64(l.Limit))
	}
	return l
}

// String describes the list for a failure message.
func (l List) String() string {
	return fmt.Sprintf("list{seed %d, len %d, start %d, limit %d, cap %d, total mode %d (high %d), faults %05b at %.2f, opaque %v}",
		l.Seed, l.Len, l.Start, l.Limit, l.Cap, l.Total, l.High, l.Faults, l.Rate, l.Opaque)
}

// MustComplete reports whether a correct walker delivers the whole list
// without error: its faults are benign and its totals do not contradict the
// items.
func (l List) MustComplete() bool {
	perPage := l.Limit
	if l.Cap > 0 {
		perPage = min(perPage, l.Cap)
	}
	switch {
	case l.Opaque && (l.Len-l.Start > perPage || l.Rate > 0): // a second page repeats the link
		return false
	case l.Rate > 0 && !l.Faults.Benign():
		return false
	}
	switch l.Total {
	case TotalTrue, TotalMissing:
		return true
	case TotalHigh:
		return l.High <= 10_000_000 // paging.DefaultMaxItems
	case TotalLow:
		return l.Len == 0 // otherwise a page runs past it
	}
	return false // a negative total is refused on the first page
}

// Page is one answer of the list's server.
type Page struct {
	Items []int
	Next  string
	Total int
}

// Page answers a request for limit items at offset.
func (l List) Page(offset, limit int) Page {
	r := rand.New(rand.NewPCG(l.Seed, uint64(offset)))
	n := limit
	if l.Cap > 0 {
		n = min(n, l.Cap)
	}
	n = max(0, min(n, l.Len-offset))
	fault := l.fault(r)
	switch {
	case fault == Short && n >= 2:
		n = 1 + r.IntN(n-1)
	case fault == Empty && n > 0:
		n = 0
	case fault == Long:
		n = limit + 1 + r.IntN(3)
	}
	p := Page{Total: l.total()}
	for i := range n {
		p.Items = append(p.Items, offset+i) // past Len when long: never delivered by a correct walker
	}
	if offset+n < l.Len || (fault == Empty && offset < l.Len) {
		p.Next = l.link(r, offset, limit, n, fault)
	}
	return p
}

// fault draws the page's fault, if any.
func (l List) fault(r *rand.Rand) Fault {
	if l.Faults&(1<<5-1) == 0 || l.Rate == 0 || r.Float64() >= l.Rate {
		return 0
	}
	for {
		f := Fault(1) << r.IntN(5)
		if l.Faults&f != 0 {
			return f
		}
	}
}

func (l List) total() int {
	switch l.Total {
	case TotalTrue:
		return l.Len
	case TotalHigh:
		return l.High
	case TotalLow:
		return max(0, l.Len-1-int(l.Seed%uint64(max(1, l.Len))))
	case TotalNegative:
		return -5
	}
	return 0
}

// link returns the next link of a page at offset that holds n items: at
// the offset after them, or, on half of the servers, at offset+limit, as
// Spotify writes it.
func (l List) link(r *rand.Rand, offset, limit, n int, fault Fault) string {
	switch {
	case l.Opaque:
		return "https://api.example/v1/list?page=next"
	case fault == NextLoop:
		return linkTo(offset, limit)
	case fault == NextBack:
		return linkTo(max(0, offset-1-r.IntN(limit)), limit)
	case l.Seed%2 == 0: // one style per server
		return linkTo(offset+limit, limit)
	}
	return linkTo(offset+max(n, 1), limit)
}

func linkTo(offset, limit int) string {
	return fmt.Sprintf("https://api.example/v1/list?offset=%d&limit=%d", offset, limit)
}

// Check verifies what a walk of the list delivered: the items from Start
// on, in order, each once; all of them unless the walk ended with an error
// that invalid accepts (a check of errors.Is against ErrInvalidReply), and
// all of them without error when the list [List.MustComplete].
func (l List) Check(got []int, err error, invalid func(error) bool) error {
	for i, v := range got {
		if v != l.Start+i {
			return fmt.Errorf("item %d is %d, want %d (items %s)", i, v, l.Start+i, head(got, i))
		}
	}
	want := max(0, l.Len-l.Start)
	switch {
	case len(got) > want:
		return fmt.Errorf("%d items delivered, the list has %d from %d", len(got), want, l.Start)
	case err != nil && !invalid(err):
		return fmt.Errorf("after %d of %d items: error %v does not match ErrInvalidReply", len(got), want, err)
	case err == nil && len(got) != want:
		return fmt.Errorf("%d of %d items and no error", len(got), want)
	case err != nil && l.MustComplete():
		return fmt.Errorf("after %d of %d items: error %v on a list that must be walked whole", len(got), want, err)
	}
	return nil
}

// head shows got around index i.
func head(got []int, i int) string {
	lo, hi := max(0, i-3), min(len(got), i+4)
	var b strings.Builder
	fmt.Fprintf(&b, "[%d:%d] = %v", lo, hi, got[lo:hi])
	return b.String()
}
