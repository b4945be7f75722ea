module github.com/spotflow/spotflow/bench

go 1.25.0

replace github.com/spotflow/spotflow => ../

require (
	github.com/redis/go-redis/v9 v9.22.0
	github.com/spotflow/spotflow v0.0.0-00010101000000-000000000000
	github.com/zmb3/spotify/v2 v2.4.3
	go.uber.org/goleak v1.3.0
	golang.org/x/oauth2 v0.36.0
	golang.org/x/time v0.15.0
)

require (
	github.com/cenkalti/backoff/v4 v4.3.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20251027170946-4849db3c2f7e // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
