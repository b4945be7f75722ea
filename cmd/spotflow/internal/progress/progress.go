// Package progress shows how far long-running work has got: live bars
// (github.com/vbauerster/mpb/v8) when the output is a terminal, plain lines
// at a steady interval when it is not (a CI log, a file, a pipe).
package progress

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8/cwriter"
)

// Mode says how progress is shown.
type Mode int

// The modes. Auto picks Bars for a terminal and Lines otherwise.
const (
	Auto Mode = iota
	Bars
	Lines
	Off
)

// ParseMode reads a mode as the command line spells it: auto, bars, lines
// or off.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Auto, nil
	case "bars":
		return Bars, nil
	case "lines":
		return Lines, nil
	case "off", "none":
		return Off, nil
	}
	return Auto, fmt.Errorf("unknown progress mode %q (want auto, bars, lines or off)", s)
}

// IsTerminal reports whether w is a terminal. Only an *os.File can be one;
// the check is mpb's own, so bars are drawn exactly when mpb would draw them.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && cwriter.IsTerminal(int(f.Fd()))
}

// Resolve turns Auto into Bars or Lines for w. A terminal that reports no
// width (some CI runners' pseudo-terminals) gets Lines: mpb would draw
// nothing on it.
func Resolve(m Mode, w io.Writer) Mode {
	if m != Auto {
		return m
	}
	if IsTerminal(w) {
		if cols, _, err := cwriter.GetSize(int(w.(*os.File).Fd())); err == nil && cols > 0 {
			return Bars
		}
	}
	return Lines
}

// DefaultInterval is how often Lines mode prints a line per running task.
const DefaultInterval = 2 * time.Second

// Group is a set of tasks shown together. Its methods are safe for
// concurrent use. Close it once the work is over, whatever the outcome.
type Group struct {
	view  view
	close sync.Once

	mu    sync.Mutex
	tasks []*Task
}

// view is how a group is drawn: bars, lines or nothing.
type view interface {
	add(t *Task)
	update(t *Task)
	finish(t *Task)
	close()
}

// Option configures a Group.
type Option func(*options)

type options struct {
	interval time.Duration
	width    int
}

// WithInterval sets how often Lines mode prints (default DefaultInterval).
func WithInterval(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.interval = d
		}
	}
}

// WithWidth sets the width of the bars' line (default: the terminal's).
func WithWidth(n int) Option {
	return func(o *options) { o.width = n }
}

// New starts a group drawing on w in mode m (Auto is resolved against w).
// Rendering stops when Close is called or ctx ends.
func New(ctx context.Context, w io.Writer, m Mode, opts ...Option) *Group {
	o := options{interval: DefaultInterval}
	for _, opt := range opts {
		opt(&o)
	}
	g := &Group{}
	switch Resolve(m, w) {
	case Bars:
		g.view = newBarView(ctx, w, o)
	case Lines:
		g.view = newLineView(ctx, w, o, g.snapshot)
	default:
		g.view = nopView{}
	}
	return g
}

// Add starts a task named name counting unit ("items", "tracks") towards
// total; a total of 0 means unknown until SetTotal or Done.
func (g *Group) Add(name, unit string, total int64) *Task {
	t := &Task{g: g, name: name, unit: unit, total: total, start: time.Now()}
	g.mu.Lock()
	g.tasks = append(g.tasks, t)
	g.mu.Unlock()
	g.view.add(t)
	return t
}

// Close ends every task still running as aborted and stops drawing; it
// returns once the output is complete. It is safe to call more than once.
func (g *Group) Close() {
	g.close.Do(func() {
		for _, t := range g.snapshot() {
			t.finishAs(false)
		}
		g.view.close()
	})
}

func (g *Group) snapshot() []*Task {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*Task(nil), g.tasks...)
}

// Task is one counter of a group.
type Task struct {
	g     *Group
	name  string
	unit  string
	start time.Time

	mu       sync.Mutex
	current  int64
	total    int64
	ended    bool
	ok       bool
	duration time.Duration
}

// Add counts n more done.
func (t *Task) Add(n int) {
	if t == nil || n == 0 {
		return
	}
	t.mu.Lock()
	if t.ended {
		t.mu.Unlock()
		return
	}
	t.current += int64(n)
	t.mu.Unlock()
	t.g.view.update(t)
}

// SetTotal sets how many there are in all, once it is known.
func (t *Task) SetTotal(n int64) {
	if t == nil {
		return
	}
	t.mu.Lock()
	if t.ended {
		t.mu.Unlock()
		return
	}
	t.total = n
	t.mu.Unlock()
	t.g.view.update(t)
}

// AddTotal raises the total by n, for work discovered as it goes.
func (t *Task) AddTotal(n int) {
	if t == nil {
		return
	}
	t.mu.Lock()
	if t.ended {
		t.mu.Unlock()
		return
	}
	t.total += int64(n)
	t.mu.Unlock()
	t.g.view.update(t)
}

// Done marks the task complete; the total becomes what was counted.
func (t *Task) Done() { t.finishAs(true) }

// Abort marks the task as stopped before completing.
func (t *Task) Abort() { t.finishAs(false) }

func (t *Task) finishAs(ok bool) {
	if t == nil {
		return
	}
	t.mu.Lock()
	if t.ended {
		t.mu.Unlock()
		return
	}
	t.ended, t.ok = true, ok
	t.duration = time.Since(t.start)
	if ok {
		t.total = t.current
	}
	t.mu.Unlock()
	t.g.view.finish(t)
}

// state is a consistent copy of a task's counters.
type state struct {
	current, total int64
	ended, ok      bool
	duration       time.Duration
}

func (t *Task) state() state {
	t.mu.Lock()
	defer t.mu.Unlock()
	return state{t.current, t.total, t.ended, t.ok, t.duration}
}

// line describes a task in one line of plain text.
func (t *Task) line() string {
	s := t.state()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", t.name, Count(s.current))
	if s.total > 0 && !s.ok {
		fmt.Fprintf(&b, "/%s", Count(s.total))
	}
	b.WriteString(" " + t.unit)
	switch {
	case s.ended && s.ok:
		fmt.Fprintf(&b, ", done in %s", s.duration.Round(10*time.Millisecond))
	case s.ended:
		b.WriteString(", stopped")
	case s.total > 0:
		fmt.Fprintf(&b, " (%d%%)", 100*s.current/s.total)
	}
	return b.String()
}

// Count formats n with thousands separators: 10000 becomes "10,000".
func Count(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

type nopView struct{}

func (nopView) add(*Task)    {}
func (nopView) update(*Task) {}
func (nopView) finish(*Task) {}
func (nopView) close()       {}
