package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

// ErrNoPreview marks a Telegram channel without a public web preview: its
// preview URL <base>/s/<channel> redirects away from /s/ (a private or
// deleted channel, a user or a bot). The run of that channel fails with an
// error wrapping it.
var ErrNoPreview = errors.New("telegram channel has no public preview")

const (
	// maxPostsPerPage bounds the posts read from one preview page
	// (Telegram shows about 20).
	maxPostsPerPage = 500
	// maxPostLinks bounds the link targets kept from one post.
	maxPostLinks = 20
	// maxLinkLen bounds one link target kept from a post.
	maxLinkLen = 2048
)

var (
	// dataPostRE matches a post's data-post attribute, "<channel>/<id>".
	dataPostRE = regexp.MustCompile(`^([A-Za-z0-9_]{1,64})/([0-9]{1,19})$`)
	// postIDRE matches a post id, as in data-before.
	postIDRE = regexp.MustCompile(`^[0-9]{1,19}$`)

	tgMessage = cascadia.MustCompile("div.tgme_widget_message[data-post]")
	tgText    = cascadia.MustCompile(".tgme_widget_message_text.js-message_text")
	tgReply   = cascadia.MustCompile(".tgme_widget_message_reply")
	tgDate    = cascadia.MustCompile("a.tgme_widget_message_date time[datetime]")
	tgMore    = cascadia.MustCompile("a.tme_messages_more[data-before]")
)

// tgPost is one post of a channel preview.
type tgPost struct {
	channel, id string
	// text is the post's own text (a quoted reply's text is not part of
	// it); links are the targets of the links in it that the text does
	// not show, one per line.
	text, links string
	posted      time.Time
}

// tgPage is what one channel preview page holds.
type tgPage struct {
	posts []tgPost
	// before is the id to ask for older posts with (?before=<id>), or "".
	before string
	// empty counts the posts without text (service messages, photos
	// without a caption), which are not ads.
	empty int
}

// parseChannelPage reads the posts of a Telegram channel preview page, in
// page order, at most maxPostsPerPage, each post once. A post whose
// data-post is malformed is skipped.
func parseChannelPage(doc *goquery.Document) tgPage {
	var page tgPage
	seen := make(map[string]bool)
	doc.FindMatcher(tgMessage).EachWithBreak(func(_ int, m *goquery.Selection) bool {
		dp := dataPostRE.FindStringSubmatch(strings.TrimSpace(m.AttrOr("data-post", "")))
		if dp == nil || seen[dp[0]] {
			return true
		}
		seen[dp[0]] = true
		msg := m.Get(0)
		// The post's own text: not a quoted reply's (those have
		// js-message_reply_text, and sit in .tgme_widget_message_reply),
		// and not that of a message nested in this one.
		text := m.FindMatcher(tgText).FilterFunction(func(_ int, s *goquery.Selection) bool {
			if s.ParentsMatcher(tgReply).Length() > 0 {
				return false
			}
			owner := s.ParentsMatcher(tgMessage).First()
			return owner.Length() == 1 && owner.Get(0) == msg
		}).First()
		p := tgPost{channel: dp[1], id: dp[2]}
		if text.Length() > 0 {
			p.text = visibleText(text.Nodes)
			p.links = postLinks(text, p.text)
		}
		if p.text == "" {
			page.empty++
			return true
		}
		if d, ok := m.FindMatcher(tgDate).First().Attr("datetime"); ok {
			p.posted = parseDate(d)
		}
		page.posts = append(page.posts, p)
		return len(page.posts) < maxPostsPerPage
	})
	doc.FindMatcher(tgMore).EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if b := strings.TrimSpace(a.AttrOr("data-before", "")); postIDRE.MatchString(b) {
			page.before = b
			return false
		}
		return true
	})
	return page
}

// postLinks returns the targets of the links in a post's text that the
// text does not already show, one per line: a recruiter's handle or phone
// is often only in a link. Only absolute http(s) and tg: links count, and
// mailto: and tel: links as their address or number.
func postLinks(s *goquery.Selection, shown string) string {
	var out []string
	s.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		href := strings.TrimSpace(a.AttrOr("href", ""))
		lower := strings.ToLower(href)
		switch {
		case strings.HasPrefix(lower, "mailto:"), strings.HasPrefix(lower, "tel:"):
			href = href[strings.IndexByte(href, ':')+1:]
			if i := strings.IndexByte(href, '?'); i >= 0 {
				href = href[:i]
			}
			if h, err := url.PathUnescape(href); err == nil {
				href = h
			}
		case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "tg://"):
		default:
			return true
		}
		href = collapseSpace(href)
		if href == "" || len(href) > maxLinkLen || strings.Contains(shown, href) || slices.Contains(out, href) {
			return true
		}
		out = append(out, href)
		return len(out) < maxPostLinks
	})
	return strings.Join(out, "\n")
}

// ParseTelegramURL splits the URL of a Telegram channel, such as
// https://t.me/s/name or https://t.me/name, into the preview base URL
// ("https://t.me") and the channel name. It returns an error wrapping
// lurewatch.ErrInvalid for anything else (a post URL, an invite link, a
// malformed name).
func ParseTelegramURL(raw string) (base, channel string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", "", fmt.Errorf("%w: telegram channel URL %q: %v", lurewatch.ErrInvalid, truncate(raw, 200), errors.Unwrap(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", "", fmt.Errorf("%w: telegram channel URL %q must be an absolute http or https URL", lurewatch.ErrInvalid, truncate(raw, 200))
	}
	path := strings.TrimSuffix(u.Path, "/")
	path = strings.TrimPrefix(path, "/s")
	name, ok := strings.CutPrefix(path, "/")
	if !ok || !channelRE.MatchString(name) {
		return "", "", fmt.Errorf("%w: %q is not a telegram channel URL (want for example %s/s/channel_name)",
			lurewatch.ErrInvalid, truncate(raw, 200), DefaultTelegramBase)
	}
	return u.Scheme + "://" + u.Host, name, nil
}

// isPreview reports whether a page fetched for a channel is its preview. A
// channel without a public preview redirects away from /s/; that is logged
// and counted, and fails the channel's start page.
func (r *run) isPreview(requested string, final *url.URL, startKey string, data *pageData) bool {
	if strings.HasPrefix(final.EscapedPath(), "/s/") {
		return true
	}
	channel := ""
	if data != nil {
		channel = data.channel
	}
	err := fmt.Errorf("%w: channel %q: %s redirected to %s", ErrNoPreview, channel, requested, final.Redacted())
	r.readFailed(requested, startKey, "telegram channel has no public preview", err)
	return false
}

// readChannel publishes the posts of a channel preview page as ads and
// enqueues the page of older posts.
func (r *run) readChannel(doc *goquery.Document, canon string, data *pageData, depth int, fetched time.Time) {
	page := parseChannelPage(doc)
	base := r.p.Telegram.base()
	for _, p := range page.posts {
		key := p.channel + "/" + p.id
		postURL, err := Canonicalize(base + "/" + key)
		if err != nil {
			postURL = canon
		}
		ad := &lurewatch.Ad{
			ID:       lurewatch.AdID(r.p.Name, key),
			URL:      postURL,
			Text:     p.text,
			Contact:  p.links,
			PostedAt: p.posted,
		}
		if !r.publish(ad, fetched) {
			return
		}
	}
	r.log.Debug("channel page read", zap.String("url", canon), zap.Int("posts", len(page.posts)),
		zap.Int("posts_without_text", page.empty), zap.String("before", page.before))
	if len(page.posts) == 0 && page.empty == 0 {
		r.log.Warn("channel page has no posts (has the preview markup changed?)", zap.String("url", canon))
	}
	if page.before != "" && data != nil && data.channel != "" {
		r.enqueue(base+"/s/"+data.channel+"?before="+page.before, nil, roleChannel, depth+1, false,
			&pageData{channel: data.channel})
	}
}
