package simpledate

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Parse parses text from its beginning like DateFormat.parse(String):
// lenient, and ignoring whatever follows the text the pattern consumed.
func (f *Format) Parse(text string) (time.Time, error) {
	ms, _, errIndex, ok := f.ParsePrefix(text, 0)
	if !ok {
		return time.Time{}, &ParseError{Msg: `Unparseable date: "` + text + `"`, ErrorOffset: errIndex}
	}
	return time.UnixMilli(ms).UTC(), nil
}

// ParsePrefix is SimpleDateFormat.parse(String, ParsePosition) from rune
// index pos: on success it returns the epoch milliseconds and the index
// after the parsed text; on failure the error index.
func (f *Format) ParsePrefix(text string, pos int) (ms int64, next, errIndex int, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := parser{f: f, text: []rune(text)}
	p.cal.clear()
	return p.run(pos)
}

// builder is java.text.CalendarBuilder: parsed field values with the order
// in which they were set.
type builder struct {
	val      [fieldCount + 1]int32
	stamp    [fieldCount + 1]int32
	next     int32
	maxIndex int
}

func (b *builder) set(field int, v int32) {
	if field == fISODayOfWeek {
		field = fDayOfWeek
		v = isoToCalendarDayOfWeek(v)
	}
	b.stamp[field] = b.next
	b.next++
	b.val[field] = v
	if field > b.maxIndex && field < fieldCount {
		b.maxIndex = field
	}
}

func (b *builder) isSet(field int) bool { return b.stamp[field] > unset }

func (b *builder) clearField(field int) {
	b.stamp[field] = unset
	b.val[field] = 0
}

func isValidDayOfWeek(d int32) bool { return d > 0 && d <= 7 }

func isoToCalendarDayOfWeek(iso int32) int32 {
	if !isValidDayOfWeek(iso) {
		return iso // adjusted later in lenient mode
	}
	if iso == 7 {
		return calendarSunday
	}
	return iso + 1
}

type parser struct {
	f         *Format
	text      []rune
	b         builder
	cal       calendar
	ambiguous bool
}

func (p *parser) run(start int) (int64, int, int, bool) {
	p.b = builder{next: minUserStamp, maxIndex: -1}
	oldStart := start
	items := p.f.items
	for i := 0; i < len(items); i++ {
		it := &items[i]
		if it.letter == 0 {
			for _, c := range it.text {
				if start >= len(p.text) || p.text[start] != c {
					return 0, oldStart, start, false
				}
				start++
			}
			continue
		}
		obeyCount := false
		if i+1 < len(items) {
			obeyCount = shouldObeyCount(items[i+1].letter, items[i+1].count)
		}
		next, errIndex := p.subParse(start, it.letter, it.count, obeyCount)
		if next < 0 {
			return 0, oldStart, errIndex, false
		}
		start = next
	}

	ms, ok := p.establish()
	if ok && p.ambiguous && ms < p.f.centuryStart {
		p.b.val[fYear] += 100
		p.b.val[fWeekYear] += 100
		ms, ok = p.establish()
	}
	if !ok {
		return 0, oldStart, start, false
	}
	return ms, start, -1, true
}

// establish is CalendarBuilder.establish followed by Calendar.getTime.
func (p *parser) establish() (int64, bool) {
	b := &p.b
	weekDate := b.isSet(fWeekYear) && b.stamp[fWeekYear] > b.stamp[fYear]
	c := &p.cal
	c.clear()
	// Setting the fields in stamp order reproduces their relative order.
	for stamp := int32(minUserStamp); stamp < b.next; stamp++ {
		for index := 0; index <= b.maxIndex; index++ {
			if b.stamp[index] == stamp {
				c.set(index, b.val[index])
				break
			}
		}
	}
	if c.isSet(fEra) && c.val[fEra] != 0 && c.val[fEra] != 1 {
		return 0, false // "Invalid era"
	}
	if !weekDate {
		ms, julian := c.computeTime(p.f.zone, p.f.julian)
		p.f.julian = julian
		return ms, true
	}
	weekOfYear := int32(1)
	if b.isSet(fWeekOfYear) {
		weekOfYear = b.val[fWeekOfYear]
	}
	dow := int32(firstDayOfWeek)
	if b.isSet(fDayOfWeek) {
		dow = b.val[fDayOfWeek]
	}
	if !isValidDayOfWeek(dow) {
		if dow >= 8 {
			dow--
			weekOfYear += dow / 7
			dow = dow%7 + 1
		} else {
			// Java adds a week at a time; n weeks at once is the same.
			n := (1 - int64(dow) + 6) / 7
			dow = int32(int64(dow) + 7*n)
			weekOfYear -= int32(n)
		}
		dow = isoToCalendarDayOfWeek(dow)
	}
	if !isValidDayOfWeek(dow) {
		return 0, false // "invalid dayOfWeek"
	}
	p.f.julian = c.setWeekDate(p.f.zone, p.f.julian, b.val[fWeekYear], weekOfYear, dow)
	ms, julian := c.computeTime(p.f.zone, p.f.julian)
	p.f.julian = julian
	return ms, true
}

// shouldObeyCount tells whether a numeric field must stop after count
// digits because the next field is numeric too ("yyyyMMdd").
func shouldObeyCount(letter rune, count int) bool {
	switch letter {
	case 'M', 'L':
		return count <= 2
	case 'y', 'd', 'k', 'H', 'm', 's', 'S', 'D', 'F', 'w', 'W', 'h', 'K', 'Y', 'u':
		return true
	}
	return false
}

// subParse parses one field at start (SimpleDateFormat.subParse) and
// returns the index after it, or -1 and the error index.
func (p *parser) subParse(start int, letter rune, count int, obeyCount bool) (int, int) {
	text := p.text
	pos := start
	for {
		if pos >= len(text) {
			return -1, start
		}
		if c := text[pos]; c != ' ' && c != '\t' {
			break
		}
		pos++
	}
	actualStart := pos

	var value int32
	// Fields whose number needs extra processing are read first.
	if letter == 'k' || letter == 'h' || letter == 'y' || letter == 'Y' || ((letter == 'M' || letter == 'L') && count <= 2) {
		limit := len(text)
		if obeyCount {
			if start+count > len(text) {
				return -1, pos
			}
			limit = start + count
		}
		v, end, ok := parseNumber(text[:limit], pos)
		if !ok {
			return -1, pos
		}
		value, pos = v, end
	}

	switch letter {
	case 'G':
		if n := p.matchString(start, fEra, eras[:], 0); n > 0 {
			return n, -1
		}
	case 'y', 'Y':
		if count <= 2 && pos-actualStart == 2 && unicode.IsDigit(text[actualStart]) && unicode.IsDigit(text[actualStart+1]) {
			ambiguousTwoDigitYear := p.f.centuryYear % 100
			p.ambiguous = value == ambiguousTwoDigitYear
			century := p.f.centuryYear / 100 * 100
			if value < ambiguousTwoDigitYear {
				century += 100
			}
			value += century
		}
		if letter == 'y' {
			p.b.set(fYear, value)
		} else {
			p.b.set(fWeekYear, value)
		}
		return pos, -1
	case 'M', 'L':
		if count <= 2 {
			p.b.set(fMonth, value-1)
			return pos, -1
		}
		if n := p.matchString(start, fMonth, months[:], 0); n > 0 {
			return n, -1
		}
		if n := p.matchString(start, fMonth, shortMonths[:], 0); n > 0 {
			return n, -1
		}
	case 'k':
		if value == 24 {
			value = 0
		}
		p.b.set(fHourOfDay, value)
		return pos, -1
	case 'h':
		if value == 12 {
			value = 0
		}
		p.b.set(fHour, value)
		return pos, -1
	case 'E':
		if n := p.matchString(start, fDayOfWeek, weekdays[:], 1); n > 0 {
			return n, -1
		}
		if n := p.matchString(start, fDayOfWeek, shortWeekdays[:], 1); n > 0 {
			return n, -1
		}
	case 'a':
		if n := p.matchString(start, fAmPm, amPm[:], 0); n > 0 {
			return n, -1
		}
	case 'z', 'Z':
		if n, errPos := p.parseZone(start, pos); n > 0 {
			return n, -1
		} else {
			pos = errPos
		}
	case 'X':
		if pos >= len(text) {
			break
		}
		c := text[pos]
		if c == 'Z' {
			p.b.set(fZoneOffset, 0)
			p.b.set(fDstOffset, 0)
			return pos + 1, -1
		}
		var sign int32
		switch c {
		case '+':
			sign = 1
		case '-':
			sign = -1
		default:
			return -1, pos + 1
		}
		n := p.parseNumericZone(pos+1, sign, count, count == 3)
		if n > 0 {
			return n, -1
		}
		pos = -n
	default:
		// d H m s S D F w W K u: plain numbers.
		limit := len(text)
		if obeyCount {
			if start+count > len(text) {
				return -1, pos
			}
			limit = start + count
		}
		v, end, ok := parseNumber(text[:limit], pos)
		if !ok {
			return -1, pos
		}
		p.b.set(numericField(letter), v)
		return end, -1
	}
	return -1, pos
}

func numericField(letter rune) int {
	switch letter {
	case 'd':
		return fDayOfMonth
	case 'H':
		return fHourOfDay
	case 'm':
		return fMinute
	case 's':
		return fSecond
	case 'S':
		return fMillisecond
	case 'D':
		return fDayOfYear
	case 'F':
		return fDayOfWeekInMonth
	case 'w':
		return fWeekOfYear
	case 'W':
		return fWeekOfMonth
	case 'K':
		return fHour
	}
	return fISODayOfWeek // 'u'
}

// matchString finds the longest of names (from index first) matching at
// start, ignoring case; it sets field to its index and returns the index
// after it, or -start.
func (p *parser) matchString(start, field int, names []string, first int) int {
	best, bestLen := -1, 0
	for i := first; i < len(names); i++ {
		n := len([]rune(names[i]))
		if n > bestLen && regionMatchesFold(p.text, start, names[i]) {
			best, bestLen = i, n
		}
	}
	if best >= 0 {
		p.b.set(field, int32(best))
		return start + bestLen
	}
	return -start
}

// parseZone handles z and Z: "GMT[+-]hh:mm", "+hhmm"/"-hhmm" and zone names.
// It returns the index after the zone, or a non-positive value and the
// error index.
func (p *parser) parseZone(start, pos int) (int, int) {
	text := p.text
	if pos >= len(text) {
		return -1, pos
	}
	var sign int32
	switch c := text[pos]; c {
	case '+':
		sign = 1
	case '-':
		sign = -1
	}
	if sign != 0 {
		n := p.parseNumericZone(pos+1, sign, 0, false)
		if n > 0 {
			return n, -1
		}
		return -1, -n
	}
	c := text[pos]
	if (c == 'G' || c == 'g') && len(text)-start >= 3 && regionMatchesFold(text, start, "GMT") {
		pos = start + 3
		if len(text)-pos > 0 {
			switch text[pos] {
			case '+':
				sign = 1
			case '-':
				sign = -1
			}
		}
		if sign == 0 {
			p.b.set(fZoneOffset, 0)
			p.b.set(fDstOffset, 0)
			return pos, -1
		}
		pos++
		n := p.parseNumericZone(pos, sign, 0, true)
		if n > 0 {
			return n, -1
		}
		return -1, -n
	}
	n := p.parseZoneName(pos)
	if n > 0 {
		return n, -1
	}
	return -1, -n
}

// parseZoneName is SimpleDateFormat.subParseZoneString: it looks the text
// up in the zone-name table, the format's own zone first, and switches the
// format to the zone it finds.
func (p *parser) parseZoneName(start int) int {
	loadZoneTable()
	current := p.f.zone
	var row *zoneRow
	nameIndex := 0
	candidates := []*zoneRow{current.row}
	if current.row.id != "UTC" {
		// The JVM's default zone is taken to be UTC.
		candidates = append(candidates, zoneByID["UTC"])
	}
	for _, r := range candidates {
		if r == nil {
			continue
		}
		if nameIndex = matchZoneName(p.text, start, r); nameIndex > 0 {
			row = r
			break
		}
	}
	if row == nil {
		for i := range zoneRows {
			if nameIndex = matchZoneName(p.text, start, &zoneRows[i]); nameIndex > 0 {
				row = &zoneRows[i]
				break
			}
		}
	}
	if row == nil {
		return -start
	}
	useSameName := nameIndex <= 2 && strings.EqualFold(row.names[nameIndex], row.names[nameIndex+2])
	if row.id != current.row.id {
		p.f.zone = zoneFor(row)
	}
	var dstAmount int32
	if nameIndex >= 3 {
		dstAmount = row.dstSavings
	}
	if !(useSameName || (nameIndex >= 3 && dstAmount == 0)) {
		p.b.clearField(fZoneOffset)
		p.b.set(fDstOffset, dstAmount)
	}
	return start + len([]rune(row.names[nameIndex]))
}

// parseNumericZone is SimpleDateFormat.subParseNumericZone: hh, hhmm or
// hh:mm after a sign. count is the number of X letters (0 for z and Z); a
// colon form may have a one-digit hour. It returns the index after the
// zone, or minus the error index.
func (p *parser) parseNumericZone(start int, sign int32, count int, colon bool) int {
	text := p.text
	index := start
	digit := func(c rune) bool { return c >= '0' && c <= '9' }
	fail := func() int { return 1 - index }
	if index >= len(text) {
		index++ // Java's charAt has already advanced the index when it throws
		return fail()
	}
	c := text[index]
	index++
	if !digit(c) {
		return fail()
	}
	hours := int32(c - '0')
	if index >= len(text) {
		index++ // Java's charAt has already advanced the index when it throws
		return fail()
	}
	c = text[index]
	index++
	if digit(c) {
		hours = hours*10 + int32(c-'0')
	} else {
		if count > 0 || !colon {
			return fail()
		}
		index--
	}
	if hours > 23 {
		return fail()
	}
	minutes := int32(0)
	if count != 1 {
		if index >= len(text) {
			index++
			return fail()
		}
		c = text[index]
		index++
		if colon {
			if c != ':' {
				return fail()
			}
			if index >= len(text) {
				index++
				return fail()
			}
			c = text[index]
			index++
		}
		if !digit(c) {
			return fail()
		}
		minutes = int32(c - '0')
		if index >= len(text) {
			index++
			return fail()
		}
		c = text[index]
		index++
		if !digit(c) {
			return fail()
		}
		minutes = minutes*10 + int32(c-'0')
		if minutes > 59 {
			return fail()
		}
	}
	minutes += hours * 60
	p.b.set(fZoneOffset, minutes*msPerMinute*sign)
	p.b.set(fDstOffset, 0)
	return index
}

// parseNumber is DecimalFormat.parse as SimpleDateFormat configures it
// (integers only, no grouping, English symbols) followed by
// Number.intValue(). It reads text from pos and returns the value and the
// index after the number.
func parseNumber(text []rune, pos int) (int32, int, bool) {
	if hasPrefix(text, pos, "NaN") {
		return 0, pos + 3, true
	}
	neg := pos < len(text) && text[pos] == '-'
	position := pos
	if neg {
		position++
	}
	if hasPrefix(text, position, "\u221e") {
		if neg {
			return math.MinInt32, position + 1, true
		}
		return math.MaxInt32, position + 1, true
	}
	var digits []byte
	decimalAt, digitCount := 0, 0
	sawDigit := false
	exponent := int64(0)
	for ; position < len(text); position++ {
		d := digitValue(text[position])
		if d == 0 {
			sawDigit = true
			if len(digits) == 0 {
				continue // leading zeros
			}
			digitCount++
			digits = append(digits, '0')
			continue
		}
		if d > 0 {
			sawDigit = true
			digitCount++
			digits = append(digits, byte('0'+d))
			continue
		}
		if text[position] == 'E' {
			// An exponent: E, an optional '-', digits.
			e := position + 1
			eneg := e < len(text) && text[e] == '-'
			if eneg {
				e++
			}
			var edigits []byte
			eSaw := false
			for ; e < len(text); e++ {
				ed := digitValue(text[e])
				if ed < 0 {
					break
				}
				eSaw = true
				if ed == 0 && len(edigits) == 0 {
					continue
				}
				edigits = append(edigits, byte('0'+ed))
			}
			if eSaw {
				if v, fits := digitsToLong(edigits, len(edigits), !eneg); fits {
					position = e
					exponent = int64(int32(v))
					if eneg {
						exponent = int64(-int32(v))
					}
				}
			}
		}
		break
	}
	if !sawDigit && digitCount == 0 {
		return 0, pos, false
	}
	decimalAt = int(int32(digitCount) + int32(exponent))
	// Trailing zeros do not change the value.
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if v, fits := digitsToLong(digits, decimalAt, !neg); fits {
		if neg && v != math.MinInt64 {
			v = -v
		}
		return int32(v), position, true
	}
	// Only representable as a double: 0.<digits>E<decimalAt>.
	d, _ := strconv.ParseFloat("0."+string(digits)+"E"+strconv.Itoa(decimalAt), 64)
	if neg {
		d = -d
	}
	return doubleToInt(d), position, true
}

// digitsToLong is DigitList.fitsIntoLong and getLong for the digits
// (without leading or trailing zeros) with the decimal point after
// decimalAt digits.
func digitsToLong(digits []byte, decimalAt int, positive bool) (int64, bool) {
	if len(digits) == 0 {
		return 0, true // integer-only parsing accepts negative zero
	}
	if decimalAt < len(digits) || decimalAt > 19 {
		return 0, false
	}
	s := string(digits) + strings.Repeat("0", decimalAt-len(digits))
	u, err := strconv.ParseUint(s, 10, 64)
	if err != nil || u > 1<<63 || (u == 1<<63 && positive) {
		return 0, false
	}
	if u == 1<<63 {
		return math.MinInt64, true
	}
	return int64(u), true
}

// doubleToInt is Java's (int) cast of a double.
func doubleToInt(d float64) int32 {
	switch {
	case d != d:
		return 0
	case d >= math.MaxInt32:
		return math.MaxInt32
	case d <= math.MinInt32:
		return math.MinInt32
	}
	return int32(d)
}

// digitValue is Character.digit(c, 10): 0-9 for any Unicode decimal digit,
// -1 otherwise.
func digitValue(c rune) int {
	if c >= '0' && c <= '9' {
		return int(c - '0')
	}
	if c < 0x80 || !unicode.Is(unicode.Nd, c) {
		return -1
	}
	// Unicode decimal digits come in runs of ten starting at a zero.
	for _, r := range unicode.Nd.R16 {
		if c >= rune(r.Lo) && c <= rune(r.Hi) {
			return int(c-rune(r.Lo)) % 10
		}
	}
	for _, r := range unicode.Nd.R32 {
		if c >= rune(r.Lo) && c <= rune(r.Hi) {
			return int(c-rune(r.Lo)) % 10
		}
	}
	return -1
}

func hasPrefix(text []rune, at int, s string) bool {
	i := at
	for _, r := range s {
		if i >= len(text) || text[i] != r {
			return false
		}
		i++
	}
	return true
}

// equalFoldRune compares two characters like String.regionMatches with
// ignoreCase.
func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	ua, ub := unicode.ToUpper(a), unicode.ToUpper(b)
	return ua == ub || unicode.ToLower(ua) == unicode.ToLower(ub)
}
