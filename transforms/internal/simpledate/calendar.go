package simpledate

// The calendar arithmetic of java.util.GregorianCalendar with its default
// Julian-Gregorian cutover (Julian calendar before 1582-10-15), and the week
// rules of the US locale (weeks start on Sunday; week 1 is the week holding
// January 1).
//
// Days are counted as "fixed dates" like sun.util.calendar does: day 1 is
// January 1 of year 1 in the proleptic Gregorian calendar. Years are
// "normalized": 0 is 1 BC, -1 is 2 BC.

const (
	msPerDay    = 86400000
	msPerHour   = 3600000
	msPerMinute = 60000

	epochFixed  = 719163 // 1970-01-01
	cutoverYear = 1582

	firstDayOfWeek  = 1 // Sunday
	minDaysInWeek1  = 1
	calendarSunday  = 1
	calendarJanuary = 0
)

// cutoverFixed is 1582-10-15 (Gregorian), the first Gregorian day.
var cutoverFixed = gregorianFixed(1582, 10, 15)

// Calendar field indices, as java.util.Calendar numbers them; weekYear is
// CalendarBuilder's pseudo field.
const (
	fEra = iota
	fYear
	fMonth
	fWeekOfYear
	fWeekOfMonth
	fDayOfMonth
	fDayOfYear
	fDayOfWeek
	fDayOfWeekInMonth
	fAmPm
	fHour
	fHourOfDay
	fMinute
	fSecond
	fMillisecond
	fZoneOffset
	fDstOffset
	fieldCount    // 17
	fWeekYear     = fieldCount
	fISODayOfWeek = 1000
)

const (
	unset        = 0
	minUserStamp = 2
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func gregorianLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func julianLeap(y int64) bool { return y%4 == 0 }

// gregorianFixed is the fixed date of y-m-d in the proleptic Gregorian
// calendar (m in 1..12, d may overflow the month).
func gregorianFixed(y, m, d int64) int64 {
	p := y - 1
	days := 365*p + floorDiv(p, 4) - floorDiv(p, 100) + floorDiv(p, 400) + floorDiv(367*m-362, 12) + d
	if m > 2 {
		if gregorianLeap(y) {
			days--
		} else {
			days -= 2
		}
	}
	return days
}

// julianFixed is the fixed date of y-m-d in the proleptic Julian calendar.
func julianFixed(y, m, d int64) int64 {
	days := -2 + 365*(y-1) + d + floorDiv(y-1, 4) + floorDiv(367*m-362, 12)
	if m > 2 {
		if julianLeap(y) {
			days--
		} else {
			days -= 2
		}
	}
	return days
}

func gregorianFromFixed(fd int64) (y, m, d int64) {
	d0 := fd - 1
	n400 := floorDiv(d0, 146097)
	d1 := floorMod(d0, 146097)
	n100 := d1 / 36524
	d2 := d1 % 36524
	n4 := d2 / 1461
	d3 := d2 % 1461
	n1 := d3 / 365
	y = 400*n400 + 100*n100 + 4*n4 + n1
	if n100 != 4 && n1 != 4 {
		y++
	}
	prior := fd - gregorianFixed(y, 1, 1)
	if fd >= gregorianFixed(y, 3, 1) {
		if gregorianLeap(y) {
			prior++
		} else {
			prior += 2
		}
	}
	m = floorDiv(12*prior+373, 367)
	d = fd - gregorianFixed(y, m, 1) + 1
	return y, m, d
}

func julianFromFixed(fd int64) (y, m, d int64) {
	y = floorDiv(4*(fd+1)+1464, 1461)
	prior := fd - julianFixed(y, 1, 1)
	if fd >= julianFixed(y, 3, 1) {
		if julianLeap(y) {
			prior++
		} else {
			prior += 2
		}
	}
	m = floorDiv(12*prior+373, 367)
	d = fd - julianFixed(y, m, 1) + 1
	return y, m, d
}

// hybridFromFixed converts a fixed date to the calendar GregorianCalendar
// uses for it; julian reports which one.
func hybridFromFixed(fd int64) (y, m, d int64, julian bool) {
	if fd >= cutoverFixed {
		y, m, d = gregorianFromFixed(fd)
		return y, m, d, false
	}
	y, m, d = julianFromFixed(fd)
	return y, m, d, true
}

// hybridJan1 is January 1 of a normalized year; in the cutover year it is
// the Julian January 1.
func hybridJan1(y int64) int64 {
	if y > cutoverYear {
		return gregorianFixed(y, 1, 1)
	}
	return julianFixed(y, 1, 1)
}

// hybridMonth1 is the first day of a month (m in 1..12); in the cutover
// month it is the Julian first day.
func hybridMonth1(y, m int64) int64 {
	if g := gregorianFixed(y, m, 1); g >= cutoverFixed {
		return g
	}
	return julianFixed(y, m, 1)
}

func hybridLeap(y int64) bool {
	if y > cutoverYear {
		return gregorianLeap(y)
	}
	return julianLeap(y)
}

var monthLengths = [2][12]int32{
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
}

func monthLength(month int32, year int64) int32 {
	if hybridLeap(year) {
		return monthLengths[1][month]
	}
	return monthLengths[0][month]
}

// dayOfWeek is 1 (Sunday) to 7 (Saturday); fixed date 1 is a Monday.
func dayOfWeek(fd int64) int32 { return int32(floorMod(fd, 7)) + 1 }

// dowOnOrBefore is the last day on or before fd that falls on day-of-week
// dow (BaseCalendar.getDayOfWeekDateOnOrBefore; dow need not be in 1..7).
func dowOnOrBefore(fd int64, dow int32) int64 {
	return fd - floorMod(fd-int64(dow-1), 7)
}

// weekNumber counts the weeks from day1 to fd under the locale's week rules.
func weekNumber(day1, fd int64) int32 {
	first := dowOnOrBefore(day1+6, firstDayOfWeek)
	if first-day1 >= minDaysInWeek1 {
		first -= 7
	}
	return int32(floorDiv(fd-first, 7) + 1)
}

// fields are the calendar fields of an instant in some zone
// (GregorianCalendar.computeFields).
type fields struct {
	fixed          int64
	julian         bool
	normYear       int64
	era            int32 // 0 BC, 1 AD
	year           int32 // year of era
	month          int32 // 0-based
	dayOfMonth     int32
	dayOfYear      int32
	dayOfWeek      int32
	dayOfWeekInMon int32
	weekOfYear     int32
	weekOfMonth    int32
	hourOfDay      int32
	minute         int32
	second         int32
	millisecond    int32
	zoneOffset     int32 // raw
	dstOffset      int32
}

// computeFields computes the fields of instant ms (epoch milliseconds) in a
// zone whose offsets at that instant are raw and dst.
func computeFields(ms int64, raw, dst int32) fields {
	zoneOffset := int64(raw) + int64(dst)
	fixed := zoneOffset/msPerDay + ms/msPerDay
	timeOfDay := zoneOffset%msPerDay + ms%msPerDay
	if timeOfDay >= msPerDay {
		timeOfDay -= msPerDay
		fixed++
	} else {
		for timeOfDay < 0 {
			timeOfDay += msPerDay
			fixed--
		}
	}
	fixed += epochFixed

	var f fields
	f.fixed = fixed
	f.zoneOffset, f.dstOffset = raw, dst
	y, m, d, julian := hybridFromFixed(fixed)
	f.julian = julian
	f.normYear = y
	if y <= 0 {
		f.era, f.year = 0, int32(1-y)
	} else {
		f.era, f.year = 1, int32(y)
	}
	f.month = int32(m - 1)
	f.dayOfMonth = int32(d)
	f.dayOfWeek = dayOfWeek(fixed)

	tod := int32(timeOfDay)
	f.hourOfDay = tod / msPerHour
	tod %= msPerHour
	f.minute = tod / msPerMinute
	tod %= msPerMinute
	f.second = tod / 1000
	f.millisecond = tod % 1000

	jan1 := hybridJan1(y)
	month1 := fixed - d + 1
	if y == cutoverYear {
		month1 = hybridMonth1(y, m)
	}
	f.dayOfYear = int32(fixed-jan1) + 1
	f.dayOfWeekInMon = int32(fixed-month1)/7 + 1

	woy := weekNumber(jan1, fixed)
	if woy == 0 {
		woy = weekNumber(hybridJan1(y-1), jan1-1)
	} else if woy >= 52 || (y >= cutoverYear-1 && y <= cutoverYear) {
		nextJan1 := hybridJan1(y + 1)
		nextFirst := dowOnOrBefore(nextJan1+6, firstDayOfWeek)
		if nextFirst-nextJan1 >= minDaysInWeek1 && fixed >= nextFirst-7 {
			woy = 1
		}
	}
	f.weekOfYear = woy
	f.weekOfMonth = weekNumber(month1, fixed)
	return f
}

// weekYear is GregorianCalendar.getWeekYear for the fields.
func (f *fields) weekYear() int32 {
	year := f.normYear
	if year > cutoverYear+1 {
		if f.month == calendarJanuary {
			if f.weekOfYear >= 52 {
				year--
			}
		} else if f.weekOfYear == 1 {
			year++
		}
		return int32(year)
	}
	// The general path, which also covers the cutover years.
	dayOfYear := int64(f.dayOfYear)
	jan1 := hybridJan1(year)
	maxDayOfYear := hybridJan1(year+1) - jan1
	if dayOfYear > minDaysInWeek1 && dayOfYear < maxDayOfYear-6 {
		return int32(year)
	}
	delta := int64(firstDayOfWeek - dayOfWeek(jan1))
	if delta < 0 {
		delta += 7
	}
	minDayOfYear := 1 + delta
	if dayOfYear < minDayOfYear {
		if minDayOfYear <= minDaysInWeek1 {
			year--
		}
		return int32(year)
	}
	// Java sets YEAR to year+1 keeping the era, so for BC dates the
	// "next" year is counted in the wrong direction.
	next := year + 1
	if f.era == 0 {
		next = 1 - (year + 1)
	}
	nextJan1 := hybridJan1(next)
	del := int64(firstDayOfWeek - dayOfWeek(nextJan1))
	if del < 0 {
		del += 7
	}
	minDayOfYear = del
	if minDayOfYear == 0 {
		minDayOfYear = 7
	}
	if minDayOfYear >= minDaysInWeek1 {
		days := maxDayOfYear - dayOfYear + 1
		if days <= 7-minDayOfYear {
			year++
		}
	}
	return int32(year)
}

// calendar holds set calendar fields with their stamps, like a cleared
// java.util.GregorianCalendar being filled by CalendarBuilder.establish.
type calendar struct {
	val   [fieldCount]int32
	stamp [fieldCount]int32
	next  int32
}

func (c *calendar) clear() { *c = calendar{next: minUserStamp} }

func (c *calendar) set(field int, v int32) {
	c.val[field] = v
	c.stamp[field] = c.next
	c.next++
}

func (c *calendar) isSet(field int) bool { return c.stamp[field] != unset }

func aggregateStamp(a, b int32) int32 {
	if a == unset || b == unset {
		return unset
	}
	return max(a, b)
}

// selectFields is Calendar.selectFields: which fields determine the date.
func (c *calendar) selectFields() uint32 {
	mask := uint32(1) << fYear
	if c.stamp[fEra] != unset {
		mask |= 1 << fEra
	}
	dowStamp := c.stamp[fDayOfWeek]
	monthStamp := c.stamp[fMonth]
	domStamp := c.stamp[fDayOfMonth]
	womStamp := aggregateStamp(c.stamp[fWeekOfMonth], dowStamp)
	dowimStamp := aggregateStamp(c.stamp[fDayOfWeekInMonth], dowStamp)
	doyStamp := c.stamp[fDayOfYear]
	woyStamp := aggregateStamp(c.stamp[fWeekOfYear], dowStamp)

	best := max(domStamp, womStamp, dowimStamp, doyStamp, woyStamp)
	if best == unset {
		womStamp = c.stamp[fWeekOfMonth]
		dowimStamp = max(c.stamp[fDayOfWeekInMonth], dowStamp)
		woyStamp = c.stamp[fWeekOfYear]
		best = max(womStamp, dowimStamp, woyStamp)
		if best == unset {
			domStamp = monthStamp
			best = domStamp
		}
	}

	if best == domStamp ||
		(best == womStamp && c.stamp[fWeekOfMonth] >= c.stamp[fWeekOfYear]) ||
		(best == dowimStamp && c.stamp[fDayOfWeekInMonth] >= c.stamp[fWeekOfYear]) {
		mask |= 1 << fMonth
		if best == domStamp {
			mask |= 1 << fDayOfMonth
		} else {
			if dowStamp != unset {
				mask |= 1 << fDayOfWeek
			}
			if womStamp == dowimStamp {
				if c.stamp[fWeekOfMonth] >= c.stamp[fDayOfWeekInMonth] {
					mask |= 1 << fWeekOfMonth
				} else {
					mask |= 1 << fDayOfWeekInMonth
				}
			} else if best == womStamp {
				mask |= 1 << fWeekOfMonth
			} else if c.stamp[fDayOfWeekInMonth] != unset {
				mask |= 1 << fDayOfWeekInMonth
			}
		}
	} else if best == doyStamp {
		mask |= 1 << fDayOfYear
	} else {
		if dowStamp != unset {
			mask |= 1 << fDayOfWeek
		}
		mask |= 1 << fWeekOfYear
	}

	hourOfDayStamp := c.stamp[fHourOfDay]
	hourStamp := aggregateStamp(c.stamp[fHour], c.stamp[fAmPm])
	best = max(hourStamp, hourOfDayStamp)
	if best == unset {
		best = max(c.stamp[fHour], c.stamp[fAmPm])
	}
	if best != unset {
		if best == hourOfDayStamp {
			mask |= 1 << fHourOfDay
		} else {
			mask |= 1 << fHour
			if c.stamp[fAmPm] != unset {
				mask |= 1 << fAmPm
			}
		}
	}
	for _, f := range []int{fMinute, fSecond, fMillisecond} {
		if c.stamp[f] != unset {
			mask |= 1 << f
		}
	}
	for _, f := range []int{fZoneOffset, fDstOffset} {
		if c.stamp[f] >= minUserStamp {
			mask |= 1 << f
		}
	}
	return mask
}

func has(mask uint32, field int) bool { return mask&(1<<field) != 0 }

// fixedDateOf is GregorianCalendar.getFixedDate for one calendar system.
func (c *calendar) fixedDateOf(julian bool, year int32, mask uint32) int64 {
	month := int32(calendarJanuary)
	if has(mask, fMonth) {
		month = c.val[fMonth]
		if month > 11 {
			year += month / 12
			month %= 12
		} else if month < 0 {
			year += int32(floorDiv(int64(month), 12))
			month = int32(floorMod(int64(month), 12))
		}
	}
	var fixed int64
	if julian {
		fixed = julianFixed(int64(year), int64(month)+1, 1)
	} else {
		fixed = gregorianFixed(int64(year), int64(month)+1, 1)
	}
	if has(mask, fMonth) {
		switch {
		case has(mask, fDayOfMonth):
			if c.isSet(fDayOfMonth) {
				fixed += int64(c.val[fDayOfMonth])
				fixed--
			}
		case has(mask, fWeekOfMonth):
			first := dowOnOrBefore(fixed+6, firstDayOfWeek)
			if first-fixed >= minDaysInWeek1 {
				first -= 7
			}
			if has(mask, fDayOfWeek) {
				first = dowOnOrBefore(first+6, c.val[fDayOfWeek])
			}
			fixed = first + int64(7*(c.val[fWeekOfMonth]-1))
		default:
			dow := int32(firstDayOfWeek)
			if has(mask, fDayOfWeek) {
				dow = c.val[fDayOfWeek]
			}
			dowim := int32(1)
			if has(mask, fDayOfWeekInMonth) {
				dowim = c.val[fDayOfWeekInMonth]
			}
			if dowim >= 0 {
				fixed = dowOnOrBefore(fixed+int64(7*dowim)-1, dow)
			} else {
				last := monthLength(month, int64(year)) + 7*(dowim+1)
				fixed = dowOnOrBefore(fixed+int64(last)-1, dow)
			}
		}
		return fixed
	}
	if has(mask, fDayOfYear) {
		fixed += int64(c.val[fDayOfYear])
		fixed--
		return fixed
	}
	first := dowOnOrBefore(fixed+6, firstDayOfWeek)
	if first-fixed >= minDaysInWeek1 {
		first -= 7
	}
	if has(mask, fDayOfWeek) {
		if dow := c.val[fDayOfWeek]; dow != firstDayOfWeek {
			first = dowOnOrBefore(first+6, dow)
		}
	}
	return first + 7*(int64(c.val[fWeekOfYear])-1)
}

// computeTime is GregorianCalendar.computeTime (lenient): the epoch
// milliseconds the set fields designate in zone z. julian is the calendar
// system of the previous computation (used for the ambiguous days around
// the cutover); the result's system is returned for the next one.
func (c *calendar) computeTime(z *zone, julian bool) (ms int64, resultJulian bool) {
	mask := c.selectFields()
	year := int32(1970)
	if c.isSet(fYear) {
		year = c.val[fYear]
	}
	if c.isSet(fEra) && c.val[fEra] == 0 {
		year = 1 - year
	}

	var timeOfDay int64
	if has(mask, fHourOfDay) {
		timeOfDay = int64(c.val[fHourOfDay])
	} else {
		timeOfDay = int64(c.val[fHour])
		if has(mask, fAmPm) {
			timeOfDay += int64(12 * c.val[fAmPm])
		}
	}
	timeOfDay = timeOfDay*60 + int64(c.val[fMinute])
	timeOfDay = timeOfDay*60 + int64(c.val[fSecond])
	timeOfDay = timeOfDay*1000 + int64(c.val[fMillisecond])
	fixed := timeOfDay / msPerDay
	timeOfDay %= msPerDay
	for timeOfDay < 0 {
		timeOfDay += msPerDay
		fixed--
	}

	var gfd, jfd int64
	switch {
	case year > cutoverYear:
		gfd = fixed + c.fixedDateOf(false, year, mask)
		if gfd >= cutoverFixed {
			fixed = gfd
			goto done
		}
		jfd = fixed + c.fixedDateOf(true, year, mask)
	case year < cutoverYear:
		jfd = fixed + c.fixedDateOf(true, year, mask)
		if jfd < cutoverFixed {
			fixed = jfd
			goto done
		}
		gfd = jfd
	default:
		jfd = fixed + c.fixedDateOf(true, year, mask)
		gfd = fixed + c.fixedDateOf(false, year, mask)
	}
	if has(mask, fDayOfYear) || has(mask, fWeekOfYear) {
		fixed = jfd
		goto done
	}
	if gfd >= cutoverFixed {
		if jfd >= cutoverFixed || !julian {
			fixed = gfd
		} else {
			fixed = jfd
		}
	} else {
		fixed = jfd
	}
done:
	millis := (fixed-epochFixed)*msPerDay + timeOfDay

	var raw, dst int32
	if !has(mask, fZoneOffset) || !has(mask, fDstOffset) {
		raw, dst = z.offsetsByWall(millis)
	}
	if has(mask, fZoneOffset) {
		raw = c.val[fZoneOffset]
	}
	if has(mask, fDstOffset) {
		dst = c.val[fDstOffset]
	}
	millis -= int64(raw) + int64(dst)
	return millis, fixed < cutoverFixed
}

// setWeekDate is GregorianCalendar.setWeekDate (lenient): it sets the era,
// year, month and day of the given week date, keeping the other fields.
// dow must be in 1..7.
func (c *calendar) setWeekDate(z *zone, julian bool, weekYear, weekOfYear, dow int32) (resultJulian bool) {
	// The era of the date the current fields designate.
	ms, _ := c.computeTime(z, julian)
	raw, dst := z.offsets(ms)
	era := computeFields(ms, raw, dst).era

	var g calendar
	g.clear()
	g.set(fEra, era)
	g.set(fYear, weekYear)
	g.set(fWeekOfYear, 1)
	g.set(fDayOfWeek, firstDayOfWeek)
	gms, _ := g.computeTime(utcZone, julian)
	days := dow - firstDayOfWeek
	if days < 0 {
		days += 7
	}
	days += 7 * (weekOfYear - 1)
	f := computeFields(gms, 0, 0)
	fd := f.fixed + int64(days)
	y, m, d, _ := hybridFromFixed(fd)
	if y <= 0 {
		c.set(fEra, 0)
		c.set(fYear, int32(1-y))
	} else {
		c.set(fEra, 1)
		c.set(fYear, int32(y))
	}
	c.set(fMonth, int32(m-1))
	c.set(fDayOfMonth, int32(d))
	_, resultJulian = c.computeTime(z, julian)
	return resultJulian
}
