package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// envRunMain makes the test binary run as the spotflow command instead of
// running its tests, so that a test can start the command in a process of
// its own without building it.
const envRunMain = "SPOTFLOW_TEST_RUN_MAIN"

// runMainIfAsked runs main, which exits, when the test binary was started
// as the command.
func runMainIfAsked() {
	if os.Getenv(envRunMain) == "1" {
		main()
	}
}

// fakeServerProcess is `spotflow fake-server` running in a process of its
// own.
type fakeServerProcess struct {
	url, clientID, clientSecret string

	cmd    *exec.Cmd
	stderr bytes.Buffer
	once   sync.Once
}

// startFakeServerProcess starts `spotflow fake-server args...` and reads
// what it prints before it serves. The process is stopped when the test
// ends, if stop did not stop it first.
func startFakeServerProcess(t *testing.T, args ...string) *fakeServerProcess {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("stopping the fake-server process needs an interrupt signal")
	}
	p := &fakeServerProcess{}
	p.cmd = exec.Command(os.Args[0], append([]string{"fake-server", "--addr", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = append(os.Environ(), envRunMain+"=1")
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.once.Do(func() {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		})
	})
	printed := readFakeServerDetails(out)
	p.url, p.clientID, p.clientSecret = printed["URL"], printed["Client ID"], printed["Client secret"]
	if p.url == "" || p.clientID == "" || p.clientSecret == "" {
		t.Fatalf("fake-server printed no URL or credentials: %v\nstderr: %s", printed, p.stderr.String())
	}
	return p
}

// stop interrupts the server, as Ctrl-C does, and returns the requests it
// says it served, and how many of them were token requests.
func (p *fakeServerProcess) stop(t *testing.T) (served, tokens int) {
	t.Helper()
	var err error
	p.once.Do(func() {
		if err = p.cmd.Process.Signal(os.Interrupt); err == nil {
			err = p.cmd.Wait()
		}
	})
	if err != nil {
		t.Fatalf("fake-server: %v\nstderr: %s", err, p.stderr.String())
	}
	m := regexp.MustCompile(`fake Spotify stopped: ([\d,]+) requests served \(([\d,]+) token requests`).FindStringSubmatch(p.stderr.String())
	if m == nil {
		t.Fatalf("fake-server did not say what it served:\n%s", p.stderr.String())
	}
	return atoi(t, m[1]), atoi(t, m[2])
}

// readFakeServerDetails reads what fake-server prints before it serves:
// "Key: value" lines, up to "Serving until interrupted".
func readFakeServerDetails(r io.Reader) map[string]string {
	printed := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if key, val, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") {
			printed[key] = strings.TrimSpace(val)
		}
		if strings.HasPrefix(line, "Serving until interrupted") {
			break
		}
	}
	return printed
}
