//go:build linux || darwin || freebsd

package main

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestProgressBarsOnTerminal runs the demo with stderr on a pseudo-terminal:
// mpb draws bars, redrawing them in place with ANSI escapes.
func TestProgressBarsOnTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		_, _ = io.Copy(&screen, ptmx) // ends with EIO once tty is closed
	}()

	args, _, items := smallDemo(t)
	c := newCLI(t)
	c.stderr = tty
	r := c.run(append(args, embeddedFake...)...)
	tty.Close()
	<-read
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, screen.String())
	}

	out := screen.String()
	for _, want := range []string{
		"\x1b[", // cursor movement: bars redrawn in place
		"artists", "albums", "playlist", "lookup",
		"[=", "=]", // a bar's filling
		"done", // completed bars
		strconv.Itoa(items) + " items",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, tail(out, 2000))
		}
	}
	if strings.Contains(out, "playlist: "+strconv.Itoa(items)+" items, done in") {
		t.Errorf("plain progress lines on a terminal:\n%q", tail(out, 2000))
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
