package auth_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/spotflow/spotflow/auth"
)

// Both stores of the package can lock.
var (
	_ auth.Locker = (*auth.MemoryStore)(nil)
	_ auth.Locker = (*auth.FileStore)(nil)
)

func TestMemoryStoreLockLease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var m auth.MemoryStore
		ctx := context.Background()
		unlockA, err := m.Lock(ctx, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}

		// A waiter gives up when its context ends.
		short, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if _, err := m.Lock(short, time.Second); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("lock while held: %v, want DeadlineExceeded", err)
		}

		// A holder that never unlocks loses the lock when its lease lapses.
		start := time.Now()
		unlockB, err := m.Lock(ctx, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited != 9*time.Second {
			t.Errorf("second holder waited %v, want the 9 s left of the first lease", waited)
		}

		// The first holder's late unlock must not free the second's lock.
		unlockA()
		got := make(chan time.Duration)
		go func() {
			start := time.Now()
			unlock, err := m.Lock(ctx, time.Second)
			if err != nil {
				t.Error(err)
			}
			unlock()
			got <- time.Since(start)
		}()
		time.Sleep(3 * time.Second) // fake time
		unlockB()
		unlockB() // a second call does nothing
		if waited := <-got; waited != 3*time.Second {
			t.Errorf("third holder waited %v, want until the second unlocked (3 s)", waited)
		}
	})
}

func TestFileStoreLockExcludesOtherOpens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "dir", "token.json")
		a, _ := auth.NewFileStore(path)
		b, _ := auth.NewFileStore(path) // another open of the file, as another process has
		ctx := context.Background()
		unlock, err := a.Lock(ctx, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		checkMode(t, a.LockPath(), 0o600)
		checkMode(t, filepath.Dir(path), 0o700|os.ModeDir)

		short, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if _, err := b.Lock(short, time.Minute); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("second lock while held: %v, want DeadlineExceeded", err)
		}

		done := make(chan error)
		go func() {
			unlock, err := b.Lock(ctx, time.Minute)
			if err == nil {
				unlock()
			}
			done <- err
		}()
		time.Sleep(200 * time.Millisecond) // fake time: b polls meanwhile
		unlock()
		if err := <-done; err != nil {
			t.Fatalf("lock after unlock: %v", err)
		}
		if _, err := os.Stat(a.LockPath()); err != nil {
			t.Errorf("lock file: %v", err)
		}
	})
}
