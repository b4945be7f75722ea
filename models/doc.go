// Package models holds plain data types for every object of the Spotify Web
// API, the generic page types, and the ID, URI and URL parsing every request
// starts from.
//
// Decoding is tuned for speed and for what Spotify really sends: use
// [Unmarshal] and [Marshal], which keep undeclared fields and accept the
// inconsistencies documented on each type.
package models
