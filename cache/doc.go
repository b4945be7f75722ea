// Package cache is an HTTP cache for API answers, as an [http.RoundTripper],
// and the stores it keeps them in.
//
// [Transport] honours the Cache-Control header of the answers to GET
// requests (max-age, s-maxage, no-store, no-cache, private) and revalidates
// answers that carry an ETag: once an answer is stale it sends the request
// again with If-None-Match, and a 304 Not Modified serves the kept body
// without the server sending it again. It never serves an answer past its
// freshness without a revalidation, never keeps an answer the server said
// not to keep, and never caches anything but a GET.
//
// Answers are kept apart by the identity of whoever asked ([Transport.Scope]):
// an answer that belongs to one caller (a user's profile, library, player
// or playlists) is kept under that caller's identity, never served to
// another, and an answer marked "private" is never kept for everyone. The
// identity is a keyed hash chosen by the caller of this package, never a
// token; stored keys are hashes of the identity and the request, so a store
// holds no token, no ID and no query in clear.
//
// A [Store] keeps encoded answers: [NewMemory] in the process, bounded by
// bytes; a shared store such as one on Redis lets replicas serve one
// another's answers.
package cache
