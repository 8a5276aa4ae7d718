package lurewatch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestLevelJSONRoundTrip(t *testing.T) {
	for _, l := range Levels {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		var back Level
		if err := json.Unmarshal(b, &back); err != nil || back != l {
			t.Errorf("%v: round trip gave %v, %v (json %s)", l, back, err, b)
		}
	}
	var l Level
	if err := json.Unmarshal([]byte(`"severe"`), &l); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown level: err = %v, want ErrInvalid", err)
	}
	if _, err := json.Marshal(Level(9)); err == nil {
		t.Error("out-of-range level marshalled without error")
	}
	if LevelLow.Flagged() || !LevelMedium.Flagged() || !LevelCritical.Flagged() {
		t.Error("Flagged must start at medium")
	}
}

func TestAdIDAndContentHash(t *testing.T) {
	if AdID("a", "http://x/1") != AdID("a", "http://x/1") {
		t.Error("AdID is not stable")
	}
	if AdID("a", "http://x/1") == AdID("b", "http://x/1") || AdID("a", "http://x/1") == AdID("a", "http://x/2") {
		t.Error("AdID does not depend on both source and key")
	}
	ad := Ad{URL: "http://x/1", Title: "t", Text: "body"}
	h := ContentHashOf(&ad)
	ad.FetchedAt = time.Now()
	if ContentHashOf(&ad) != h {
		t.Error("content hash changed with the fetch time only")
	}
	ad.Text = "body changed"
	if ContentHashOf(&ad) == h {
		t.Error("content hash did not change with the text")
	}
	// Field boundaries matter: moving text between fields changes the hash.
	a1 := Ad{Title: "ab", Text: "c"}
	a2 := Ad{Title: "a", Text: "bc"}
	if ContentHashOf(&a1) == ContentHashOf(&a2) {
		t.Error("content hash ignores field boundaries")
	}
	// The hash is pinned: a change would republish every ad once.
	pinned := Ad{URL: "http://x/1", Title: "t", Text: "body", Employer: "e", PostedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	sum := sha256.Sum256([]byte("http://x/1\x00t\x00body\x00e\x00\x00\x00\x002026-01-02T03:04:05Z\x00\x00"))
	if got, want := ContentHashOf(&pinned), hex.EncodeToString(sum[:12]); got != want {
		t.Errorf("ContentHashOf = %s, want %s", got, want)
	}
}

func TestFieldsSkipsEmpty(t *testing.T) {
	ad := Ad{Title: "t", Location: "Bavet"}
	fs := ad.Fields()
	if len(fs) != 2 || fs[0] != (AdField{FieldTitle, "t"}) || fs[1] != (AdField{FieldLocation, "Bavet"}) {
		t.Errorf("Fields = %+v", fs)
	}
}
