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
// never on the context of a caller's request. Errors of the accounts service
// are [*Error] values matched with errors.Is against [ErrReauthRequired],
// [ErrInvalidClient], [ErrAccessDenied] and [ErrStateMismatch]. No error text
// and no log line ever carries a token, an authorization code, a PKCE
// verifier or the client secret.
package auth
