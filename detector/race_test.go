//go:build race

package detector

// raceEnabled is set when the tests run under the race detector, which
// slows the naive baseline too much to run it over a whole corpus.
const raceEnabled = true
