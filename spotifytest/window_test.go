package spotifytest

import (
	"testing"
	"time"
)

// want429 checks the window's answer and its Retry-After.
func want429(t *testing.T, a answer, retryAfter string) {
	t.Helper()
	st, msg, reason := a.errorBody(t)
	if a.status != 429 || st != 429 || msg != "Too many requests" || reason != "QUOTA_EXCEEDED" {
		t.Fatalf("got %d %s, want the quota 429", a.status, a.body)
	}
	if got := a.header.Get("Retry-After"); got != retryAfter {
		t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
}

func TestWindowEdges(t *testing.T) {
	clock := newClock()
	s := newTest(t, WithClock(clock.Now), WithRateLimit(3, 30*time.Second))
	tok := s.ClientToken()
	get := func() answer { return send(t, s, "GET", "/v1/things/x", tok) }
	t0 := clock.Now()
	for i := range 3 { // at t0, t0+1s, t0+2s
		if a := get(); a.status != 200 {
			t.Fatalf("request %d: %d", i, a.status)
		}
		clock.Add(time.Second)
	}
	clock.Add(7 * time.Second) // t0+10s
	want429(t, get(), "20")
	clock.Add(20*time.Second - time.Nanosecond) // a nanosecond before the first leaves
	want429(t, get(), "1")
	clock.Add(time.Nanosecond) // t0+30s: the first left
	if a := get(); a.status != 200 {
		t.Fatalf("when the oldest left: %d %s", a.status, a.body)
	}
	if !clock.Now().Equal(t0.Add(30 * time.Second)) {
		t.Fatal("clock arithmetic")
	}
	// Full again: the next room is when the t0+1s request leaves.
	want429(t, get(), "1")
	clock.Add(time.Second)
	if a := get(); a.status != 200 {
		t.Fatalf("at t0+31s: %d", a.status)
	}
	if n := s.Stats().RateLimited; n != 3 {
		t.Fatalf("RateLimited = %d, want 3", n)
	}
}

// TestWindowRefusedNotCounted: coming back early is refused with the
// remaining wait, and does not push the room further away.
func TestWindowRefusedNotCounted(t *testing.T) {
	clock := newClock()
	s := newTest(t, WithClock(clock.Now), WithRateLimit(2, 10*time.Second))
	tok := s.ClientToken()
	get := func() answer { return send(t, s, "GET", "/v1/things/x", tok) }
	get()
	get()
	for i, want := range []string{"10", "8", "6", "4", "2"} {
		want429(t, get(), want)
		if i < 4 {
			clock.Add(2 * time.Second)
		}
	}
	clock.Add(2 * time.Second)
	if a := get(); a.status != 200 {
		t.Fatalf("after Retry-After: %d", a.status)
	}
	if a := get(); a.status != 200 {
		t.Fatalf("both left at once: %d", a.status)
	}
}

func TestWindowLongRetryAfter(t *testing.T) {
	clock := newClock()
	s := newTest(t, WithClock(clock.Now), WithRateLimit(1, 30*time.Second), WithRetryAfter(24*time.Hour))
	tok := s.ClientToken()
	send(t, s, "GET", "/v1/things/x", tok)
	want429(t, send(t, s, "GET", "/v1/things/x", tok), "86400")
	clock.Add(time.Minute) // the window has room, but the ban holds
	want429(t, send(t, s, "GET", "/v1/things/x", tok), "86340")
	clock.Add(24*time.Hour - time.Minute)
	if a := send(t, s, "GET", "/v1/things/x", s.ClientToken()); a.status != 200 {
		t.Fatalf("after the ban: %d", a.status)
	}
}

// TestWindowBeforeToken: the window counts requests whatever their token,
// as Spotify's gateway does, and per client.
func TestWindowBeforeToken(t *testing.T) {
	clock := newClock()
	s := newTest(t, WithClock(clock.Now), WithRateLimit(1, time.Second))
	tok := s.ClientToken()
	send(t, s, "GET", "/v1/things/x", tok)
	s.ExpireAccessTokens()
	want429(t, send(t, s, "GET", "/v1/things/x", tok), "1") // same client, expired token
	// No token: another bucket.
	wantError(t, send(t, s, "GET", "/v1/things/x", ""), 401, "No token provided")
}

func TestWindowPerClient(t *testing.T) {
	var wd window
	wd.init(1, time.Minute, 0)
	now := time.Unix(0, 0)
	if ok, _ := wd.admit("a", now); !ok {
		t.Fatal("a refused")
	}
	if ok, _ := wd.admit("b", now); !ok {
		t.Fatal("b shares a's window")
	}
	if ok, wait := wd.admit("a", now.Add(time.Second)); ok || wait != 59*time.Second {
		t.Fatalf("a: %v %v", ok, wait)
	}
	var off window
	off.init(0, time.Minute, 0)
	for range 100 {
		if ok, _ := off.admit("a", now); !ok {
			t.Fatal("window off refused")
		}
	}
}
