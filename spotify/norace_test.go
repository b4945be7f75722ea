//go:build !race

package spotify

// raceEnabled says the race detector is on: TestHostileBodiesAtTheCap,
// sequential and made of 16 MiB copies the detector shadows byte by byte,
// skips.
const raceEnabled = false
