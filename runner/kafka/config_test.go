package kafka

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
)

type mapCase struct {
	kind  Kind
	props map[string]string
	check func(c *ClientConfig, s *sarama.Config) bool
}

// mappingCases covers every mapped key (TestKeyTableCovered checks that).
var mappingCases = map[string][]mapCase{
	"bootstrap.servers": {{KindAdmin, map[string]string{"bootstrap.servers": " a:1, b:2 ,"}, func(c *ClientConfig, _ *sarama.Config) bool {
		return slices.Equal(c.Brokers, []string{"a:1", "b:2"})
	}}},
	"client.id": {{KindProducer, map[string]string{"client.id": "connector-producer-my conn-0"}, func(c *ClientConfig, s *sarama.Config) bool {
		return s.ClientID == "connector-producer-my conn-0" && c.ClientID == s.ClientID
	}}},
	"client.rack": {{KindConsumer, map[string]string{"client.rack": "r1"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.RackID == "r1" }}},
	"request.timeout.ms": {{KindProducer, map[string]string{"request.timeout.ms": "12000"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Net.ReadTimeout == 12*time.Second && s.Producer.Timeout == 12*time.Second && s.Admin.Timeout == 12*time.Second
	}}},
	"retry.backoff.ms": {{KindProducer, map[string]string{"retry.backoff.ms": "250"}, func(c *ClientConfig, s *sarama.Config) bool {
		return c.RetryBackoff == 250*time.Millisecond && s.Producer.Retry.Backoff == 250*time.Millisecond && s.Metadata.Retry.Backoff == 250*time.Millisecond
	}}},
	"retry.backoff.max.ms": {{KindProducer, map[string]string{"retry.backoff.max.ms": "4000"}, func(c *ClientConfig, s *sarama.Config) bool {
		return c.RetryBackoffMax == 4*time.Second && s.Producer.Retry.BackoffFunc(10, 100) == 4*time.Second && s.Producer.Retry.BackoffFunc(1, 100) == 200*time.Millisecond
	}}},
	"metadata.max.age.ms": {{KindConsumer, map[string]string{"metadata.max.age.ms": "1000"}, func(c *ClientConfig, s *sarama.Config) bool {
		return c.MetadataMaxAge == time.Second && s.Metadata.RefreshFrequency == time.Second
	}}},
	"socket.connection.setup.timeout.ms": {{KindAdmin, map[string]string{"socket.connection.setup.timeout.ms": "2000"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Net.DialTimeout == 2*time.Second
	}}},
	"client.dns.lookup": {{KindAdmin, map[string]string{"client.dns.lookup": "resolve_canonical_bootstrap_servers_only"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Net.ResolveCanonicalBootstrapServers
	}}, {KindAdmin, map[string]string{"client.dns.lookup": "use_all_dns_ips"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return !s.Net.ResolveCanonicalBootstrapServers
	}}},
	"retries": {{KindProducer, map[string]string{"retries": "3"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.Retry.Max == 3 }}},
	"acks": {
		{KindProducer, map[string]string{"acks": "0", "enable.idempotence": "false"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.RequiredAcks == sarama.NoResponse }},
		{KindProducer, map[string]string{"acks": "1"}, func(_ *ClientConfig, s *sarama.Config) bool {
			return s.Producer.RequiredAcks == sarama.WaitForLocal && !s.Producer.Idempotent // implicit idempotence dropped
		}},
		{KindProducer, map[string]string{"acks": "-1"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.RequiredAcks == sarama.WaitForAll }},
		{KindProducer, map[string]string{"acks": "ALL"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.RequiredAcks == sarama.WaitForAll }},
	},
	"compression.type": {
		{KindProducer, map[string]string{"compression.type": "gzip"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.Compression == sarama.CompressionGZIP }},
		{KindProducer, map[string]string{"compression.type": "snappy"}, func(_ *ClientConfig, s *sarama.Config) bool {
			return s.Producer.Compression == sarama.CompressionSnappy
		}},
		{KindProducer, map[string]string{"compression.type": "lz4"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.Compression == sarama.CompressionLZ4 }},
		{KindProducer, map[string]string{"compression.type": "zstd"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.Compression == sarama.CompressionZSTD }},
		{KindProducer, map[string]string{"compression.type": "none"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.Compression == sarama.CompressionNone }},
	},
	"compression.gzip.level": {{KindProducer, map[string]string{"compression.type": "gzip", "compression.gzip.level": "5", "compression.zstd.level": "7"},
		func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.CompressionLevel == 5 }}},
	"compression.lz4.level": {{KindProducer, map[string]string{"compression.type": "lz4", "compression.lz4.level": "12"},
		func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.CompressionLevel == 12 }}},
	"compression.zstd.level": {{KindProducer, map[string]string{"compression.type": "zstd", "compression.zstd.level": "7"},
		func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.CompressionLevel == 7 }}},
	"linger.ms": {
		{KindProducer, map[string]string{"linger.ms": "20"}, func(_ *ClientConfig, s *sarama.Config) bool {
			return s.Producer.Flush.Frequency == 20*time.Millisecond && s.Producer.Flush.Bytes == 16384
		}},
		{KindProducer, map[string]string{"linger.ms": "0"}, func(_ *ClientConfig, s *sarama.Config) bool {
			return s.Producer.Flush.Frequency == 0 && s.Producer.Flush.Bytes == 0 // flush as soon as possible
		}},
	},
	"batch.size":       {{KindProducer, map[string]string{"batch.size": "1000"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.Flush.Bytes == 1000 }}},
	"max.request.size": {{KindProducer, map[string]string{"max.request.size": "2000000"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.MaxMessageBytes == 2000000 }}},
	"buffer.memory":    {{KindProducer, map[string]string{"buffer.memory": "1000"}, func(c *ClientConfig, _ *sarama.Config) bool { return c.BufferMemory == 1000 }}},
	"enable.idempotence": {
		{KindProducer, map[string]string{"enable.idempotence": "true", "max.in.flight.requests.per.connection": "5"}, func(_ *ClientConfig, s *sarama.Config) bool {
			return s.Producer.Idempotent && s.Net.MaxOpenRequests == 1
		}},
		{KindProducer, map[string]string{"enable.idempotence": "false"}, func(_ *ClientConfig, s *sarama.Config) bool { return !s.Producer.Idempotent }},
	},
	"max.in.flight.requests.per.connection": {{KindProducer, map[string]string{"enable.idempotence": "false", "max.in.flight.requests.per.connection": "3"},
		func(_ *ClientConfig, s *sarama.Config) bool { return s.Net.MaxOpenRequests == 3 }}},
	"delivery.timeout.ms": {{KindProducer, map[string]string{"delivery.timeout.ms": "1000", "retry.backoff.ms": "100", "retry.backoff.max.ms": "1000"},
		// backoffs 100+200+400 fit, +800 does not
		func(_ *ClientConfig, s *sarama.Config) bool { return s.Producer.Retry.Max == 3 }}},
	"max.block.ms": {{KindProducer, map[string]string{"max.block.ms": "5000"}, func(c *ClientConfig, _ *sarama.Config) bool { return c.MaxBlock == 5*time.Second }}},
	"partitioner.class": {{KindProducer, map[string]string{"partitioner.class": "org.apache.kafka.clients.producer.RoundRobinPartitioner"},
		func(_ *ClientConfig, s *sarama.Config) bool {
			p := s.Producer.Partitioner("t")
			m := &sarama.ProducerMessage{Key: sarama.StringEncoder("21"), Metadata: &pending{partition: -1}}
			a, _ := p.Partition(m, 3)
			b, _ := p.Partition(m, 3)
			return a != b // not keyed
		}}},
	"partitioner.ignore.keys": {{KindProducer, map[string]string{"partitioner.ignore.keys": "true"}, func(_ *ClientConfig, s *sarama.Config) bool {
		p := s.Producer.Partitioner("t")
		seen := map[int32]bool{}
		for range 100 {
			n, _ := p.Partition(&sarama.ProducerMessage{Key: sarama.StringEncoder("21"), Metadata: &pending{partition: -1}}, 10)
			seen[n] = true
		}
		return len(seen) > 1
	}}},
	"transactional.id": {{KindProducer, map[string]string{"transactional.id": ""}, func(*ClientConfig, *sarama.Config) bool { return true }}},
	"group.id":         {{KindConsumer, map[string]string{"group.id": "connect-x"}, func(c *ClientConfig, _ *sarama.Config) bool { return c.GroupID == "connect-x" }}},
	"group.instance.id": {{KindConsumer, map[string]string{"group.instance.id": "i1"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Consumer.Group.InstanceId == "i1"
	}}},
	"auto.offset.reset": {
		{KindConsumer, map[string]string{"auto.offset.reset": "earliest"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Consumer.Offsets.Initial == sarama.OffsetOldest }},
		{KindConsumer, map[string]string{"auto.offset.reset": "latest"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Consumer.Offsets.Initial == sarama.OffsetNewest }},
	},
	"enable.auto.commit": {{KindConsumer, map[string]string{"enable.auto.commit": "FALSE"}, func(c *ClientConfig, s *sarama.Config) bool {
		return !c.AutoCommit && !s.Consumer.Offsets.AutoCommit.Enable
	}}},
	"auto.commit.interval.ms": {{KindConsumer, map[string]string{"auto.commit.interval.ms": "700"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Consumer.Offsets.AutoCommit.Interval == 700*time.Millisecond
	}}},
	"session.timeout.ms": {{KindConsumer, map[string]string{"session.timeout.ms": "10000"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Consumer.Group.Session.Timeout == 10*time.Second
	}}},
	"heartbeat.interval.ms": {{KindConsumer, map[string]string{"heartbeat.interval.ms": "500"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Consumer.Group.Heartbeat.Interval == 500*time.Millisecond
	}}},
	"max.poll.records": {{KindConsumer, map[string]string{"max.poll.records": "42"}, func(c *ClientConfig, _ *sarama.Config) bool { return c.MaxPollRecords == 42 }}},
	"max.poll.interval.ms": {{KindConsumer, map[string]string{"max.poll.interval.ms": "60000"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Consumer.Group.Rebalance.Timeout == time.Minute && s.Net.ReadTimeout == 65*time.Second
	}}},
	"fetch.min.bytes":           {{KindConsumer, map[string]string{"fetch.min.bytes": "100"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Consumer.Fetch.Min == 100 }}},
	"fetch.max.wait.ms":         {{KindConsumer, map[string]string{"fetch.max.wait.ms": "250"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Consumer.MaxWaitTime == 250*time.Millisecond }}},
	"max.partition.fetch.bytes": {{KindConsumer, map[string]string{"max.partition.fetch.bytes": "2048"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Consumer.Fetch.Default == 2048 }}},
	"fetch.max.bytes":           {{KindConsumer, map[string]string{"fetch.max.bytes": "4096"}, func(_ *ClientConfig, s *sarama.Config) bool { return s.Consumer.Fetch.MaxBytes == 4096 }}},
	"isolation.level": {{KindConsumer, map[string]string{"isolation.level": "read_committed"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return s.Consumer.IsolationLevel == sarama.ReadCommitted
	}}},
	"partition.assignment.strategy": {
		{KindConsumer, map[string]string{"partition.assignment.strategy": "org.apache.kafka.clients.consumer.RoundRobinAssignor"}, func(_ *ClientConfig, s *sarama.Config) bool {
			g := s.Consumer.Group.Rebalance.GroupStrategies
			return len(g) == 1 && g[0].Name() == "roundrobin"
		}},
		{KindConsumer, map[string]string{"partition.assignment.strategy": "org.apache.kafka.clients.consumer.RangeAssignor, org.apache.kafka.clients.consumer.CooperativeStickyAssignor"},
			func(_ *ClientConfig, s *sarama.Config) bool {
				g := s.Consumer.Group.Rebalance.GroupStrategies
				return len(g) == 1 && g[0].Name() == "range"
			}},
		{KindConsumer, map[string]string{"partition.assignment.strategy": "StickyAssignor"}, func(_ *ClientConfig, s *sarama.Config) bool {
			return s.Consumer.Group.Rebalance.GroupStrategies[0].Name() == "sticky"
		}},
	},
	"allow.auto.create.topics": {{KindConsumer, map[string]string{"allow.auto.create.topics": "false"}, func(_ *ClientConfig, s *sarama.Config) bool {
		return !s.Metadata.AllowAutoTopicCreation
	}}},
	"exclude.internal.topics": {{KindConsumer, map[string]string{"exclude.internal.topics": "true"}, func(*ClientConfig, *sarama.Config) bool { return true }}},
	"group.protocol":          {{KindConsumer, map[string]string{"group.protocol": "CLASSIC"}, func(*ClientConfig, *sarama.Config) bool { return true }}},
}

// securityKeys are covered by security_test.go.
var securityKeys = []string{
	"security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password",
	"ssl.truststore.type", "ssl.truststore.certificates", "ssl.keystore.location", "ssl.keystore.password",
	"ssl.keystore.type", "ssl.keystore.certificate.chain", "ssl.keystore.key", "ssl.key.password",
	"ssl.endpoint.identification.algorithm", "ssl.enabled.protocols", "ssl.protocol", "ssl.cipher.suites",
}

func TestClientConfigMapping(t *testing.T) {
	for key, cases := range mappingCases {
		for i, tc := range cases {
			props := map[string]string{"bootstrap.servers": "127.0.0.1:9092"}
			for k, v := range tc.props {
				props[k] = v
			}
			cfg, err := NewClientConfig(tc.kind, props)
			if err != nil {
				t.Errorf("%s #%d: %v", key, i, err)
				continue
			}
			if !tc.check(cfg, cfg.sarama) {
				t.Errorf("%s #%d: %v not mapped as expected", key, i, tc.props)
			}
		}
	}
}

var rejectCases = []struct {
	kind       Kind
	key, value string
	extra      map[string]string
	hint       string
}{
	{KindAdmin, "security.providers", "com.example.Provider", nil, "JVM"},
	{KindProducer, "interceptor.classes", "com.example.Interceptor", nil, "JVM"},
	{KindConsumer, "interceptor.classes", "com.example.Interceptor", nil, "JVM"},
	{KindProducer, "partitioner.class", "com.example.MyPartitioner", nil, "partitioner"},
	{KindProducer, "transactional.id", "tx-1", nil, "transactional"},
	{KindConsumer, "auto.offset.reset", "none", nil, "earliest or latest"},
	{KindConsumer, "auto.offset.reset", "by_duration:PT1H", nil, "earliest"},
	{KindConsumer, "exclude.internal.topics", "false", nil, "internal"},
	{KindConsumer, "group.protocol", "consumer", nil, "classic"},
	{KindConsumer, "partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor", nil, "cooperative"},
	{KindConsumer, "partition.assignment.strategy", "com.example.MyAssignor", nil, "assignor"},
	{KindAdmin, "sasl.client.callback.handler.class", "com.example.Handler", nil, "JVM"},
	{KindAdmin, "sasl.login.callback.handler.class", "com.example.Handler", nil, "JVM"},
	{KindAdmin, "sasl.login.class", "com.example.Login", nil, "JVM"},
	{KindAdmin, "ssl.provider", "SunJSSE", nil, "JVM"},
	{KindAdmin, "ssl.engine.factory.class", "com.example.Factory", nil, "JVM"},
	{KindAdmin, "ssl.cipher.suites", "TLS_BOGUS", nil, "cipher"},
	{KindAdmin, "ssl.protocol", "SSLv3", nil, "protocol"},
	{KindAdmin, "ssl.truststore.type", "BCFKS", nil, "store type"},
	{KindAdmin, "security.protocol", "KERBEROS", nil, "PLAINTEXT"},
	{KindProducer, "acks", "2", nil, "all"},
	{KindProducer, "compression.type", "brotli", nil, "zstd"},
	{KindProducer, "compression.gzip.level", "10", nil, "no more than 9"},
	{KindProducer, "linger.ms", "soon", nil, "number"},
	{KindProducer, "batch.size", "-1", nil, "at least 0"},
	{KindProducer, "enable.idempotence", "yes", nil, "true or false"},
	{KindProducer, "enable.idempotence", "true", map[string]string{"acks": "1"}, "acks to all"},
	{KindProducer, "enable.idempotence", "true", map[string]string{"max.in.flight.requests.per.connection": "6"}, "at most 5"},
	{KindProducer, "client.dns.lookup", "random", nil, "use_all_dns_ips"},
	{KindConsumer, "isolation.level", "dirty", nil, "read_committed"},
	{KindConsumer, "heartbeat.interval.ms", "45000", nil, "session.timeout.ms"},
	{KindAdmin, "bootstrap.servers", "", nil, "Missing required"},
}

func TestClientConfigRejections(t *testing.T) {
	for _, tc := range rejectCases {
		props := map[string]string{"bootstrap.servers": "127.0.0.1:9092", tc.key: tc.value}
		for k, v := range tc.extra {
			props[k] = v
		}
		_, err := NewClientConfig(tc.kind, props)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Key != tc.key {
			t.Errorf("%s=%s: error %v, want a ConfigError naming the key", tc.key, tc.value, err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.key) || !strings.Contains(msg, tc.value) || !strings.Contains(msg, tc.hint) {
			t.Errorf("%s=%s: message %q lacks the key, the value or %q", tc.key, tc.value, msg, tc.hint)
		}
	}
}

// Every key of the table is ignored on purpose or covered by a test.
func TestKeyTableCovered(t *testing.T) {
	covered := map[string]bool{}
	for k := range mappingCases {
		covered[k] = true
	}
	for _, tc := range rejectCases {
		covered[tc.key] = true
	}
	for _, k := range securityKeys {
		covered[k] = true
	}
	for k, spec := range keyTable {
		if spec.apply != nil && !covered[k] {
			t.Errorf("key %s is mapped but not tested", k)
		}
	}
}

func TestClientConfigIgnoredAndUnknown(t *testing.T) {
	props := map[string]string{
		"bootstrap.servers": "127.0.0.1:9092",
		// harmless JVM-only keys and keys of other clients
		"key.serializer": "org.apache.kafka.common.serialization.StringSerializer", "metric.reporters": "com.example.Reporter",
		"ssl.keymanager.algorithm": "PKIX", "sasl.kerberos.service.name": "kafka", "metrics.context.connect.kafka.cluster.id": "x",
		"group.id": "ignored-by-producers", "max.poll.records": "not a number but not ours",
		// the admin receives every worker key
		"offset.storage.file.filename": "/tmp/offsets", "key.converter": "org.apache.kafka.connect.json.JsonConverter",
	}
	cfg, err := NewClientConfig(KindProducer, props)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"key.converter", "offset.storage.file.filename"}; !slices.Equal(cfg.Unused, want) {
		t.Fatalf("Unused %v, want %v", cfg.Unused, want)
	}
}

func TestClientConfigDefaults(t *testing.T) {
	// Java client defaults when nothing is set
	cfg := mustConfig(t, KindProducer, map[string]string{"bootstrap.servers": "h:1"})
	s := cfg.sarama
	if s.Version != sarama.V2_8_0_0 || s.Producer.RequiredAcks != sarama.WaitForAll || !s.Producer.Idempotent ||
		s.Producer.Flush.Frequency != 5*time.Millisecond || cfg.BufferMemory != 33554432 || cfg.MaxBlock != time.Minute ||
		s.Producer.MaxMessageBytes != 1048576 || !s.Producer.Return.Successes || !s.Producer.Return.Errors {
		t.Fatalf("producer defaults: %+v", s.Producer)
	}
	// Connect's producer: no idempotence, one request in flight, retries capped only by
	// maxRetryLevels (delivery.timeout.ms is Integer.MAX_VALUE), unbounded blocking
	cfg = mustConfig(t, KindProducer, mergeProps(ProducerDefaults("conn", 2), map[string]string{"bootstrap.servers": "h:1"}))
	s = cfg.sarama
	if s.ClientID != "connector-producer-conn-2" || s.Producer.Idempotent || s.Net.MaxOpenRequests != 1 ||
		s.Producer.RequiredAcks != sarama.WaitForAll || s.Producer.Retry.Max != maxRetryLevels || cfg.MaxBlock < 100*365*24*time.Hour {
		t.Fatalf("Connect producer: client %s idempotent %v inflight %d retries %d block %v",
			s.ClientID, s.Producer.Idempotent, s.Net.MaxOpenRequests, s.Producer.Retry.Max, cfg.MaxBlock)
	}
	if d := ProducerDefaults("c", 0)["delivery.timeout.ms"]; d != "2147483647" {
		t.Fatalf("delivery.timeout.ms %s", d)
	}
	if d := ProducerDefaults("c", 0)["max.block.ms"]; d != "9223372036854775807" {
		t.Fatalf("max.block.ms %s", d)
	}
	cfg = mustConfig(t, KindConsumer, mergeProps(ConsumerDefaults("conn", 1), map[string]string{"bootstrap.servers": "h:1"}))
	s = cfg.sarama
	if cfg.GroupID != "connect-conn" || s.ClientID != "connector-consumer-conn-1" || cfg.AutoCommit ||
		s.Consumer.Offsets.Initial != sarama.OffsetOldest || cfg.MaxPollRecords != 500 ||
		s.Consumer.Group.Session.Timeout != 45*time.Second || s.Consumer.Group.Rebalance.Timeout != 5*time.Minute {
		t.Fatalf("Connect consumer: %+v", cfg)
	}
	if cfg.MetadataMaxAge != 5*time.Minute {
		t.Fatalf("metadata.max.age.ms default %v", cfg.MetadataMaxAge)
	}
}

func mergeProps(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func TestRetriesWithin(t *testing.T) {
	if n := retriesWithin(time.Duration(math.MaxInt32)*time.Millisecond, 100*time.Millisecond, time.Second); n < 2_000_000 {
		t.Fatalf("retries within MaxInt32 ms: %d", n)
	}
	if n := retriesWithin(50*time.Millisecond, 100*time.Millisecond, time.Second); n != 1 {
		t.Fatalf("at least one retry: %d", n)
	}
}

func TestIsRetriable(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{sarama.ErrNotLeaderForPartition, true},
		{&sarama.ProducerError{Err: sarama.ErrNotEnoughReplicas}, true},
		{sarama.Wrap(sarama.ErrOutOfBrokers, errors.New("dial tcp: connection refused")), true},
		{ErrBufferTimeout, true},
		{sarama.ErrMessageSizeTooLarge, false},
		{sarama.ErrTopicAuthorizationFailed, false},
		{sarama.ErrSASLAuthenticationFailed, false},
		{sarama.Wrap(sarama.ErrOutOfBrokers, sarama.ErrSASLAuthenticationFailed), false},
		{ErrClosed, false},
		{nil, false},
	}
	for _, tc := range cases {
		if got := IsRetriable(tc.err); got != tc.want {
			t.Errorf("IsRetriable(%v) = %v", tc.err, got)
		}
	}
}
