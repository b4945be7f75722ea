// Package bench compares spotflow with github.com/zmb3/spotify/v2 and with
// plain net/http on the same fake server, payloads and runs.
//
// It holds benchmarks only (see README.md). Run them all and print one
// table with:
//
//	cd bench && go run ./cmd/compare
//
// or one group directly, for example:
//
//	cd bench && go test -run '^$' -bench 'GetTrack' -benchmem
//
// Every sub-benchmark is named group/parameters/contender=NAME, so that
// cmd/compare can line the contenders of one group up in a table.
//
// The fake (spotifytest) runs in a child process: the test binary starts
// itself again in server mode. The allocations a benchmark reports are
// then the client's alone, not the server's rendering of its answers.
package bench
