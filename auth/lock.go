package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Locker is implemented by a [Store] that several processes share (a file,
// a Redis key) so that one of them at a time renews the token. With
// refresh-token rotation each refresh revokes the refresh token it spent:
// two processes refreshing with the same one would leave one of them
// holding a dead grant. A [RefreshSource] whose store is a Locker refreshes
// under the lock, and first reads the store: when another process has saved
// a token meanwhile, it uses that one and sends no request.
//
// Lock waits until the caller holds the lock or ctx ends; then it returns
// an error wrapping ctx's. The caller releases the lock by calling unlock
// (once; later calls do nothing). lease bounds how long the lock outlives a
// holder that never calls unlock, a process that crashed or hung: a store
// whose lock lives on a server (Redis) lets it lapse after lease; one whose
// lock the operating system drops when the process ends ([FileStore]) may
// ignore it. A source passes a lease longer than one exchange with the
// accounts service may take. Should a lease lapse while its holder still
// works, a second process may refresh at the same time; the source still
// keeps the grant, since a refresh refused with invalid_grant reads the
// store again for the token the other process saved.
//
// A Store that cannot lock in some situation (a platform without file
// locks) returns an error; the source then refreshes without the lock.
type Locker interface {
	Lock(ctx context.Context, lease time.Duration) (unlock func(), err error)
}

// DefaultLockLease is the lease a source asks for when it locks its store:
// twice the default timeout of one request to the accounts service, so a
// slow but live refresh keeps it, and a crashed holder delays the others by
// at most this long.
const DefaultLockLease = 2 * defaultHTTPTimeout

// memLock is [MemoryStore]'s lock: a lease that lapses on its own, as a lock
// in Redis does, so that tests see the behaviour of such stores.
type memLock struct {
	held    bool
	id      uint64
	expires time.Time
	free    chan struct{} // closed when the current holder unlocks
}

// Lock takes the store's lock, waiting until it is free, its lease has
// lapsed, or ctx ends. A holder that never calls unlock loses the lock
// after lease.
func (m *MemoryStore) Lock(ctx context.Context, lease time.Duration) (unlock func(), err error) {
	if lease <= 0 {
		return nil, errors.New("auth: MemoryStore.Lock: lease must be positive")
	}
	for {
		m.mu.Lock()
		now := time.Now()
		if !m.lock.held || !now.Before(m.lock.expires) {
			m.lock = memLock{held: true, id: m.lock.id + 1, expires: now.Add(lease), free: make(chan struct{})}
			id := m.lock.id
			m.mu.Unlock()
			return sync.OnceFunc(func() { m.unlock(id) }), nil
		}
		free, wait := m.lock.free, m.lock.expires.Sub(now)
		m.mu.Unlock()

		t := time.NewTimer(wait)
		select {
		case <-free:
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("auth: waiting for the store's lock: %w", ctx.Err())
		}
		t.Stop()
	}
}

// unlock releases the lock if id still holds it (its lease may have lapsed
// and another holder taken it).
func (m *MemoryStore) unlock(id uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lock.held && m.lock.id == id {
		m.lock.held = false
		close(m.lock.free)
	}
}

// lockPoll bounds the pause between two attempts to take a file lock held
// by another process. Operating systems offer no wait on a file lock that
// a context can end, so the wait is a poll, starting at a millisecond.
const lockPoll = 50 * time.Millisecond

// Lock takes an exclusive lock on a file beside the token file (its path
// with ".lock" added; the token file itself is replaced on every save, so
// it cannot carry the lock), waiting until no other process holds it or
// ctx ends. The operating system releases the lock when the process ends,
// so lease is not needed and is ignored. The lock file is created with
// mode 0600 and left in place: removing it while another process waits
// would let two processes hold two different locks.
//
// Locks are advisory: they keep out processes that lock too, as every
// FileStore does. On platforms without file locks (other than Unix and
// Windows) Lock returns an error matching errors.ErrUnsupported.
func (f *FileStore) Lock(ctx context.Context, lease time.Duration) (unlock func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("auth: waiting for the token file's lock: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return nil, fmt.Errorf("auth: locking the token file: %w", err)
	}
	lf, err := os.OpenFile(f.LockPath(), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("auth: locking the token file: %w", err)
	}
	for wait := time.Millisecond; ; wait = min(2*wait, lockPoll) {
		ok, err := tryLockFile(lf)
		if err != nil {
			lf.Close()
			return nil, fmt.Errorf("auth: locking the token file %s: %w", f.LockPath(), err)
		}
		if ok {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			lf.Close()
			return nil, fmt.Errorf("auth: waiting for the token file's lock: %w", ctx.Err())
		}
	}
	return sync.OnceFunc(func() {
		_ = unlockFile(lf)
		_ = lf.Close()
	}), nil
}

// LockPath returns the path of the file [FileStore.Lock] locks.
func (f *FileStore) LockPath() string { return f.path + ".lock" }
