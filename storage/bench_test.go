package storage

import (
	"context"
	"strconv"
	"testing"

	"github.com/lurewatch/lurewatch"
)

// BenchmarkSaveAssessed measures the single writer: one ad and its
// assessment (two indicators) per transaction, to a real SQLite file.
func BenchmarkSaveAssessed(b *testing.B) {
	db, err := Open(context.Background(), b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a := assessed("ad"+strconv.Itoa(i), "Sihanoukville customer service, free flight", lurewatch.LevelHigh, 70)
		if err := db.SaveAssessed(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}
