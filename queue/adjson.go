package queue

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch"
)

// appendAdJSON appends the JSON encoding of ad to dst: the same bytes
// json.Marshal(ad) gives (field order, omitempty and omitzero, HTML-safe
// string escapes), written without reflection and into a buffer the
// caller reuses. An ad's text is up to 64 KB, and json.Marshal takes about
// twice as long over it (BenchmarkAppendAdJSON), plus a fresh buffer per
// ad. TestAppendAdJSONMatchesMarshal holds it to json.Marshal, every field
// of lurewatch.Ad included.
func appendAdJSON(dst []byte, ad *lurewatch.Ad) ([]byte, error) {
	dst = append(dst, `{"schema_version":`...)
	dst = strconv.AppendInt(dst, int64(ad.SchemaVersion), 10)
	dst = appendField(dst, "id", ad.ID)
	dst = appendField(dst, "source", ad.Source)
	dst = appendField(dst, "source_kind", ad.SourceKind)
	dst = appendField(dst, "url", ad.URL)
	dst = appendField(dst, "title", ad.Title)
	dst = appendField(dst, "text", ad.Text)
	for _, f := range [...]struct{ name, value string }{
		{"employer", ad.Employer}, {"location", ad.Location}, {"salary", ad.Salary}, {"contact", ad.Contact},
	} {
		if f.value != "" {
			dst = appendField(dst, f.name, f.value)
		}
	}
	for _, f := range [...]struct {
		name  string
		value time.Time
	}{{"posted_at", ad.PostedAt}, {"valid_through", ad.ValidThrough}, {"fetched_at", ad.FetchedAt}} {
		if f.value.IsZero() {
			continue
		}
		t, err := f.value.MarshalJSON()
		if err != nil {
			return dst, fmt.Errorf("encode %s: %w", f.name, err)
		}
		dst = append(dst, ",\""...)
		dst = append(dst, f.name...)
		dst = append(dst, "\":"...)
		dst = append(dst, t...)
	}
	dst = appendField(dst, "content_hash", ad.ContentHash)
	if ad.PageSHA256 != "" {
		dst = appendField(dst, "page_sha256", ad.PageSHA256)
	}
	return append(dst, '}'), nil
}

// appendField appends `,"name":` and the JSON string of value.
func appendField(dst []byte, name, value string) []byte {
	dst = append(dst, ",\""...)
	dst = append(dst, name...)
	dst = append(dst, "\":"...)
	return appendJSONString(dst, value)
}

// hexDigits are the digits of \u escapes, lower case as encoding/json
// writes them.
const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it: '"' and '\\' with a backslash, control characters as \b,
// \f, \n, \r, \t or \u00XX, '<', '>' and '&' as \u003c, \u003e and
// \u0026, invalid UTF-8 as \ufffd, U+2028 and U+2029 as \u2028 and
// \u2029. Runs of bytes that need none of this, most of an ad, are
// found eight bytes at a time and copied whole.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		for i+8 <= len(s) {
			w := s[i : i+8]
			if !(plain[w[0]] && plain[w[1]] && plain[w[2]] && plain[w[3]] &&
				plain[w[4]] && plain[w[5]] && plain[w[6]] && plain[w[7]]) {
				break
			}
			i += 8
		}
		if i == len(s) {
			break
		}
		b := s[i]
		if plain[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default: // other control characters, '<', '>', '&'
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plain says which bytes go into a JSON string as they are: ASCII but for
// control characters, '"', '\\', '<', '>' and '&'. The bytes of
// multi-byte characters are not in it: those are decoded one at a time.
var plain = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()
