// Package async runs calls of a [spotify.Client] concurrently: futures for
// single calls, ordered channel streams for paged lists, and bounded fan-out
// for batch lookups and user pipelines.
//
// # Futures
//
// [Go] starts a call at once and returns a [Future]; [Future.Await] waits
// for its result. Every single call of the synchronous client has a mirror
// that returns a Future (client.Tracks.Get, client.Albums.Get, ...).
//
// # Streams
//
// A [Stream] delivers the items of a paged list in order, through a channel
// ([Stream.C]) or a range-over-func iterator ([Stream.All]). Offset-paged
// lists fetch their first page, learn the total, then fetch the remaining
// pages concurrently within a prefetch window ([WithPrefetch], default 8):
// at most that many pages are in flight or waiting to be delivered, and no
// page beyond the window is fetched while the consumer lags, so memory stays
// bounded however long the list is, and whatever total the server claims:
// offsets are planned only as the window needs them. Every page, fetched
// ahead or not, is handed in order to the same checks as the sequential
// walk ([paging.Walk]), so a stream delivers exactly what the service's
// ...All iterator delivers from the same server, and ends with the same
// error when the server is wrong. Cursor-paged lists are fetched one page
// after another.
//
// # Batch lookups
//
// The GetMany methods de-duplicate IDs, split them into chunks of the
// endpoint's maximum, look the chunks up concurrently ([WithConcurrency],
// default 8) and return results in input order. When Spotify refuses the
// batch endpoint with 403 (Development Mode apps since February 2026), they
// fall back to single-ID lookups and remember that for the client.
//
// # Failure
//
// The same rules hold everywhere in this package:
//   - the first error cancels the work still running and is returned; for
//     streams it comes after every item that precedes it in the list, in
//     order, through [Stream.Err] or the iterator;
//   - cancelling the context, closing a stream, or breaking out of a range
//     over [Stream.All] stops every goroutine behind it; [Stream.Close] and
//     the iterator wait until they have exited;
//   - a panic in a function this package runs is recovered and returned as
//     a *[PanicError] rather than crashing the program.
//
// Requests still go through the synchronous client's transport, so every
// goroutine shares the client's rate limiter: fan-out never outruns the
// app's budget, it only fills it.
package async
