package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTransformSubcommand(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "good.properties"),
		"name=x\nconnector.class=FileStreamSource\ntransforms=drop\ntransforms.drop.type=Filter\ntransforms.drop.predicate=tomb\npredicates=tomb\npredicates.tomb.type=RecordIsTombstone\n")
	bad := writeFile(t, filepath.Join(dir, "bad.properties"),
		"name=x\nconnector.class=FileStreamSource\ntransforms=a\ntransforms.a.type=org.apache.kafka.connect.transforms.NoSuch\n")
	tests := []struct {
		name, file, stdin string
		code              int
		stdout, stderr    string
	}{
		{"drops tombstones, keeps others", good, "{\"topic\":\"t\"}\n{\"topic\":\"t\",\"value\":{\"schema\":null,\"payload\":1}}\n", 0,
			"null\n{\"topic\":\"t\",\"partition\":null,\"timestamp\":null,\"key\":null,\"value\":{\"schema\":null,\"payload\":1},\"headers\":[]}\n", ""},
		{"bad input line is reported in place", good, "nope\n", 0, "{\"error\":\"invalid record: invalid character 'o' in literal null (expecting 'u')\"}\n", ""},
		{"config error before reading stdin", bad, "{\"topic\":\"t\"}\n", 3, "",
			"Invalid value org.apache.kafka.connect.transforms.NoSuch for configuration transforms.a.type: Class org.apache.kafka.connect.transforms.NoSuch could not be found."},
		{"missing file", filepath.Join(dir, "absent.properties"), "", 3, "", "absent.properties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runTransform(context.Background(), []string{tt.file}, strings.NewReader(tt.stdin), &out, &errOut)
			if code != tt.code || out.String() != tt.stdout || !strings.Contains(errOut.String(), tt.stderr) {
				t.Fatalf("code %d stdout %q stderr %q; want %d %q %q", code, out.String(), errOut.String(), tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestValidateSubcommand(t *testing.T) {
	dir := t.TempDir()
	worker := writeFile(t, filepath.Join(dir, "w.properties"),
		"bootstrap.servers=127.0.0.1:1\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=/tmp/o\n")
	badWorker := writeFile(t, filepath.Join(dir, "bw.properties"), "bootstrap.servers=127.0.0.1:1\n")
	good := writeFile(t, filepath.Join(dir, "good.properties"), "name=g\nconnector.class=FileStreamSource\ntopic=t\nfile=/tmp/f\n")
	bad := writeFile(t, filepath.Join(dir, "bad.properties"), "name=b\nconnector.class=FileStreamSource\ntopic=t\ntasks.max=0\ntopc=x\n")
	cdir := filepath.Join(dir, "connectors.d")
	if err := os.Mkdir(cdir, 0o755); err != nil {
		t.Fatal(err)
	}
	dirWorker := writeFile(t, filepath.Join(dir, "dw.properties"),
		"bootstrap.servers=127.0.0.1:1\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=/tmp/o\nconnectors.dir="+cdir+"\n")
	dirBad := writeFile(t, filepath.Join(cdir, "d.json"), `{"name":"d","config":{"connector.class":"FileStreamSink","topics":"t","tasks.max":"0"},"initial_state":"PAUSED"}`)
	dirDup := writeFile(t, filepath.Join(cdir, "g.properties"), "name=g\nconnector.class=FileStreamSource\ntopic=t\n")
	writeFile(t, filepath.Join(cdir, ".d.json.tmp-1"), "{") // unfinished write-through: ignored
	missingDirWorker := writeFile(t, filepath.Join(dir, "mdw.properties"),
		"bootstrap.servers=127.0.0.1:1\nkey.converter=StringConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=/tmp/o\nconnectors.dir="+filepath.Join(dir, "nope")+"\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
	}{
		{"valid", []string{worker, good}, 0, nil},
		{"connectors.dir", []string{dirWorker, good}, 1, []string{
			dirBad + ": error: Invalid value 0 for configuration tasks.max: Value must be at least 1",
			dirDup + ": warning: connector g is already defined by " + good + ", which takes precedence; this file is ignored"}},
		{"connectors.dir missing", []string{missingDirWorker}, 0, []string{"does not exist; the worker will create it"}},
		{"invalid connector", []string{worker, good, bad}, 1, []string{
			bad + ": error: Invalid value 0 for configuration tasks.max: Value must be at least 1",
			bad + ": warning: The configuration 'topc' was supplied but isn't a known config."}},
		{"invalid worker", []string{badWorker}, 1, []string{badWorker + ": error:"}},
		{"unknown connector class", []string{worker, writeFile(t, filepath.Join(dir, "u.properties"), "name=u\nconnector.class=Nope\n")}, 1,
			[]string{"Failed to find any class that implements Connector and which name matches Nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runValidate(context.Background(), tt.args, &out, &errOut)
			if code != tt.code {
				t.Fatalf("code %d, want %d; stdout:\n%s", code, tt.code, out.String())
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			if tt.stdout == nil && out.Len() != 0 {
				t.Errorf("unexpected output:\n%s", out.String())
			}
		})
	}
}
