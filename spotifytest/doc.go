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
// with 303. Like Spotify's, the token endpoint reads its parameters from
// the form body or the query string. Tests that need no flow take tokens
// directly:
// [Server.ClientToken], [Server.UserToken], [Server.RefreshToken]; and
// change them: [Server.ExpireToken] and [Server.RevokeToken] end one token
// early, [Server.ExpireAccessTokens] every access token at once.
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
// the wrong method 405, both with Spotify's error object. A path with a
// trailing slash is served as the path without it, as Spotify serves it.
//
// # Answers
//
// Bodies validate against the contract except where Spotify's own answers
// do not: a batch lookup answers null for an unknown ID, and a playlist
// read without "episode" in additional_types gets its episodes in a
// track's shape. Playlist rows carry the "episode" and "track" booleans
// Spotify adds there. Every href, next and previous link of an answer is
// one the fake serves.
//
// Search reads Spotify's query syntax: keywords in any order, "quoted
// phrases", the field filters artist:, album:, track:, year: (a year or a
// range such as 1990-1999), genre:, isrc:, upc:, tag:new and tag:hipster,
// each for the types Spotify applies it to (a value may be quoted:
// artist:"Miles Davis"), and the operators NOT and OR in upper case.
// tag:new finds the albums /browse/new-releases lists.
//
// # Time
//
// Token expiry, the rate window and the request log use the server's clock
// ([WithClock]), so tests can move time without waiting. Latency and stalls
// wait in real time and give up when the client does or when
// [Server.Close] is called, which waits for every request to finish.
package spotifytest
