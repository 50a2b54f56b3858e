package tail

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
)

// TestMatchFilesHonoursPathPolicy: a glob inside connector.allowed.paths
// that matches a symbolic link leading out of it does not tail the target.
func TestMatchFilesHonoursPathPolicy(t *testing.T) {
	root := t.TempDir()
	allowed, outside := filepath.Join(root, "logs"), filepath.Join(root, "secrets")
	os.MkdirAll(filepath.Join(allowed, "app"), 0o755)
	os.Mkdir(outside, 0o755)
	os.WriteFile(filepath.Join(allowed, "app", "a.log"), []byte("a\n"), 0o644)
	os.WriteFile(filepath.Join(outside, "key.log"), []byte("k\n"), 0o600)
	os.Symlink(filepath.Join(outside, "key.log"), filepath.Join(allowed, "app", "evil.log"))
	os.Symlink(outside, filepath.Join(allowed, "linkdir"))

	cfg, err := parseConfig(map[string]string{"paths": allowed + "/**/*.log", "topic": "t"})
	if err != nil {
		t.Fatal(err)
	}
	all, _, _ := matchFiles(cfg)
	if len(all) != 2 { // a.log, and the secret once through its two links
		t.Fatalf("without a policy %d files match, want 2: %v", len(all), all)
	}
	if cfg.policy, err = pathpolicy.Parse(allowed); err != nil {
		t.Fatal(err)
	}
	got, _, refused := matchFiles(cfg)
	if len(got) != 1 || got[0].path != filepath.Join(allowed, "app", "a.log") {
		t.Fatalf("with the policy: %v", got)
	}
	if len(refused) != 2 {
		t.Fatalf("refused %v, want the two links", refused)
	}
	uses := localPaths(map[string]string{"paths": allowed + "/*.log, " + outside + "/*.log"})
	if len(uses) != 2 || !uses[1].Glob || uses[1].Key != KeyPaths {
		t.Fatalf("localPaths = %v", uses)
	}
	if errs := cfg.policy.CheckUses(uses, nil); len(errs[KeyPaths]) != 1 {
		t.Fatalf("CheckUses = %v", errs)
	}
}
