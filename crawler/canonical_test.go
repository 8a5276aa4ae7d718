package crawler

import (
	"errors"
	"testing"

	"github.com/lurewatch/lurewatch"
)

func TestCanonicalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://example.com/jobs", "http://example.com/jobs"},
		{"HTTP://Example.COM/Jobs", "http://example.com/Jobs"},
		{"http://example.com", "http://example.com/"},
		{"http://example.com:80/a", "http://example.com/a"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"https://example.com:8443/a", "https://example.com:8443/a"},
		{"http://example.com:443/a", "http://example.com:443/a"},
		{"http://example.com./a", "http://example.com/a"},
		{"http://example.com/a#apply", "http://example.com/a"},
		{"http://example.com/a?", "http://example.com/a"},
		{"http://example.com/a?b=2&a=1", "http://example.com/a?a=1&b=2"},
		{"http://example.com/a?tag=x&id=7&tag=a", "http://example.com/a?id=7&tag=x&tag=a"},
		{"http://example.com/a?utm_source=fb&utm_Medium=cpc&UTM_campaign=x", "http://example.com/a"},
		{"http://example.com/a?id=7&fbclid=abc&gclid=def&mc_cid=1&mc_eid=2&msclkid=3", "http://example.com/a?id=7"},
		{"http://example.com/a?ref=job-42&page=2", "http://example.com/a?page=2&ref=job-42"},
		{"http://example.com/a?q=a+b&&x=%2F", "http://example.com/a?q=a+b&x=%2F"},
		{"http://user:pw@example.com/a", "http://example.com/a"},
		{"http://example.com/a/./b/../c", "http://example.com/a/c"},
		{"http://example.com/caf%C3%A9", "http://example.com/caf%C3%A9"},
		{"http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"},
		{"http://[2001:db8::1]:8080/a", "http://[2001:db8::1]:8080/a"},
		{"  http://example.com/a  ", "http://example.com/a"},
	}
	for _, tt := range tests {
		got, err := Canonicalize(tt.in)
		if err != nil {
			t.Errorf("Canonicalize(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Canonicalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again, _ := Canonicalize(got); again != got {
			t.Errorf("Canonicalize(%q) = %q, not idempotent", got, again)
		}
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	for _, in := range []string{"", "/jobs", "jobs/1", "mailto:hr@example.invalid", "ftp://example.com/", "http://%zz", "http:///a"} {
		if got, err := Canonicalize(in); !errors.Is(err, lurewatch.ErrInvalid) {
			t.Errorf("Canonicalize(%q) = %q, %v; want ErrInvalid", in, got, err)
		}
	}
}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{"http://example.com/a?b=1&utm_source=x#f", "https://[::1]:443/", "http://a/b/../../c?&&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Canonicalize(in)
		if err != nil {
			return
		}
		again, err := Canonicalize(got)
		if err != nil || again != got {
			t.Errorf("Canonicalize(%q) = %q, then %q, %v", in, got, again, err)
		}
	})
}
