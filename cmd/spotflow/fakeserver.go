package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/spotifytest"
)

// fakeServerOptions are the flags of fake-server.
type fakeServerOptions struct {
	addr    string
	mode    string
	rate    string
	retry   time.Duration
	faults  string
	latency time.Duration
	seed    int64
}

func (a *app) fakeServerCmd() *cobra.Command {
	var o fakeServerOptions
	cmd := &cobra.Command{
		Use:   "fake-server",
		Short: "Run a fake Spotify (Web API and accounts service) until interrupted",
		Long: `Run spotflow's fake Spotify on a local address: the Web API under /v1/ and
the accounts service (/api/token, /authorize) with one registered app, a
synthetic catalog fixed by --seed, and optional rate window, latency and
faults. It prints its URL and the app's client ID and secret, and serves
until interrupted (Ctrl-C or SIGTERM).

Here --rate is the fake's rolling rate window, not the client's pacing.
--faults takes [OP=]KIND:RATE[@RETRY] items, comma-separated: KIND is 500,
502, 503, 429, reset, truncate or stall; RATE a share (0.1) or percentage.`,
		Example: `  spotflow fake-server --addr 127.0.0.1:8080
  spotflow fake-server --mode dev --rate 100/30s --faults 500:0.05,reset:1%`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := o.serverOptions()
			if err != nil {
				return err
			}
			if n, _, _ := spotifytest.ParseRate(o.rate); n == 0 { // checked by serverOptions
				if err := refuse(cmd, "applies to the 429s of a rate window: give --rate too", "retry-after"); err != nil {
					return err
				}
			}
			if l := a.logger(); l != nil {
				opts = append(opts, spotifytest.WithLogger(l))
			}
			return a.fakeServer(cmd.Context(), o.addr, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	f.StringVar(&o.mode, "mode", "extended", "app quota mode to imitate: extended or dev")
	f.StringVar(&o.rate, "rate", "off", "rolling rate window, N/WINDOW (e.g. 100/30s), or off")
	f.DurationVar(&o.retry, "retry-after", 0, "Retry-After of the rate window's 429s (default: until the window has room)")
	f.StringVar(&o.faults, "faults", "", "faults to inject, e.g. 500:0.05,reset:1%,429:0.01@2s")
	f.DurationVar(&o.latency, "latency", 0, "delay added to every Web API request")
	f.Int64Var(&o.seed, "seed", 1, "seed of the catalog and the faults")
	return cmd
}

// serverOptions turns the flags into spotifytest options.
func (o *fakeServerOptions) serverOptions() ([]spotifytest.Option, error) {
	mode, err := spotifytest.ParseMode(o.mode)
	if err != nil {
		return nil, usageErr(fmt.Errorf("--mode: %w", err))
	}
	n, window, err := spotifytest.ParseRate(o.rate)
	if err != nil {
		return nil, usageErr(fmt.Errorf("--rate: %w", err))
	}
	faults, err := spotifytest.ParseFaults(o.faults)
	if err != nil {
		return nil, usageErr(fmt.Errorf("--faults: %w", err))
	}
	opts := []spotifytest.Option{
		spotifytest.WithMode(mode),
		spotifytest.WithSeed(o.seed),
		spotifytest.WithFaults(faults...),
		spotifytest.WithLatency(o.latency, 0),
		spotifytest.WithRetryAfter(o.retry),
	}
	if n > 0 {
		opts = append(opts, spotifytest.WithRateLimit(n, window))
	}
	return opts, nil
}

func (a *app) fakeServer(ctx context.Context, addr string, opts []spotifytest.Option) error {
	srv, err := spotifytest.Start(addr, opts...)
	if err != nil {
		return usageErr(fmt.Errorf("starting the fake: %w", err))
	}
	defer srv.Close()

	ids := srv.IDs()
	w := a.stdout
	fmt.Fprintf(w, "Fake Spotify listening on %s\n\n", srv.URL)
	fmt.Fprintf(w, "URL:            %s\n", srv.URL)
	fmt.Fprintf(w, "Web API:        %s/v1/\n", srv.URL)
	fmt.Fprintf(w, "Token URL:      %s\n", srv.TokenURL())
	fmt.Fprintf(w, "Client ID:      %s\n", srv.ClientID)
	fmt.Fprintf(w, "Client secret:  %s\n", srv.ClientSecret)
	fmt.Fprintf(w, "Sample track:   %s\n", ids.Tracks[0])
	fmt.Fprintf(w, "Sample album:   %s\n", ids.Albums[0])
	fmt.Fprintf(w, "Sample artist:  %s\n", ids.Artists[0])
	fmt.Fprintf(w, "Playlist (10K): %s\n", ids.Playlist10K)
	fmt.Fprintf(w, "\nTry:\n")
	fmt.Fprintf(w, "  spotflow --base-url %s/v1/ --accounts-url %s --client-id %s --client-secret %s get spotify:track:%s --format table\n",
		srv.URL, srv.URL, srv.ClientID, srv.ClientSecret, ids.Tracks[0])
	fmt.Fprintf(w, "  curl -s -u %s:%s -d grant_type=client_credentials %s\n", srv.ClientID, srv.ClientSecret, srv.TokenURL())
	fmt.Fprintf(w, "\nServing until interrupted (Ctrl-C).\n")

	<-ctx.Done()
	srv.Close() // waits for the requests in flight, so the counts are final
	fmt.Fprintf(a.stderr, "fake Spotify stopped: %s\n", requestSummary(srv.Stats()))
	return nil
}

func requestSummary(st spotifytest.Stats) string {
	return fmt.Sprintf("%s requests served (%s token requests, %s rate-limited, %s faults)",
		count(st.Requests), count(st.TokenRequests), count(st.RateLimited), count(st.Faults))
}
