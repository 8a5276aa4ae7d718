package extract

import "testing"

// BenchmarkPlacesRef runs the reference placesRef over the corpus
// BenchmarkPlaces runs Places over.
func BenchmarkPlacesRef(b *testing.B) { benchCorpus(b, func(s string) { placesRef(s) }) }
