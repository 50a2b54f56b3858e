// Generates the golden files of package simpledate from java.text.SimpleDateFormat
// (JDK 17, English, UTC, as Kafka's TimestampConverter/TimestampRouter use it):
//
//   cd testdata/javagen && javac Gen.java && \
//     TZ=UTC java -Duser.language=en -Duser.country=US Gen .. ../..
//
// args[0] receives the test tables, args[1] (the package directory) zones.tsv,
// the English zone-name table the package embeds. Fields are tab-separated;
// tab, newline and backslash inside a field are escaped as \t, \n and \\.
import java.io.*;
import java.text.*;
import java.util.*;

public class Gen {
    static final TimeZone UTC = TimeZone.getTimeZone("UTC");
    // The two-digit-year window used by every case: 1950-06-15T12:00:00Z.
    static final long CENTURY_START = -616766400000L;

    static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    static SimpleDateFormat fmt(String pattern) {
        SimpleDateFormat f = new SimpleDateFormat(pattern);
        f.setTimeZone(UTC);
        f.set2DigitYearStart(new Date(CENTURY_START));
        return f;
    }

    static final String[] FORMAT_PATTERNS = {
        "yyyy MM dd HH mm ss SSS z", "yyyyMMdd", "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        "X", "XX", "XXX", "z", "zzzz", "Z", "ZZZZZ", "G GGGG y yy yyy yyyy yyyyy", "M MM MMM MMMM MMMMM",
        "L LL LLL LLLL LLLLL", "E EE EEE EEEE EEEEE", "u uu uuu", "a aaaa h hh K KK k kk H HH",
        "d dd D DD DDD DDDD F FF", "w ww W WW", "Y YY YYY YYYY YYYYY", "'o''clock' ''", "s ss S SS SSS SSSS SSSSSS",
        "EEE, d MMM yyyy HH:mm:ss Z", "dd/MMM/yyyy:HH:mm:ss Z", "yyyy.MM.dd G 'at' HH:mm:ss z",
        "EEE, MMM d, ''yy", "h:mm a", "hh 'o''clock' a, zzzz", "K:mm a, z", "yyyyy.MMMMM.dd GGG hh:mm aaa",
        "yyMMddHHmmssZ", "YYYY-'W'ww-u", "\u65e5\u672c yyyy\u5e74MM\u6708dd\u65e5", "'quoted ''text''' yyyy",
        "yyyy-MM-dd'T'HH:mm:ss.SSSX", "yyyy-MM-dd HH:mm:ss,SSS", "D/w/W/F/u/E/Y", "\u00e9\u00e8 yyyy 'h\u00e9' MM",
    };

    static final String[] CALENDAR_PATTERNS = {
        "G yyyy-MM-dd D/w/W/F/u/E/Y HH:mm", "YYYY-'W'ww-u", "EEEE d MMMM yyyy G",
    };

    static final String[] COMPILE_PATTERNS = {
        "bad-format", "yyyy-MM-dd'T", "XXXX", "XXXXX", "yyyy'", "abc", "''", "'''", "''''", "q", "x", "iii",
        "XXXXb", "b XXXX", "XXXX b", "yyyy-MM-dd'T'HH:mm:ss", "A", "B", "C", "I", "J", "N", "O", "P", "Q", "R",
        "T", "U", "V", "b", "c", "e", "f", "g", "i", "j", "l", "n", "o", "p", "q", "r", "t", "v", "x", "'a'b",
        "'unterminated", "ok'", "yyyy 'it''s", "\u00e9", "\u00e9x", "XXX XXXX", "1234", "'", "\t", "yyyy\u00c0",
    };

    // Hand-picked parse cases: pattern, text.
    static final String[][] PARSE_CASES = {
        {"yyyy MM dd HH mm ss SSS z", "1970 01 02 00 00 01 234 UTC"},
        {"yyyyMMdd", "20170103"}, {"yyyyMMdd", "2017013"}, {"yyyyMMdd", "201701031"}, {"yyyyMMdd", " 20170103"},
        {"yyyyMMdd", "2017-1-3"}, {"yyyyMMdd", "-2017013"}, {"yyyyMMdd", "2017+103"},
        {"yyyy-MM-dd", "2020-13-45"}, {"yyyy-MM-dd", "2020-1-5"}, {"yyyy-MM-dd", "  2020-01-05"},
        {"yyyy-MM-dd", "2020-01-05 trailing"}, {"yyyy-MM-dd", "2020/01/05"}, {"yyyy-MM-dd", "2020- 01-\t05"},
        {"yyyy-MM-dd", "2020-0-0"}, {"yyyy-MM-dd", "2020--1--1"}, {"yyyy-MM-dd", "2020-01-"}, {"yyyy-MM-dd", ""},
        {"yyyy-MM-dd", "99999999999-01-01"}, {"yyyy-MM-dd", "2147483648-01-01"}, {"yyyy-MM-dd", "99999999999999999999-01-01"},
        {"yyyy-MM-dd", "0-01-01"}, {"yyyy-MM-dd", "0000-01-01"}, {"yyyy-MM-dd", "-1-01-01"},
        {"yyyy-MM-dd", "1582-10-10"}, {"yyyy-MM-dd", "1582-10-04"}, {"yyyy-MM-dd", "1582-10-15"}, {"yyyy-MM-dd", "1582-10-05"},
        {"yyyy-MM-dd", "1000-02-29"}, {"yyyy-MM-dd", "1900-02-29"}, {"yyyy-MM-dd", "2000-02-30"},
        {"yy-MM-dd", "20-01-05"}, {"yy-MM-dd", "99-01-05"}, {"yy-MM-dd", "2020-01-05"}, {"yy-MM-dd", "50-06-15"},
        {"yy-MM-dd", "50-06-14"}, {"yy-MM-dd", "50-06-16"}, {"yy-MM-dd", "49-12-31"}, {"yy-MM-dd", "5-01-05"},
        {"yy-MM-dd", "005-01-05"}, {"yy", "5"}, {"yy", "05"}, {"y", "05"}, {"yyy", "05"}, {"yy", "-5"}, {"yy", "-05"},
        {"yy", "\uff10\uff15"}, {"yyyy", "\uff12\uff10\uff12\uff10"}, {"yyyy", "\u0661\u0662\u0663\u0664"},
        {"MMM d yyyy", "Jan 5 2020"}, {"MMM d yyyy", "january 5 2020"}, {"MMM d yyyy", "JANUARY 5 2020"},
        {"MMMM d yyyy", "Sep 5 2020"}, {"MMMM d yyyy", "Sept 5 2020"}, {"MMM d yyyy", " Jan 5 2020"},
        {"MMM d yyyy", "May 5 2020"}, {"MMM d yyyy", "Ma 5 2020"}, {"MMMyyyy", "Jan2020"}, {"MMyyyy", "012020"},
        {"LLL d yyyy", "Feb 5 2020"}, {"LLLL d yyyy", "february 5 2020"}, {"LL/yyyy", "02/2020"},
        {"EEE MMM dd yyyy", "Mon Jan 06 2020"}, {"E yyyy-MM-dd", "Tue 2020-01-06"}, {"EEEE", "Friday"},
        {"E", "fri"}, {"E yyyy", "Wed 2020"}, {"EEE, d MMM yyyy HH:mm:ss Z", "Wed, 4 Jul 2001 12:08:56 -0700"},
        {"HH:mm", "25:61"}, {"HH:mm", "-1:-1"}, {"hh:mm a", "12:30 AM"}, {"hh:mm a", "12:30 pm"}, {"hh:mm a", "13:30 pm"},
        {"h a", "0 AM"}, {"k", "24"}, {"k", "0"}, {"K a", "11 PM"}, {"K a", "12 PM"}, {"a h", "PM 3"}, {"a", "PM"},
        {"HH a", "15 PM"}, {"a HH", "PM 03"}, {"h", "12"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSZ", "2020-01-01T10:00:00.000+0200"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSZ", "2020-01-01T10:00:00.000-02:00"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000Z"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000+05:30"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000+0530"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSX", "2020-01-01T10:00:00.000+05"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSX", "2020-01-01T10:00:00.000+0530"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSXX", "2020-01-01T10:00:00.000+0530"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSXX", "2020-01-01T10:00:00.000+05:30"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSX", "2020-01-01T10:00:00.000+5"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSX", "2020-01-01T10:00:00.000+24"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000+05:60"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000 Z"},
        {"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-01-01T10:00:00.000z"},
        {"X", "Z"}, {"X", "+01"}, {"X", "-23"}, {"X", "GMT"}, {"XXX", "-00:00"},
        {"HH:mm z", "10:00 GMT+05:30"}, {"HH:mm z", "10:00 GMT+5:30"}, {"HH:mm z", "10:00 GMT+05"}, {"HH:mm z", "10:00 GMT"},
        {"HH:mm z", "10:00 gmt-0100"}, {"HH:mm z", "10:00 GMT+0100"}, {"HH:mm z", "10:00 GMT-01:00"}, {"HH:mm z", "10:00  GMT"},
        {"HH:mm z", "10:00 UTC"}, {"HH:mm z", "10:00 utc"}, {"HH:mm z", "10:00 Coordinated Universal Time"},
        {"HH:mm z", "10:00 +0100"}, {"HH:mm z", "10:00 -01:00"}, {"HH:mm z", "10:00 +1"}, {"HH:mm z", "10:00 PST"},
        {"HH:mm z", "10:00 XYZ"}, {"HH:mmz", "10:00UTC"}, {"HH:mm Z", "10:00 UTC"}, {"HH:mm Z", "10:00 -0800"},
        {"HH:mm Z", "10:00 GMT+01:00"}, {"HH:mm Z", "10:00 Z"}, {"HH:mm Z", "10:00 +01:00"},
        {"yyyy-MM-dd HH:mm z", "2020-07-01 10:00 PDT"}, {"yyyy-MM-dd HH:mm z", "2020-07-01 10:00 PST"},
        {"yyyy-MM-dd HH:mm z", "2020-01-01 10:00 PDT"}, {"yyyy-MM-dd HH:mm z", "2020-01-01 10:00 Pacific Standard Time"},
        {"yyyy-MM-dd HH:mm z", "2020-07-01 10:00 CEST"}, {"yyyy-MM-dd HH:mm z", "2020-07-01 10:00 IST"},
        {"yyyy-MM-dd HH:mm z", "2020-07-01 10:00 CST"}, {"yyyy-MM-dd HH:mm z", "2020-07-01 10:00 EST"},
        {"yyyy-MM-dd HH:mm z", "2020-07-01 10:00 BST"}, {"yyyy-MM-dd HH:mm z", "2020-07-01 10:00 JST"},
        {"yyyy-MM-dd HH:mm z", "2020-03-08 02:30 PST"}, {"yyyy-MM-dd HH:mm z", "2020-11-01 01:30 PST"},
        {"yyyy-MM-dd HH:mm z", "2020-11-01 01:30 PDT"}, {"yyyy-MM-dd HH:mm z", "1900-07-01 10:00 CET"},
        {"yyyy", "-5"}, {"yyyy", "NaN"}, {"yyyy", "\u221e"}, {"yyyy", "-\u221e"}, {"yyyy", "1E3"}, {"yyyy", "1E-3"},
        {"yyyy", "15E-1"}, {"yyyy", "12E"}, {"yyyy", "12Ex"}, {"yyyy", "12e3"}, {"yyyy", "2E+3"}, {"yyyy", "2.5"},
        {"yyyy", "2,500"}, {"yyyy", "+2020"}, {"yyyy", "-"}, {"yyyy", "--5"}, {"yyyy", "1E99999999999999999999"},
        {"yyyy", "1E2147483648"}, {"yyyyMM", "1E301"}, {"yyyy", "-0"}, {"yyyy", "9223372036854775807"},
        {"yyyy", "9223372036854775808"}, {"yyyy", "-9223372036854775808"}, {"yyyy", "-9223372036854775809"},
        {"yyyy", "4294967297"}, {"d MMM", "NaN Jan"},
        {"SSS", "1234"}, {"ss.SSS", "01.5"}, {"ss.S", "01.999999"}, {"D yyyy", "400 2020"}, {"yyyy D", "2020 400"},
        {"D", "60"}, {"w yyyy", "10 2020"}, {"w E yyyy", "10 Wed 2020"}, {"E w yyyy", "Wed 10 2020"}, {"W MM yyyy", "2 03 2020"},
        {"W E MM yyyy", "2 Sat 03 2020"}, {"F E MM yyyy", "2 Sat 03 2020"}, {"F E MM yyyy", "-1 Sat 03 2020"},
        {"F MM yyyy", "3 03 2020"}, {"E MM yyyy", "Sat 03 2020"}, {"dd E MM yyyy", "10 Sat 03 2020"},
        {"E dd MM yyyy", "Sat 10 03 2020"}, {"D dd MM yyyy", "100 10 03 2020"}, {"dd MM yyyy D", "10 03 2020 100"},
        {"YYYY-'W'ww-u", "2020-W53-5"}, {"YYYY-'W'ww-u", "2021-W01-1"}, {"YYYY-'W'ww-u", "2021-W01-9"},
        {"YYYY-'W'ww-u", "2021-W01-0"}, {"YYYY-'W'ww-u", "2021-W01--3"}, {"YYYY ww", "2021 01"}, {"YYYY", "2021"},
        {"yyyy YYYY", "2019 2021"}, {"YYYY yyyy", "2019 2021"}, {"YYYY MM dd", "2021 03 10"}, {"YYYY u", "2021 3"},
        {"YYYY ww u", "0001 01 1"}, {"YYYY ww", "1583 01"}, {"YYYY ww", "1582 45"}, {"G YYYY ww", "BC 0010 05"},
        {"G yyyy", "BC 44"}, {"G yyyy", "bc 44"}, {"yyyy G", "44 BC"}, {"G yyyy", "AD 0"}, {"G yyyy", "BC 0"},
        {"G yyyy", "BC -1"}, {"G", "AD"}, {"GGGG yyyy", "Anno 2020"}, {"u yyyy-ww", "7 2020-10"},
        {"dd/MM/yyyy", "31/02/2020"}, {"yyyy-MM-dd HH:mm:ss", "2020-01-01"}, {"yyyy-MM-dd HH:mm:ss", "2020-01-01 10:00:00.123"},
        {"yyyy-MM-dd'T'HH:mm:ss", "2020-01-01T10:00:00"}, {"yyyy-MM-dd'T'HH:mm:ss", "2020-01-01t10:00:00"},
        {"'o''clock' h", "o'clock 5"}, {"''h", "'5"}, {"\u65e5\u672c yyyy\u5e74", "\u65e5\u672c 2020\u5e74"},
        {"yyyy\u5e74MM\u6708dd\u65e5", "2020\u5e7401\u670805\u65e5"}, {"yyyy-MM-dd", "\u0662\u0660\u0662\u0660-01-05"},
        {"yyyyMMddHHmmssSSS", "20200105102030123"}, {"yyyyMMddHHmmssSSS", "2020010510203012"},
        {"yyMMdd", "200105"}, {"yyMMdd", "2001051"}, {"MMdd", "0105"}, {"HHmm", "1230"}, {"HHmm", "123"},
        {"yyyyMMdd HH", "20200105 5"}, {"yyyy MM dd", "2020  01   05"}, {"yyyy MM dd", "2020 01 05"},
        {"yyyy-MM-dd HH:mm:ss.SSS", "2021-06-30 23:59:60.1000"}, {"MM/dd/yyyy", "12/31/1969"},
        {"MMM", "Jan"}, {"dd", "15"}, {"HH", "12"}, {"mm", "30"}, {"ss", "45"}, {"yyyy", "1969"},
        {"EEE, d MMM yyyy HH:mm:ss z", "Thu, 1 Jan 1970 00:00:00 GMT"},
        {"dd/MMM/yyyy:HH:mm:ss Z", "10/Oct/2000:13:55:36 -0700"},
        {"yyyy-MM-dd HH:mm:ss", "292278994-08-17 07:12:55"}, {"yyyy-MM-dd", "-292275055-05-16"},
        {"yyyy-MM-dd HH:mm:ss.SSS", "2020-01-01 00:00:00.-1"}, {"yyyy-MM-dd HH", "2020-01-01 2147483647"},
        {"yyyy-MM-dd HH", "2020-01-01 -2147483648"}, {"yyyy-MM-dd mm", "2020-01-01 2147483647"},
        {"yyyy-MM dd", "2020-2147483647 01"}, {"yyyy-MM dd", "2020--2147483648 01"},
        {"yyyy-MM-dd", "2147483647-12-31"}, {"yyyy-MM-dd", "-2147483648-01-01"}, {"yyyy dd", "2020 2147483647"},
        {"yyyy D", "2020 -2147483648"}, {"yyyy w", "2020 2147483647"}, {"yyyy ww E", "2020 -2147483648 Mon"},
        {"SSS", "2147483647"}, {"ss", "2147483647"}, {"yyyy", "-2147483649"},
    };

    static final String[] FUZZ_PATTERNS = {
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "yyyyMMdd",
        "yyyyMMddHHmmss", "dd/MM/yy", "MMM d, yyyy h:mm a", "EEE, d MMM yyyy HH:mm:ss Z", "EEEE MMMM dd yyyy",
        "yyyy MM dd HH mm ss SSS z", "YYYY-'W'ww-u", "D yyyy", "yyyy.MM.dd G 'at' HH:mm:ss z", "h:mm a", "K:mm a, z",
        "yy-M-d H:m:s", "W F E MMM yyyy", "kk:mm", "X", "yyyyMMddHHmmssSSS", "hh 'o''clock' a, zzzz", "LLLL yyyy",
    };

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        Random r = new Random(20240601);

        try (PrintWriter w = new PrintWriter(args[1] + "/zones.tsv", "UTF-8")) {
            // ID, long std, short std, long dst, short dst, raw offset ms, DST savings ms, and
            // the tz database name of an old three-letter ID (java.time's SHORT_IDS), else the ID.
            for (String[] z : DateFormatSymbols.getInstance(Locale.US).getZoneStrings()) {
                TimeZone tz = TimeZone.getTimeZone(z[0]);
                String alias = java.time.ZoneId.SHORT_IDS.getOrDefault(z[0], z[0]);
                if (alias.startsWith("+") || alias.startsWith("-")) {
                    alias = z[0];
                }
                w.println(esc(z[0]) + "\t" + esc(z[1]) + "\t" + esc(z[2]) + "\t" + esc(z[3]) + "\t" + esc(z[4])
                        + "\t" + tz.getRawOffset() + "\t" + tz.getDSTSavings() + "\t" + esc(alias));
            }
        }

        try (PrintWriter w = new PrintWriter(dir + "/compile.tsv", "UTF-8")) {
            List<String> all = new ArrayList<>(Arrays.asList(COMPILE_PATTERNS));
            all.addAll(Arrays.asList(FORMAT_PATTERNS));
            for (String p : all) {
                String res;
                try {
                    res = "OK\t" + esc(new SimpleDateFormat(p).toPattern());
                } catch (IllegalArgumentException e) {
                    res = "ERR\t" + esc(e.getMessage());
                }
                w.println(esc(p) + "\t" + res);
            }
        }

        try (PrintWriter w = new PrintWriter(dir + "/format.tsv", "UTF-8")) {
            List<Long> times = new ArrayList<>(Arrays.asList(0L, 86401234L, 1483425001864L, -1L, -86400000L,
                951782400000L, 946684799999L, 43200000L, 46800000L, 3600000L, -62135596800000L, -62135596800001L,
                -12219292800000L, -12219292800001L, -12220156800000L, -12244089600000L, -12250000000000L,
                -62198755200000L, -62167219200000L, -100000000000000L, Long.MAX_VALUE, Long.MIN_VALUE,
                253402300799999L, 253402300800000L, 4102444800000L, 1577836800000L, 1609459200000L));
            // Every day around several year ends (week-of-year and week-year edges).
            List<Long> edges = new ArrayList<>();
            int[] years = {1580, 1581, 1582, 1583, 1584, 1969, 1970, 2014, 2015, 2016, 2019, 2020, 2021, 2026, 2027, 2032};
            Calendar c = new GregorianCalendar(UTC);
            for (int y : years) {
                c.clear();
                c.set(y, Calendar.DECEMBER, 24, 13, 7, 9);
                for (int d = 0; d < 14; d++) {
                    edges.add(c.getTimeInMillis());
                    c.add(Calendar.DAY_OF_MONTH, 1);
                }
            }
            c.clear();
            c.set(1582, Calendar.SEPTEMBER, 25, 22, 0, 0);
            for (int d = 0; d < 50; d++) {
                edges.add(c.getTimeInMillis());
                c.add(Calendar.DAY_OF_MONTH, 1);
            }
            for (int i = 0; i < 60; i++) {
                switch (i % 3) {
                    case 0: times.add((long) (r.nextDouble() * 4e12) - 1000000000000L); break;
                    case 1: times.add((long) ((r.nextDouble() * 2 - 1) * 1e14)); break;
                    default: times.add(r.nextLong() >> r.nextInt(20)); break;
                }
            }
            for (String p : FORMAT_PATTERNS) {
                SimpleDateFormat f = fmt(p);
                for (long t : times) {
                    w.println(esc(p) + "\t" + t + "\t" + esc(f.format(new Date(t))));
                }
            }
            for (String p : CALENDAR_PATTERNS) {
                SimpleDateFormat f = fmt(p);
                for (long t : edges) {
                    w.println(esc(p) + "\t" + t + "\t" + esc(f.format(new Date(t))));
                }
            }
        }

        try (PrintWriter w = new PrintWriter(dir + "/parse.tsv", "UTF-8")) {
            for (String[] pc : PARSE_CASES) {
                w.println(parseCase(pc[0], pc[1]));
            }
            // Every zone name of the table, in summer and winter.
            String[][] zones = DateFormatSymbols.getInstance(Locale.US).getZoneStrings();
            for (int i = 0; i < zones.length; i++) {
                for (int k = 1; k <= 4; k++) {
                    String date = ((i + k) % 2 == 0) ? "2021-07-01 12:00 " : "2021-01-15 12:00 ";
                    w.println(parseCase("yyyy-MM-dd HH:mm z", date + zones[i][k]));
                }
            }
            // Fuzz: format random instants, then damage the text.
            String noise = "0123456789 -+:/.,'TZzEeJjaAPpMm\t\u00e9\uff11";
            for (int i = 0; i < 3000; i++) {
                String p = FUZZ_PATTERNS[r.nextInt(FUZZ_PATTERNS.length)];
                long t = r.nextInt(4) == 0 ? r.nextLong() >> r.nextInt(24) : (long) (r.nextDouble() * 4e12) - 1000000000000L;
                String s = fmt(p).format(new Date(t));
                StringBuilder sb = new StringBuilder(s);
                int edits = r.nextInt(3);
                for (int e = 0; e < edits && sb.length() > 0; e++) {
                    int at = r.nextInt(sb.length());
                    char ch = noise.charAt(r.nextInt(noise.length()));
                    switch (r.nextInt(5)) {
                        case 0: sb.deleteCharAt(at); break;
                        case 1: sb.insert(at, ch); break;
                        case 2: sb.setCharAt(at, ch); break;
                        case 3: sb.setLength(at); break;
                        default:
                            String u = sb.toString();
                            sb.setLength(0);
                            sb.append(r.nextBoolean() ? u.toUpperCase(Locale.ROOT) : u.toLowerCase(Locale.ROOT));
                            break;
                    }
                }
                w.println(parseCase(p, sb.toString()));
            }
            // Random patterns: any letters and counts, with or without separators.
            String letters = "GyMdkHmsSEDFwWahKzZYuXL";
            String[] seps = {"", "", " ", "-", ":", "/", "'T'", ".", ", "};
            for (int i = 0; i < 1500; i++) {
                StringBuilder pb = new StringBuilder();
                int n = 1 + r.nextInt(6);
                char last = 0;
                for (int k = 0; k < n; k++) {
                    char l = letters.charAt(r.nextInt(letters.length()));
                    if (l == last) continue;
                    last = l;
                    int cnt = 1 + r.nextInt(l == 'X' ? 3 : 5);
                    for (int c = 0; c < cnt; c++) pb.append(l);
                    pb.append(seps[r.nextInt(seps.length)]);
                }
                String p = pb.toString();
                long t = r.nextInt(3) == 0 ? r.nextLong() >> r.nextInt(30) : (long) (r.nextDouble() * 4e12) - 1000000000000L;
                String s = fmt(p).format(new Date(t));
                if (r.nextInt(3) == 0 && s.length() > 0) {
                    StringBuilder sb = new StringBuilder(s);
                    int at = r.nextInt(sb.length());
                    sb.setCharAt(at, noise.charAt(r.nextInt(noise.length())));
                    s = sb.toString();
                }
                w.println(parseCase(p, s));
            }
        }
    }

    // pattern, text, result (epoch ms or FAIL), ParsePosition index, error index,
    // the instance's format of a fixed instant afterwards (the zone may have changed),
    // and parse(String)'s exception message or OK.
    static String parseCase(String pattern, String text) {
        SimpleDateFormat f = fmt(pattern);
        ParsePosition pos = new ParsePosition(0);
        Date d = f.parse(text, pos);
        String after = f.format(new Date(1500000000000L));
        String msg;
        try {
            fmt(pattern).parse(text);
            msg = "OK";
        } catch (ParseException e) {
            msg = e.getMessage() + " @" + e.getErrorOffset();
        }
        return esc(pattern) + "\t" + esc(text) + "\t" + (d == null ? "FAIL" : Long.toString(d.getTime())) + "\t"
                + pos.getIndex() + "\t" + pos.getErrorIndex() + "\t" + esc(after) + "\t" + esc(msg);
    }
}
