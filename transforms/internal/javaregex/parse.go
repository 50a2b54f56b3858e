package javaregex

import "unicode"

// Pattern flags (java.util.regex.Pattern constants), settable inline.
const (
	flagUnixLines       = 0x01
	flagCaseInsensitive = 0x02
	flagComments        = 0x04
	flagMultiline       = 0x08
	flagDotall          = 0x20
	flagUnicodeCase     = 0x40
	flagCanonEq         = 0x80
	flagUnicodeClass    = 0x100
)

// maxReps is Pattern.MAX_REPS, the "unbounded" repetition count.
const maxReps = 0x7FFFFFFF

// parser mirrors java.util.regex.Pattern's recursive-descent compiler step
// by step (same cursor movements, same error points), so that syntax errors
// carry Java's description and index. It builds a small tree that emit.go
// turns into regexp2 (.NET) syntax.
type parser struct {
	pattern    string // as given, shown in error messages
	temp       []rune // code points after \Q...\E removal, zero-terminated
	plen       int    // code points in temp before the terminators
	cursor     int
	flags      int
	groupCount int // Java's capturingGroupCount: 1 + groups opened so far
	names      map[string]int

	// escape's "double return" (Java's root and predicate fields).
	root      node
	predicate *cset
}

// parsePanic carries a syntax error out of the recursive descent.
type parsePanic struct{ err *SyntaxError }

func newParser(pattern string) *parser {
	runes := []rune(pattern)
	p := &parser{pattern: pattern, plen: len(runes), groupCount: 1, names: map[string]int{}}
	p.temp = append(runes, 0, 0)
	p.removeQEQuoting()
	return p
}

// parse compiles the whole pattern (Pattern.compile, non-LITERAL).
func (p *parser) parse() (root node, err error) {
	defer func() {
		if r := recover(); r != nil {
			pp, ok := r.(parsePanic)
			if !ok {
				panic(r)
			}
			root, err = nil, pp.err
		}
	}()
	root = p.expr()
	if p.plen != p.cursor {
		if p.peek() == ')' {
			p.fail("Unmatched closing ')'")
		}
		p.fail("Unexpected internal error")
	}
	return root, nil
}

func (p *parser) has(f int) bool { return p.flags&f != 0 }

// at reads temp, treating everything past its end as the terminator.
func (p *parser) at(i int) rune {
	if i >= 0 && i < len(p.temp) {
		return p.temp[i]
	}
	return 0
}

func (p *parser) mark(c rune) {
	if p.plen < len(p.temp) {
		p.temp[p.plen] = c
	}
}

// fail throws PatternSyntaxException(desc, pattern, cursor - 1).
func (p *parser) fail(desc string) {
	panic(parsePanic{&SyntaxError{Desc: desc, Pattern: p.pattern, Index: p.cursor - 1}})
}

// unsupported reports a valid Java construct this engine cannot honour.
func (p *parser) unsupported(construct string) {
	panic(parsePanic{&SyntaxError{Desc: construct + " is not supported by this regex engine",
		Pattern: p.pattern, Index: p.cursor - 1, Unsupported: true}})
}

func (p *parser) accept(ch rune, desc string) {
	test := p.at(p.cursor)
	p.cursor++
	if p.has(flagComments) {
		test = p.parsePastWhitespace(test)
	}
	if ch != test {
		p.fail(desc)
	}
}

func (p *parser) peek() rune {
	ch := p.at(p.cursor)
	if p.has(flagComments) {
		ch = p.peekPastWhitespace(ch)
	}
	return ch
}

func (p *parser) read() rune {
	ch := p.at(p.cursor)
	p.cursor++
	if p.has(flagComments) {
		ch = p.parsePastWhitespace(ch)
	}
	return ch
}

func (p *parser) next() rune {
	p.cursor++
	ch := p.at(p.cursor)
	if p.has(flagComments) {
		ch = p.peekPastWhitespace(ch)
	}
	return ch
}

func (p *parser) nextEscaped() rune {
	p.cursor++
	return p.at(p.cursor)
}

func (p *parser) skip() rune {
	i := p.cursor
	ch := p.at(i + 1)
	p.cursor = i + 2
	return ch
}

func (p *parser) unread() { p.cursor-- }

func (p *parser) peekPastWhitespace(ch rune) rune {
	for isSpace(ch) || ch == '#' {
		for isSpace(ch) {
			p.cursor++
			ch = p.at(p.cursor)
		}
		if ch == '#' {
			ch = p.peekPastLine()
		}
	}
	return ch
}

func (p *parser) parsePastWhitespace(ch rune) rune {
	for isSpace(ch) || ch == '#' {
		for isSpace(ch) {
			ch = p.at(p.cursor)
			p.cursor++
		}
		if ch == '#' {
			ch = p.parsePastLine()
		}
	}
	return ch
}

func (p *parser) parsePastLine() rune {
	ch := p.at(p.cursor)
	p.cursor++
	for ch != 0 && !p.isLineSeparator(ch) {
		ch = p.at(p.cursor)
		p.cursor++
	}
	if ch == 0 && p.cursor > p.plen {
		p.cursor = p.plen
		ch = p.at(p.cursor)
		p.cursor++
	}
	return ch
}

func (p *parser) peekPastLine() rune {
	p.cursor++
	ch := p.at(p.cursor)
	for ch != 0 && !p.isLineSeparator(ch) {
		p.cursor++
		ch = p.at(p.cursor)
	}
	if ch == 0 && p.cursor > p.plen {
		p.cursor = p.plen
		ch = p.at(p.cursor)
	}
	return ch
}

func (p *parser) isLineSeparator(ch rune) bool {
	if p.has(flagUnixLines) {
		return ch == '\n'
	}
	return ch == '\n' || ch == '\r' || ch|1 == '\u2029' || ch == '\u0085'
}

// removeQEQuoting rewrites \Q...\E into escaped characters before parsing,
// exactly as Java does (error indices refer to the rewritten pattern).
func (p *parser) removeQEQuoting() {
	pLen := p.plen
	temp := p.temp
	i := 0
	for i < pLen-1 {
		if temp[i] != '\\' {
			i++
		} else if temp[i+1] != 'Q' {
			i += 2
		} else {
			break
		}
	}
	if i >= pLen-1 {
		return
	}
	j := i
	i += 2
	out := make([]rune, j, j+3*(pLen-i)+2)
	copy(out, temp[:j])
	inQuote, beginQuote := true, true
	for i < pLen {
		c := temp[i]
		i++
		switch {
		case c >= 128 || isAlpha(c):
			out = append(out, c)
		case isDigit(c):
			if beginQuote {
				// Keep a preceding \x / \u / \0 escape from swallowing it.
				out = append(out, '\\', 'x', '3')
			}
			out = append(out, c)
		case c != '\\':
			if inQuote {
				out = append(out, '\\')
			}
			out = append(out, c)
		case inQuote:
			if temp[i] == 'E' {
				i++
				inQuote = false
			} else {
				out = append(out, '\\', '\\')
			}
		default:
			if temp[i] == 'Q' {
				i++
				inQuote, beginQuote = true, true
				continue
			}
			out = append(out, c)
			if i != pLen {
				out = append(out, temp[i])
				i++
			}
		}
		beginQuote = false
	}
	p.plen = len(out)
	p.temp = append(out, 0, 0)
}

// expr parses alternatives separated by '|'.
func (p *parser) expr() node {
	var alts []node
	for {
		alts = append(alts, p.sequence())
		if p.peek() != '|' {
			break
		}
		p.next()
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return &altNode{alts: alts}
}

// sequence parses the atoms between alternation bars.
func (p *parser) sequence() node {
	seq := &seqNode{}
	for {
		var n node
		ch := p.peek()
		switch ch {
		case '(':
			if g := p.group0(); g != nil {
				seq.items = append(seq.items, g)
			}
			continue
		case '[':
			n = &setNode{cs: p.clazz(true)}
		case '\\':
			ch = p.nextEscaped()
			if ch == 'p' || ch == 'P' {
				oneLetter, comp := true, ch == 'P'
				if p.next() != '{' {
					p.unread()
				} else {
					oneLetter = false
				}
				n = &setNode{cs: p.family(oneLetter, comp)}
			} else {
				p.unread()
				n = p.atom()
			}
		case '^':
			p.next()
			switch {
			case !p.has(flagMultiline):
				n = &rawNode{text: `\A`}
			case p.has(flagUnixLines):
				n = &rawNode{text: `(?:\A|(?<=\n))(?=[\s\S])`}
			default:
				n = &rawNode{text: `(?:\A|(?<=[\n\u0085\u2028\u2029])|(?<=\r)(?!\n))(?=[\s\S])`}
			}
		case '$':
			p.next()
			n = p.dollar(p.has(flagMultiline))
		case '.':
			p.next()
			switch {
			case p.has(flagDotall):
				n = &setNode{cs: allChars()}
			case p.has(flagUnixLines):
				n = &setNode{cs: not(chars('\n'))}
			default:
				n = &setNode{cs: not(chars('\n', '\r', '\u0085', '\u2028', '\u2029'))}
			}
		case '|', ')':
			return seq
		case ']', '}':
			n = p.atom()
		case '?', '*', '+':
			p.next()
			p.fail("Dangling meta character '" + string(ch) + "'")
		case 0:
			if p.cursor >= p.plen {
				return seq
			}
			n = p.atom()
		default:
			n = p.atom()
		}
		seq.items = append(seq.items, p.closure(n))
	}
}

// dollar is Java's Dollar / UnixDollar node.
func (p *parser) dollar(multiline bool) node {
	if p.has(flagUnixLines) {
		if multiline {
			return &rawNode{text: `(?=\n|\z)`}
		}
		return &rawNode{text: `(?=\n?\z)`}
	}
	if multiline {
		return &rawNode{text: `(?:(?<!\r)(?=\n)|(?=[\r\u0085\u2028\u2029])|\z)`}
	}
	return &rawNode{text: `(?:(?=\r\n\z)|(?<!\r)(?=\n\z)|(?=[\r\u0085\u2028\u2029]\z)|\z)`}
}

// atom parses a run of literal characters and escapes (Java's Single or
// Slice), leaving the last one for a following quantifier; or a single
// escape that is not a character.
func (p *parser) atom() node {
	var run []rune
	prev := -1
	ch := p.peek()
loop:
	for {
		switch ch {
		case '*', '+', '?', '{':
			if len(run) > 1 {
				p.cursor = prev // the quantifier applies to the last one
				run = run[:len(run)-1]
			}
			break loop
		case '$', '.', '^', '(', '[', '|', ')':
			break loop
		case '\\':
			ch = p.nextEscaped()
			if ch == 'p' || ch == 'P' {
				if len(run) > 0 { // the slice first
					p.unread()
					break loop
				}
				oneLetter, comp := true, ch == 'P'
				if p.next() != '{' {
					p.unread()
				} else {
					oneLetter = false
				}
				return &setNode{cs: p.family(oneLetter, comp)}
			}
			p.unread()
			prev = p.cursor
			c := p.escape(false, len(run) == 0, false)
			if c >= 0 {
				run = append(run, c)
				ch = p.peek()
				continue
			}
			if len(run) == 0 {
				return p.root
			}
			p.cursor = prev // unwind the escape for the next atom
			break loop
		case 0:
			if p.cursor >= p.plen {
				break loop
			}
		}
		prev = p.cursor
		run = append(run, ch)
		ch = p.next()
	}
	switch len(run) {
	case 0:
		return &seqNode{} // empty slice
	case 1:
		return &litNode{r: run[0], flags: p.flags}
	}
	return &sliceNode{runes: run, flags: p.flags}
}

func (p *parser) literal(c rune) node {
	return &litNode{r: c, flags: p.flags}
}

// ref parses a numeric back reference greedily, as far as groups exist.
func (p *parser) ref(refNum int) node {
	for {
		ch := p.peek()
		if ch < '0' || ch > '9' {
			break
		}
		newRef := refNum*10 + int(ch-'0')
		if p.groupCount-1 < newRef {
			break
		}
		refNum = newRef
		p.read()
	}
	return &backrefNode{group: refNum, flags: p.flags}
}

// escape parses an escape sequence: a character (>= 0) or -1 with a node in
// p.root (create && !inclass) or a predicate in p.predicate.
func (p *parser) escape(inclass, create, isrange bool) rune {
	ch := p.skip()
	setPred := func(cs *cset) rune {
		if create {
			p.predicate = cs
			if !inclass {
				p.root = &setNode{cs: cs}
			}
		}
		return -1
	}
	switch ch {
	case '0':
		return p.octal()
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if inclass {
			break
		}
		if create {
			p.root = p.ref(int(ch - '0'))
		}
		return -1
	case 'A':
		if inclass {
			break
		}
		if create {
			p.root = &rawNode{text: `\A`}
		}
		return -1
	case 'B':
		if inclass {
			break
		}
		if create {
			p.root = &rawNode{text: p.bound(false)}
		}
		return -1
	case 'D':
		return setPred(not(p.digitSet()))
	case 'G':
		if inclass {
			break
		}
		if create {
			p.root = &rawNode{text: `\G`}
		}
		return -1
	case 'H':
		return setPred(not(horizontalSpace()))
	case 'N':
		return p.namedChar()
	case 'R':
		if inclass {
			break
		}
		if create {
			p.root = &rawNode{text: `(?:\r\n|[\n\u000B\u000C\r\u0085\u2028\u2029])`, lineEnding: true}
		}
		return -1
	case 'S':
		return setPred(not(p.spaceSet()))
	case 'V':
		return setPred(not(verticalSpace()))
	case 'W':
		return setPred(not(p.wordSet()))
	case 'X':
		if inclass {
			break
		}
		if create {
			p.unsupported(`\X (extended grapheme cluster)`)
		}
		return -1
	case 'Z':
		if inclass {
			break
		}
		if create {
			p.root = p.dollar(false)
		}
		return -1
	case 'a':
		return '\a'
	case 'b':
		if inclass {
			break
		}
		if create {
			if p.peek() == '{' {
				if p.skip() == 'g' {
					if p.read() == '}' {
						p.unsupported(`\b{g} (grapheme cluster boundary)`)
					}
					break // missing trailing '}'
				}
				p.unread()
				p.unread()
			}
			p.root = &rawNode{text: p.bound(true)}
		}
		return -1
	case 'c':
		return p.control()
	case 'd':
		return setPred(p.digitSet())
	case 'e':
		return '\033'
	case 'f':
		return '\f'
	case 'h':
		return setPred(horizontalSpace())
	case 'k':
		if inclass {
			break
		}
		if p.read() != '<' {
			p.fail(`\k is not followed by '<' for named capturing group`)
		}
		name := p.groupName(p.read())
		group, ok := p.names[name]
		if !ok {
			p.fail("named capturing group <" + name + "> does not exist")
		}
		if create {
			p.root = &backrefNode{group: group, flags: p.flags}
		}
		return -1
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 's':
		return setPred(p.spaceSet())
	case 't':
		return '\t'
	case 'u':
		return p.unicodeEscape()
	case 'v':
		// \v is vertical whitespace, but 0x0B as a range end point.
		if isrange {
			return '\013'
		}
		return setPred(verticalSpace())
	case 'w':
		return setPred(p.wordSet())
	case 'x':
		return p.hex()
	case 'z':
		if inclass {
			break
		}
		if create {
			p.root = &rawNode{text: `\z`}
		}
		return -1
	case 'C', 'E', 'F', 'I', 'J', 'K', 'L', 'M', 'O', 'P', 'Q', 'T', 'U', 'Y',
		'g', 'i', 'j', 'l', 'm', 'o', 'p', 'q', 'y':
	default:
		return ch
	}
	p.fail("Illegal/unsupported escape sequence")
	return -1
}

// bound renders \b / \B. Java's word test for boundaries is letter, digit
// or '_' (Unicode), non-spacing marks counting as part of a word.
func (p *parser) bound(both bool) string {
	w := `[\p{L}\p{Nd}\p{Mn}_]`
	if p.has(flagUnicodeClass) {
		w = renderSet(unicodeWord())
	}
	if both {
		return `(?:(?<=` + w + `)(?!` + w + `)|(?<!` + w + `)(?=` + w + `))`
	}
	return `(?:(?<=` + w + `)(?=` + w + `)|(?<!` + w + `)(?!` + w + `))`
}

func (p *parser) digitSet() *cset {
	if p.has(flagUnicodeClass) {
		return prop(`\p{Nd}`)
	}
	return rng('0', '9')
}

func (p *parser) spaceSet() *cset {
	if p.has(flagUnicodeClass) {
		return prop(`\p{White_Space}`)
	}
	return asciiSpace()
}

func (p *parser) wordSet() *cset {
	if p.has(flagUnicodeClass) {
		return unicodeWord()
	}
	return union(rng('a', 'z'), union(rng('A', 'Z'), union(chars('_'), rng('0', '9'))))
}

func (p *parser) control() rune {
	if p.cursor < p.plen {
		return p.read() ^ 64
	}
	p.fail("Illegal control escape sequence")
	return -1
}

func isOctal(c rune) bool { return c >= '0' && c <= '7' }

func (p *parser) octal() rune {
	n := p.read()
	if isOctal(n) {
		m := p.read()
		if isOctal(m) {
			o := p.read()
			if isOctal(o) && n <= '3' {
				return (n-'0')*64 + (m-'0')*8 + (o - '0')
			}
			p.unread()
			return (n-'0')*8 + (m - '0')
		}
		p.unread()
		return n - '0'
	}
	p.fail("Illegal octal escape sequence")
	return -1
}

func (p *parser) hex() rune {
	n := p.read()
	if isHexDigit(n) {
		m := p.read()
		if isHexDigit(m) {
			return hexValue(n)*16 + hexValue(m)
		}
	} else if n == '{' && isHexDigit(p.peek()) {
		var ch rune
		for {
			n = p.read()
			if !isHexDigit(n) {
				break
			}
			ch = ch<<4 + hexValue(n)
			if ch > unicode.MaxRune {
				p.fail("Hexadecimal codepoint is too big")
			}
		}
		if n != '}' {
			p.fail("Unclosed hexadecimal escape sequence")
		}
		return ch
	}
	p.fail("Illegal hexadecimal escape sequence")
	return -1
}

func (p *parser) uxxxx() rune {
	var n rune
	for range 4 {
		ch := p.read()
		if !isHexDigit(ch) {
			p.fail("Illegal Unicode escape sequence")
		}
		n = n*16 + hexValue(ch)
	}
	return n
}

func (p *parser) unicodeEscape() rune {
	n := p.uxxxx()
	if n >= 0xD800 && n <= 0xDBFF {
		cur := p.cursor
		if p.read() == '\\' && p.read() == 'u' {
			n2 := p.uxxxx()
			if n2 >= 0xDC00 && n2 <= 0xDFFF {
				return 0x10000 + (n-0xD800)<<10 + (n2 - 0xDC00)
			}
		}
		p.cursor = cur
	}
	return n
}

// namedChar is \N{name}: parsed like Java, but Go has no Unicode name table.
func (p *parser) namedChar() rune {
	if p.read() == '{' {
		i := p.cursor
		for p.read() != '}' {
			if p.cursor >= p.plen {
				p.fail("Unclosed character name escape sequence")
			}
		}
		p.unsupported(`\N{` + string(p.temp[i:p.cursor-1]) + `} (character by name)`)
	}
	p.fail("Illegal character name escape sequence")
	return -1
}

func (p *parser) groupName(ch rune) string {
	if !isAlpha(ch) {
		p.fail("capturing group name does not start with a Latin letter")
	}
	var name []rune
	for {
		name = append(name, ch)
		ch = p.read()
		if !isAlpha(ch) && !isDigit(ch) {
			break
		}
	}
	if ch != '>' {
		p.fail("named capturing group is missing trailing '>'")
	}
	return string(name)
}

// group0 parses a group and its quantifier; nil for a pure flag group.
func (p *parser) group0() node {
	save := p.flags
	var g *groupNode
	ch := p.next()
	if ch == '?' {
		ch = p.skip()
		switch ch {
		case ':':
			g = &groupNode{kind: groupPlain, body: p.expr()}
		case '=':
			g = &groupNode{kind: groupAhead, body: p.expr()}
		case '!':
			g = &groupNode{kind: groupNotAhead, body: p.expr()}
		case '>':
			g = &groupNode{kind: groupAtomic, body: p.expr()}
		case '<':
			ch = p.read()
			if ch != '=' && ch != '!' {
				name := p.groupName(ch)
				if _, dup := p.names[name]; dup {
					p.fail("Named capturing group <" + name + "> is already defined")
				}
				index := p.groupCount
				p.groupCount++
				p.names[name] = index
				g = &groupNode{kind: groupCapture, index: index, body: p.expr()}
				break
			}
			body := p.expr()
			info := studyNode(body)
			if !info.maxValid {
				p.fail("Look-behind group does not have an obvious maximum length")
			}
			kind := groupBehind
			if ch == '!' {
				kind = groupNotBehind
			}
			g = &groupNode{kind: kind, body: body, behindMin: info.minLength, behindMax: info.maxLength}
		case '$', '@':
			p.fail("Unknown group type")
		default:
			p.unread()
			p.addFlag()
			ch = p.read()
			if ch == ')' {
				return nil // inline modifier only; stays in effect
			}
			if ch != ':' {
				p.fail("Unknown inline modifier")
			}
			g = &groupNode{kind: groupPlain, body: p.expr()}
		}
	} else {
		index := p.groupCount
		p.groupCount++
		g = &groupNode{kind: groupCapture, index: index, body: p.expr()}
	}
	p.accept(')', "Unclosed group")
	p.flags = save

	n := p.closure(g)
	q, ok := n.(*quantNode)
	if !ok {
		return n
	}
	switch g.kind {
	case groupAhead, groupNotAhead, groupBehind, groupNotBehind, groupAtomic:
		return q // zero-length assertion or independent group: as quantified
	}
	if q.study == studyQues {
		if q.qtype != qPossessive {
			q.study = studyOptionalGroup
		}
		return q
	}
	if q.qtype != qPossessive && !studyNode(g).deterministic {
		q.study = studyLoop
	}
	return q
}

func (p *parser) addFlag() {
	ch := p.peek()
	for {
		switch ch {
		case 'i':
			p.flags |= flagCaseInsensitive
		case 'm':
			p.flags |= flagMultiline
		case 's':
			p.flags |= flagDotall
		case 'd':
			p.flags |= flagUnixLines
		case 'u':
			p.flags |= flagUnicodeCase
		case 'c':
			p.cursor++
			p.unsupported("(?c) (canonical equivalence)")
		case 'x':
			p.flags |= flagComments
		case 'U':
			p.flags |= flagUnicodeClass | flagUnicodeCase
		case '-':
			p.next()
			p.subFlag()
			return
		default:
			return
		}
		ch = p.next()
	}
}

func (p *parser) subFlag() {
	ch := p.peek()
	for {
		switch ch {
		case 'i':
			p.flags &^= flagCaseInsensitive
		case 'm':
			p.flags &^= flagMultiline
		case 's':
			p.flags &^= flagDotall
		case 'd':
			p.flags &^= flagUnixLines
		case 'u':
			p.flags &^= flagUnicodeCase
		case 'c':
			p.flags &^= flagCanonEq
		case 'x':
			p.flags &^= flagComments
		case 'U':
			p.flags &^= flagUnicodeClass | flagUnicodeCase
		default:
			return
		}
		ch = p.next()
	}
}

func (p *parser) qtype() qtype {
	switch p.next() {
	case '?':
		p.next()
		return qLazy
	case '+':
		p.next()
		return qPossessive
	}
	return qGreedy
}

// curly is *, + and {n,}: greedy repetition of a single-character atom is
// Java's CharPropertyGreedy, anything else a Curly.
func (p *parser) curly(prev node, cmin int) node {
	qt := p.qtype()
	st := studyCurly
	if qt == qGreedy && isCharProperty(prev) {
		st = studyCharGreedy
	}
	return &quantNode{body: prev, min: cmin, max: maxReps, qtype: qt, study: st}
}

// closure parses a quantifier after prev, if any.
func (p *parser) closure(prev node) node {
	switch p.peek() {
	case '?':
		return &quantNode{body: prev, min: 0, max: 1, qtype: p.qtype(), study: studyQues}
	case '*':
		return p.curly(prev, 0)
	case '+':
		return p.curly(prev, 1)
	case '{':
		ch := p.skip()
		if !isDigit(ch) {
			p.fail("Illegal repetition")
		}
		cmin, cmax := 0, 0
		for {
			cmin = cmin*10 + int(ch-'0')
			if cmin > maxReps {
				p.fail("Illegal repetition range")
			}
			if ch = p.read(); !isDigit(ch) {
				break
			}
		}
		if ch == ',' {
			ch = p.read()
			if ch == '}' {
				p.unread()
				return p.curly(prev, cmin)
			}
			for isDigit(ch) {
				cmax = cmax*10 + int(ch-'0')
				if cmax > maxReps {
					p.fail("Illegal repetition range")
				}
				ch = p.read()
			}
		} else {
			cmax = cmin
		}
		if ch != '}' {
			p.fail("Unclosed counted closure")
		}
		if cmax < cmin {
			p.fail("Illegal repetition range")
		}
		p.unread()
		if cmin == 0 && cmax == 1 {
			return &quantNode{body: prev, min: 0, max: 1, qtype: p.qtype(), study: studyQues}
		}
		return &quantNode{body: prev, min: cmin, max: cmax, qtype: p.qtype(), study: studyCurly}
	}
	return prev
}

// clazz parses a character class; consume says whether to eat the ']'.
func (p *parser) clazz(consume bool) *cset {
	var prev, curr *cset
	bits := &cset{op: opBits, bits: new([256]bool)}
	isNeg, hasBits := false, false
	ch := p.next()
	if ch == '^' && p.at(p.cursor-1) == '[' {
		ch = p.next()
		isNeg = true
	}
	for {
		switch ch {
		case '[':
			curr = p.clazz(true)
			if prev == nil {
				prev = curr
			} else {
				prev = union(prev, curr)
			}
			ch = p.peek()
			continue
		case '&':
			ch = p.next()
			if ch != '&' {
				p.unread() // a literal '&'
				break
			}
			ch = p.next()
			var right *cset
			for ch != ']' && ch != '&' {
				var operand *cset
				if ch == '[' {
					operand = p.clazz(true)
				} else {
					p.unread()
					operand = p.clazz(false)
				}
				if right == nil {
					right = operand
				} else {
					right = union(right, operand)
				}
				ch = p.peek()
			}
			if hasBits {
				if prev == nil {
					prev, curr = bits, bits
				} else {
					prev = union(prev, bits)
				}
				hasBits = false
			}
			if right != nil {
				curr = right
			}
			if prev == nil {
				if right == nil {
					p.fail("Bad class syntax")
				}
				prev = right
			} else {
				if curr == nil {
					// e.g. "[a-z_&&]": Java builds an intersection with a
					// null operand and throws NullPointerException when a
					// character reaches it while matching.
					p.unsupported("character class intersection without a right-hand operand")
				}
				prev = and(prev, curr)
			}
			continue
		case 0:
			if p.cursor >= p.plen {
				p.fail("Unclosed character class")
			}
		case ']':
			if prev != nil || hasBits {
				if consume {
					p.next()
				}
				if prev == nil {
					prev = bits
				} else if hasBits {
					prev = union(prev, bits)
				}
				if isNeg {
					return not(prev)
				}
				return prev
			}
		}
		curr = p.classItem(bits)
		if curr == nil {
			hasBits = true
		} else if prev == nil {
			prev = curr
		} else if prev != curr {
			prev = union(prev, curr)
		}
		ch = p.peek()
	}
}

// classItem is Java's range(): one character, range or predicate in a
// class; nil when the character went into the shared bit set.
func (p *parser) classItem(bits *cset) *cset {
	ch := p.peek()
	if ch == '\\' {
		ch = p.nextEscaped()
		if ch == 'p' || ch == 'P' {
			oneLetter, comp := true, ch == 'P'
			if p.next() != '{' {
				p.unread()
			} else {
				oneLetter = false
			}
			return p.family(oneLetter, comp)
		}
		isrange := p.at(p.cursor+1) == '-'
		p.unread()
		ch = p.escape(true, true, isrange)
		if ch == -1 {
			return p.predicate
		}
	} else {
		p.next()
	}
	if ch < 0 {
		p.fail("Unexpected character '" + string(ch) + "'")
	}
	if p.peek() == '-' {
		endRange := p.at(p.cursor + 1)
		if endRange == '[' {
			return p.bitsOrSingle(bits, ch)
		}
		if endRange != ']' {
			p.next()
			m := p.peek()
			if m == '\\' {
				m = p.escape(true, false, true)
			} else {
				p.next()
			}
			if m < ch {
				p.fail("Illegal character range")
			}
			if p.has(flagCaseInsensitive) {
				if p.has(flagUnicodeCase) {
					return foldRange(ch, m)
				}
				return asciiFoldedRange(ch, m)
			}
			return rng(ch, m)
		}
	}
	return p.bitsOrSingle(bits, ch)
}

func (p *parser) bitsOrSingle(bits *cset, ch rune) *cset {
	if ch < 256 && !(p.has(flagCaseInsensitive) && p.has(flagUnicodeCase) &&
		(ch == 0xff || ch == 0xb5 || ch == 0x49 || ch == 0x69 || ch == 0x53 || ch == 0x73 ||
			ch == 0x4b || ch == 0x6b || ch == 0xc5 || ch == 0xe5)) {
		bits.addBit(ch, p.flags)
		return nil
	}
	return p.single(ch)
}

func (p *parser) single(ch rune) *cset {
	if p.has(flagCaseInsensitive) {
		if p.has(flagUnicodeCase) {
			if up := unicode.ToUpper(ch); up != unicode.ToLower(up) {
				return foldSingle(ch)
			}
		} else if ch < 128 {
			if lo, up := asciiLower(ch), asciiUpper(ch); lo != up {
				return union(chars(lo), chars(up))
			}
		}
	}
	return chars(ch)
}

// family parses \p{...} / \P{...} after the 'p'.
func (p *parser) family(singleLetter, complement bool) *cset {
	p.next()
	var name string
	if singleLetter {
		name = string(p.at(p.cursor))
		p.read()
	} else {
		i := p.cursor
		p.mark('}')
		for p.read() != '}' {
		}
		p.mark(0)
		j := p.cursor
		if j > p.plen {
			p.fail("Unclosed character family")
		}
		if i+1 >= j {
			p.fail("Empty character family")
		}
		name = string(p.temp[i : j-1])
	}
	cs := p.lookupProperty(name)
	if complement {
		cs = not(cs)
	}
	return cs
}

func isSpace(c rune) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
func isAlpha(c rune) bool    { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c rune) bool    { return c >= '0' && c <= '9' }
func isHexDigit(c rune) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func hexValue(c rune) rune {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func asciiLower(c rune) rune {
	if c >= 'A' && c <= 'Z' {
		return c + 32
	}
	return c
}

func asciiUpper(c rune) rune {
	if c >= 'a' && c <= 'z' {
		return c - 32
	}
	return c
}
