package runner

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/connect-go/connect-standalone/runner/kafka"
)

// TestTopicCreation: a source connector with topic.creation.* keys creates
// its topic with the matching group's partitions before the first send.
func TestTopicCreation(t *testing.T) {
	broker := startBroker(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	os.WriteFile(in, []byte("a\nb\n"), 0o644)
	w := newTestWorker(t, broker, filepath.Join(dir, "o"), nil)
	defer w.stop(t)
	ctx := context.Background()
	for name, topic := range map[string]string{"grouped": "logs-app", "default": "other"} {
		cfg := map[string]string{
			"name": name, "connector.class": "FileStreamSource", "file": in, "topic": topic,
			"topic.creation.default.partitions":         "2",
			"topic.creation.default.replication.factor": "1",
			"topic.creation.groups":                     "logs",
			"topic.creation.logs.include":               "logs-.*",
			"topic.creation.logs.partitions":            "5",
		}
		if _, err := w.PutConnectorConfig(ctx, name, cfg, TargetStarted, false); err != nil {
			t.Fatal(err)
		}
	}
	ccfg, err := kafka.NewClientConfig(kafka.KindAdmin, map[string]string{"bootstrap.servers": broker})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := kafka.NewAdmin(ccfg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	want := map[string]int32{"logs-app": 5, "other": 2}
	waitFor(t, "both topics", func() bool {
		topics, err := admin.ListTopics(ctx)
		if err != nil {
			return false
		}
		for name, n := range want {
			if topics[name].Partitions != n {
				return false
			}
		}
		return true
	})
}

func TestTopicCreationRequiresDefaultGroup(t *testing.T) {
	_, err := parseTopicCreationGroups(map[string]string{"topic.creation.default.partitions": "1"})
	if err == nil || err.Error() != `Missing required configuration "topic.creation.default.replication.factor" which has no default value.` {
		t.Fatalf("err = %v", err)
	}
	_, err = parseTopicCreationGroups(map[string]string{"topic.creation.default.partitions": "0", "topic.creation.default.replication.factor": "1"})
	if err == nil {
		t.Fatal("0 partitions accepted")
	}
}
