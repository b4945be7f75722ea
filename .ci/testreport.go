//go:build ignore

// testreport reads the events of `go test -json` on standard input and
// reports them as `go test` would: one line per package and the output of
// every failed test. It also lists every skipped test with the reason it
// gave, and fails when a skip gives no reason or skips because something
// is missing (a file, a directory, a program): a fresh clone must carry all
// its tests read. The tests in allowedSkips may skip for that reason.
//
// Usage: go test -json ./... | go run .ci/testreport.go
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// allowedSkips may skip on a fresh clone, and why.
var allowedSkips = map[string]string{
	"github.com/spotflow/spotflow/internal/contract TestFactsAreWhatTheGeneratorMakes": "compares the committed facts with the full definition, which is kept outside the repository",
}

// missing matches reasons that say something the test needs is absent.
var missing = regexp.MustCompile(`(?i)no such file|does not exist|not exist|cannot find|not found|missing|no such directory`)

type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

type test struct{ output []string }

func main() {
	tests := map[string]*test{}
	var failed, skipped []string
	var pkgLines []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // build errors and the like come as plain text
			continue
		}
		key := e.Package + " " + e.Test
		t := tests[key]
		if t == nil {
			t = &test{}
			tests[key] = t
		}
		switch e.Action {
		case "output":
			t.output = append(t.output, e.Output)
		case "build-output":
			fmt.Print(e.Output)
		case "fail":
			if e.Test == "" {
				pkgLines = append(pkgLines, fmt.Sprintf("FAIL\t%s", e.Package))
			}
			failed = append(failed, key)
		case "pass":
			if e.Test == "" {
				pkgLines = append(pkgLines, fmt.Sprintf("ok  \t%s\t%.3fs", e.Package, e.Elapsed))
			}
		case "skip":
			if e.Test == "" {
				pkgLines = append(pkgLines, fmt.Sprintf("?   \t%s\t[no test files]", e.Package))
			} else {
				skipped = append(skipped, key)
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	sort.Strings(pkgLines)
	for _, l := range pkgLines {
		fmt.Println(l)
	}
	bad := false
	for _, key := range failed {
		if strings.HasSuffix(key, " ") {
			continue // the package line says it
		}
		bad = true
		fmt.Printf("\n--- FAIL: %s\n%s", key, strings.Join(tests[key].output, ""))
	}
	if len(skipped) > 0 {
		fmt.Println("\nskipped tests:")
	}
	sort.Strings(skipped)
	for _, key := range skipped {
		reason := reasonOf(tests[key].output)
		verdict := ""
		switch {
		case allowedSkips[key] != "":
			verdict = " (allowed: " + allowedSkips[key] + ")"
		case reason == "":
			verdict = "  <- gives no reason"
			bad = true
		case missing.MatchString(reason):
			verdict = "  <- skips for something missing on this machine"
			bad = true
		}
		fmt.Printf("  %s: %s%s\n", key, reason, verdict)
	}
	if bad || len(failed) > 0 {
		os.Exit(1)
	}
}

// reasonOf is what a skipped test logged, without go test's own lines.
func reasonOf(output []string) string {
	var parts []string
	for _, l := range output {
		s := strings.TrimSpace(l)
		if s == "" || strings.HasPrefix(s, "=== ") || strings.HasPrefix(s, "--- SKIP") {
			continue
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}
