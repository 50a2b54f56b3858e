// Generates testdata/props/*.golden.json with JDK 17's java.util.Properties.
// Run from runner/configfile: java testdata/GenGolden.java
// Files are read as UTF-8 (latin1.properties as ISO-8859-1), matching
// configfile.ParseProperties' decoding.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

public class GenGolden {
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        File[] files = new File("testdata/props").listFiles((d, n) -> n.endsWith(".properties"));
        Arrays.sort(files);
        for (File f : files) {
            String out;
            Properties p = new Properties();
            boolean latin = f.getName().startsWith("latin1");
            try (Reader r = new InputStreamReader(new FileInputStream(f), latin ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8)) {
                p.load(r);
                TreeMap<String, String> m = new TreeMap<>();
                for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
                StringBuilder b = new StringBuilder("{\n");
                int i = 0;
                for (Map.Entry<String, String> e : m.entrySet()) {
                    b.append("  ").append(q(e.getKey())).append(": ").append(q(e.getValue()));
                    b.append(++i < m.size() ? ",\n" : "\n");
                }
                out = b.append("}\n").toString();
            } catch (IllegalArgumentException e) {
                out = "{\"error\": " + q(e.getMessage()) + "}\n";
            }
            Files.write(Paths.get(f.getPath().replace(".properties", ".golden.json")), out.getBytes(StandardCharsets.UTF_8));
        }
    }
}
