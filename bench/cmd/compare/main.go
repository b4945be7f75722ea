// Command compare runs the benchmarks of the bench module and prints their
// figures as one markdown table, with the ratios of each contender to zmb3,
// to raw net/http and to the floor (net/http with the body discarded).
//
// Run it from the bench module:
//
//	cd bench && go run ./cmd/compare
//
// It runs `go test -run '^$' -bench ... -benchmem` once per benchmark group,
// each with a run length that keeps the whole under about three minutes on
// two cores, and prints the commands on stderr. -count sets how often each
// runs, the median of every figure being shown; -quick runs every
// benchmark once, as CI does; -raw saves the output of go test.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// modulePath is the bench module, whose directory the benchmarks run in.
const modulePath = "github.com/spotflow/spotflow/bench"

// group is one benchmark function and how long to run it.
type group struct {
	pattern   string // -bench
	benchtime string // -benchtime
	count     int    // -count, unless the -count flag says otherwise
}

// groups are run in this order. The loopback lookups depend most on how
// the two processes are scheduled, so they take the median of three runs;
// the walk, bulk and crawl iterations take seconds each, so they run a
// fixed number of times.
var groups = []group{
	{"^BenchmarkDecode$", "1s", 1},
	{"^BenchmarkGetTrack$", "1s", 3},
	{"^BenchmarkWalk10K$", "3x", 1},
	{"^BenchmarkBulk5K$", "3x", 1},
	{"^BenchmarkCrawl$", "1x", 1},
}

func main() {
	count := flag.Int("count", 0, "runs of each benchmark, the median of each figure being shown (0: 3 for GetTrack, 1 for the others)")
	quick := flag.Bool("quick", false, "run every benchmark once (-benchtime=1x), as a smoke test")
	raw := flag.String("raw", "", "also write the output of go test to this file")
	flag.Parse()
	if err := run(os.Stdout, os.Stderr, *count, *quick, *raw); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func run(stdout, stderr io.Writer, count int, quick bool, rawPath string) error {
	if count < 0 {
		return errors.New("-count must not be negative")
	}
	dir, err := moduleDir()
	if err != nil {
		return err
	}
	var all bytes.Buffer
	for _, g := range groups {
		bt, n := g.benchtime, g.count
		if quick {
			bt, n = "1x", 1
		}
		if count > 0 {
			n = count
		}
		args := []string{"test", "-run", "^$", "-bench", g.pattern, "-benchmem", "-benchtime", bt, "-count", fmt.Sprint(n), "."}
		fmt.Fprintf(stderr, "$ go %s\n", shellQuote(args))
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Stderr = stderr
		out, err := cmd.Output()
		all.Write(out)
		if err != nil {
			stderr.Write(out)
			return fmt.Errorf("go test %s: %w", g.pattern, err)
		}
	}
	if rawPath != "" {
		if err := os.WriteFile(rawPath, all.Bytes(), 0o644); err != nil {
			return err
		}
	}
	results, err := parse(&all)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, caption())
	fmt.Fprintln(stdout)
	return writeTable(stdout, results)
}

// moduleDir finds the bench module's directory from the working directory.
func moduleDir() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	data, err := os.ReadFile(gomod)
	if gomod == "" || gomod == os.DevNull || err != nil || !bytes.Contains(data, []byte("module "+modulePath+"\n")) {
		return "", fmt.Errorf("run me inside the module %s (cd bench && go run ./cmd/compare)", modulePath)
	}
	return filepath.Dir(gomod), nil
}

// caption says when, where and with what the figures were made.
func caption() string {
	goVersion := runtime.Version()
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		goVersion = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s, %s, %d CPUs (%s), %s/%s",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), goVersion, runtime.NumCPU(), cpuModel(), runtime.GOOS, runtime.GOARCH)
}

// cpuModel is the first "model name" of /proc/cpuinfo, or "unknown CPU".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// shellQuote joins args as a shell would need them written.
func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, "^$*?|() ") {
			a = "'" + a + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}
