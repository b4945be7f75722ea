package demo

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/internal/redact"
)

// Summary is what a crawl fetched, filled by [Crawl], and what it cost,
// filled by the caller from the client stack it built (meters at the
// bottom of the stack, the limiter's stats), so that it reads the same
// whatever server the crawl ran on.
type Summary struct {
	Artists, Albums, Tracks int    // discographies; albums listed by several artists count once
	Playlist                string // the name of the playlist found by search; empty when given by ID
	PlaylistItems           int
	// PlaylistRefused is the status with which the server refused the
	// playlist's items (403, 404), or 0.
	PlaylistRefused int
	LookedUp        int // tracks of the bulk lookup found
	Elapsed         time.Duration

	Requests      int           // Web API requests sent, retries included
	TokenRequests int           // requests to the accounts service
	RateLimited   int           // 429 answers
	Failures      int           // 5xx answers and broken exchanges (reset, timed out, cut short)
	Retries       int64         // retries the client made
	Waited        time.Duration // time callers spent waiting in the limiter, summed

	// WindowKnown says that RateN requests per RateWindow is the server's
	// rate window (RateN 0: none), as for the embedded fake.
	WindowKnown bool
	RateN       int
	RateWindow  time.Duration
}

// Items is every object fetched: albums, tracks, playlist items and
// looked-up tracks.
func (s *Summary) Items() int { return s.Albums + s.Tracks + s.PlaylistItems + s.LookedUp }

// Admitted is the number of Web API requests the server accepted: those
// answered neither 429 nor with a failure.
func (s *Summary) Admitted() int { return s.Requests - s.RateLimited - s.Failures }

// BudgetShare is the share of the rate budget used: the rate at which
// the server admitted requests over the crawl, against its window's rate.
// It is 0 when there is no window or it is not known. A crawl shorter than a few windows
// can exceed 1, since the window starts empty.
func (s *Summary) BudgetShare() float64 {
	if !s.WindowKnown || s.RateN <= 0 || s.RateWindow <= 0 || s.Elapsed <= 0 {
		return 0
	}
	return s.admittedRate() / s.budgetRate()
}

func (s *Summary) admittedRate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Admitted()) / s.Elapsed.Seconds()
}

func (s *Summary) budgetRate() float64 { return float64(s.RateN) / s.RateWindow.Seconds() }

// WriteTo writes the summary for people.
func (s *Summary) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	c := func(n int) string { return progress.Count(int64(n)) }
	fmt.Fprintf(tw, "discographies\t%s artists, %s albums, %s tracks\n", c(s.Artists), c(s.Albums), c(s.Tracks))
	switch {
	case s.PlaylistRefused != 0:
		fmt.Fprintf(tw, "playlist\trefused (%d): Spotify serves a playlist's items to its owner and collaborators only\n", s.PlaylistRefused)
	case s.Playlist != "":
		// The name is its owner's choice: escaped, it cannot drive the terminal.
		fmt.Fprintf(tw, "playlist\t%s items (%s)\n", c(s.PlaylistItems), redact.Escape(s.Playlist))
	default:
		fmt.Fprintf(tw, "playlist\t%s items\n", c(s.PlaylistItems))
	}
	fmt.Fprintf(tw, "bulk lookup\t%s tracks\n", c(s.LookedUp))
	fmt.Fprintf(tw, "\t\n")
	fmt.Fprintf(tw, "items\t%s\n", c(s.Items()))
	fmt.Fprintf(tw, "requests\t%s to the Web API, %s to the accounts service\n", c(s.Requests), c(s.TokenRequests))
	fmt.Fprintf(tw, "429s\t%s\n", c(s.RateLimited))
	fmt.Fprintf(tw, "failures\t%s (5xx answers, broken connections)\n", c(s.Failures))
	fmt.Fprintf(tw, "retries\t%s\n", progress.Count(s.Retries))
	waited := s.Waited.Round(10 * time.Millisecond).String()
	if s.Requests > 0 {
		waited += fmt.Sprintf(" in all, %s per request, for the gate, the pace and backoff",
			(s.Waited / time.Duration(s.Requests)).Round(time.Millisecond))
	}
	fmt.Fprintf(tw, "time waited\t%s\n", waited)
	fmt.Fprintf(tw, "elapsed\t%s\n", s.Elapsed.Round(10*time.Millisecond))
	if secs := s.Elapsed.Seconds(); secs > 0 {
		fmt.Fprintf(tw, "items/s\t%s\n", c(int(float64(s.Items())/secs)))
	}
	switch share := s.BudgetShare(); {
	case share > 0:
		fmt.Fprintf(tw, "rate budget\t%.0f%% used: %.1f requests/s admitted of the %.1f/s a window of %d per %s allows\n",
			100*share, s.admittedRate(), s.budgetRate(), s.RateN, s.RateWindow)
	case s.WindowKnown:
		fmt.Fprintf(tw, "rate budget\tno rate window: %.1f requests/s admitted\n", s.admittedRate())
	default:
		fmt.Fprintf(tw, "rate budget\twindow not known: %.1f requests/s admitted\n", s.admittedRate())
	}
	if err := tw.Flush(); err != nil {
		return 0, err
	}
	// The blank separator line comes out of tabwriter as padding.
	var out bytes.Buffer
	for line := range strings.Lines(buf.String()) {
		out.WriteString(strings.TrimRight(line, " \n"))
		out.WriteByte('\n')
	}
	return out.WriteTo(w)
}
