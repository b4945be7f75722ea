package redistest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The server answers, dies on Kill, and answers again on the same address
// after Restart.
func TestStartKillRestart(t *testing.T) {
	s := Start(t)
	if err := ping(s.Addr()); err != nil {
		t.Fatal(err)
	}
	s.Kill()
	if err := ping(s.Addr()); err == nil {
		t.Fatal("the killed server still answers")
	}
	s.Kill() // twice is fine
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := ping(s.Addr()); err != nil {
		t.Fatalf("after Restart: %v", err)
	}
	if err := s.Restart(); err != nil { // a running server is left alone
		t.Fatal(err)
	}
	if s.URL() != "redis://"+s.Addr()+"/0" {
		t.Fatalf("URL %q", s.URL())
	}
}

// Without a redis-server a test is skipped with the install command, and
// failed when SPOTFLOW_CI is set. The test binary runs itself to see it.
func TestMissingBinary(t *testing.T) {
	if os.Getenv("REDISTEST_CHILD") != "" {
		Start(t)
		t.Fatal("Start returned without a server")
	}
	for _, ci := range []string{"", "1"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingBinary$", "-test.v")
		cmd.Env = append(os.Environ(), "REDISTEST_CHILD=1", BinaryEnv+"=/nonexistent/redis-server", CIEnv+"="+ci)
		out, err := cmd.CombinedOutput()
		switch {
		case ci == "" && (err != nil || !strings.Contains(string(out), "--- SKIP") ||
			!strings.Contains(string(out), "apt-get install -y redis-server")):
			t.Errorf("without CI: %v\n%s", err, out)
		case ci != "" && (err == nil || !strings.Contains(string(out), "--- FAIL")):
			t.Errorf("with %s set: %v\n%s", CIEnv, err, out)
		}
	}
}

func TestLastLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "b\nc\n"},
		{"a\nb\nc", 2, "b\nc"},
		{"a\n", 5, "a\n"},
		{"", 1, ""},
	} {
		if got := lastLines([]byte(tc.in), tc.n); got != tc.want {
			t.Errorf("lastLines(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
