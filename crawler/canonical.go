package crawler

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	"github.com/lurewatch/lurewatch"
)

// trackingParams are query parameters that say how a visitor came to a page,
// not which page it is. Canonicalize removes them (compared case-
// insensitively), together with every parameter starting with "utm_".
// Parameters such as "ref" or "id" are kept: job boards use them for the ad
// itself.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true,
	"gbraid": true, "wbraid": true, "msclkid": true, "yclid": true,
	"twclid": true, "ttclid": true, "igshid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true, "oly_anon_id": true,
	"oly_enc_id": true, "vero_id": true, "rb_clickid": true, "wickedid": true,
	"trk": true,
}

// Canonicalize returns the canonical form of an absolute http(s) URL, so
// that the same page reached by different links gets one ad id: scheme and
// host in lower case, the default port dropped, user info and fragment
// dropped, dot segments removed, an empty path made "/", query parameters
// sorted by name (the order of repeated names kept) with utm_* and other
// tracking parameters removed, and an empty query dropped. Parameter values
// keep their encoding. It returns an error wrapping lurewatch.ErrInvalid for
// a URL that does not parse or is not absolute http(s).
func Canonicalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("%w: canonicalize %q: %v", lurewatch.ErrInvalid, raw, err)
	}
	return canonicalURL(u)
}

// canonicalURL is Canonicalize for a parsed URL; u is not modified.
func canonicalURL(in *url.URL) (string, error) {
	u := *in
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%w: canonicalize %q: not an http or https URL", lurewatch.ErrInvalid, in.Redacted())
	}
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("%w: canonicalize %q: no host", lurewatch.ErrInvalid, in.Redacted())
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		host = net.JoinHostPort(strings.Trim(host, "[]"), port)
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.Opaque = ""
	u.ForceQuery = false
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	if strings.Contains(u.Path, "/.") {
		// Resolving the path against itself removes "." and ".." segments
		// and keeps its escaping.
		ref := &url.URL{Path: u.Path, RawPath: u.RawPath}
		r := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"}).ResolveReference(ref)
		u.Path, u.RawPath = r.Path, r.RawPath
	}
	u.RawQuery = canonicalQuery(u.RawQuery)
	return u.String(), nil
}

// canonicalQuery sorts the parameters of a raw query by name, keeping the
// order of repeated names and the encoding of each pair, and drops empty
// pairs and tracking parameters.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type pair struct{ key, raw string }
	var pairs []pair
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, _, _ := strings.Cut(part, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			continue
		}
		pairs = append(pairs, pair{k, part})
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].key < pairs[j].key })
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.raw
	}
	return strings.Join(parts, "&")
}
