package progress

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// barView draws one mpb bar per task.
type barView struct {
	p *mpb.Progress

	mu     sync.Mutex // orders updates, so a bar never goes backwards
	bars   map[*Task]*mpb.Bar
	totals map[*Task]int64
}

func newBarView(ctx context.Context, w io.Writer, o options) *barView {
	opts := []mpb.ContainerOption{
		mpb.WithOutput(w),
		// Bars were asked for: draw them even when mpb cannot tell w is a
		// terminal (a pty wrapped in another writer, say).
		mpb.WithAutoRefresh(),
		mpb.WithRefreshRate(100 * time.Millisecond),
	}
	if o.width > 0 {
		opts = append(opts, mpb.WithWidth(o.width))
	}
	return &barView{
		p:      mpb.NewWithContext(ctx, opts...),
		bars:   make(map[*Task]*mpb.Bar),
		totals: make(map[*Task]int64),
	}
}

func (v *barView) add(t *Task) {
	// Every bar starts with no total, so that completion is ours to
	// declare (Task.Done) rather than mpb's when the count reaches it.
	bar := v.p.New(0, mpb.BarStyle(),
		mpb.PrependDecorators(
			decor.Name(t.name, decor.WCSyncSpaceR),
			decor.Any(func(s decor.Statistics) string { return counts(s, t.unit) }, decor.WCSyncWidthR),
		),
		mpb.AppendDecorators(
			decor.OnAbort(decor.OnComplete(decor.Percentage(decor.WC{W: 5}), "done"), "stopped"),
			decor.OnComplete(decor.AverageSpeed(0, " %.0f/s", decor.WCSyncSpace), ""),
		),
	)
	v.mu.Lock()
	v.bars[t] = bar
	v.mu.Unlock()
	v.update(t)
}

func (v *barView) update(t *Task) {
	v.mu.Lock()
	defer v.mu.Unlock()
	bar := v.bars[t]
	if bar == nil {
		return
	}
	s := t.state()
	if s.ended {
		return
	}
	if s.total != v.totals[t] {
		v.totals[t] = s.total
		bar.SetTotal(s.total, false)
	}
	bar.SetCurrent(s.current)
}

func (v *barView) finish(t *Task) {
	v.mu.Lock()
	defer v.mu.Unlock()
	bar := v.bars[t]
	if bar == nil {
		return
	}
	s := t.state()
	if s.ok {
		bar.SetCurrent(s.current)
		bar.SetTotal(-1, true)
	} else {
		bar.Abort(false)
	}
}

func (v *barView) close() { v.p.Wait() }

// counts is the "1,234/10,000 items" of a bar; the total is left out while
// it is unknown.
func counts(s decor.Statistics, unit string) string {
	if s.Total <= 0 || s.Completed {
		return Count(s.Current) + " " + unit
	}
	return Count(s.Current) + "/" + Count(s.Total) + " " + unit
}

// lineView prints a line per running task every interval, and one when a
// task ends.
type lineView struct {
	w     io.Writer
	tasks func() []*Task

	mu sync.Mutex // serializes writes to w

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func newLineView(ctx context.Context, w io.Writer, o options, tasks func() []*Task) *lineView {
	v := &lineView{w: w, tasks: tasks, stop: make(chan struct{}), done: make(chan struct{})}
	go v.loop(ctx, o.interval)
	return v
}

func (v *lineView) loop(ctx context.Context, every time.Duration) {
	defer close(v.done)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			for _, t := range v.tasks() {
				if !t.state().ended {
					v.print(t.line())
				}
			}
		case <-v.stop:
			return
		case <-ctx.Done():
			return
		}
	}
}

func (v *lineView) print(line string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	fmt.Fprintln(v.w, line)
}

func (v *lineView) add(*Task)    {}
func (v *lineView) update(*Task) {}

func (v *lineView) finish(t *Task) { v.print(t.line()) }

func (v *lineView) close() {
	v.once.Do(func() { close(v.stop) })
	<-v.done
}
