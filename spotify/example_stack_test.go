package spotify_test

import (
	"context"
	"fmt"
	"log"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"golang.org/x/oauth2"

	"github.com/spotflow/spotflow/cache"
	"github.com/spotflow/spotflow/spotify"
	"github.com/spotflow/spotflow/spotifytest"
)

// Keep answers in memory: a catalog read is served from the cache while
// Spotify says it is fresh, and a user's playlist is revalidated with its
// ETag, which costs a 304 instead of the whole page.
func ExampleWithCache() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	store, err := cache.NewMemory(64 << 20)
	if err != nil {
		log.Fatal(err)
	}
	client, err := spotify.NewClient(
		spotify.WithBaseURL(srv.URL+"/v1/"),
		spotify.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.UserToken("")})),
		spotify.WithCache(store),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for range 3 {
		if _, err := client.Tracks.Get(ctx, srv.IDs().Tracks[0], nil); err != nil {
			log.Fatal(err)
		}
		if _, err := client.Playlists.Items(ctx, srv.IDs().Playlist10K, nil); err != nil {
			log.Fatal(err)
		}
	}
	st := srv.Stats()
	fmt.Println("track requests:", st.ByOp["get-track"])
	fmt.Println("playlist page requests:", st.ByOp["get-playlists-items"], "of which 304:", st.ByStatus[304])
	// Output:
	// track requests: 1
	// playlist page requests: 3 of which 304: 2
}

// Trace calls with an OpenTelemetry tracer provider: one client span per
// call, named after the route template, never the IDs.
func ExampleWithTracerProvider() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	client, err := spotify.NewClient(
		spotify.WithBaseURL(srv.URL+"/v1/"),
		spotify.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.UserToken("")})),
		spotify.WithTracerProvider(tp),
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Albums.Get(context.Background(), srv.IDs().Albums[0], nil); err != nil {
		log.Fatal(err)
	}
	for _, s := range spans.GetSpans() {
		fmt.Println(s.Name, s.SpanKind)
	}
	// Output: GET /v1/albums/{id} client
}
