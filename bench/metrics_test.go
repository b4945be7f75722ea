package bench

import (
	"testing"
	"time"
)

// reportItems reports items per second, perOp items being handled in each
// iteration.
func reportItems(b *testing.B, perOp int) {
	b.ReportMetric(float64(perOp)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// reportCPU reports the process's CPU time per iteration since start (a
// processCPU reading). On loopback, wall-clock time is mostly the two
// processes waking each other up, which the scheduler, not the client,
// decides; CPU time is what the client itself spends.
func reportCPU(b *testing.B, start time.Duration) {
	if start > 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}
