package spotifytest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// statuses sends n GETs to path and returns their statuses.
func statuses(t *testing.T, s *Server, path string, n int) []int {
	t.Helper()
	tok := s.ClientToken()
	out := make([]int, n)
	for i := range out {
		out[i] = send(t, s, "GET", path, tok).status
	}
	return out
}

func TestFaultDeterminism(t *testing.T) {
	faults := WithFaults(Fault{Kind: Kind500, Rate: 0.3}, Fault{Kind: Kind503, Rate: 0.2})
	a := newTest(t, WithSeed(7), faults)
	b := newTest(t, WithSeed(7), faults)
	c := newTest(t, WithSeed(8), faults)

	first := statuses(t, a, "/v1/things/x", 60)
	// b interleaves requests to another operation: get-thing's sequence
	// must not change.
	var second []int
	for range 60 {
		second = append(second, statuses(t, b, "/v1/things/x", 1)...)
		statuses(t, b, "/v1/scoped/x", 1)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatalf("same seed, different faults:\n%v\n%v", first, second)
	}
	if reflect.DeepEqual(first, statuses(t, c, "/v1/things/x", 60)) {
		t.Fatal("another seed gave the same faults")
	}
	count := map[int]int{}
	for _, st := range first {
		count[st]++
	}
	if count[500] == 0 || count[503] == 0 || count[200] == 0 || count[500]+count[503]+count[200] != 60 {
		t.Fatalf("mix %v", count)
	}
	if got := a.Stats().Faults; got != count[500]+count[503] {
		t.Fatalf("Stats.Faults %d, want %d", got, count[500]+count[503])
	}
}

func TestFaultRates(t *testing.T) {
	s := newTest(t, WithFaults(Fault{Kind: Kind500, Rate: 0.25}))
	n := 0
	for _, st := range statuses(t, s, "/v1/things/x", 400) {
		if st == 500 {
			n++
		}
	}
	if n < 60 || n > 140 { // 100 expected; the seed fixes the outcome
		t.Fatalf("%d of 400 failed at rate 0.25", n)
	}
}

func TestFaultStatuses(t *testing.T) {
	for _, tc := range []struct {
		kind    FaultKind
		status  int
		message string
	}{
		{Kind500, 500, "Server error"},
		{Kind502, 502, "Bad gateway"},
		{Kind503, 503, "Service unavailable"},
	} {
		s := newTest(t, WithFaults(Fault{Kind: tc.kind, Rate: 1}))
		wantError(t, send(t, s, "GET", "/v1/things/x", s.ClientToken()), tc.status, tc.message)
		if r := s.Requests()[0]; r.Fault != tc.kind || r.Status != tc.status {
			t.Fatalf("log %+v", r)
		}
	}
	s := newTest(t, WithFaults(Fault{Kind: Kind429, Rate: 1, RetryAfter: 1500 * time.Millisecond}))
	a := send(t, s, "GET", "/v1/things/x", "") // faults come before the token check
	want429(t, a, "2")
	if st := s.Stats(); st.RateLimited != 0 || st.Faults != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFaultPerOperation(t *testing.T) {
	s := newTest(t, WithFaults(Fault{Op: "get-scoped-thing", Kind: Kind502, Rate: 1}))
	tok := s.ClientToken()
	if a := send(t, s, "GET", "/v1/things/x", tok); a.status != 200 {
		t.Fatalf("other operation: %d", a.status)
	}
	if a := send(t, s, "GET", "/v1/scoped/x", tok); a.status != 502 {
		t.Fatalf("named operation: %d", a.status)
	}
}

func TestFaultTokenEndpoint(t *testing.T) {
	cc := url.Values{"grant_type": {"client_credentials"}}
	global := newTest(t, WithFaults(Fault{Kind: Kind503, Rate: 1}))
	postForm(t, global, cc, true) // global faults spare the accounts service
	named := newTest(t, WithFaults(Fault{Op: OpToken, Kind: Kind503, Rate: 1}))
	if a := tokenRequest(t, named, cc, true); a.status != 503 {
		t.Fatalf("token fault: %d", a.status)
	}
	if st := named.Stats(); st.TokenRequests != 1 || st.Faults != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFaultReset(t *testing.T) {
	s := newTest(t, WithFaults(Fault{Kind: KindReset, Rate: 1}))
	req, _ := http.NewRequest("GET", s.URL+"/v1/things/x", nil)
	resp, err := s.ts.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d", resp.StatusCode)
	}
	if r := s.Requests()[0]; r.Fault != KindReset || r.Status != 0 {
		t.Fatalf("log %+v", r)
	}
}

func TestFaultTruncate(t *testing.T) {
	s := newTest(t, WithFaults(Fault{Kind: KindTruncate, Rate: 1}))
	req, _ := http.NewRequest("GET", s.URL+"/v1/things/some-long-id-to-cut", nil)
	req.Header.Set("Authorization", "Bearer "+s.UserToken("gina"))
	resp, err := s.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("read %q: %v", b, err)
	}
	if resp.StatusCode != 200 || resp.ContentLength != int64(2*len(b)) && resp.ContentLength != int64(2*len(b)+1) {
		t.Fatalf("status %d, Content-Length %d, got %d bytes", resp.StatusCode, resp.ContentLength, len(b))
	}
	if !strings.HasPrefix(string(b), `{"id":`) {
		t.Fatalf("not the real body: %q", b)
	}
	if r := s.Requests()[0]; r.Fault != KindTruncate || r.Status != 200 || r.User != "gina" {
		t.Fatalf("log %+v", r)
	}
}

func TestFaultStallClientGivesUp(t *testing.T) {
	s := newTest(t, WithFaults(Fault{Kind: KindStall, Rate: 1}))
	stalled := make(chan struct{}, 1)
	setStallHook(s, func() { stalled <- struct{}{} })
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-stalled; cancel() }()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/v1/things/x", nil)
	resp, err := s.ts.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d", resp.StatusCode)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

// TestFaultStallClose: Close ends a stall, the client sees an error, and
// goleak (TestMain) sees no goroutine left behind.
func TestFaultStallClose(t *testing.T) {
	s := NewServer(WithSize(tinySize), withRoutes(testRoutes()...), WithFaults(Fault{Kind: KindStall, Rate: 1}))
	stalled := make(chan struct{}, 1)
	setStallHook(s, func() { stalled <- struct{}{} })
	client := s.ts.Client()
	done := make(chan error, 1)
	go func() {
		resp, err := client.Get(s.URL + "/v1/things/x")
		if err == nil {
			resp.Body.Close()
			err = errors.New("answered " + resp.Status)
		}
		done <- err
	}()
	<-stalled
	s.Close()
	if err := <-done; err == nil || strings.HasPrefix(err.Error(), "answered") {
		t.Fatalf("client: %v", err)
	}
}

func TestLatency(t *testing.T) {
	s := newTest(t, WithLatency(15*time.Millisecond, 10*time.Millisecond))
	send(t, s, "GET", "/v1/things/x", s.ClientToken())
	if d := s.Requests()[0].Duration; d < 15*time.Millisecond {
		t.Fatalf("served in %v", d)
	}
	// Jitter is drawn from the seed: the same for the same request.
	a, b := time.Duration(draw(1, "get-thing", 1, 0)*float64(10*time.Millisecond)), time.Duration(draw(1, "get-thing", 1, 0)*float64(10*time.Millisecond))
	if a != b || a >= 10*time.Millisecond {
		t.Fatalf("jitter %v %v", a, b)
	}
}

// TestLatencyClose: Close does not wait out a long delay.
func TestLatencyClose(t *testing.T) {
	s := NewServer(WithSize(tinySize), withRoutes(testRoutes()...), WithLatency(time.Hour, 0))
	client := s.ts.Client()
	done := make(chan error, 1)
	go func() {
		resp, err := client.Get(s.URL + "/v1/things/x")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for s.faults.count("get-thing") == 0 {
		time.Sleep(time.Millisecond) // until the request is in the delay
	}
	s.Close()
	if err := <-done; err == nil {
		t.Fatal("a closed server answered")
	}
}

func setStallHook(s *Server, f func()) {
	s.faults.mu.Lock()
	s.faults.onStall = f
	s.faults.mu.Unlock()
}

func (f *faultState) count(op string) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[op]
}

func TestParseFaults(t *testing.T) {
	got, err := ParseFaults(" 500:0.1, reset:0.02,429:0.02@1s ,get-track=stall:5%,truncate:1,502:0,503:100%")
	if err != nil {
		t.Fatal(err)
	}
	want := []Fault{
		{Kind: Kind500, Rate: 0.1}, {Kind: KindReset, Rate: 0.02},
		{Kind: Kind429, Rate: 0.02, RetryAfter: time.Second}, {Op: "get-track", Kind: KindStall, Rate: 0.05},
		{Kind: KindTruncate, Rate: 1}, {Kind: Kind502, Rate: 0}, {Kind: Kind503, Rate: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	if f, err := ParseFaults(""); err != nil || f != nil {
		t.Fatalf("empty: %v %v", f, err)
	}
	for _, bad := range []string{"500", "404:0.1", "500:1.5", "500:-0.1", "500:x", "500:0.1@1s", "429:0.1@x", "500:101%", "429:1@-1s"} {
		if _, err := ParseFaults(bad); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	for _, k := range []FaultKind{Kind500, Kind502, Kind503, Kind429, KindReset, KindTruncate, KindStall} {
		if f, err := ParseFaults(k.String() + ":1"); err != nil || f[0].Kind != k {
			t.Errorf("%v does not round-trip: %v", k, err)
		}
	}
}

func TestParseRate(t *testing.T) {
	for spec, want := range map[string]struct {
		n int
		d time.Duration
	}{
		"100/30s": {100, 30 * time.Second}, "5/1m": {5, time.Minute}, "10/s": {10, time.Second},
		" 7 / 1.5s ": {7, 1500 * time.Millisecond}, "off": {0, 0}, "": {0, 0},
	} {
		n, d, err := ParseRate(spec)
		if err != nil || n != want.n || d != want.d {
			t.Errorf("%q: %d %v %v", spec, n, d, err)
		}
	}
	for _, bad := range []string{"100", "0/30s", "-1/30s", "x/30s", "10/x", "10/0s", "10/1us"} {
		if _, _, err := ParseRate(bad); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
