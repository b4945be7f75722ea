package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/cmd/spotflow/internal/demo"
	"github.com/spotflow/spotflow/spotifytest"
)

func (a *app) demoCmd() *cobra.Command {
	cfg := demo.Defaults
	window := fmt.Sprintf("%d/%s", cfg.RateN, cfg.RateWindow)
	faults := "500:1%,reset:0.5%"
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Crawl a fake Spotify concurrently under a rate limit, and sum it up",
		Long: `Start a fake Spotify in-process with a rolling rate window, latency and a few
faults, then crawl it through the async client, three jobs at once sharing one
rate limiter: the discographies of 50 artists (albums, then every track), a
10,000-item playlist streamed in order, and a bulk lookup of 2,000 tracks.

The client does not know the window: it starts at twice its rate, meets 429s,
and the shared limiter closes its gate for every job until Retry-After, halves
its pace and climbs back. --rate paces at a fixed rate instead (try
--rate 150/3s: no 429 at all).

Progress goes to stderr; the summary (items, requests, 429s, retries, time
waited, elapsed, items per second, share of the rate budget used) to stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			n, w, err := spotifytest.ParseRate(window)
			if err != nil {
				return usageErr(fmt.Errorf("--window: %w", err))
			}
			cfg.RateN, cfg.RateWindow = n, w
			if cfg.Faults, err = spotifytest.ParseFaults(faults); err != nil {
				return usageErr(fmt.Errorf("--faults: %w", err))
			}
			return a.demo(cmd.Context(), cfg)
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Artists, "artists", cfg.Artists, "artists whose discographies are crawled")
	f.IntVar(&cfg.Lookups, "lookups", cfg.Lookups, "tracks looked up in bulk")
	f.StringVar(&cfg.Playlist, "playlist", "", "ID of the fake's playlist to stream (default its 10,000-item one)")
	f.StringVar(&window, "window", window, "the fake's rolling rate window, N/WINDOW, or off")
	f.DurationVar(&cfg.Latency, "latency", cfg.Latency, "the fake's latency per request")
	f.DurationVar(&cfg.Jitter, "jitter", cfg.Jitter, "random extra latency, up to this much")
	f.StringVar(&faults, "faults", faults, "faults the fake injects (see fake-server --help)")
	f.Int64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the fake's catalog and faults")
	return cmd
}

func (a *app) demo(ctx context.Context, cfg demo.Config) error {
	pacing, fixed, err := a.pacing()
	if err != nil {
		return err
	}
	if fixed {
		cfg.Pacing = pacing
	}
	cfg.Concurrency = a.g.concurrency
	cfg.Logger = a.logger()

	list := "a 10,000-item playlist"
	if cfg.Playlist != "" {
		list = "playlist " + cfg.Playlist
	}
	fmt.Fprintf(a.stdout, "Crawling a fake Spotify: %d artists' discographies, %s and %s tracks in bulk,\n",
		cfg.Artists, list, count(cfg.Lookups))
	if cfg.RateN > 0 {
		fmt.Fprintf(a.stdout, "under a rate window of %d requests per %s, with %s latency (+ up to %s).\n",
			cfg.RateN, cfg.RateWindow, cfg.Latency, cfg.Jitter)
	} else {
		fmt.Fprintf(a.stdout, "with no rate window, and %s latency (+ up to %s).\n", cfg.Latency, cfg.Jitter)
	}
	g := a.progress(ctx)
	sum, err := demo.Run(ctx, cfg, g)
	g.Close()
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	_, err = sum.WriteTo(a.stdout)
	return err
}
