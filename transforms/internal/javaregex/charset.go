package javaregex

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// cset is a character predicate as Java builds it for classes, escapes and
// properties: leaves (a Latin-1 bit set shared and mutated while its class
// is parsed, as in Java; single characters; ranges; regexp2 property items)
// combined with union, intersection and complement.
type cset struct {
	op     csOp
	bits   *[256]bool // opBits
	lo, hi rune       // opSingle (lo), opRange
	item   string     // opItem: regexp2 class item(s), e.g. `\p{Lu}`
	x, y   *cset      // opUnion, opAnd (x and y), opNot (x)
}

type csOp int8

const (
	opBits csOp = iota
	opSingle
	opRange
	opItem
	opUnion
	opAnd
	opNot
)

func union(x, y *cset) *cset { return &cset{op: opUnion, x: x, y: y} }
func and(x, y *cset) *cset   { return &cset{op: opAnd, x: x, y: y} }
func not(x *cset) *cset      { return &cset{op: opNot, x: x} }
func rng(lo, hi rune) *cset  { return &cset{op: opRange, lo: lo, hi: hi} }
func prop(item string) *cset { return &cset{op: opItem, item: item} }

// chars is the set of the given characters.
func chars(rs ...rune) *cset {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(classChar(r))
	}
	return prop(b.String())
}

// allChars matches any character (Java's ALL / DOTALL dot).
func allChars() *cset { return prop(`\s\S`) }

// addBit is BitClass.add: Latin-1 characters, case variants under (?i).
func (c *cset) addBit(ch rune, flags int) {
	if flags&flagCaseInsensitive != 0 {
		if ch < 128 {
			c.bits[asciiUpper(ch)] = true
			c.bits[asciiLower(ch)] = true
		} else if flags&flagUnicodeCase != 0 {
			if lo := unicode.ToLower(ch); lo < 256 {
				c.bits[lo] = true
			}
			if up := unicode.ToUpper(ch); up < 256 {
				c.bits[up] = true
			}
		}
	}
	c.bits[ch] = true
}

// asciiFoldedRange is CIRange: the range plus the ASCII case variants of
// its letters.
func asciiFoldedRange(lo, hi rune) *cset {
	cs := rng(lo, hi)
	var extra []rune
	for c := rune('A'); c <= 'z'; c++ {
		if !isAlpha(c) || c >= lo && c <= hi {
			continue
		}
		if u, l := asciiUpper(c), asciiLower(c); u >= lo && u <= hi || l >= lo && l <= hi {
			extra = append(extra, c)
		}
	}
	if len(extra) > 0 {
		cs = union(cs, chars(extra...))
	}
	return cs
}

func asciiSpace() *cset { return chars(' ', '\t', '\n', '\v', '\f', '\r') }

func horizontalSpace() *cset {
	return union(chars(' ', '\t', 0xA0, 0x1680, 0x180e, 0x202f, 0x205f, 0x3000), rng(0x2000, 0x200a))
}

func verticalSpace() *cset {
	return chars('\n', '\v', '\f', '\r', 0x85, 0x2028, 0x2029)
}

// Unicode derived properties Java knows but Go's tables lack, expressed
// through the tables Go (and so regexp2) has.
func alphabetic() *cset { return prop(`\p{L}\p{Nl}\p{Other_Alphabetic}`) }
func lowercase() *cset  { return prop(`\p{Ll}\p{Other_Lowercase}`) }
func uppercase() *cset  { return prop(`\p{Lu}\p{Other_Uppercase}`) }
func anyCase() *cset {
	return prop(`\p{Lu}\p{Ll}\p{Lt}\p{Other_Lowercase}\p{Other_Uppercase}`)
}

// assigned is every code point with a general category other than Cn.
// (Go's table for C, unlike Cc Cf Co Cs, includes the unassigned ones.)
func assigned() *cset { return prop(`\p{L}\p{M}\p{N}\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\p{Co}\p{Cs}`) }

func unicodeWord() *cset {
	return prop(`\p{L}\p{Nl}\p{Other_Alphabetic}\p{Mn}\p{Me}\p{Mc}\p{Nd}\p{Pc}\p{Join_Control}`)
}

func hexDigitProp() *cset { return prop(`\p{Nd}\p{Hex_Digit}`) }

// generalCategories are Java's two-letter and one-letter category names
// that Go's tables (hence regexp2's \p{..}) know with the same meaning.
var generalCategories = map[string]bool{
	"Lu": true, "Ll": true, "Lt": true, "Lm": true, "Lo": true, "Mn": true, "Me": true, "Mc": true,
	"Nd": true, "Nl": true, "No": true, "Zs": true, "Zl": true, "Zp": true, "Cc": true, "Cf": true,
	"Co": true, "Cs": true, "Pd": true, "Ps": true, "Pe": true, "Pc": true, "Po": true, "Sm": true,
	"Sc": true, "Sk": true, "So": true, "Pi": true, "Pf": true, "L": true, "M": true, "N": true,
	"Z": true, "P": true, "S": true,
}

// unsupportedJavaProperties exist in Java but cannot be expressed with
// Go's Unicode tables.
var unsupportedJavaProperties = map[string]bool{
	"javaMirrored": true, "javaJavaIdentifierStart": true, "javaJavaIdentifierPart": true,
	"javaUnicodeIdentifierStart": true, "javaUnicodeIdentifierPart": true, "javaIdentifierIgnorable": true,
}

// javaProperty is CharPredicates.forProperty: general categories, POSIX
// (ASCII) classes and java.lang.Character methods. Case-sensitive names.
func (p *parser) javaProperty(name string) *cset {
	ci := p.has(flagCaseInsensitive)
	switch name {
	case "Lu", "Ll", "Lt":
		if ci {
			return prop(`\p{Lu}\p{Ll}\p{Lt}`)
		}
		return prop(`\p{` + name + `}`)
	case "Cn":
		return not(assigned())
	case "C":
		return prop(`\p{C}`)
	case "LC":
		return prop(`\p{Lu}\p{Ll}\p{Lt}`)
	case "LD":
		return prop(`\p{L}\p{Nd}`)
	case "L1":
		return rng(0, 0xFF)
	case "all":
		return allChars()
	case "ASCII":
		return rng(0, 0x7F)
	case "Alnum":
		return union(rng('0', '9'), union(rng('A', 'Z'), rng('a', 'z')))
	case "Alpha":
		return union(rng('A', 'Z'), rng('a', 'z'))
	case "Blank":
		return chars(' ', '\t')
	case "Cntrl":
		return union(rng(0, 0x1F), chars(0x7F))
	case "Digit":
		return rng('0', '9')
	case "Graph":
		return rng(0x21, 0x7E)
	case "Lower":
		if ci {
			return union(rng('A', 'Z'), rng('a', 'z'))
		}
		return rng('a', 'z')
	case "Print":
		return rng(0x20, 0x7E)
	case "Punct":
		return union(rng(0x21, 0x2F), union(rng(0x3A, 0x40), union(rng(0x5B, 0x60), rng(0x7B, 0x7E))))
	case "Space":
		return asciiSpace()
	case "Upper":
		if ci {
			return union(rng('A', 'Z'), rng('a', 'z'))
		}
		return rng('A', 'Z')
	case "XDigit":
		return union(rng('0', '9'), union(rng('A', 'F'), rng('a', 'f')))
	case "javaLowerCase":
		if ci {
			return anyCase()
		}
		return lowercase()
	case "javaUpperCase":
		if ci {
			return anyCase()
		}
		return uppercase()
	case "javaTitleCase":
		if ci {
			return anyCase()
		}
		return prop(`\p{Lt}`)
	case "javaAlphabetic":
		return alphabetic()
	case "javaIdeographic":
		return prop(`\p{Ideographic}`)
	case "javaDigit":
		return prop(`\p{Nd}`)
	case "javaDefined":
		return assigned()
	case "javaLetter":
		return prop(`\p{L}`)
	case "javaLetterOrDigit":
		return prop(`\p{L}\p{Nd}`)
	case "javaSpaceChar":
		return prop(`\p{Z}`)
	case "javaWhitespace":
		// Character.isWhitespace: separators except no-break spaces, and
		// the ASCII controls \t \n \u000B \f \r \u001C-\u001F.
		return union(union(chars('\t', '\n', '\v', '\f', '\r'), rng(0x1C, 0x1F)),
			and(prop(`\p{Z}`), not(chars(0xA0, 0x2007, 0x202F))))
	case "javaISOControl":
		return union(rng(0, 0x1F), rng(0x7F, 0x9F))
	}
	if generalCategories[name] {
		return prop(`\p{` + name + `}`)
	}
	if unsupportedJavaProperties[name] {
		p.unsupported(`\p{` + name + `}`)
	}
	return nil
}

// unicodeProperty is CharPredicates.forUnicodeProperty (\p{IsXxx} binary
// properties, case-insensitive names).
func (p *parser) unicodeProperty(name string) *cset {
	ci := p.has(flagCaseInsensitive)
	switch strings.ToUpper(name) {
	case "ALPHABETIC":
		return alphabetic()
	case "ASSIGNED":
		return assigned()
	case "CONTROL":
		return prop(`\p{Cc}`)
	case "HEXDIGIT", "HEX_DIGIT":
		return hexDigitProp()
	case "IDEOGRAPHIC":
		return prop(`\p{Ideographic}`)
	case "JOINCONTROL", "JOIN_CONTROL":
		return prop(`\p{Join_Control}`)
	case "LETTER":
		return prop(`\p{L}`)
	case "LOWERCASE":
		if ci {
			return anyCase()
		}
		return lowercase()
	case "NONCHARACTERCODEPOINT", "NONCHARACTER_CODE_POINT":
		return prop(`\p{Noncharacter_Code_Point}`)
	case "TITLECASE":
		if ci {
			return anyCase()
		}
		return prop(`\p{Lt}`)
	case "PUNCTUATION":
		return prop(`\p{P}`)
	case "UPPERCASE":
		if ci {
			return anyCase()
		}
		return uppercase()
	case "WHITESPACE", "WHITE_SPACE":
		return prop(`\p{White_Space}`)
	case "WORD":
		return unicodeWord()
	}
	return nil
}

// posixProperty is CharPredicates.forPOSIXName, used with (?U).
func (p *parser) posixProperty(name string) *cset {
	ci := p.has(flagCaseInsensitive)
	switch strings.ToUpper(name) {
	case "ALPHA":
		return alphabetic()
	case "LOWER":
		if ci {
			return anyCase()
		}
		return lowercase()
	case "UPPER":
		if ci {
			return anyCase()
		}
		return uppercase()
	case "SPACE":
		return prop(`\p{White_Space}`)
	case "PUNCT":
		return prop(`\p{P}`)
	case "XDIGIT":
		return hexDigitProp()
	case "ALNUM":
		return union(alphabetic(), prop(`\p{Nd}`))
	case "CNTRL":
		return prop(`\p{Cc}`)
	case "DIGIT":
		return prop(`\p{Nd}`)
	case "BLANK":
		return union(prop(`\p{Zs}`), chars('\t'))
	case "GRAPH":
		return graph()
	case "PRINT":
		return and(union(graph(), union(prop(`\p{Zs}`), chars('\t'))), not(prop(`\p{Cc}`)))
	}
	return nil
}

// graph is Java's POSIX GRAPH: not whitespace separator, control,
// surrogate or unassigned.
func graph() *cset {
	return not(union(prop(`\p{Z}\p{Cc}\p{Cs}`), not(assigned())))
}

// script is CharPredicates.forUnicodeScript for full script names
// (case-insensitive). ISO 15924 aliases are not known.
func script(name string) *cset {
	for goName := range unicode.Scripts {
		if strings.EqualFold(goName, name) {
			return prop(`\p{` + goName + `}`)
		}
	}
	return nil
}

// lookupProperty resolves the name of \p{name} as Pattern.family does.
func (p *parser) lookupProperty(name string) *cset {
	var cs *cset
	if i := strings.IndexByte(name, '='); i >= 0 {
		value := name[i+1:]
		key := strings.ToLower(name[:i])
		switch key {
		case "sc", "script":
			cs = script(value)
		case "blk", "block":
			p.unsupported(`\p{` + name + `} (Unicode block)`)
		case "gc", "general_category":
			cs = p.javaProperty(value)
		}
		if cs == nil {
			p.fail(fmt.Sprintf("Unknown Unicode property {name=<%s>, value=<%s>}", key, value))
		}
		return cs
	}
	switch {
	case strings.HasPrefix(name, "In"):
		p.unsupported(`\p{` + name + `} (Unicode block)`)
	case strings.HasPrefix(name, "Is"):
		short := name[2:]
		if cs = p.unicodeProperty(short); cs == nil {
			if cs = p.javaProperty(short); cs == nil {
				cs = script(short)
			}
		}
	default:
		if p.has(flagUnicodeClass) {
			cs = p.posixProperty(name)
		}
		if cs == nil {
			cs = p.javaProperty(name)
		}
	}
	if cs == nil {
		p.fail("Unknown character property name {" + name + "}")
	}
	return cs
}

// Rendering to regexp2 syntax. Every rendering matches exactly one
// character; composite predicates use lookarounds.

// classChar renders one character for use inside a regexp2 class (and,
// being a plain escape or letter, outside one as well).
func classChar(r rune) string {
	switch {
	case r < 0x80 && (isAlpha(r) || isDigit(r)):
		return string(r)
	case r <= 0xFFFF:
		return fmt.Sprintf(`\u%04X`, r)
	}
	return string(r)
}

// plainItems collects the class items of a union of leaves; ok is false if
// the set has an intersection or complement.
func plainItems(c *cset, b *strings.Builder) bool {
	switch c.op {
	case opUnion:
		return plainItems(c.x, b) && plainItems(c.y, b)
	case opBits:
		writeBits(c.bits, b)
	case opSingle:
		b.WriteString(classChar(c.lo))
	case opRange:
		writeRange(c.lo, c.hi, b)
	case opItem:
		b.WriteString(c.item)
	default:
		return false
	}
	return true
}

func writeRange(lo, hi rune, b *strings.Builder) {
	b.WriteString(classChar(lo))
	if hi != lo {
		b.WriteByte('-')
		b.WriteString(classChar(hi))
	}
}

func writeBits(bits *[256]bool, b *strings.Builder) {
	for i := 0; i < 256; i++ {
		if !bits[i] {
			continue
		}
		j := i
		for j+1 < 256 && bits[j+1] {
			j++
		}
		writeRange(rune(i), rune(j), b)
		i = j
	}
}

// renderSet renders a predicate as a regexp2 expression matching one
// character. (regexp2's own case-insensitive mode is never used: it
// mishandles categories after an optional case-insensitive part, and Java's
// folding rules are applied when the sets are built.)
func renderSet(c *cset) string {
	var plain strings.Builder
	var terms []string
	var walk func(c *cset)
	walk = func(c *cset) {
		switch c.op {
		case opUnion:
			walk(c.x)
			walk(c.y)
		case opBits, opSingle, opRange, opItem:
			plainItems(c, &plain)
		case opNot:
			var inner strings.Builder
			if plainItems(c.x, &inner) {
				if inner.Len() == 0 {
					terms = append(terms, `[\s\S]`)
				} else {
					terms = append(terms, "[^"+inner.String()+"]")
				}
				return
			}
			terms = append(terms, `(?:(?!`+renderSet(c.x)+`)[\s\S])`)
		case opAnd:
			terms = append(terms, `(?:(?=`+renderSet(c.y)+`)`+renderSet(c.x)+`)`)
		}
	}
	walk(c)
	var all []string
	if plain.Len() > 0 {
		all = append(all, "["+plain.String()+"]")
	}
	all = append(all, terms...)
	switch len(all) {
	case 0:
		return `(?!)`
	case 1:
		return all[0]
	}
	return "(?:" + strings.Join(all, "|") + ")"
}

// Unicode case-insensitive matching ((?iu)) as java.util.regex does it,
// with Character.toUpperCase / toLowerCase (Go's simple case mappings are
// the same Unicode data).

type casePair struct{ c, to rune }

var caseMaps struct {
	once  sync.Once
	upper []casePair // c with toUpperCase(c) != c
	key   []casePair // c with toLowerCase(toUpperCase(c)) != c
}

func loadCaseMaps() {
	caseMaps.once.Do(func() {
		for c := rune(0); c <= 0x1FFFF; c++ { // no cased characters above
			up := unicode.ToUpper(c)
			if up != c {
				caseMaps.upper = append(caseMaps.upper, casePair{c, up})
			}
			if k := unicode.ToLower(up); k != c {
				caseMaps.key = append(caseMaps.key, casePair{c, k})
			}
		}
	})
}

func caseKey(c rune) rune { return unicode.ToLower(unicode.ToUpper(c)) }

// foldSingle is SingleU / SliceU: k = toLowerCase(toUpperCase(ch)) itself
// and every c whose toLowerCase(toUpperCase(c)) is k.
func foldSingle(ch rune) *cset {
	loadCaseMaps()
	k := caseKey(ch)
	set := []rune{k}
	for _, p := range caseMaps.key {
		if p.to == k && p.c != k {
			set = append(set, p.c)
		}
	}
	return chars(set...)
}

// foldRange is CIRangeU: c matches if c, toUpperCase(c) or
// toLowerCase(toUpperCase(c)) is in the range.
func foldRange(lo, hi rune) *cset {
	loadCaseMaps()
	var extra []rune
	seen := map[rune]bool{}
	add := func(c rune) {
		if (c < lo || c > hi) && !seen[c] {
			seen[c] = true
			extra = append(extra, c)
		}
	}
	for _, p := range caseMaps.upper {
		if p.to >= lo && p.to <= hi {
			add(p.c)
		}
	}
	for _, p := range caseMaps.key {
		if p.to >= lo && p.to <= hi {
			add(p.c)
		}
	}
	cs := rng(lo, hi)
	if len(extra) > 0 {
		slices.Sort(extra)
		cs = union(cs, chars(extra...))
	}
	return cs
}
