package providers

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestVariables(t *testing.T) {
	tests := []struct {
		in   string
		want []Variable
	}{
		{"${file:/a/b.properties:key}", []Variable{{"file", "/a/b.properties", "key"}}},
		{"${env:HOME}", []Variable{{"env", "", "HOME"}}},
		{"x${a:b:c:d}y${e:f}", []Variable{{"a", "b", "c:d"}, {"e", "", "f"}}},
		{"${nocolon}", nil},
		{"$1 ${", nil},
		{"${:k}", []Variable{{"", "", "k"}}},
	}
	for _, tt := range tests {
		if got := Variables(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Variables(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestTransform(t *testing.T) {
	dir := t.TempDir()
	secrets := filepath.Join(dir, "allowed", "secrets.properties")
	writeFile(t, secrets, "password=s3cr3t \nuser : admin\n")
	writeFile(t, filepath.Join(dir, "allowed", "d", "token"), "tok\n")
	writeFile(t, filepath.Join(dir, "outside.properties"), "password=leak\n")
	writeFile(t, filepath.Join(dir, "outside-token"), "leak\n")
	if err := os.Symlink(filepath.Join(dir, "outside.properties"), filepath.Join(dir, "allowed", "link.properties")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "outside-token"), filepath.Join(dir, "allowed", "d", "linked")); err != nil {
		t.Fatal(err)
	}
	allowed := filepath.Join(dir, "allowed")
	worker := map[string]string{
		"config.providers":                             " file , dir,env,nope",
		"config.providers.file.class":                  "org.apache.kafka.common.config.provider.FileConfigProvider",
		"config.providers.file.param.allowed.paths":    allowed,
		"config.providers.dir.class":                   "Directory",
		"config.providers.dir.param.allowed.paths":     allowed,
		"config.providers.env.class":                   "EnvVar",
		"config.providers.env.param.allowlist.pattern": "CONNECT_.*",
	}
	tr, err := FromWorkerConfig(worker)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	tr.providers["env"].(*EnvVarConfigProvider).Env = map[string]string{"CONNECT_TOPIC": "topic-1", "SECRET": "no", "XCONNECT_A": "no"}
	if got := tr.Providers(); !reflect.DeepEqual(got, []string{"dir", "env", "file"}) {
		t.Errorf("providers = %q", got)
	}
	tests := []struct {
		name, in, want string
		resolved       bool
	}{
		{"file", "${file:" + secrets + ":password}", "s3cr3t ", true},
		{"file two keys", "${file:" + secrets + ":user}/${file:" + secrets + ":password}", "admin/s3cr3t ", true},
		{"missing key verbatim", "${file:" + secrets + ":nope}", "${file:" + secrets + ":nope}", false},
		{"partly resolved", "${file:" + secrets + ":user}-${file:" + secrets + ":nope}", "admin-${file:" + secrets + ":nope}", true},
		{"unknown provider verbatim", "${vault:x:y}", "${vault:x:y}", false},
		{"outside allowed", "${file:" + filepath.Join(dir, "outside.properties") + ":password}", "${file:" + filepath.Join(dir, "outside.properties") + ":password}", false},
		{"dotdot escape", "${file:" + allowed + "/../outside.properties:password}", "${file:" + allowed + "/../outside.properties:password}", false},
		{"symlink escape (hardening)", "${file:" + allowed + "/link.properties:password}", "${file:" + allowed + "/link.properties:password}", false},
		{"dir", "${dir:" + allowed + "/d:token}", "tok\n", true},
		{"dir symlinked file escape", "${dir:" + allowed + "/d:linked}", "${dir:" + allowed + "/d:linked}", false},
		{"dir not a directory", "${dir:" + secrets + ":x}", "${dir:" + secrets + ":x}", false},
		{"env allowed", "${env:CONNECT_TOPIC}", "topic-1", true},
		{"env not allowlisted", "${env:SECRET}", "${env:SECRET}", false},
		{"env full match only", "${env:XCONNECT_A}", "${env:XCONNECT_A}", false},
		{"no recursion", "$${env:CONNECT_TOPIC}}", "$topic-1}", true},
		{"plain", "plain", "plain", false},
	}
	props := map[string]string{}
	for _, tt := range tests {
		props[tt.name] = tt.in
	}
	res, err := tr.TransformResult(props)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if got := res.Data[tt.name]; got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if res.Resolved[tt.name] != tt.resolved {
			t.Errorf("%s: resolved = %v", tt.name, res.Resolved[tt.name])
		}
	}

	_, err = tr.Transform(map[string]string{"k": "${env:some/path:X}"})
	if err == nil || err.Error() != "Path is not supported for EnvVarConfigProvider, invalid value 'some/path'" {
		t.Errorf("env path error = %v", err)
	}
	_, err = tr.Transform(map[string]string{"k": "${file:" + filepath.Join(allowed, "missing.properties") + ":k}"})
	if err == nil || err.Error() != "Could not read properties from file "+filepath.Join(allowed, "missing.properties") {
		t.Errorf("file read error = %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"unknown class", map[string]string{"config.providers": "vault", "config.providers.vault.class": "com.example.Vault"},
			"Invalid value com.example.Vault for configuration config.providers.vault.class: Could not load config provider class or one of its dependencies"},
		{"relative allowed path", map[string]string{"config.providers": "file", "config.providers.file.class": "File", "config.providers.file.param.allowed.paths": "rel/../x"},
			"Path x is not absolute"},
		{"missing allowed path", map[string]string{"config.providers": "file", "config.providers.file.class": "File", "config.providers.file.param.allowed.paths": dir + "/nope/"},
			"Path " + dir + "/nope does not exist"},
		{"untrimmed second path", map[string]string{"config.providers": "file", "config.providers.file.class": "File", "config.providers.file.param.allowed.paths": dir + ", " + dir},
			"Path  " + dir + " is not absolute"},
	}
	for _, tt := range tests {
		_, err := FromWorkerConfig(tt.props)
		var ce *ConfigError
		if !errors.As(err, &ce) || err.Error() != tt.want {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if tr, err := FromWorkerConfig(map[string]string{"config.providers": "noclass"}); err != nil || len(tr.Providers()) != 0 {
		t.Errorf("provider without class must be skipped: %v", err)
	}
}

func TestResolveWorkerConfig(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "w.properties")
	writeFile(t, f, "servers=broker:9092\n")
	props := map[string]string{
		"config.providers":            "file",
		"config.providers.file.class": "org.apache.kafka.common.config.provider.FileConfigProvider",
		"bootstrap.servers":           "${file:" + f + ":servers}",
		"other":                       "${file:" + f + ":missing}",
	}
	got, resolved, err := ResolveWorkerConfig(props)
	if err != nil {
		t.Fatal(err)
	}
	if got["bootstrap.servers"] != "broker:9092" || got["other"] != props["other"] || !resolved["bootstrap.servers"] || resolved["other"] {
		t.Errorf("got %q resolved %v", got, resolved)
	}
	// Kafka splits config.providers on "," without trimming: " file" has no class.
	props["config.providers"] = "x, file"
	got, _, err = ResolveWorkerConfig(props)
	if err != nil || got["bootstrap.servers"] != props["bootstrap.servers"] {
		t.Errorf("untrimmed names: %q %v", got["bootstrap.servers"], err)
	}
}

func TestAliases(t *testing.T) {
	for _, c := range []string{"FileConfigProvider", "File", FileProviderClass, "DirectoryConfigProvider", "Directory", DirectoryProviderClass, "EnvVarConfigProvider", "EnvVar", EnvVarProviderClass} {
		if _, ok := New(c); !ok {
			t.Errorf("New(%q) failed", c)
		}
	}
	if _, ok := New("file"); ok {
		t.Error("aliases are case-sensitive")
	}
	if got := Classes(); len(got) != 3 {
		t.Errorf("Classes = %q", got)
	}
}
