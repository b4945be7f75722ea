package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// A flag that is given must be honoured or refused, never ignored. The
// global flags that say where a command's requests go, as whom, and what
// they return are refused (exit 2) by a command that has no use for them,
// and those that name a server or an app by --fake, which brings its own.
// --concurrency, --rate, --progress and -v only bound or show what a
// command does, so every command takes them.

// routingFlags are the global flags a command must declare it uses.
var routingFlags = []string{"base-url", "accounts-url", "client-id", "client-secret", "redirect-uri", "token-file", "market", "fake", "redis"}

// fakeOwns are the global flags the in-process fake of --fake overrides.
var fakeOwns = []string{"base-url", "accounts-url", "client-id", "client-secret", "redirect-uri", "token-file"}

// Sets of routing flags commands use.
var (
	// asAppFlags: a command speaking as the app (client credentials, or
	// the stored login when there is no secret) or as the logged-in user.
	asAppFlags = []string{"base-url", "accounts-url", "client-id", "client-secret", "token-file", "fake"}
	// catalogFlags: asAppFlags and the market the catalog is seen from.
	catalogFlags = append(append([]string(nil), asAppFlags...), "market")
	// crawlFlags: catalogFlags and the Redis that replicas share a budget
	// in, for the commands that crawl.
	crawlFlags = append(append([]string(nil), catalogFlags...), "redis")
)

// usesAnnotation names, in a command's annotations, the routing flags it
// uses, comma-separated.
const usesAnnotation = "spotflow-uses"

// uses returns the annotations of a command that uses the routing flags
// names.
func uses(names ...string) map[string]string {
	return map[string]string{usesAnnotation: strings.Join(names, ",")}
}

// set reports whether the running command was given the flag name.
func (a *app) set(name string) bool {
	if a.cmd == nil {
		return false
	}
	f := a.cmd.Flags().Lookup(name)
	return f != nil && f.Changed
}

// checkUses refuses routing flags the running command has no use for, and
// those --fake overrides.
func (a *app) checkUses() error {
	used := strings.Split(a.cmd.Annotations[usesAnnotation], ",")
	for _, name := range routingFlags {
		if a.set(name) && !slices.Contains(used, name) {
			return usageErrorf("--%s: %s does not use it", name, a.cmd.CommandPath())
		}
	}
	if a.g.fake {
		for _, name := range fakeOwns {
			if a.set(name) {
				return usageErrorf("--%s cannot apply with --fake: the fake started in-process has its own URL and app", name)
			}
		}
	}
	return nil
}

// refuse returns a usage error naming the first flag of names that cmd
// was given, and why it cannot be honoured; nil when none was given.
func refuse(cmd *cobra.Command, why string, names ...string) error {
	for _, name := range names {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			return usageErrorf("--%s %s", name, why)
		}
	}
	return nil
}
