// Generates the golden files used by javastring_test.go (run once with JDK 17:
//   cd testdata/javagen && javac Gen.java && TZ=UTC java Gen .. ../../../../converters/testdata). Tab-separated.
import java.io.*;
import java.math.*;
import java.nio.charset.*;
import java.util.*;

public class Gen {
    static String hex(byte[] b) { StringBuilder sb = new StringBuilder(); for (byte x : b) sb.append(String.format("%02x", x)); return sb.toString(); }

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        Random r = new Random(42);
        try (PrintWriter w = new PrintWriter(dir + "/java_double.tsv", "UTF-8")) {
            double[] fixed = {0.1, 1.0, 1e7, 9999999.0, 9999999.999, 1e-3, 0.00099, 1e10, 1e-4, 1e-5, 12.34, 123456789.0,
                Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 1e23, 2e-3, -1.5, 100.0, 1.0/3, 2.0/3, 4.35, 0.3,
                1e21, 1e22, 123456.789, -0.0, 0.0, 1234567.0, 12345678.0, 0.001234, Math.PI, Math.E, 1e300, 1e-300, 255.0};
            for (double d : fixed) w.println(Long.toHexString(Double.doubleToRawLongBits(d)) + "\t" + Double.toString(d));
            for (int i = 0; i < 300; i++) {
                double d;
                switch (i % 3) {
                    case 0: d = Double.longBitsToDouble(r.nextLong()); break;
                    case 1: d = r.nextDouble() * Math.pow(10, r.nextInt(20) - 8); break;
                    default: d = Math.round(r.nextDouble() * 1e6) / 1e3; break;
                }
                if (Double.isNaN(d)) continue;
                w.println(Long.toHexString(Double.doubleToRawLongBits(d)) + "\t" + Double.toString(d));
            }
        }
        try (PrintWriter w = new PrintWriter(dir + "/java_float.tsv", "UTF-8")) {
            float[] fixed = {0.1f, 1.0f, 1e7f, 1e-3f, 1e10f, 1e-4f, 12.34f, Float.MIN_VALUE, Float.MAX_VALUE, 3.4e38f, 1.5f, 1.2345679f, 16777216f, 0.3f};
            for (float f : fixed) w.println(Integer.toHexString(Float.floatToRawIntBits(f)) + "\t" + Float.toString(f));
            for (int i = 0; i < 200; i++) {
                float f = (i % 2 == 0) ? Float.intBitsToFloat(r.nextInt()) : (float) (r.nextDouble() * Math.pow(10, r.nextInt(16) - 6));
                if (Float.isNaN(f)) continue;
                w.println(Integer.toHexString(Float.floatToRawIntBits(f)) + "\t" + Float.toString(f));
            }
        }
        // HashMap iteration order: insertion-ordered keys, then the map's toString.
        try (PrintWriter w = new PrintWriter(dir + "/java_hashmap.tsv", "UTF-8")) {
            String alpha = "abcdefghijklmnopqrstuvwxyz_0123456789éü€😀";
            String[][] fixed = {{"some_key", "b", "n"}, {"a", "b", "c"}, {"name", "id", "email", "age", "created_at", "updated_at"}};
            List<List<String>> sets = new ArrayList<>();
            for (String[] f : fixed) sets.add(Arrays.asList(f));
            for (int i = 0; i < 60; i++) {
                int n = 1 + r.nextInt(i < 40 ? 20 : 120);
                List<String> keys = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    int len = 1 + r.nextInt(10);
                    StringBuilder sb = new StringBuilder();
                    for (int c = 0; c < len; c++) sb.appendCodePoint(alpha.codePointAt(alpha.offsetByCodePoints(0, r.nextInt(alpha.codePointCount(0, alpha.length())))));
                    keys.add(sb.toString());
                }
                sets.add(keys);
            }
            for (List<String> keys : sets) {
                Map<String, Object> m = new HashMap<>();
                for (int k = 0; k < keys.size(); k++) m.put(keys.get(k), k);
                w.println("S\t" + String.join("\u0001", keys) + "\t" + m);
            }
            for (int i = 0; i < 20; i++) {
                Map<Object, Object> m = new HashMap<>();
                List<String> ins = new ArrayList<>();
                int n = 1 + r.nextInt(30);
                for (int k = 0; k < n; k++) {
                    Object key;
                    String enc;
                    switch (r.nextInt(4)) {
                        case 0: long l = r.nextLong() >> r.nextInt(64); key = l; enc = "J" + l; break;
                        case 1: int x = r.nextInt(); key = x; enc = "I" + x; break;
                        case 2: double d = r.nextDouble() * 1000; key = d; enc = "D" + Long.toHexString(Double.doubleToRawLongBits(d)); break;
                        default: boolean bo = r.nextBoolean(); key = bo; enc = "Z" + bo; break;
                    }
                    if (m.containsKey(key)) continue;
                    m.put(key, k);
                    ins.add(enc);
                }
                w.println("O\t" + String.join("\u0001", ins) + "\t" + m);
            }
        }
        try (PrintWriter w = new PrintWriter(dir + "/java_bigdecimal.tsv", "UTF-8")) {
            for (int i = 0; i < 200; i++) {
                BigInteger u = new BigInteger(1 + r.nextInt(90), r);
                if (r.nextBoolean()) u = u.negate();
                int scale = r.nextInt(30) - 15;
                if (i < 10) u = BigInteger.valueOf(i - 5);
                BigDecimal d = new BigDecimal(u, scale);
                w.println(u + "\t" + scale + "\t" + d + "\t" + hex(u.toByteArray()) + "\t" + d.hashCode());
            }
        }
        try (PrintWriter w = new PrintWriter(dir + "/java_date.tsv", "UTF-8")) {
            long[] fixed = {0L, 86400000L, 1700000000000L, -1L, 253402300799999L, 951782400000L};
            for (long t : fixed) w.println(t + "\t" + new Date(t));
            for (int i = 0; i < 20; i++) { long t = (r.nextLong() % 4000000000000L); w.println(t + "\t" + new Date(t)); }
        }
        try (PrintWriter w = new PrintWriter(args[1] + "/java_utf8decode.tsv", "UTF-8")) {
            byte[][] cases = {{(byte)0xff}, {(byte)0xe2, (byte)0x82}, {(byte)0xe2, (byte)0x82, 0x41}, {(byte)0xf0, (byte)0x9f, (byte)0x98}, {(byte)0xc0, (byte)0xaf},
                {(byte)0xed, (byte)0xa0, (byte)0x80}, {(byte)0xf4, (byte)0x90, (byte)0x80, (byte)0x80}, {0x61, (byte)0x80, 0x62}, {(byte)0xe0, (byte)0x80, (byte)0x80}, {(byte)0xf0, (byte)0x80}};
            for (byte[] c : cases) {
                String s = new String(c, StandardCharsets.UTF_8);
                StringBuilder cps = new StringBuilder();
                s.codePoints().forEach(cp -> cps.append(String.format("%04X ", cp)));
                w.println(hex(c) + "\t" + cps.toString().trim());
            }
        }
    }
}
