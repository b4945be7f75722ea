// Package auth implements the OAuth 2.0 flows of the Spotify accounts service
// on top of golang.org/x/oauth2:
//
//   - client credentials, for calls that need no user ([NewClientCredentials]);
//   - authorization code with PKCE, with or without a client secret
//     ([Config.Authorize], [Authorization.ParseCallback], [Config.Exchange]);
//   - refresh of user tokens, persisting rotated refresh tokens
//     ([NewRefreshSource]);
//   - a loopback login for command-line tools ([Login]);
//   - token stores in memory and in a file ([MemoryStore], [FileStore]).
//
// Spotify removed the implicit grant in November 2025; it is not offered.
//
// Every token source here fetches at most once for any number of concurrent
// callers, and runs its requests on the long-lived context it was built with,
// never on the context of a caller's request. Both sources implement
// RenewToken, which spotify.Client calls when the Web API refuses a token
// before its expiry (401): the source fetches a new one only if it still
// holds the refused one, once for all the callers reporting it.
//
// Processes that share a store share its token. With refresh-token
// rotation every refresh revokes the refresh token it spent, so a store
// that several processes use should implement [Locker] ([FileStore] and
// [MemoryStore] do): a [RefreshSource] refreshes under the store's lock and
// first reads the store, using a token another process saved meanwhile.
//
// Errors of the accounts service are [*Error] values matched with errors.Is
// against [ErrReauthRequired], [ErrInvalidClient], [ErrAccessDenied],
// [ErrStateMismatch], [ErrRedirected] and [ErrInvalidReply]. Whatever the
// accounts service sends, no error text and no log line carries a token, an
// authorization code, a PKCE verifier, the client secret or the Basic
// credential, in any encoding: its text is scrubbed, capped and escaped.
// Redirects from the accounts service are never followed.
package auth
