// Oracle answers regex cases with the JDK's own java.util.regex; the Go
// test TestRegenerateJavaOracle (oracle_test.go) runs it to rebuild
// java17.golden.gz:
//
//   java testdata/Oracle.java < cases > answers
//
// Each input line is "pattern<TAB>input<TAB>replacement", base64-encoded
// field by field; each output line adds the compile error, the result of
// matches() and the result (or error) of replaceFirst, exceptions rendered
// as "SimpleClassName: message".
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Scanner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Oracle {
    static String dec(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static String enc(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) {
        Scanner in = new Scanner(System.in, StandardCharsets.UTF_8);
        while (in.hasNextLine()) {
            String line = in.nextLine();
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            String regex = dec(f[0]), input = dec(f[1]), replacement = dec(f[2]);
            String compileErr = "", matches = "", replaced = "", replaceErr = "";
            try {
                Pattern p = Pattern.compile(regex);
                Matcher m = p.matcher(input);
                matches = Boolean.toString(m.matches());
                try {
                    replaced = m.replaceFirst(replacement);
                } catch (RuntimeException e) {
                    replaceErr = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            } catch (RuntimeException e) {
                compileErr = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            System.out.println(String.join("\t", f[0], f[1], f[2], enc(compileErr), enc(matches), enc(replaced), enc(replaceErr)));
        }
    }
}
