// Package spotifytest runs a fake Spotify Web API and accounts service for
// tests, demos and users of any language. It speaks the wire format of
// Spotify's OpenAPI contract and does not share types with the client, so a
// mistake in the client's models cannot hide behind the same mistake here.
//
// # Starting
//
// [NewServer] starts a fake on 127.0.0.1 for a test; [Start] runs one on a
// given address, as `spotflow fake-server` does. Both serve a synthetic
// catalog fixed by the seed ([WithSeed], [WithSize]) and a mutable state
// per user (library, follows, playlists, player). [Server.IDs] lists what
// exists.
//
// # Tokens
//
// The accounts service at [Server.TokenURL] and [Server.AuthURL] implements
// the client credentials grant, the authorization code grant with and
// without PKCE (S256), and refreshing, with optional rotation
// ([WithRefreshRotation]). /authorize approves at once for the login user
// ([WithLoginUser], or cancels with [WithLoginDenied]) and redirects back
// with 303. Tests that need no flow take tokens directly:
// [Server.ClientToken], [Server.UserToken], [Server.RefreshToken]; and
// change them: [Server.ExpireAccessTokens], [Server.RevokeRefreshToken].
//
// # What every Web API request goes through
//
//  1. The request log and counters ([Server.Stats], [Server.Requests]).
//  2. Latency ([WithLatency]) and faults ([WithFaults]): 500, 502, 503, 429,
//     connection reset, truncated body, stall; drawn from the seed, so the
//     same requests fail on every run.
//  3. The rolling rate window per client ID ([WithRateLimit],
//     [WithRetryAfter]): 429 with Retry-After and
//     {"error":{"status":429,"message":"Too many requests","reason":"QUOTA_EXCEEDED"}}.
//     Refused requests do not count, so the Retry-After sent is kept.
//  4. The token: 401 "No token provided", "Invalid access token" or "The
//     access token expired"; 400 "Only valid bearer authentication
//     supported" for another scheme.
//  5. User operations refuse a client-credentials token, and a user token
//     carrying none of the operation's scopes, with 403 "Insufficient
//     client scope" (a client token has no scope, and that is the answer
//     Spotify gives it). On catalog operations that list a scope, Spotify
//     uses it only for user-specific fields such as resume points, so they
//     are not refused.
//  6. In [DevelopmentMode], the operations Spotify removed for such apps
//     answer 403 "Forbidden".
//
// A 200 answer to a GET carries an ETag and a Cache-Control header
// ("public, max-age=7200" for catalog reads, "private, max-age=0" for a
// user's data and playlists), and a GET whose If-None-Match names the
// current ETag is answered 304 with no body. A playlist's ETags change
// with its snapshot ID.
//
// An unknown path answers 404 "Service not found" and a known path with
// the wrong method 405, both with Spotify's error object.
//
// # Time
//
// Token expiry, the rate window and the request log use the server's clock
// ([WithClock]), so tests can move time without waiting. Latency and stalls
// wait in real time and give up when the client does or when
// [Server.Close] is called, which waits for every request to finish.
package spotifytest
