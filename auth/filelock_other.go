//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package auth

import (
	"errors"
	"os"
)

// tryLockFile has no file lock to take on this platform: sources that
// share a FileStore here refresh without one.
func tryLockFile(*os.File) (bool, error) { return false, errors.ErrUnsupported }

func unlockFile(*os.File) error { return nil }
