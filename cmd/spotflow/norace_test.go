//go:build !race

package main

// raceEnabled says the race detector is on; tests of 10,000 items skip.
const raceEnabled = false
