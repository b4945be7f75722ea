// Package ratelimit is spotflow's shared request budget and retry policy,
// exposed as an [http.RoundTripper].
//
// Spotify counts requests per app (per client ID) over a rolling 30-second
// window whose size it does not publish, and answers 429 Too Many Requests
// with a Retry-After header that has been seen anywhere from one second to
// many hours. Because the budget belongs to the app, not to a connection or a
// goroutine, one [*Limiter] is made per app and shared by every client and
// goroutine that speaks for it.
//
// A request passes four stages, in this order, before it is sent:
//
//   - The gate. A 429 closes it until Retry-After has passed, for every
//     caller of the Limiter: a server that said "stop" gets no request until
//     it said it would take one. A caller whose context deadline, or whose
//     [WithMaxWait], falls before the gate opens is refused at once with a
//     [*GateError] (it matches [ErrRateLimited] and carries RetryAfter) rather
//     than sleeping for hours. A 429 that names no usable wait (Retry-After
//     missing, zero, negative or in the past) closes it for a floor, 1 s
//     doubling on repeats up to [MaxGateFloor]; the gate then opens to one
//     request at a time, a probe, until one is not refused.
//   - The bucket, a token bucket kept as one instant (GCRA, the generic
//     cell rate algorithm). By default it is adaptive ([WithAdaptive]): it
//     probes upward until the first 429, doubling its rate every round
//     trip as TCP's slow start does, and then infers the server's rolling
//     window from the requests it sent and the 429's Retry-After (a window
//     refuses once it holds n requests, and names the seconds until its
//     oldest leaves), and keeps within it as if told it. A 429 that fits
//     no window cuts the rate, which climbs back by a small step on each
//     success (AIMD, as TCP does). [WithWindow] and [WithRate] pace at a
//     fixed rate instead; within a window, told or inferred, a guard also
//     sends request k only once the window has passed since the answer to
//     request k−n, which keeps the server's count within the window
//     whatever the network does to the timing. Callers whose slots fall
//     due close together are let go together, on one wake-up of the
//     process.
//   - The in-flight cap ([WithMaxInFlight]): at most so many requests are
//     outstanding, so a slow server does not pile up connections.
//   - The gate again, since it may have closed while the caller waited.
//
// [Transport] runs each attempt through these stages and then decides whether
// to try again:
//
//   - 500, 502, 503 and 504 answers and transient network errors (reset, EOF,
//     timeouts, failed dials) are retried after an exponential backoff with
//     full jitter (a wait drawn uniformly between zero and the exponential
//     bound), so that many clients failing together do not retry together.
//   - A 429 is retried once the gate opens, if the request's total wait stays
//     within MaxWait and the deadline; otherwise the 429 itself is returned
//     to its caller. Such a retry spends neither an attempt nor the retry
//     budget: the server asked for the wait and the gate made every caller
//     honour it, so it adds no load a failing server did not ask for. A
//     request follows at most [MaxRateLimitedRetries] 429s.
//   - Only requests that are safe to repeat are repeated after a failure
//     that may have reached the server (a 5xx, a reset, an early EOF, a
//     timeout). A request is safe to repeat when its method is GET, HEAD,
//     OPTIONS or TRACE, or when it carries an Idempotency-Key or
//     X-Idempotency-Key header: the mark net/http's own Transport reads for
//     its silent retries on a reused connection, so both layers follow one
//     rule. Setting the header to nil (req.Header["Idempotency-Key"] = nil)
//     marks a request without sending anything: net/http writes no line for
//     a header without values. Every other request, PUT and DELETE included
//     (an API's PUT may move a range, its DELETE remove by position), is
//     retried only when it surely never reached the server: a 429, or a
//     dial error (no connection was made). A body is sent again only when
//     the request can replay it (http.Request.GetBody).
//   - Attempts per request are bounded ([WithMaxAttempts]), and retries across
//     the whole Limiter may not exceed a share of recent requests
//     ([WithRetryBudget]): a server that is failing gets a trickle of retries,
//     not a multiple of the normal load.
//
// Waits never use time.Sleep: each one is a timer in a select with the
// context, so cancelling a context ends any wait at once with the context's
// error.
//
// Every process speaking for one app should share the gate, the bucket and
// the adaptive rate: Spotify counts per app. They live behind the [Store]
// interface; [NewMemoryStore] (the default) keeps them in the process, and
// ratelimit/redisstore keeps them in Redis, so that many replicas pace on
// one budget and honour one another's 429s without any change to callers.
// Callers waiting together take their slots of a shared bucket in one call
// ([Lease]), so a remote store costs less than one call per request. The
// in-flight cap and the retry budget stay per Limiter.
//
// The Transport never puts a request header (Authorization in particular) in
// an error or a log line. Logging is optional, through [WithLogger].
package ratelimit
