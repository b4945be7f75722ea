// Package redistest starts a real redis-server for tests and benchmarks: on
// a free loopback port, in a temporary folder, with persistence off, stopped
// when the test ends. Tests of code that speaks to Redis use it instead of a
// mock, so that they run the server's own Lua, expiry and clock.
//
// Where no redis-server can be found, [Start] skips the test with a message
// saying how to install one (Debian: apt-get install -y redis-server),
// except when the environment variable SPOTFLOW_CI is set, as the project's
// CI sets it: there a missing server fails the test, so that Redis tests
// never pass by not running.
//
// The package imports no Redis client. Connect with the one under test, for
// go-redis:
//
//	srv := redistest.Start(t)
//	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
//	t.Cleanup(func() { rdb.Close() })
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// CIEnv is the environment variable that turns a missing redis-server from
// a skipped test into a failed one.
const CIEnv = "SPOTFLOW_CI"

// BinaryEnv, when set, names the redis-server binary to run instead of the
// one found on PATH.
const BinaryEnv = "SPOTFLOW_REDIS_SERVER"

// startTimeout bounds how long a server may take to answer its first PING.
const startTimeout = 10 * time.Second

// Server is a redis-server process started by [Start]. Its methods are safe
// for concurrent use.
type Server struct {
	bin  string
	dir  string
	port int

	mu     sync.Mutex
	proc   *os.Process   // nil while killed
	exited chan struct{} // closed when proc has exited
}

// Start runs a redis-server on a free loopback port in a temporary folder of
// tb and waits until it answers. The server is killed when tb's test ends.
// It skips tb (or fails it, in CI) when no redis-server can be found, and
// fails it when the server does not start.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv(CIEnv) != "" {
			tb.Fatalf("redistest: %v (%s is set, so Redis tests must run)", err, CIEnv)
		}
		tb.Skipf("redistest: %v; install one to run this test (Debian: apt-get install -y redis-server)", err)
	}
	s, err := Launch(bin, tb.TempDir())
	if err != nil {
		tb.Fatalf("redistest: %v", err)
	}
	tb.Cleanup(s.Kill)
	return s
}

// Launch runs the redis-server bin on a free loopback port with its files
// in dir, for a program rather than a test (spotflow demo --replicas), and
// waits until it answers. The caller stops it with Kill.
func Launch(bin, dir string) (*Server, error) {
	s := &Server{bin: bin, dir: dir}
	var err error
	for range 5 { // another process may take the port between probe and bind
		if s.port, err = freePort(); err != nil {
			continue
		}
		if err = s.start(); err == nil {
			return s, nil
		}
	}
	return nil, err
}

// Binary returns the path of the redis-server to run: $SPOTFLOW_REDIS_SERVER,
// else redis-server on PATH, else the usual install locations.
func Binary() (string, error) {
	if p := os.Getenv(BinaryEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s names no redis-server: %w", BinaryEnv, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", errors.New("no redis-server found on PATH")
}

// Addr is the server's host:port, for a client's address option.
func (s *Server) Addr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
}

// URL is the server's address as a redis:// URL (database 0).
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Kill stops the server at once with SIGKILL, as a crash would, and waits for
// it to exit. Its data is lost: persistence is off. Killing a killed server
// does nothing.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return
	}
	_ = s.proc.Signal(syscall.SIGKILL)
	<-s.exited
	s.proc, s.exited = nil, nil
}

// Restart starts a killed server again on the same port, empty, and waits
// until it answers. Restarting a running server does nothing.
func (s *Server) Restart() error {
	s.mu.Lock()
	running := s.proc != nil
	s.mu.Unlock()
	if running {
		return nil
	}
	return s.start()
}

// start runs the server on s.port and waits until it answers a PING.
func (s *Server) start() error {
	port := strconv.Itoa(s.port)
	logPath := filepath.Join(s.dir, "redis-"+port+".log")
	cmd := exec.Command(s.bin,
		"--port", port, "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", logPath)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", s.bin, err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(startTimeout)
	for ping(s.Addr()) != nil {
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("redis-server on port %s exited: %v\n%s", port, waitErr, lastLines(log, 5))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redis-server on port %s did not answer within %s", port, startTimeout)
		}
	}
	s.mu.Lock()
	s.proc, s.exited = cmd.Process, exited
	s.mu.Unlock()
	return nil
}

// ping sends PING in the protocol's inline form and expects +PONG.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lastLines returns up to n last lines of b.
func lastLines(b []byte, n int) string {
	end := len(b)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' && i < len(b)-1 {
			if n--; n == 0 {
				return string(b[i+1 : end])
			}
		}
	}
	return string(b[:end])
}
