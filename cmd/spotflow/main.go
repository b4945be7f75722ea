// Command spotflow is the command-line tool of the spotflow Spotify client:
// a rate-limited concurrent crawl demo, a fake Spotify server, login, and
// lookups, searches and exports against Spotify or the fake.
//
// Run `spotflow --help` for the commands, their flags and the exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
