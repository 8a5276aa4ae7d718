package crawler

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestHTMLText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "  Easy   work\n\tgood pay ", "Easy work good pay"},
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"line breaks", "a<br>b<br><br>c<br><br><br>d", "a\nb\n\nc\n\nd"},
		{"list", "<ul><li>Age 18-35</li><li>No <b>experience</b></li></ul>after", "Age 18-35\nNo experience\n\nafter"},
		{"divs", "<div>one</div><div><div>two</div></div>", "one\ntwo"},
		{"inline keeps spaces", "Salary: <b>USD</b> <i>3000</i>", "Salary: USD 3000"},
		{"no space invented", "Tele<b>gram</b>", "Telegram"},
		{"invisible", "a<script>x()</script><style>p{}</style><noscript>js</noscript>b", "ab"},
		{"hidden", `a <span hidden>x</span><span style="display: none">y</span><span aria-hidden="true">z</span>b`, "a b"},
		{"entities and nbsp", "Free&nbsp;visa &amp; flight", "Free visa & flight"},
		{"table", "<table><tr><td>Salary</td><td>$3000</td></tr><tr><td>Visa</td><td>free</td></tr></table>", "Salary $3000\nVisa free"},
		{"pre", "<pre>line 1\n  line 2\n\n\n\nline 3</pre>", "line 1\nline 2\n\nline 3"},
		{"headings", "<h2>Job</h2>text", "Job\n\ntext"},
		{"double escaped", "&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;", "One\n\nTwo"},
		{"not a tag", "Pay &lt;3000 or > 1000", "Pay <3000 or > 1000"},
		{"controls dropped", "a\x00b\x07c", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlText(tt.in); got != tt.want {
				t.Errorf("htmlText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLTextBounded(t *testing.T) {
	in := strings.Repeat("<p>ເຮັດວຽກ ງ່າຍ</p>", 20000) // Lao, multi-byte
	got := htmlText(in)
	if len(got) > maxFieldSize {
		t.Errorf("text of %d bytes, cap is %d", len(got), maxFieldSize)
	}
	if len(got) < maxFieldSize-100 {
		t.Errorf("text of %d bytes, want close to the cap %d", len(got), maxFieldSize)
	}
	if !utf8.ValidString(got) {
		t.Error("truncated text is not valid UTF-8")
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-03-14", "2025-03-14T00:00:00Z"},
		{"2025-03-14T09:30:00+07:00", "2025-03-14T02:30:00Z"},
		{"2025-03-14T09:30:00.123Z", "2025-03-14T09:30:00Z"},
		{"2025-03-14T09:30:00", "2025-03-14T09:30:00Z"},
		{"2025-03-14 09:30", "2025-03-14T09:30:00Z"},
		{"14 March 2025", "2025-03-14T00:00:00Z"},
		{"  14   Mar 2025 ", "2025-03-14T00:00:00Z"},
		{"March 14, 2025", "2025-03-14T00:00:00Z"},
		{"Fri, 14 Mar 2025 09:30:00 GMT", "2025-03-14T09:30:00Z"},
		{"yesterday", ""},
		{"", ""},
		{"14/03/2025", ""}, // day and month order unknown: not guessed
	}
	for _, tt := range tests {
		got := parseDate(tt.in)
		if s := fmtTime(got); s != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, s, tt.want)
		}
		if !got.IsZero() && got.Location() != time.UTC {
			t.Errorf("parseDate(%q) not in UTC", tt.in)
		}
	}
}

func FuzzHTMLText(f *testing.F) {
	f.Add("<p>a<br>b</p><ul><li>c</li></ul>")
	f.Add("&lt;p&gt;x&lt;/p&gt;<pre>\n\n</pre>")
	f.Fuzz(func(t *testing.T, in string) {
		got := htmlText(in)
		if len(got) > maxFieldSize {
			t.Errorf("%d bytes over the cap", len(got))
		}
		if got != strings.TrimSpace(got) {
			t.Errorf("htmlText(%q) = %q has surrounding space", in, got)
		}
		if strings.Contains(got, "\n\n\n") {
			t.Errorf("htmlText(%q) = %q has more than one blank line", in, got)
		}
	})
}
