//go:build !unix

package bench

import "time"

// processCPU is unknown on this system; cpu-ns/op is then not reported.
func processCPU() time.Duration { return 0 }
