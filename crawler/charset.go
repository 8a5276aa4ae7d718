package crawler

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

const (
	// prescanSize is how much of a page is searched for a <meta charset>
	// or <meta http-equiv="Content-Type">, as the HTML standard says.
	prescanSize = 1024
	// detectSize is how much of a page charset detection looks at.
	detectSize = 64 << 10
	// minConfidence is the least confidence (0-100) at which a detected
	// charset is believed over windows-1252.
	minConfidence = 30
)

// utf8Body returns an HTML body as UTF-8. colly has already converted a
// body whose Content-Type header names a charset; a body that is valid
// UTF-8 is returned as it is. Any other body is decoded by its byte order
// mark, else by the charset its <meta charset> or <meta http-equiv> declares
// in the first 1024 bytes, else by the charset detected from its bytes,
// else as windows-1252, which browsers assume. contentType is ignored for
// the decision: a header that says utf-8 over a body that is not is wrong.
func utf8Body(body []byte, _ string) []byte {
	if utf8.Valid(body) {
		return body
	}
	enc := htmlEncoding(body)
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return body
	}
	return out
}

// htmlEncoding returns the encoding of an HTML body that is not valid
// UTF-8: by BOM, by <meta>, by detection, or windows-1252.
func htmlEncoding(body []byte) encoding.Encoding {
	head := body[:min(len(body), prescanSize)]
	// DetermineEncoding reads the BOM and the <meta> prescan; without
	// either it guesses utf-8 (from the first 1024 bytes only) or
	// windows-1252, which is no declaration.
	enc, name, certain := charset.DetermineEncoding(head, "")
	declared := certain || bytes.Contains(bytes.ToLower(head), []byte("charset"))
	if declared && name != "utf-8" {
		return enc
	}
	if e := detectEncoding(body[:min(len(body), detectSize)]); e != nil {
		return e
	}
	return fallbackEncoding
}

// fallbackEncoding is what browsers assume of an undeclared, undetected
// page.
var fallbackEncoding encoding.Encoding = charmap.Windows1252

// detectEncoding guesses the encoding of b from its bytes (chardet, as
// colly's DetectCharset does), or returns nil when the guess is weak, is
// UTF-8 (b is known not to be), or names an encoding Go does not have.
func detectEncoding(b []byte) encoding.Encoding {
	r, err := chardet.NewTextDetector().DetectBest(b)
	if err != nil || r == nil || r.Confidence < minConfidence {
		return nil
	}
	name := strings.ToLower(r.Charset)
	if name == "utf-8" {
		return nil
	}
	if name == "gb-18030" {
		name = "gb18030"
	}
	e, _ := charset.Lookup(name)
	return e
}
