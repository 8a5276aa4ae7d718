package detector

import (
	"strings"
	"testing"
)

func TestShapeOf(t *testing.T) {
	for _, tt := range []struct {
		name, text   string
		lines, chars int
		longest      string
	}{
		{"empty", "", 0, 0, ""},
		{"blank lines only", " \n\t\r\n\n", 0, 0, ""},
		{"one line", "hello world", 1, 11, "hello world"},
		{"trimmed and blank lines skipped", "  ab  \n\n\tcdef\r\n", 2, 6, "cdef"},
		{"Chinese counts twice", "招聘客服\nabcdefg", 2, 15, "招聘客服"},
		{"longest in bytes", "招聘\nabcde", 2, 9, "招聘"},
		{"Thai counts once", "งาน\nabcdefghij", 2, 13, "abcdefghij"},
		{"Hangul counts twice", "상담원\nabcdefghij", 2, 16, "abcdefghij"},
		{"first of equal lines", "abc\nxyz", 2, 6, "abc"},
		{"invalid UTF-8 bytes count", "\xff\xfe", 1, 2, "\xff\xfe"},
	} {
		sh := shapeOf(tt.text)
		if sh.lines != tt.lines || sh.chars != tt.chars || tt.text[sh.longStart:sh.longEnd] != tt.longest {
			t.Errorf("%s: shapeOf(%q) = %d lines, %d chars, longest %q; want %d, %d, %q", tt.name, tt.text,
				sh.lines, sh.chars, tt.text[sh.longStart:sh.longEnd], tt.lines, tt.chars, tt.longest)
		}
	}
}

// shapeOf agrees with measuring each line on its own.
func FuzzShapeOf(f *testing.F) {
	for _, s := range []string{"", "a\nb", "  招聘 \n\n x", "\r\n\xff", "\xa2", strings.Repeat("long line ", 30) + "\nshort"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var want shape
		for _, l := range strings.Split(text, "\n") {
			l = strings.Trim(l, " \t\r\v\f")
			if l == "" {
				continue
			}
			want.lines++
			want.chars += charWeight(l)
		}
		sh := shapeOf(text)
		if sh.lines != want.lines || sh.chars != want.chars {
			t.Fatalf("%d lines, %d chars; measured line by line %d, %d", sh.lines, sh.chars, want.lines, want.chars)
		}
		if sh.longStart < 0 || sh.longStart > sh.longEnd || sh.longEnd > len(text) {
			t.Fatalf("longest line [%d, %d) outside the text (%d bytes)", sh.longStart, sh.longEnd, len(text))
		}
		long := text[sh.longStart:sh.longEnd]
		if strings.ContainsRune(long, '\n') || strings.Trim(long, " \t\r\v\f") != long || (sh.lines > 0) != (long != "") {
			t.Fatalf("longest line %q is not one trimmed line", long)
		}
		for _, l := range strings.Split(text, "\n") {
			if l = strings.Trim(l, " \t\r\v\f"); len(l) > len(long) {
				t.Fatalf("line %q is longer than the longest, %q", l, long)
			}
		}
	})
}

// charWeight's eight-bytes-at-a-time count agrees with firstByteWeight's
// count byte by byte.
func FuzzCharWeight(f *testing.F) {
	for _, s := range []string{"", "abcdefgh", "招聘客服招聘客服", "งานงานงาน", "상담원상담원", "\xe2\x80\x9cquote\xe2\x80\x9d", "\xe3\xed\xee\xe2\x80\xbf\xc0\xff\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := 0
		for i := 0; i < len(s); i++ {
			want += int(firstByteWeight[s[i]])
		}
		if got := charWeight(s); got != want {
			t.Fatalf("charWeight(%q) = %d, want %d", s, got, want)
		}
	})
}
