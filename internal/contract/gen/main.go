// Command gen writes the facts-only copy of the Web API's contract that the
// contract tests embed: internal/contract/facts/openapi.yml and
// endpoints.tsv, made from the full definition (spotify-openapi.yml and
// endpoints.tsv) by [contract.FactsOpenAPI] and [contract.FactsEndpoints].
//
// Run it through `go generate ./internal/contract`. The definition is read
// from -src, else $SPOTFLOW_SPEC_DIR, else shared/spec beside the module's
// root; the copy is written to -out (default: facts, beside the package).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spotflow/spotflow/internal/contract"
)

func main() {
	src := flag.String("src", "", "directory of spotify-openapi.yml and endpoints.tsv (default: $SPOTFLOW_SPEC_DIR, else shared/spec beside the module root)")
	out := flag.String("out", "facts", "directory to write openapi.yml and endpoints.tsv to")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	if src == "" {
		dir, err := contract.UpstreamDir()
		if err != nil {
			return err
		}
		src = dir
	}
	for _, f := range []struct {
		in, out string
		make    func([]byte) ([]byte, error)
	}{
		{contract.UpstreamOpenAPI, contract.FactsOpenAPIFile, contract.FactsOpenAPI},
		{contract.UpstreamEndpoints, contract.FactsEndpointsFile, contract.FactsEndpoints},
	} {
		b, err := os.ReadFile(filepath.Join(src, f.in))
		if err != nil {
			return err
		}
		facts, err := f.make(b)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, f.out), facts, 0o644); err != nil {
			return err
		}
	}
	return nil
}
