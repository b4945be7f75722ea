package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/internal/redact"
	"github.com/spotflow/spotflow/models"
)

// Output formats of the commands that print objects.
const (
	formatJSON  = "json"
	formatJSONL = "jsonl"
	formatTable = "table"
	formatCSV   = "csv"
)

// checkFormat refuses a --format value not in allowed.
func checkFormat(got string, allowed ...string) error {
	for _, f := range allowed {
		if got == f {
			return nil
		}
	}
	return usageErrorf("--format %q: want one of %s", got, strings.Join(allowed, ", "))
}

// writeJSON writes v as Spotify would send it (unknown fields included),
// indented for reading.
func writeJSON(w io.Writer, v any) error {
	b, err := models.Marshal(v)
	if err != nil {
		return err
	}
	val := jsontext.Value(b)
	if err := val.Indent(jsontext.WithIndent("  ")); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", val)
	return err
}

// writeJSONLine writes v on one line.
func writeJSONLine(w io.Writer, v any) error {
	b, err := models.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// field is one row of a key-value table.
type field struct{ key, value string }

// Tables and lines for people show text a server sent (names, which any
// Spotify user chooses for their playlists and profile) through shown: its
// control characters and bidirectional overrides are escaped, so that it
// cannot move the cursor, retitle or clear the terminal, reverse what
// follows, or break a row in two. JSON, JSON Lines and CSV keep the text
// as sent: they are data, and escape what their format needs.

// shown is server text made safe to print on a terminal.
func shown(s string) string { return redact.Escape(s) }

// writeFields writes a two-column table, leaving out empty values.
func writeFields(w io.Writer, fields []field) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range fields {
		if f.value != "" {
			fmt.Fprintf(tw, "%s\t%s\n", f.key, shown(f.value))
		}
	}
	return tw.Flush()
}

// writeRows writes a table with a header row.
func writeRows(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	cells := make([]string, 0, len(header))
	for _, r := range rows {
		cells = cells[:0]
		for _, c := range r {
			cells = append(cells, shown(c))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// artistNames joins the names of artists.
func artistNames(as []models.SimplifiedArtist) string {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// duration formats milliseconds as m:ss, or h:mm:ss from an hour on.
func duration(ms int) string {
	d := time.Duration(ms) * time.Millisecond
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// count formats n with thousands separators.
func count(n int) string { return progress.Count(int64(n)) }

// yesNo spells a boolean for a table.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
