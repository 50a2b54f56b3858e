package runner

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner/kafka"
)

const topicCreationPrefix = "topic.creation."

// topicCreationActive: KIP-158 creation applies when the worker allows it and
// the connector has any topic.creation.* key.
func topicCreationActive(workerEnabled bool, cfg map[string]string) bool {
	if !workerEnabled {
		return false
	}
	for k := range cfg {
		if strings.HasPrefix(k, topicCreationPrefix) {
			return true
		}
	}
	return false
}

// topicGroup is one topic.creation group.
type topicGroup struct {
	name              string
	include, exclude  *regexp.Regexp // nil matches nothing
	partitions        int32
	replicationFactor int16
	configs           map[string]string
}

func (g *topicGroup) matches(topic string) bool {
	if g.exclude != nil && g.exclude.MatchString(topic) {
		return false
	}
	return g.include != nil && g.include.MatchString(topic)
}

// topicCreator creates each topic a task sends to, once, before the first
// send (AbstractWorkerSourceTask.maybeCreateTopic).
type topicCreator struct {
	admin  *kafka.Admin
	groups []*topicGroup // configured groups in order, default group last
	known  map[string]bool
	log    zerolog.Logger
}

func (w *Worker) newTopicCreator(cr *connectorRuntime, id TaskID) (*topicCreator, error) {
	groups, err := parseTopicCreationGroups(cr.config)
	if err != nil {
		return nil, err
	}
	cfg, err := kafka.NewClientConfig(kafka.KindAdmin, w.adminProps(cr, fmt.Sprintf("connector-adminclient-%s-%d", cr.name, id.Task)))
	if err != nil {
		return nil, fmt.Errorf("invalid admin configuration for %s: %w", id, err)
	}
	admin, err := kafka.NewAdmin(cfg)
	if err != nil {
		return nil, fmt.Errorf("failed to create admin client for %s: %w", id, err)
	}
	return &topicCreator{admin: admin, groups: groups, known: map[string]bool{}, log: cr.log.With().Int("task", id.Task).Logger()}, nil
}

// parseTopicCreationGroups reads the default group (partitions and
// replication.factor required) and the groups named in topic.creation.groups.
func parseTopicCreationGroups(cfg map[string]string) ([]*topicGroup, error) {
	def := &topicGroup{name: "default", include: regexp.MustCompile(`^(?:.*)$`), configs: map[string]string{}}
	rf, err := groupInt(cfg, "default", "replication.factor", nil)
	if err != nil {
		return nil, err
	}
	parts, err := groupInt(cfg, "default", "partitions", nil)
	if err != nil {
		return nil, err
	}
	if rf == 0 || rf < -1 || rf > 32767 {
		return nil, fmt.Errorf("Invalid value %d for configuration topic.creation.default.replication.factor: Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default", rf)
	}
	if parts == 0 || parts < -1 {
		return nil, fmt.Errorf("Invalid value %d for configuration topic.creation.default.partitions: Number of partitions must be positive, or -1 to use the broker's default", parts)
	}
	def.replicationFactor, def.partitions = int16(rf), int32(parts)
	def.configs = groupTopicConfigs(cfg, "default")

	var groups []*topicGroup
	for _, name := range splitList(cfg["topic.creation.groups"]) {
		if name == "default" {
			continue
		}
		g := &topicGroup{name: name, configs: groupTopicConfigs(cfg, name)}
		for _, which := range []string{"include", "exclude"} {
			list := splitList(cfg[topicCreationPrefix+name+"."+which])
			if len(list) == 0 {
				continue
			}
			rx, err := compileJavaRegex(strings.Join(list, "|"))
			if err != nil {
				return nil, fmt.Errorf("Invalid value %s for configuration %s%s.%s: Syntax error in regular expression: %v", cfg[topicCreationPrefix+name+"."+which], topicCreationPrefix, name, which, err)
			}
			if which == "include" {
				g.include = rx
			} else {
				g.exclude = rx
			}
		}
		d := int(def.replicationFactor)
		if rf, err = groupInt(cfg, name, "replication.factor", &d); err != nil {
			return nil, err
		}
		d = int(def.partitions)
		if parts, err = groupInt(cfg, name, "partitions", &d); err != nil {
			return nil, err
		}
		g.replicationFactor, g.partitions = int16(rf), int32(parts)
		groups = append(groups, g)
	}
	return append(groups, def), nil
}

func groupInt(cfg map[string]string, group, key string, def *int) (int, error) {
	full := topicCreationPrefix + group + "." + key
	v, ok := cfg[full]
	if !ok || strings.TrimSpace(v) == "" {
		if def != nil {
			return *def, nil
		}
		return 0, fmt.Errorf("Missing required configuration \"%s\" which has no default value.", full)
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("Invalid value %s for configuration %s: Not a number of type INT", v, full)
	}
	return n, nil
}

// groupTopicConfigs: every key of a group other than its own settings is a
// topic-level config passed to the broker verbatim.
func groupTopicConfigs(cfg map[string]string, group string) map[string]string {
	prefix := topicCreationPrefix + group + "."
	out := map[string]string{}
	for k, v := range cfg {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		switch name := k[len(prefix):]; name {
		case "include", "exclude", "replication.factor", "partitions":
		default:
			out[name] = v
		}
	}
	return out
}

func (tc *topicCreator) ensure(ctx context.Context, topic string) error {
	if tc.known[topic] {
		return nil
	}
	tc.log.Info().Str("topic", topic).Msg("The task will send records to this topic for the first time. Checking whether topic exists")
	g := tc.groups[len(tc.groups)-1]
	for _, cand := range tc.groups[:len(tc.groups)-1] {
		if cand.matches(topic) {
			g = cand
			break
		}
	}
	created, existing, err := tc.admin.CreateTopics(ctx, []kafka.NewTopic{{
		Name: topic, Partitions: g.partitions, ReplicationFactor: g.replicationFactor, Configs: g.configs,
	}})
	if err != nil || (len(created) == 0 && len(existing) == 0) {
		return fmt.Errorf("Task failed to create new topic %s. Ensure that the task is authorized to create topics or that the topic exists and restart the task: %v", topic, err)
	}
	if len(created) > 0 {
		tc.log.Info().Str("topic", topic).Str("group", g.name).Int32("partitions", g.partitions).
			Int16("replication.factor", g.replicationFactor).Msg("Created topic using creation group")
	}
	tc.known[topic] = true
	return nil
}

func (tc *topicCreator) close() { tc.admin.Close() }

// compileJavaRegex compiles a Java regex for a full match (Matcher.matches).
// RE2 covers the syntax connectors use in practice; possessive quantifiers
// and backreferences are rejected with RE2's error.
func compileJavaRegex(expr string) (*regexp.Regexp, error) {
	return regexp.Compile(`^(?:` + expr + `)$`)
}
