package javaregex

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// node is the parsed pattern.
type node interface{ emit(e *emitter) }

type qtype int8

const (
	qGreedy qtype = iota
	qLazy
	qPossessive
)

// studyKind selects which of Java's node classes a quantifier became,
// which decides how Pattern's TreeInfo study treats it.
type studyKind int8

const (
	studyQues          studyKind = iota // Ques: ?, {0,1}
	studyOptionalGroup                  // group?: Branch(group, empty)
	studyCharGreedy                     // CharPropertyGreedy: greedy *, +, {n,} of one character
	studyCurly                          // Curly / GroupCurly
	studyLoop                           // Prolog/Loop: non-deterministic quantified group
)

type groupKind int8

const (
	groupCapture groupKind = iota
	groupPlain
	groupAtomic
	groupAhead
	groupNotAhead
	groupBehind
	groupNotBehind
)

type (
	litNode struct {
		r     rune
		flags int
	}
	// sliceNode is two or more literal characters (Java's Slice, whose
	// case-insensitive matching differs slightly from a single character).
	sliceNode struct {
		runes []rune
		flags int
	}
	setNode struct{ cs *cset }
	seqNode struct{ items []node }
	altNode struct{ alts []node }
	// rawNode is a zero-width assertion, or \R when lineEnding.
	rawNode struct {
		text       string
		lineEnding bool
	}
	groupNode struct {
		kind  groupKind
		index int
		body  node
		// look-behind lengths as Java computes them (TreeInfo).
		behindMin, behindMax int32
	}
	quantNode struct {
		body     node
		min, max int
		qtype    qtype
		study    studyKind
	}
	backrefNode struct {
		group int
		flags int
	}
)

func isCharProperty(n node) bool {
	switch n.(type) {
	case *litNode, *setNode:
		return true
	}
	return false
}

// emitter writes regexp2 (.NET) syntax. Capturing groups are emitted
// unnamed so that regexp2 numbers them in Java's order.
type emitter struct {
	b      strings.Builder
	groups int // capturing groups in the whole pattern
	marks  int // look-behind position marks emitted so far
	// atomicAtom is set while emitting a quantified atom that Java's Curly,
	// Ques or GroupCurly matches as a unit (the first way it matches is
	// the only one tried per iteration), which matters for \R.
	atomicAtom bool
}

func (n *litNode) emit(e *emitter) { emitLiteral(e, n.r, n.flags, false) }

func (n *sliceNode) emit(e *emitter) {
	for _, r := range n.runes {
		emitLiteral(e, r, n.flags, true)
	}
}

// emitLiteral is Single / SingleI / SingleU (inSlice false) or the per
// character test of Slice / SliceI / SliceU.
func emitLiteral(e *emitter, r rune, flags int, inSlice bool) {
	if flags&flagCaseInsensitive != 0 {
		if flags&flagUnicodeCase != 0 {
			if up := unicode.ToUpper(r); inSlice || up != unicode.ToLower(up) {
				e.b.WriteString(renderSet(foldSingle(r)))
				return
			}
		} else if isAlpha(r) {
			e.b.WriteString("[" + classChar(asciiLower(r)) + classChar(asciiUpper(r)) + "]")
			return
		}
	}
	e.b.WriteString(classChar(r))
}

func (n *setNode) emit(e *emitter) { e.b.WriteString(renderSet(n.cs)) }

func (n *seqNode) emit(e *emitter) {
	for _, it := range n.items {
		it.emit(e)
	}
}

func (n *altNode) emit(e *emitter) {
	e.b.WriteString("(?:")
	for i, a := range n.alts {
		if i > 0 {
			e.b.WriteByte('|')
		}
		a.emit(e)
	}
	e.b.WriteByte(')')
}

func (n *rawNode) emit(e *emitter) {
	if n.lineEnding && e.atomicAtom {
		e.b.WriteString("(?>" + n.text + ")")
		return
	}
	e.b.WriteString(n.text)
}

func (n *groupNode) emit(e *emitter) {
	if n.kind == groupBehind || n.kind == groupNotBehind {
		n.emitBehind(e)
		return
	}
	open := [...]string{
		groupCapture:   "(",
		groupPlain:     "(?:",
		groupAtomic:    "(?>",
		groupAhead:     "(?=",
		groupNotAhead:  "(?!",
		groupBehind:    "(?<=",
		groupNotBehind: "(?<!",
	}[n.kind]
	e.b.WriteString(open)
	n.body.emit(e)
	e.b.WriteByte(')')
}

// emitBehind renders a look-behind with Java's semantics. Java does not
// match the body backwards (as regexp2 does): at position i it tries start
// positions j from i-min down to i-max and matches the body forwards from
// j, requiring it to end exactly at i. That differs from right-to-left
// matching for possessive quantifiers, atomic groups, lazy quantifiers and
// captures, so it is emulated: the text after i is captured in a named
// group (regexp2 numbers named groups after Java's unnamed ones), and a
// right-to-left lazy scan over i-j characters tries j in Java's order with
// a forward look-ahead that must end where that text starts, i.e. at i.
//
// min and max are Java's int arithmetic results and may have wrapped; the
// wrapped cases are reproduced as guards on i (the loop bounds i-min and
// i-max overflow only for some positions).
func (n *groupNode) emitBehind(e *emitter) {
	const limit = 1 << 24 // longer than any input this is used on
	rmin, rmax := int64(n.behindMin), int64(n.behindMax)
	var guards string
	possible := true
	lo, hi := int64(0), int64(-1) // hi -1: unbounded
	if rmin >= 0 {
		lo = rmin
	} else if u := math.MaxInt32 + rmin; u < limit {
		// j = i - min overflows (no start position) when i > u.
		guards += `(?<![\s\S]{` + strconv.FormatInt(u+1, 10) + `})`
	}
	if rmax >= 0 {
		hi = rmax
		possible = hi >= lo
	} else if t := math.MaxInt32 + rmax; t < limit {
		// i - max overflows to a negative lower bound (any start) when
		// i > t; otherwise it lies beyond i (no start position).
		guards += `(?<=[\s\S]{` + strconv.FormatInt(t+1, 10) + `})`
	} else {
		possible = false
	}
	if lo >= limit {
		possible = false
	}
	if n.kind == groupBehind {
		e.b.WriteString("(?:")
	} else {
		e.b.WriteString("(?!")
	}
	if !possible {
		// Never true; the body stays for Java's group numbering.
		e.b.WriteString("(?!)(?:")
		n.body.emit(e)
		e.b.WriteString("))")
		return
	}
	mark := "jlb" + strconv.Itoa(e.marks)
	e.marks++
	e.b.WriteString(guards + `(?=(?<` + mark + `>[\s\S]*))(?<=(?=`)
	n.body.emit(e)
	e.b.WriteString(`\k<` + mark + `>\z)[\s\S]{` + strconv.FormatInt(lo, 10) + ",")
	if hi >= 0 && hi < limit {
		e.b.WriteString(strconv.FormatInt(hi, 10))
	}
	e.b.WriteString("}?))")
}

func (n *quantNode) emit(e *emitter) {
	if n.qtype == qPossessive {
		e.b.WriteString("(?>")
	}
	saved := e.atomicAtom
	e.atomicAtom = n.study != studyLoop && n.study != studyOptionalGroup
	if g, ok := n.body.(*groupNode); ok && g.kind == groupCapture {
		g.emit(e)
	} else {
		e.b.WriteString("(?:")
		n.body.emit(e)
		e.b.WriteByte(')')
	}
	e.atomicAtom = saved
	switch {
	case n.min == 0 && n.max == 1:
		e.b.WriteByte('?')
	case n.min == 0 && n.max == maxReps:
		e.b.WriteByte('*')
	case n.min == 1 && n.max == maxReps:
		e.b.WriteByte('+')
	case n.min == n.max:
		e.b.WriteString("{" + strconv.Itoa(n.min) + "}")
	case n.max == maxReps:
		e.b.WriteString("{" + strconv.Itoa(n.min) + ",}")
	default:
		e.b.WriteString("{" + strconv.Itoa(n.min) + "," + strconv.Itoa(n.max) + "}")
	}
	switch n.qtype {
	case qLazy:
		e.b.WriteByte('?')
	case qPossessive:
		e.b.WriteByte(')')
	}
}

func (n *backrefNode) emit(e *emitter) {
	// Java allows references to groups that do not exist (single digits);
	// they never match.
	if n.group > e.groups {
		e.b.WriteString("(?!)")
		return
	}
	ref := `\` + strconv.Itoa(n.group)
	if n.flags&flagCaseInsensitive != 0 {
		e.b.WriteString("(?i:" + ref + ")")
		return
	}
	e.b.WriteString("(?:" + ref + ")")
}

// treeInfo is Pattern.TreeInfo, computed with Java's int arithmetic. It
// decides which look-behinds Java rejects and how quantified groups
// compile.
type treeInfo struct {
	minLength, maxLength int32
	maxValid             bool
	deterministic        bool
}

func newTreeInfo() *treeInfo { return &treeInfo{maxValid: true, deterministic: true} }

// studyNode studies n as a chain of its own (a group head whose tail ends
// the chain), as Java does for look-behind bodies and quantified atoms.
func studyNode(n node) *treeInfo {
	info := newTreeInfo()
	studyChain(&link{n: n}, info)
	return info
}

// link is a node with its continuation: Java studies a node together with
// everything that follows it (Node.next), and a Branch studies what follows
// it separately from its alternatives.
type link struct {
	n    node
	next *link
}

func prepend(items []node, rest *link) *link {
	for i := len(items) - 1; i >= 0; i-- {
		rest = &link{n: items[i], next: rest}
	}
	return rest
}

func studyChain(l *link, info *treeInfo) {
	for l != nil {
		switch n := l.n.(type) {
		case *seqNode:
			l = prepend(n.items, l.next)
			continue
		case *litNode, *setNode:
			info.minLength++
			info.maxLength++
		case *sliceNode:
			info.minLength += int32(len(n.runes))
			info.maxLength += int32(len(n.runes))
		case *rawNode:
			if n.lineEnding {
				info.minLength++
				info.maxLength += 2
			}
		case *backrefNode:
			info.maxValid = false
		case *groupNode:
			switch n.kind {
			case groupCapture, groupPlain:
				l = &link{n: n.body, next: l.next}
				continue
			case groupAtomic:
				studyChain(&link{n: n.body}, info)
			}
		case *altNode:
			studyBranch(n.alts, l.next, info)
			return
		case *quantNode:
			switch n.study {
			case studyQues:
				minL := info.minLength
				studyChain(&link{n: n.body}, info)
				info.minLength = minL
				info.deterministic = false
			case studyOptionalGroup:
				studyBranch([]node{n.body, nil}, l.next, info)
				return
			case studyCharGreedy:
				info.minLength += int32(n.min)
				if info.maxValid {
					info.maxLength += maxReps
				}
				info.deterministic = false
			case studyLoop:
				// Loop.study stops the chain.
				info.maxValid = false
				info.deterministic = false
				return
			case studyCurly:
				studyCurlyNode(n, info)
			}
		}
		l = l.next
	}
}

// studyBranch is Branch.study: alternatives (nil = empty) each on a fresh
// info, then the rest of the chain on its own.
func studyBranch(alts []node, rest *link, info *treeInfo) {
	minL, maxL, maxV := info.minLength, info.maxLength, info.maxValid
	minL2, maxL2 := int32(0x7FFFFFFF), int32(-1)
	for _, a := range alts {
		t := newTreeInfo()
		if a != nil {
			studyChain(&link{n: a}, t)
		}
		minL2 = min(minL2, t.minLength)
		maxL2 = max(maxL2, t.maxLength)
		maxV = maxV && t.maxValid
	}
	minL += minL2
	maxL += maxL2
	*info = *newTreeInfo()
	studyChain(rest, info)
	info.minLength += minL
	info.maxLength += maxL
	info.maxValid = info.maxValid && maxV
	info.deterministic = false
}

// studyCurlyNode is Curly.study / GroupCurly.study.
func studyCurlyNode(n *quantNode, info *treeInfo) {
	minL, maxL, maxV, detm := info.minLength, info.maxLength, info.maxValid, info.deterministic
	t := studyNode(n.body)
	temp := t.minLength*int32(n.min) + minL
	if temp < minL {
		temp = 0xFFFFFFF
	}
	info.minLength = temp
	info.maxLength = t.maxLength
	info.maxValid = t.maxValid
	if maxV && t.maxValid {
		temp = t.maxLength*int32(n.max) + maxL
		info.maxLength = temp
		if temp < maxL {
			info.maxValid = false
		}
	} else {
		info.maxValid = false
	}
	if t.deterministic && n.min == n.max {
		info.deterministic = detm
	} else {
		info.deterministic = false
	}
}
