//go:build !unix

package ratelimit

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
