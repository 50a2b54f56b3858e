package offsets

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/offsets/javaser"
)

var update = flag.Bool("update", false, "rewrite golden files (JDK fixtures need java)")

// offsetsFileJava does what Kafka's FileOffsetBackingStore does with the
// file: "write" puts stdin lines "key<TAB>value" ("<null>" = null) into a
// new HashMap<byte[],byte[]> and writes it with ObjectOutputStream;
// "read" loads it with ObjectInputStream and prints the sorted entries.
const offsetsFileJava = `
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

public class OffsetsFile {
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        if (args[0].equals("write")) {
            Map<byte[], byte[]> raw = new HashMap<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) continue;
                String[] kv = line.split("\t", 2);
                raw.put(kv[0].getBytes(StandardCharsets.UTF_8),
                        kv[1].equals("<null>") ? null : kv[1].getBytes(StandardCharsets.UTF_8));
            }
            try (ObjectOutputStream os = new ObjectOutputStream(Files.newOutputStream(Paths.get(args[1])))) {
                os.writeObject(raw);
            }
        } else {
            try (ObjectInputStream is = new ObjectInputStream(Files.newInputStream(Paths.get(args[1])))) {
                Object obj = is.readObject();
                if (!(obj instanceof HashMap))
                    throw new IllegalStateException("Expected HashMap but found " + obj.getClass());
                List<String> lines = new ArrayList<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) obj).entrySet())
                    lines.add(str((byte[]) e.getKey()) + "\t" + str((byte[]) e.getValue()));
                Collections.sort(lines);
                for (String l : lines) out.println(l);
            }
        }
    }

    static String str(byte[] b) {
        return b == null ? "<null>" : new String(b, StandardCharsets.UTF_8);
    }
}
`

// javaRunner returns a function running OffsetsFile.java, or skips the test
// when no JDK is installed (fails instead when CI is set: CI installs one).
func javaRunner(t *testing.T) func(stdin string, args ...string) string {
	t.Helper()
	java, err := exec.LookPath("java")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("java not found on PATH; CI must install a JDK (17+) for the offsets interop tests: %v", err)
		}
		t.Skip("java not found on PATH: skipping JDK interop test (install a JDK 17+ to run it; it is required when CI is set)")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "OffsetsFile.java")
	if err := os.WriteFile(src, []byte(offsetsFileJava), 0o644); err != nil {
		t.Fatal(err)
	}
	return func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(java, append([]string{"-Xshare:auto", "-XX:TieredStopAtLevel=1", src}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("java %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String()
	}
}

// jdkEntries is the fixture content: what a FileStreamSource (and a few
// synthetic connectors) leave in the file, including a reset (null) offset
// and a multi-key partition in the non-sorted order a Java map may produce.
var jdkEntries = [][2]string{
	{`["local-file-source",{"filename":"/tmp/test.txt"}]`, `{"position":12}`},
	{`["local-file-source",{"filename":"/tmp/old.txt"}]`, `<null>`},
	{`["multi",{"table":"orders","db":"shop"}]`, `{"id":42,"ts":1.5}`},
	{`["unicodé",{"file":"/tmp/ü ñ \"q\".txt"}]`, `{"position":9007199254740993}`},
}

func jdkInput(entries [][2]string) string {
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e[0] + "\t" + e[1] + "\n")
	}
	return b.String()
}

func TestJDKInterop(t *testing.T) {
	run := javaRunner(t)
	dir := t.TempDir()

	// 1. The JDK writes, Go reads.
	javaFile := filepath.Join(dir, "java.offsets")
	run(jdkInput(jdkEntries), "write", javaFile)
	single := filepath.Join(dir, "single.offsets")
	run(jdkInput(jdkEntries[:1]), "write", single)
	empty := filepath.Join(dir, "empty.offsets")
	run("", "write", empty)
	var many [][2]string
	for i := range 40 { // beyond 12 entries: capacity 64, threshold 48
		many = append(many, [2]string{`["many",{"n":` + itoa(i) + `}]`, `{"pos":` + itoa(i*10) + `}`})
	}
	manyFile := filepath.Join(dir, "many.offsets")
	run(jdkInput(many), "write", manyFile)

	if *update {
		copyFile(t, javaFile, "testdata/jdk17-offsets.ser")
		copyFile(t, single, "javaser/testdata/jdk17-single.ser")
		copyFile(t, empty, "javaser/testdata/jdk17-empty.ser")
		copyFile(t, manyFile, "javaser/testdata/jdk17-many.ser")
	}

	checkJDKFixture(t, javaFile)

	// Our writer is byte-identical to the JDK wherever the order is defined.
	for _, tc := range []struct {
		file    string
		entries [][2]string
	}{{single, jdkEntries[:1]}, {empty, nil}} {
		want, _ := os.ReadFile(tc.file)
		var es []javaser.Entry
		for _, e := range tc.entries {
			es = append(es, javaser.Entry{Key: []byte(e[0]), Value: []byte(e[1])})
		}
		if got := javaser.WriteHashMap(es); !bytes.Equal(got, want) {
			t.Errorf("WriteHashMap(%d entries) differs from the JDK:\n got %x\nwant %x", len(es), got, want)
		}
	}
	raw, _ := os.ReadFile(manyFile)
	got, err := javaser.ReadHashMap(raw)
	if err != nil || len(got) != len(many) {
		t.Fatalf("ReadHashMap(JDK, 40 entries) = %d entries, %v", len(got), err)
	}

	// 2. Go updates the JDK's file; it stays Java-serialized and the JDK reads it.
	s, err := OpenFile(javaFile)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	must(t, s.Set(ctx, "local-file-source", []connectors.PartitionOffset{
		{Partition: map[string]any{"filename": "/tmp/test.txt"}, Offset: map[string]any{"position": int64(99)}},
		{Partition: map[string]any{"filename": "/tmp/new.txt"}, Offset: map[string]any{"position": int64(1)}},
	}))
	must(t, s.Set(ctx, "multi", []connectors.PartitionOffset{
		{Partition: map[string]any{"db": "shop", "table": "orders"}, Offset: nil},
	}))
	must(t, s.Close())
	want := []string{
		`["local-file-source",{"filename":"/tmp/new.txt"}]` + "\t" + `{"position":1}`,
		`["local-file-source",{"filename":"/tmp/old.txt"}]` + "\t<null>",
		`["local-file-source",{"filename":"/tmp/test.txt"}]` + "\t" + `{"position":99}`,
		`["multi",{"table":"orders","db":"shop"}]` + "\t<null>", // original key bytes kept
		jdkEntries[3][0] + "\t" + jdkEntries[3][1],
	}
	slices.Sort(want)
	if out := run("", "read", javaFile); out != strings.Join(want, "\n")+"\n" {
		t.Errorf("JDK read back:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}

	// 3. A new file forced to the Java format is readable by the JDK too.
	forced := filepath.Join(dir, "forced.offsets")
	s, err = OpenFileWithFormat(forced, FormatJava)
	if err != nil {
		t.Fatal(err)
	}
	must(t, s.Set(ctx, "c", []connectors.PartitionOffset{
		{Partition: map[string]any{"b": int64(2), "a": "x"}, Offset: map[string]any{"f": 0.1, "big": int64(1) << 60, "s": "<&>\u2028"}},
	}))
	must(t, s.Close())
	if out, want := run("", "read", forced), `["c",{"a":"x","b":2}]`+"\t"+`{"big":1152921504606846976,"f":0.1,"s":"<&>`+"\u2028"+`"}`+"\n"; out != want {
		t.Errorf("JDK read of forced Java file = %q, want %q", out, want)
	}
}

// checkJDKFixture checks what the store makes of the JDK-written fixture.
func checkJDKFixture(t *testing.T, path string) {
	t.Helper()
	s, err := OpenFile(path)
	if err != nil {
		t.Fatalf("OpenFile(JDK fixture): %v", err)
	}
	defer s.Close()
	if s.Format() != FormatJava {
		t.Errorf("format = %v, want java", s.Format())
	}
	for _, tc := range []struct {
		conn string
		part map[string]any
		want map[string]any
	}{
		{"local-file-source", map[string]any{"filename": "/tmp/test.txt"}, map[string]any{"position": int64(12)}},
		{"local-file-source", map[string]any{"filename": "/tmp/old.txt"}, nil},
		{"multi", map[string]any{"db": "shop", "table": "orders"}, map[string]any{"id": int64(42), "ts": 1.5}},
		{"unicodé", map[string]any{"file": `/tmp/ü ñ "q".txt`}, map[string]any{"position": int64(9007199254740993)}},
		{"absent", map[string]any{"x": "y"}, nil},
	} {
		got, err := s.Get(tc.conn, tc.part)
		if err != nil || !mapsEqual(got, tc.want) {
			t.Errorf("Get(%s, %v) = %v, %v; want %v", tc.conn, tc.part, got, err, tc.want)
		}
	}
	if got := s.Partitions("local-file-source"); len(got) != 1 || got[0]["filename"] != "/tmp/test.txt" {
		t.Errorf("Partitions = %v, want only /tmp/test.txt (old.txt was reset)", got)
	}
}

// TestJDKFixture runs the JDK fixture checks without a JDK.
func TestJDKFixture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "offsets")
	copyFile(t, "testdata/jdk17-offsets.ser", path)
	checkJDKFixture(t, path)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
