//go:build unix

package bench

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used, user and system: with
// the fake in a child process, the client's own cost, garbage collection
// included, whatever the scheduler did to the wall-clock time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
