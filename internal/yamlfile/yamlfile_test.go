package yamlfile

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

type cfg struct {
	Name  string        `yaml:"name"`
	Every time.Duration `yaml:"every"`
	Jobs  []struct {
		Wait *time.Duration `yaml:"wait"`
	} `yaml:"jobs"`
	Count int `yaml:"count"`
	Inner struct {
		Flag bool `yaml:"flag"`
	} `yaml:"inner"`
}

func TestDecodeErrorsNamePosition(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"unknown field", "name: a\ninner:\n  flag: true\n  bogus: 1\n", "c.yaml:4:3: "},
		{"type mismatch", "name: a\ncount: lots\n", "c.yaml:2:8: "},
		{"syntax", "name: [a\n", "c.yaml:1:"},
		{"duplicate key", "name: a\nname: b\n", "c.yaml:2:1: "},
		{"empty", "\n", "c.yaml:1:1: file is empty"},
		{"bad duration", "name: a\nevery: soon\n", "c.yaml:2:8: every: bad duration \"soon\""},
		{"bad nested duration", "jobs:\n  - wait: 1s\n  - wait: 5 minutes\n", "c.yaml:3:11: wait: bad duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c cfg
			err := Decode("c.yaml", []byte(tt.data), &c)
			if err == nil {
				t.Fatal("want an error, got nil")
			}
			if !errors.Is(err, lurewatch.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if got := err.Error(); len(got) < len(tt.want) || got[:len(tt.want)] != tt.want {
				t.Errorf("error = %q, want prefix %q", got, tt.want)
			}
		})
	}
}

func TestDecodeValid(t *testing.T) {
	var c cfg
	if err := Decode("c.yaml", []byte("name: x\ncount: 3\ninner:\n  flag: true\n"), &c); err != nil {
		t.Fatal(err)
	}
	if c.Name != "x" || c.Count != 3 || !c.Inner.Flag {
		t.Errorf("decoded %+v", c)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("name: x\ncount: 3\ninner:\n  flag: true\n"))
	f.Add([]byte("jobs:\n  - wait: 1s\n  - wait: 5 minutes\n"))
	// Made the YAML library panic (found by fuzzing the rules parser).
	f.Add([]byte("indicators: !00\n000000\n  -00000000000000000000000000000000000000000000000000000000000000000000000000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c cfg
		err := Decode("f.yaml", data, &c)
		if err == nil {
			return
		}
		if !errors.Is(err, lurewatch.ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
		if !strings.HasPrefix(err.Error(), "f.yaml:") {
			t.Fatalf("error %q does not start with the file name", err)
		}
		_, _ = Parse("f.yaml", data)
	})
}

func TestNodeAt(t *testing.T) {
	f, err := Parse("c.yaml", []byte("name: x\njobs:\n  - wait: 1s\n  - wait: 2s\n"))
	if err != nil {
		t.Fatal(err)
	}
	n := NodeAt(f, "$.jobs[1].wait")
	if n == nil {
		t.Fatal("no node at $.jobs[1].wait")
	}
	if pos := NodePos("c.yaml", n); pos.Line != 4 || pos.Col != 11 {
		t.Errorf("$.jobs[1].wait at %v, want 4:11", pos)
	}
	for _, bad := range []string{"$.nope", "$.jobs[7]", "not a path"} {
		if NodeAt(f, bad) != nil {
			t.Errorf("NodeAt(%q) found a node", bad)
		}
	}
}
