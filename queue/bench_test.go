package queue

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// BenchmarkPublishAd measures a synchronous, deduplicated publish to the
// embedded server's file store (in-process connection), ack awaited.
func BenchmarkPublishAd(b *testing.B) {
	q, err := Open(context.Background(), Options{DataDir: b.TempDir(), AckWait: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	ctx := context.Background()
	ad := testAd("bench")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ad.ID = "bench" + strconv.Itoa(i)
		if err := q.PublishAd(ctx, ad); err != nil {
			b.Fatal(err)
		}
	}
}
