// Package redisstore keeps the rate budget of one Spotify app in Redis, so
// that every process of the app (4 replicas of a service, a crawl spread
// over machines) paces itself on one budget instead of each on its own:
//
//	rdb, err := redisstore.NewClient("redis://localhost:6379/0")
//	store, err := redisstore.New(ctx, rdb, clientID)
//	defer store.Close()
//	lim, err := ratelimit.New(ratelimit.WithStore(store))
//
// Shared through Redis, under one key prefix per client ID:
//
//   - the bucket: a script evaluated atomically in Redis (the generic cell
//     rate algorithm, the same arithmetic as ratelimit's own bucket) grants
//     slots of one schedule to every process, so N processes together pace
//     at the app's rate, not N times it. A process leases as many slots as
//     it has requests waiting (up to 100 ms of the rate), so that its calls
//     to Redis stay below one per request;
//   - the gate: a 429 seen by any process closes it for all, published on a
//     channel so the others stop at once, not at their next lease; the
//     floor of a 429 naming no wait, and its probe, are shared too;
//   - the adaptive rate: a cut made by one process applies to all (compare
//     and swap, so that 429s seen together by several processes cut once),
//     growth is added every tenth of a second, and the learned rate (and
//     the window inferred from a 429) outlives the processes ([RateTTL]): a
//     process started later begins at it;
//   - what the app sent: each process adds the requests it sent to a log
//     with its next lease, and at once when the gate closes, so that the
//     process meeting a 429 infers the app's window from all of them.
//
// The in-flight cap and the retry budget stay per process.
//
// Failure is planned. Each call to Redis has a short timeout
// ([DefaultTimeout]) within the request's context. When Redis fails or is
// slow, the process goes on at its share of the last known rate (the rate
// divided by the processes that beat their heartbeat lately) and tries
// Redis again every [DefaultRetry]; when it answers, the process gives it
// what it learned meanwhile (a gate it closed, the rate if Redis lost it)
// and is back on the shared budget. No request fails because Redis did.
//
// All times are Redis's (its TIME command), so processes on machines whose
// clocks disagree still share one schedule.
//
// Any Redis 6.2 or later, or Valkey, works; a Redis Cluster too (the keys of
// one app share a hash slot).
package redisstore
