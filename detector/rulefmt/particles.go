package rulefmt

import (
	"strings"
	"unicode/utf8"
)

// politeParticles are the particles of respect of Tagalog, each with the
// form it takes when it links the word before it to the next (the linker
// -ng moves from that word onto the particle). They are written after the
// first word or words of a clause, so they fall inside what a phrase list
// holds: "libreng pamasahe" ("free fare") is "libre pong pamasahe" when
// said politely, "huwag mong sabihin" ("don't say") "huwag mo pong
// sabihin", "paano malalaman" ("how to know") "paano po malalaman".
// Filipino posts use them in nearly every sentence, a recruiter's and a
// job seeker's alike.
var politeParticles = [...]struct{ bare, linked string }{
	{"po", "pong"},
	{"ho", "hong"},
}

// politeLangs maps the languages whose phrases also match in a polite
// register to the function that gives those forms: politeForms for
// Tagalog and for Cebuano, whose speakers write po the same way online
// (and whose phrases, in the words the two share, match Tagalog posts
// too); burmesePoliteForms for Burmese. Hiligaynon and Ilocano are left
// out: their forms moved no labelled or held-out ad and would add 10,754
// entries to the automaton.
var politeLangs = map[string]func(string) []string{
	"tl":  politeForms,
	"ceb": politeForms,
	"my":  burmesePoliteForms,
}

// isPoliteParticle reports whether w is one of politeParticles, bare or
// linked.
func isPoliteParticle(w string) bool {
	for _, p := range politeParticles {
		if w == p.bare || w == p.linked {
			return true
		}
	}
	return false
}

// politeForms returns the forms of a normalised phrase of two words or
// more with one particle of respect between two of its words: the bare
// particle in each gap ("paano po malalaman"), and, after a word that ends
// in the linker -ng or -g ("libreng", "kailangang"), the word without it
// followed by the linked particle ("libre pong", "kailangan pong"). A
// phrase that already holds a particle gets none: one per phrase is how
// they are written. Nil for a phrase of one word.
func politeForms(phrase string) []string {
	words := strings.Split(phrase, " ")
	if len(words) < 2 {
		return nil
	}
	for _, w := range words {
		if isPoliteParticle(w) {
			return nil
		}
	}
	var out []string
	form := func(k int, left, particle string) {
		var b strings.Builder
		for i, w := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			if i == k {
				b.WriteString(left)
				b.WriteByte(' ')
				b.WriteString(particle)
				continue
			}
			b.WriteString(w)
		}
		out = append(out, b.String())
	}
	for k, w := range words[:len(words)-1] {
		for _, p := range politeParticles {
			form(k, w, p.bare)
			// The linker is -ng after a vowel ("libre", "libreng") and -g
			// after n ("kailangan", "kailangang"); which one a word ends in
			// cannot be told from its letters, so both are taken off. A word
			// too short to carry a linker ("ang", "ng", "mga") keeps it.
			if strings.HasSuffix(w, "ng") && len(w) >= 4 {
				form(k, w[:len(w)-2], p.linked)
				form(k, w[:len(w)-1], p.linked)
			}
		}
	}
	return out
}

// burmeseEndings are the Burmese verb endings before which the polite
// particle is written: မယ် and မည် (future), တယ် and သည် (statement), နဲ့
// (a prohibition, after a verb with the negative မ; after a noun နဲ့ is
// "with": ကားနဲ့, "by car"). A recruiter's "ကျွေးမယ်" ("will feed") is
// "ကျွေးပါမယ်" when said politely, "မပြောနဲ့" ("don't tell") "မပြောပါနဲ့".
var burmeseEndings = [...]string{"မယ်", "မည်", "တယ်", "သည်", burmeseProhibitive}

// burmeseProhibitive is the ending of a prohibition, and also the word
// "with".
const burmeseProhibitive = "နဲ့"

// burmeseParticles are the polite particle, in writing and as typed in
// speech (ပါ့မယ်).
var burmeseParticles = [...]string{"ပါ", "ပါ့"}

// burmeseLookalikes are words that hold an ending without being one: the
// nouns ဖောက်သည် ("customer"), ဧည့်သည် ("guest") and နာမည် ("name"),
// တယ်လီ ("Telegram"), and the question words of မည် (မည်သူ "who",
// မည်သည့် "which", မည်သို့ "how", မည်မျှ "how much").
var burmeseLookalikes = [...]string{"ဖောက်သည်", "ဧည့်သည်", "နာမည်", "တယ်လီ", "မည်သူ", "မည်သည့်", "မည်သို့", "မည်မျှ"}

// burmesePoliteForms returns the forms of a normalised Burmese phrase with
// a polite particle before each of its verb endings that has none: one
// form per ending and particle. Nil for a phrase without such an ending.
func burmesePoliteForms(phrase string) []string {
	var out []string
	for _, e := range burmeseEndings {
		for i := 0; ; {
			k := strings.Index(phrase[i:], e)
			if k < 0 {
				break
			}
			k += i
			i = k + len(e)
			if k == 0 || strings.HasSuffix(phrase[:k], burmeseParticles[0]) ||
				strings.HasSuffix(phrase[:k], burmeseParticles[1]) || inLookalike(phrase, k, e) ||
				e == burmeseProhibitive && !negatedVerb(phrase[:k]) {
				continue
			}
			for _, p := range burmeseParticles {
				out = append(out, phrase[:k]+p+phrase[k:])
			}
		}
	}
	return out
}

// inLookalike reports whether the ending e at byte k of phrase is part of
// one of burmeseLookalikes.
func inLookalike(phrase string, k int, e string) bool {
	for _, w := range burmeseLookalikes {
		if j := strings.Index(w, e); j >= 0 && k >= j && strings.HasPrefix(phrase[k-j:], w) {
			return true
		}
	}
	return false
}

// negatedVerb reports whether the last word of before (what precedes a
// နဲ့) ends in a verb with the negative prefix မ and no polite particle
// yet: a မ followed directly by a consonant (မပြော, "not tell"), as a
// prohibition's verb has and a noun before "with" has not (မြန်မာ, မှ and
// မိ are other syllables; ပါမစ်, "permit", is a noun).
func negatedVerb(before string) bool {
	word := before[strings.LastIndexByte(before, ' ')+1:]
	for i, r := range word {
		if r != 'မ' || strings.HasSuffix(word[:i], burmeseParticles[0]) {
			continue
		}
		next, _ := utf8.DecodeRuneInString(word[i+len("မ"):])
		if next >= 'က' && next <= 'အ' && !strings.Contains(word[i:], burmeseParticles[0]) {
			return true
		}
	}
	return false
}
