package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/spotflow/spotflow/auth"
	"github.com/spotflow/spotflow/cmd/spotflow/internal/progress"
	"github.com/spotflow/spotflow/cmd/spotflow/internal/spans"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotify/async"
)

// Environment variables spotflow reads besides auth's SPOTIFY_CLIENT_ID,
// SPOTIFY_CLIENT_SECRET and SPOTIFY_REDIRECT_URI.
const envTokenFile = "SPOTFLOW_TOKEN_FILE"

// defaultAccountsURL is Spotify's accounts service.
const defaultAccountsURL = "https://accounts.spotify.com"

// run runs spotflow with args (without the program name) and returns the
// exit code. It is main without the process: tests call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, now: time.Now, browser: auth.OpenBrowser,
		self: defaultSelf}
	return a.run(ctx, args)
}

// app is one run of the command: its input, output, environment and the
// global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	browser        func(url string) error // opens login's consent page
	// self starts processes of this program (demo --replicas).
	self func() (exe string, env []string, err error)

	g   globals
	cmd *cobra.Command // the command running, once its flags are parsed

	spans *spans.Table // the spans of `demo --trace`; nil otherwise
}

// globals are the flags every command takes.
type globals struct {
	baseURL      string
	accountsURL  string
	market       string
	concurrency  int
	rate         string
	fake         bool
	clientID     string
	clientSecret string
	redirectURI  string
	tokenFile    string
	redis        string
	progress     string
	verbose      bool
}

func (a *app) run(ctx context.Context, args []string) int {
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)

	// Errors before a command starts (unknown command or flag, wrong
	// number of arguments) are usage errors; cobra checks all of them
	// before PersistentPreRunE.
	started := false
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		started = true
		a.cmd = cmd
		return a.checkGlobals()
	}
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if !started {
		err = usageErr(err)
	}
	return a.report(cmd, err)
}

// report prints err for people and returns its exit code.
func (a *app) report(cmd *cobra.Command, err error) int {
	code, msg := explain(err, a.now())
	fmt.Fprintf(a.stderr, "spotflow: %s\n", msg)
	if code == exitUsage && cmd != nil {
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return code
}

const rootLong = `spotflow talks to the Spotify Web API through the spotflow Go client: a shared
rate limiter, retries, concurrent paging and batch lookups.

Credentials come from --client-id/--client-secret/--redirect-uri or the
environment (SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET, SPOTIFY_REDIRECT_URI).
Catalog commands (get, search, tracks, export playlist) use the app's client
credentials, or the token of 'spotflow login' when no secret is set; user
commands (whoami, export library) need 'spotflow login'. With --fake, any
command runs against a fake Spotify started in-process, no account needed.
A flag is honoured or refused, never ignored: global flags that name a server,
an app, a login or a market are refused (exit 2) by a command with no use for
them, and by --fake, which brings its own server and app.

Progress goes to stderr: live bars on a terminal, plain lines otherwise.

Exit codes:
  0    success
  1    error (not found, network or server failure, ...)
  2    usage: unknown command or flag, bad argument
  3    authorization needed: missing credentials, not logged in, token refused
  4    rate limited: Spotify asked to wait longer than spotflow waits
  130  interrupted`

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "spotflow",
		Short:         "A concurrency-first Spotify Web API client on the command line",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.DisableDefaultCmd = true

	f := root.PersistentFlags()
	f.StringVar(&a.g.baseURL, "base-url", spotify.DefaultBaseURL, "base URL of the Web API")
	f.StringVar(&a.g.accountsURL, "accounts-url", "", "base URL of the accounts service, /authorize and /api/token (default "+defaultAccountsURL+", or the --base-url server's when it is on a loopback address)")
	f.StringVar(&a.g.market, "market", "", "market (ISO 3166-1 alpha-2 country code, or from_token) for lookups")
	f.IntVar(&a.g.concurrency, "concurrency", async.DefaultConcurrency, "requests in flight at most, all streams and lookups together (1-1024)")
	f.StringVar(&a.g.rate, "rate", "", "pace requests at a fixed N/WINDOW (e.g. 100/30s) instead of adapting to 429s; off for no pacing")
	f.BoolVar(&a.g.fake, "fake", false, "run against a fake Spotify started in-process")
	f.StringVar(&a.g.clientID, "client-id", "", "app client ID (default $SPOTIFY_CLIENT_ID)")
	f.StringVar(&a.g.clientSecret, "client-secret", "", "app client secret (default $SPOTIFY_CLIENT_SECRET)")
	f.StringVar(&a.g.redirectURI, "redirect-uri", "", "redirect URI registered for the app (default $SPOTIFY_REDIRECT_URI, else "+defaultRedirectURI+")")
	f.StringVar(&a.g.tokenFile, "token-file", "", "where login keeps the token (default $"+envTokenFile+", else spotflow/token.json in the user's config directory)")
	f.StringVar(&a.g.redis, "redis", "", "share the app's rate budget and token with every process given the same Redis (redis://[user:password@]host:port/db)")
	f.StringVar(&a.g.progress, "progress", "auto", "progress display on stderr: auto, bars, lines or off")
	f.BoolVarP(&a.g.verbose, "verbose", "v", false, "log requests, 429s and retries to stderr")

	root.AddCommand(
		a.demoCmd(),
		a.fakeServerCmd(),
		a.loginCmd(),
		a.whoamiCmd(),
		a.logoutCmd(),
		a.getCmd(),
		a.searchCmd(),
		a.exportCmd(),
		a.tracksCmd(),
	)
	return root
}

// checkGlobals refuses global flag values no command can use.
func (a *app) checkGlobals() error {
	if a.g.concurrency < 1 || a.g.concurrency > 1024 {
		return usageErrorf("--concurrency must be between 1 and 1024, not %d", a.g.concurrency)
	}
	if _, err := progress.ParseMode(a.g.progress); err != nil {
		return usageErr(fmt.Errorf("--progress: %w", err))
	}
	if _, _, err := a.pacing(); err != nil {
		return err
	}
	return a.checkUses()
}

// progress starts a progress display on stderr, as --progress says.
func (a *app) progress(ctx context.Context) *progress.Group {
	mode, _ := progress.ParseMode(a.g.progress) // checked in checkGlobals
	return progress.New(ctx, a.stderr, mode)
}

// logger returns the logger of --verbose, or nil.
func (a *app) logger() *slog.Logger {
	if !a.g.verbose {
		return nil
	}
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
