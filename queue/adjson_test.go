package queue

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

// trickyStrings need every kind of escape, and runs of plain bytes of
// every length around them, so that the eight-byte scan meets them at
// every offset.
var trickyStrings = []string{
	"",
	"plain ASCII text, no escapes at all; long enough for several words.",
	`quote " backslash \ slash / <b>tag</b> & amp`,
	"controls \x00\x01\b\f\n\r\t\x1f\x7f end",
	"ünïcödé Камбоджа 西港 ស្វាយ 💵✈️",
	"line\u2028sep\u2029para",
	"invalid \xff\xfe utf-8 \xe2\x82 cut",
	"12345678<", "1234567<", "123456789&", "\"1234567", "1234567\xff",
	strings.Repeat("Free flight and visa, <no> experience & \"contact\" us.\n", 50),
}

// fullAd returns an ad with every field set to a non-zero value, by
// reflection, so that a field added to lurewatch.Ad without a place in
// appendAdJSON makes TestAppendAdJSONMatchesMarshal fail.
func fullAd(t testing.TB, s string) *lurewatch.Ad {
	t.Helper()
	ad := &lurewatch.Ad{}
	v := reflect.ValueOf(ad).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Interface().(type) {
		case string:
			f.SetString(v.Type().Field(i).Name + ":" + s)
		case int:
			f.SetInt(int64(i + 1))
		case time.Time:
			f.Set(reflect.ValueOf(time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.FixedZone("", 7*3600)).Add(time.Duration(i) * time.Hour)))
		default:
			t.Fatalf("lurewatch.Ad.%s has type %s, which appendAdJSON does not write", v.Type().Field(i).Name, f.Type())
		}
	}
	return ad
}

func TestAppendAdJSONMatchesMarshal(t *testing.T) {
	check := func(ad *lurewatch.Ad) {
		t.Helper()
		want, err := json.Marshal(ad)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendAdJSON([]byte("prefix"), ad)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[len("prefix"):], want) {
			t.Errorf("appendAdJSON differs from json.Marshal:\n got %s\nwant %s", got[len("prefix"):], want)
		}
	}
	for _, s := range trickyStrings {
		check(fullAd(t, s))
		check(&lurewatch.Ad{ID: "minimal", Title: s, ContentHash: "h"}) // empty and zero fields left out
	}
	check(&lurewatch.Ad{})
}

func TestAppendAdJSONTimeOutOfRange(t *testing.T) {
	ad := &lurewatch.Ad{ID: "a", PostedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := json.Marshal(ad); err == nil {
		t.Fatal("json.Marshal accepts a year past 9999; the test is wrong")
	}
	if _, err := appendAdJSON(nil, ad); err == nil || !strings.Contains(err.Error(), "posted_at") {
		t.Fatalf("appendAdJSON(year 10000) = %v, want an error naming posted_at", err)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

func BenchmarkAppendAdJSON(b *testing.B) {
	ad := fullAd(b, "")
	ad.Text = strings.Repeat("Easy work in a friendly team, no experience needed. Free flight ticket, visa.\n\n", 900)[:64<<10]
	b.Run("appendAdJSON", func(b *testing.B) {
		b.SetBytes(int64(len(ad.Text)))
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = appendAdJSON(buf[:0], ad); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.SetBytes(int64(len(ad.Text)))
		for b.Loop() {
			if _, err := json.Marshal(ad); err != nil {
				b.Fatal(err)
			}
		}
	})
}
