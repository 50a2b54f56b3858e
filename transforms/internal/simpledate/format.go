package simpledate

import "time"

// English (US) date format symbols.
var (
	eras          = [...]string{"BC", "AD"}
	months        = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	shortMonths   = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	weekdays      = [...]string{"", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortWeekdays = [...]string{"", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	amPm          = [...]string{"AM", "PM"}
)

// maxMinDigits is DecimalFormat's cap on the minimum number of integer
// digits (DOUBLE_INTEGER_DIGITS).
const maxMinDigits = 309

// Format formats t (SimpleDateFormat.format(Date)); sub-millisecond
// precision is dropped as java.util.Date has none.
func (f *Format) Format(t time.Time) string { return f.FormatMillis(t.UnixMilli()) }

// FormatMillis formats an instant given in epoch milliseconds.
func (f *Format) FormatMillis(ms int64) string {
	f.mu.Lock()
	z := f.zone
	raw, dst := z.offsets(ms)
	fl := computeFields(ms, raw, dst)
	f.julian = fl.julian
	f.mu.Unlock()

	b := make([]byte, 0, 32)
	for i := range f.items {
		it := &f.items[i]
		if it.letter == 0 {
			b = append(b, string(it.text)...)
			continue
		}
		b = appendField(b, it.letter, it.count, &fl, z)
	}
	return string(b)
}

func appendField(b []byte, letter rune, count int, fl *fields, z *zone) []byte {
	switch letter {
	case 'G':
		return append(b, eras[fl.era]...)
	case 'y', 'Y':
		v := fl.year
		if letter == 'Y' {
			v = fl.weekYear()
		}
		if count == 2 {
			return appendPadded(b, v, 2, true)
		}
		return appendPadded(b, v, count, false)
	case 'M', 'L':
		switch {
		case count >= 4:
			return append(b, months[fl.month]...)
		case count == 3:
			return append(b, shortMonths[fl.month]...)
		}
		return appendPadded(b, fl.month+1, count, false)
	case 'd':
		return appendPadded(b, fl.dayOfMonth, count, false)
	case 'k':
		h := fl.hourOfDay
		if h == 0 {
			h = 24
		}
		return appendPadded(b, h, count, false)
	case 'H':
		return appendPadded(b, fl.hourOfDay, count, false)
	case 'm':
		return appendPadded(b, fl.minute, count, false)
	case 's':
		return appendPadded(b, fl.second, count, false)
	case 'S':
		return appendPadded(b, fl.millisecond, count, false)
	case 'E':
		if count >= 4 {
			return append(b, weekdays[fl.dayOfWeek]...)
		}
		return append(b, shortWeekdays[fl.dayOfWeek]...)
	case 'D':
		return appendPadded(b, fl.dayOfYear, count, false)
	case 'F':
		return appendPadded(b, fl.dayOfWeekInMon, count, false)
	case 'w':
		return appendPadded(b, fl.weekOfYear, count, false)
	case 'W':
		return appendPadded(b, fl.weekOfMonth, count, false)
	case 'a':
		return append(b, amPm[fl.hourOfDay/12]...)
	case 'h':
		h := fl.hourOfDay % 12
		if h == 0 {
			h = 12
		}
		return appendPadded(b, h, count, false)
	case 'K':
		return appendPadded(b, fl.hourOfDay%12, count, false)
	case 'u':
		iso := fl.dayOfWeek - 1
		if iso == 0 {
			iso = 7
		}
		return appendPadded(b, iso, count, false)
	case 'z':
		return append(b, z.displayName(fl.dstOffset != 0, count >= 4)...)
	case 'Z':
		v := (fl.zoneOffset + fl.dstOffset) / msPerMinute
		width := 4
		if v >= 0 {
			b = append(b, '+')
		} else {
			width++
		}
		return appendZeroPadded(b, int64(v/60*100+v%60), width)
	case 'X':
		v := fl.zoneOffset + fl.dstOffset
		if v == 0 {
			return append(b, 'Z')
		}
		v /= msPerMinute
		if v >= 0 {
			b = append(b, '+')
		} else {
			b = append(b, '-')
			v = -v
		}
		b = appendZeroPadded(b, int64(v/60), 2)
		if count == 1 {
			return b
		}
		if count == 3 {
			b = append(b, ':')
		}
		return appendZeroPadded(b, int64(v%60), 2)
	}
	return b
}

// appendPadded is SimpleDateFormat.zeroPaddingNumber: at least minDigits
// digits (capped like DecimalFormat), and only the last two when twoDigits.
func appendPadded(b []byte, v int32, minDigits int, twoDigits bool) []byte {
	n := int64(v)
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var buf [20]byte
	digits := appendUint(buf[:0], uint64(n))
	if twoDigits && len(digits) > 2 {
		digits = digits[len(digits)-2:]
	}
	minDigits = min(minDigits, maxMinDigits)
	for i := len(digits); i < minDigits; i++ {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// appendZeroPadded is CalendarUtils.sprintf0d: a negative value gets its
// sign first and counts toward the width.
func appendZeroPadded(b []byte, v int64, width int) []byte {
	var buf [24]byte
	d := appendInt(buf[:0], v)
	neg := v < 0
	if neg {
		b = append(b, '-')
		d = d[1:]
		width--
	}
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}
