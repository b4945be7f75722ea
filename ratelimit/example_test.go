package ratelimit_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/spotflow/spotflow/ratelimit"
)

// One Limiter per Spotify app, here paced to at most 180 requests in any
// 30 seconds and refusing to wait more than a minute for the gate.
func ExampleNew() {
	lim, err := ratelimit.New(
		ratelimit.WithWindow(180, 30*time.Second),
		ratelimit.WithMaxWait(time.Minute),
		ratelimit.WithMaxAttempts(4),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f requests/s\n", lim.Stats().Limit)
	// Output: 5.94 requests/s
}

// The Transport goes under an http.Client; every client of the app shares
// the Limiter. Here the server fails once with 503 and the Transport retries.
func ExampleTransport() {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{"id":"4iV5W9uYEdYUVa79Axb7Rh"}`)
	}))
	defer srv.Close()

	lim, err := ratelimit.New(ratelimit.WithBackoff(time.Millisecond, 10*time.Millisecond))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := &http.Client{Transport: ratelimit.NewTransport(nil, lim)}
	defer client.CloseIdleConnections()

	resp, err := client.Get(srv.URL + "/v1/tracks/4iV5W9uYEdYUVa79Axb7Rh")
	if err != nil {
		fmt.Println(err) // a *GateError when the gate is closed for too long
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	st := lim.Stats()
	fmt.Println(resp.StatusCode, string(body))
	fmt.Println("requests:", st.Requests, "retries:", st.Retries)
	// Output:
	// 200 {"id":"4iV5W9uYEdYUVa79Axb7Rh"}
	// requests: 2 retries: 1
}

func ExampleParseRetryAfter() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	d, ok := ratelimit.ParseRetryAfter("120", now)
	fmt.Println(d, ok)
	d, ok = ratelimit.ParseRetryAfter("Sun, 01 Mar 2026 13:00:00 GMT", now)
	fmt.Println(d, ok)
	_, ok = ratelimit.ParseRetryAfter("-1", now)
	fmt.Println(ok)
	// Output:
	// 2m0s true
	// 1h0m0s true
	// false
}
