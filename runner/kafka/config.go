package kafka

import (
	"crypto/tls"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"
)

// Kind selects which Kafka client a property set configures; a key that
// belongs to another client is ignored, as the Java clients do.
type Kind int

const (
	KindProducer Kind = iota + 1
	KindConsumer
	KindAdmin
)

func (k Kind) String() string {
	switch k {
	case KindProducer:
		return "producer"
	case KindConsumer:
		return "consumer"
	case KindAdmin:
		return "admin"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// saramaVersion is the protocol version sarama assumes before ApiVersions
// negotiation: recent enough for headers, idempotence and flexible requests;
// sarama negotiates each request down to what the broker advertises.
var saramaVersion = sarama.V2_8_0_0

// ClientConfig is a validated client configuration. Build it with
// NewClientConfig; the exported fields are for the caller to read (and, for
// Logger, to set).
type ClientConfig struct {
	Kind    Kind
	Brokers []string
	// ClientID is client.id ("" when not set: sarama's default is replaced
	// by "connect-go-<kind>").
	ClientID string
	// GroupID is group.id (consumer only).
	GroupID string
	// MaxPollRecords caps one Consumer.Poll (max.poll.records).
	MaxPollRecords int
	// BufferMemory bounds the bytes of records a Producer holds in flight
	// (buffer.memory); Send blocks while the bound is reached.
	BufferMemory int64
	// MaxBlock bounds how long Send waits for buffer space (max.block.ms).
	MaxBlock time.Duration
	// MetadataMaxAge is metadata.max.age.ms; it also paces regex
	// subscription refreshes.
	MetadataMaxAge time.Duration
	// RetryBackoff and RetryBackoffMax pace this package's own retry loops
	// (retry.backoff.ms, retry.backoff.max.ms).
	RetryBackoff    time.Duration
	RetryBackoffMax time.Duration
	// AutoCommit is enable.auto.commit (consumer).
	AutoCommit bool
	// Unused lists the keys that no Kafka client knows (Java logs them as
	// "supplied but isn't a known config"), sorted.
	Unused []string
	// Logger receives client diagnostics; NewClientConfig sets a no-op logger.
	Logger zerolog.Logger

	sarama   *sarama.Config
	producer producerSettings // KindProducer: what Producer reads (not sarama's Producer.* fields)
}

// partitionerKind is the producer's partitioning of records without an
// explicit partition.
type partitionerKind int

const (
	// partitionDefault: murmur2 of the key (Java's BuiltInPartitioner), and
	// sticky partitioning for null keys (KIP-480).
	partitionDefault partitionerKind = iota
	// partitionRoundRobin: RoundRobinPartitioner, keys ignored.
	partitionRoundRobin
	// partitionIgnoreKeys: partitioner.ignore.keys=true, sticky for every
	// record.
	partitionIgnoreKeys
)

// producerSettings are the producer properties the record accumulator and
// its senders use.
type producerSettings struct {
	acks             sarama.RequiredAcks
	codec            sarama.CompressionCodec
	compressionLevel int
	linger           time.Duration
	batchSize        int
	maxRequestSize   int
	requestTimeout   time.Duration
	idempotent       bool
	// max.in.flight.requests.per.connection is not here: the producer has
	// one request per broker in flight (docs/compatibility.md).
	retries         int64
	retryBackoff    time.Duration
	retryBackoffMax time.Duration
	deliveryTimeout time.Duration
	partitioner     partitionerKind
}

// ConfigError reports a property that is invalid or that this client cannot
// honour. Secret values are never printed.
type ConfigError struct {
	Key    string
	Value  string
	Reason string
}

func (e *ConfigError) Error() string {
	if strings.HasPrefix(e.Reason, "Missing required configuration") {
		return e.Reason
	}
	v := e.Value
	if isSecretKey(e.Key) {
		v = "[hidden]"
	}
	return fmt.Sprintf("Invalid value %s for configuration %s: %s", v, e.Key, e.Reason)
}

func isSecretKey(k string) bool {
	return strings.HasSuffix(k, ".password") || k == "sasl.jaas.config" || k == "ssl.keystore.key"
}

// ProducerDefaults returns what Worker.baseProducerConfigs sets before the
// worker's producer.* and the connector's producer.override.* properties.
func ProducerDefaults(connector string, task int) map[string]string {
	return map[string]string{
		"acks":                                  "all",
		"max.in.flight.requests.per.connection": "1",
		"enable.idempotence":                    "false",
		"delivery.timeout.ms":                   strconv.Itoa(math.MaxInt32),
		"max.block.ms":                          strconv.FormatInt(math.MaxInt64, 10),
		"client.id":                             fmt.Sprintf("connector-producer-%s-%d", connector, task),
	}
}

// ConsumerDefaults returns what Worker.baseConsumerConfigs sets before the
// worker's consumer.* and the connector's consumer.override.* properties.
func ConsumerDefaults(connector string, task int) map[string]string {
	return map[string]string{
		"group.id":           "connect-" + connector,
		"client.id":          fmt.Sprintf("connector-consumer-%s-%d", connector, task),
		"enable.auto.commit": "false",
		"auto.offset.reset":  "earliest",
	}
}

// settings holds parsed property values, pre-set to the Java clients'
// defaults; build turns them into a sarama.Config.
type settings struct {
	kind Kind
	set  map[string]bool // keys given explicitly

	brokers         []string
	clientID        string
	clientRack      string
	requestTimeout  time.Duration
	retryBackoff    time.Duration
	retryBackoffMax time.Duration
	metadataMaxAge  time.Duration
	dialTimeout     time.Duration
	canonicalDNS    bool

	// producer
	acks             sarama.RequiredAcks
	compression      sarama.CompressionCodec
	compressionLevel map[sarama.CompressionCodec]int
	linger           time.Duration
	batchSize        int
	maxRequestSize   int
	bufferMemory     int64
	idempotence      bool
	maxInFlight      int
	retries          int64
	deliveryTimeout  time.Duration
	maxBlock         time.Duration
	partitioner      sarama.PartitionerConstructor
	partitionerKind  partitionerKind

	// consumer
	groupID            string
	groupInstanceID    string
	offsetReset        int64
	autoCommit         bool
	autoCommitInterval time.Duration
	sessionTimeout     time.Duration
	heartbeat          time.Duration
	maxPollRecords     int
	maxPollInterval    time.Duration
	fetchMin           int32
	fetchMaxWait       time.Duration
	partitionFetch     int32
	fetchMaxBytes      int32
	isolation          sarama.IsolationLevel
	assignors          []sarama.BalanceStrategy
	autoCreateTopics   bool

	security security
}

func defaultSettings(kind Kind) *settings {
	return &settings{
		kind:             kind,
		set:              map[string]bool{},
		requestTimeout:   30 * time.Second,
		retryBackoff:     100 * time.Millisecond,
		retryBackoffMax:  time.Second,
		metadataMaxAge:   5 * time.Minute,
		dialTimeout:      10 * time.Second,
		acks:             sarama.WaitForAll,
		compression:      sarama.CompressionNone,
		compressionLevel: map[sarama.CompressionCodec]int{},
		linger:           5 * time.Millisecond,
		batchSize:        16384,
		maxRequestSize:   1048576,
		bufferMemory:     33554432,
		idempotence:      true,
		maxInFlight:      5,
		retries:          math.MaxInt32,
		deliveryTimeout:  120 * time.Second,
		maxBlock:         60 * time.Second,
		partitioner:      sarama.NewMurmur2Partitioner,

		offsetReset:        sarama.OffsetNewest,
		autoCommit:         true,
		autoCommitInterval: 5 * time.Second,
		sessionTimeout:     45 * time.Second,
		heartbeat:          3 * time.Second,
		maxPollRecords:     500,
		maxPollInterval:    5 * time.Minute,
		fetchMin:           1,
		fetchMaxWait:       500 * time.Millisecond,
		partitionFetch:     1048576,
		fetchMaxBytes:      52428800,
		isolation:          sarama.ReadUncommitted,
		assignors:          []sarama.BalanceStrategy{sarama.NewBalanceStrategyRange()},
		autoCreateTopics:   true,

		security: security{
			protocol:         "PLAINTEXT",
			saslMechanism:    "GSSAPI",
			truststoreType:   "JKS",
			keystoreType:     "JKS",
			endpointIdentify: "https",
			enabledProtocols: []string{"TLSv1.2", "TLSv1.3"},
			sslProtocol:      "TLSv1.3",
		},
	}
}

// kindMask says which clients a key belongs to.
type kindMask uint8

const (
	kP   kindMask = 1 << iota // producer
	kC                        // consumer
	kA                        // admin
	kAll = kP | kC | kA
	kPC  = kP | kC
)

func (m kindMask) has(k Kind) bool { return m&(1<<(k-1)) != 0 }

// keySpec is one row of the mapping table. apply == nil means the key is
// known and deliberately ignored (harmless for these clients).
type keySpec struct {
	kinds kindMask
	apply func(s *settings, v string) error
}

// keyTable is the single place that says, for every Kafka client key this
// package knows, whether it is mapped, ignored or rejected (apply returns an
// error for values that cannot be honoured).
var keyTable = map[string]keySpec{
	// --- common ---
	"bootstrap.servers":                        {kAll, func(s *settings, v string) error { s.brokers = splitList(v); return nil }},
	"client.id":                                {kAll, func(s *settings, v string) error { s.clientID = v; return nil }},
	"client.rack":                              {kC, func(s *settings, v string) error { s.clientRack = v; return nil }},
	"request.timeout.ms":                       {kAll, msKey(1, func(s *settings, d time.Duration) { s.requestTimeout = d })},
	"retry.backoff.ms":                         {kAll, msKey(0, func(s *settings, d time.Duration) { s.retryBackoff = d })},
	"retry.backoff.max.ms":                     {kAll, msKey(0, func(s *settings, d time.Duration) { s.retryBackoffMax = d })},
	"metadata.max.age.ms":                      {kAll, msKey(0, func(s *settings, d time.Duration) { s.metadataMaxAge = d })},
	"socket.connection.setup.timeout.ms":       {kAll, msKey(1, func(s *settings, d time.Duration) { s.dialTimeout = d })},
	"socket.connection.setup.timeout.max.ms":   {kAll, nil},
	"client.dns.lookup":                        {kAll, clientDNSLookup},
	"connections.max.idle.ms":                  {kAll, nil},
	"reconnect.backoff.ms":                     {kAll, nil},
	"reconnect.backoff.max.ms":                 {kAll, nil},
	"send.buffer.bytes":                        {kAll, nil},
	"receive.buffer.bytes":                     {kAll, nil},
	"metadata.recovery.strategy":               {kAll, nil},
	"metadata.recovery.rebootstrap.trigger.ms": {kAll, nil},
	"metrics.sample.window.ms":                 {kAll, nil},
	"metrics.num.samples":                      {kAll, nil},
	"metrics.recording.level":                  {kAll, nil},
	"metric.reporters":                         {kAll, nil},
	"auto.include.jmx.reporter":                {kAll, nil},
	"enable.metrics.push":                      {kAll, nil},
	"default.api.timeout.ms":                   {kC | kA, nil},
	"retries":                                  {kP | kA, intKey(0, math.MaxInt32, func(s *settings, n int64) { s.retries = n })},
	"security.providers":                       {kAll, rejectUnless("security providers are JVM classes", "")},
	"interceptor.classes":                      {kPC, rejectUnless("interceptors are JVM classes", "")},

	// --- producer ---
	"acks":                                     {kP, acksKey},
	"compression.type":                         {kP, compressionKey},
	"compression.gzip.level":                   {kP, levelKey(sarama.CompressionGZIP, -1, 9)},
	"compression.lz4.level":                    {kP, levelKey(sarama.CompressionLZ4, 1, 17)},
	"compression.zstd.level":                   {kP, levelKey(sarama.CompressionZSTD, -131072, 22)},
	"linger.ms":                                {kP, msKey(0, func(s *settings, d time.Duration) { s.linger = d })},
	"batch.size":                               {kP, intKey(0, math.MaxInt32, func(s *settings, n int64) { s.batchSize = int(n) })},
	"max.request.size":                         {kP, intKey(1, math.MaxInt32, func(s *settings, n int64) { s.maxRequestSize = int(n) })},
	"buffer.memory":                            {kP, intKey(1, math.MaxInt64, func(s *settings, n int64) { s.bufferMemory = n })},
	"enable.idempotence":                       {kP, boolKey(func(s *settings, b bool) { s.idempotence = b })},
	"max.in.flight.requests.per.connection":    {kP, intKey(1, math.MaxInt32, func(s *settings, n int64) { s.maxInFlight = int(n) })},
	"delivery.timeout.ms":                      {kP, msKey(1, func(s *settings, d time.Duration) { s.deliveryTimeout = d })},
	"max.block.ms":                             {kP, msKey(0, func(s *settings, d time.Duration) { s.maxBlock = d })},
	"partitioner.class":                        {kP, partitionerKey},
	"partitioner.ignore.keys":                  {kP, boolKey(func(s *settings, b bool) { ignoreKeys(s, b) })},
	"partitioner.adaptive.partitioning.enable": {kP, nil},
	"partitioner.availability.timeout.ms":      {kP, nil},
	"key.serializer":                           {kP, nil}, // Connect always sends bytes
	"value.serializer":                         {kP, nil},
	"metadata.max.idle.ms":                     {kP, nil},
	"transaction.timeout.ms":                   {kP, nil},
	"transactional.id":                         {kP, rejectUnless("transactional producers are not supported (exactly-once source is distributed-only)", "")},

	// --- consumer ---
	"group.id":                      {kC, func(s *settings, v string) error { s.groupID = v; return nil }},
	"group.instance.id":             {kC, func(s *settings, v string) error { s.groupInstanceID = v; return nil }},
	"auto.offset.reset":             {kC, offsetResetKey},
	"enable.auto.commit":            {kC, boolKey(func(s *settings, b bool) { s.autoCommit = b })},
	"auto.commit.interval.ms":       {kC, msKey(1, func(s *settings, d time.Duration) { s.autoCommitInterval = d })},
	"session.timeout.ms":            {kC, msKey(1, func(s *settings, d time.Duration) { s.sessionTimeout = d })},
	"heartbeat.interval.ms":         {kC, msKey(1, func(s *settings, d time.Duration) { s.heartbeat = d })},
	"max.poll.records":              {kC, intKey(1, math.MaxInt32, func(s *settings, n int64) { s.maxPollRecords = int(n) })},
	"max.poll.interval.ms":          {kC, msKey(1, func(s *settings, d time.Duration) { s.maxPollInterval = d })},
	"fetch.min.bytes":               {kC, intKey(0, math.MaxInt32, func(s *settings, n int64) { s.fetchMin = int32(n) })},
	"fetch.max.wait.ms":             {kC, msKey(0, func(s *settings, d time.Duration) { s.fetchMaxWait = d })},
	"max.partition.fetch.bytes":     {kC, intKey(1, math.MaxInt32, func(s *settings, n int64) { s.partitionFetch = int32(n) })},
	"fetch.max.bytes":               {kC, intKey(0, math.MaxInt32, func(s *settings, n int64) { s.fetchMaxBytes = int32(n) })},
	"isolation.level":               {kC, isolationKey},
	"partition.assignment.strategy": {kC, assignorKey},
	"allow.auto.create.topics":      {kC, boolKey(func(s *settings, b bool) { s.autoCreateTopics = b })},
	"key.deserializer":              {kC, nil}, // Connect always reads bytes
	"value.deserializer":            {kC, nil},
	"check.crcs":                    {kC, nil}, // sarama always checks
	"exclude.internal.topics":       {kC, rejectUnlessFold("internal topics are always excluded from pattern subscriptions", "true")},
	"group.protocol":                {kC, rejectUnlessFold("only the classic group protocol is supported", "classic")},
	"group.remote.assignor":         {kC, nil},
	"client.id.prefix":              {kC, nil},

	// --- security (all clients) ---
	"security.protocol":                        {kAll, securityProtocolKey},
	"sasl.mechanism":                           {kAll, saslMechanismKey},
	"sasl.jaas.config":                         {kAll, func(s *settings, v string) error { s.security.jaas = v; return nil }},
	"sasl.client.callback.handler.class":       {kAll, rejectUnless("SASL callback handlers are JVM classes", "")},
	"sasl.login.callback.handler.class":        {kAll, rejectUnless("SASL callback handlers are JVM classes", "")},
	"sasl.login.class":                         {kAll, rejectUnless("SASL login classes are JVM classes", "")},
	"sasl.kerberos.service.name":               {kAll, nil}, // only used by GSSAPI, which is rejected
	"sasl.kerberos.kinit.cmd":                  {kAll, nil},
	"sasl.kerberos.ticket.renew.window.factor": {kAll, nil},
	"sasl.kerberos.ticket.renew.jitter":        {kAll, nil},
	"sasl.kerberos.min.time.before.relogin":    {kAll, nil},
	"sasl.login.refresh.window.factor":         {kAll, nil},
	"sasl.login.refresh.window.jitter":         {kAll, nil},
	"sasl.login.refresh.min.period.seconds":    {kAll, nil},
	"sasl.login.refresh.buffer.seconds":        {kAll, nil},
	"sasl.login.connect.timeout.ms":            {kAll, nil},
	"sasl.login.read.timeout.ms":               {kAll, nil},
	"sasl.login.retry.backoff.ms":              {kAll, nil},
	"sasl.login.retry.backoff.max.ms":          {kAll, nil},
	"ssl.truststore.location":                  {kAll, func(s *settings, v string) error { s.security.truststoreLocation = v; return nil }},
	"ssl.truststore.password":                  {kAll, func(s *settings, v string) error { s.security.truststorePassword = v; return nil }},
	"ssl.truststore.type":                      {kAll, storeTypeKey(func(s *settings, t string) { s.security.truststoreType = t })},
	"ssl.truststore.certificates":              {kAll, func(s *settings, v string) error { s.security.truststoreCerts = v; return nil }},
	"ssl.keystore.location":                    {kAll, func(s *settings, v string) error { s.security.keystoreLocation = v; return nil }},
	"ssl.keystore.password":                    {kAll, func(s *settings, v string) error { s.security.keystorePassword = v; return nil }},
	"ssl.keystore.type":                        {kAll, storeTypeKey(func(s *settings, t string) { s.security.keystoreType = t })},
	"ssl.keystore.certificate.chain":           {kAll, func(s *settings, v string) error { s.security.keystoreChain = v; return nil }},
	"ssl.keystore.key":                         {kAll, func(s *settings, v string) error { s.security.keystoreKey = v; return nil }},
	"ssl.key.password":                         {kAll, func(s *settings, v string) error { s.security.keyPassword = v; return nil }},
	"ssl.endpoint.identification.algorithm":    {kAll, endpointIdentificationKey},
	"ssl.enabled.protocols":                    {kAll, enabledProtocolsKey},
	"ssl.protocol":                             {kAll, sslProtocolKey},
	"ssl.cipher.suites":                        {kAll, cipherSuitesKey},
	"ssl.keymanager.algorithm":                 {kAll, nil}, // JVM key manager choice; no effect on the wire
	"ssl.trustmanager.algorithm":               {kAll, nil},
	"ssl.secure.random.implementation":         {kAll, nil},
	"ssl.provider":                             {kAll, rejectUnless("JVM security providers are not available", "")},
	"ssl.engine.factory.class":                 {kAll, rejectUnless("SSL engine factories are JVM classes", "")},
}

// NewClientConfig maps merged Kafka client properties onto a sarama
// configuration. Keys of other clients and harmless JVM-only keys are
// ignored; unknown keys are listed in Unused; a value that cannot be honoured
// is a *ConfigError naming the key.
func NewClientConfig(kind Kind, props map[string]string) (*ClientConfig, error) {
	if kind < KindProducer || kind > KindAdmin {
		return nil, fmt.Errorf("kafka: unknown client kind %v", kind)
	}
	s := defaultSettings(kind)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic: the first bad key in order is reported

	var unused []string
	for _, k := range keys {
		spec, ok := keyTable[k]
		if !ok {
			if !strings.HasPrefix(k, "metrics.context.") && !strings.HasPrefix(k, "sasl.oauthbearer.") {
				unused = append(unused, k)
			}
			continue
		}
		if !spec.kinds.has(kind) || spec.apply == nil {
			continue
		}
		v := strings.TrimSpace(props[k])
		if err := spec.apply(s, v); err != nil {
			return nil, &ConfigError{Key: k, Value: v, Reason: err.Error()}
		}
		s.set[k] = true
	}
	cfg, err := s.build()
	if err != nil {
		return nil, err
	}
	cfg.Unused = unused
	return cfg, nil
}

func (s *settings) build() (*ClientConfig, error) {
	if len(s.brokers) == 0 {
		return nil, &ConfigError{Key: "bootstrap.servers", Value: "", Reason: "Missing required configuration \"bootstrap.servers\" which has no default value."}
	}
	c := sarama.NewConfig()
	c.Version = saramaVersion
	c.ClientID = s.clientID
	if c.ClientID == "" {
		c.ClientID = "connect-go-" + s.kind.String()
	}
	c.RackID = s.clientRack
	c.Net.DialTimeout = s.dialTimeout
	c.Net.ReadTimeout = s.requestTimeout
	c.Net.WriteTimeout = s.requestTimeout
	c.Net.ResolveCanonicalBootstrapServers = s.canonicalDNS
	c.Metadata.RefreshFrequency = s.metadataMaxAge
	c.Metadata.Retry.Backoff = s.retryBackoff
	c.Admin.Timeout = s.requestTimeout
	c.Admin.Retry.Backoff = s.retryBackoff

	switch s.kind {
	case KindProducer:
		if err := s.buildProducer(c); err != nil {
			return nil, err
		}
	case KindConsumer:
		if err := s.buildConsumer(c); err != nil {
			return nil, err
		}
	}
	if err := s.security.apply(c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("kafka %s config: %w", s.kind, err)
	}
	backoffMax := max(s.retryBackoffMax, s.retryBackoff)
	var prod producerSettings
	if s.kind == KindProducer {
		prod = producerSettings{
			acks:             s.acks,
			codec:            s.compression,
			compressionLevel: c.Producer.CompressionLevel,
			linger:           s.linger,
			batchSize:        s.batchSize,
			maxRequestSize:   s.maxRequestSize,
			requestTimeout:   s.requestTimeout,
			idempotent:       s.idempotence, // after buildProducer dropped a conflicting implicit default
			retries:          s.retries,
			retryBackoff:     s.retryBackoff,
			retryBackoffMax:  backoffMax,
			deliveryTimeout:  s.deliveryTimeout,
			partitioner:      s.partitionerKind,
		}
	}
	return &ClientConfig{
		Kind:            s.kind,
		Brokers:         s.brokers,
		ClientID:        s.clientID,
		GroupID:         s.groupID,
		MaxPollRecords:  s.maxPollRecords,
		BufferMemory:    s.bufferMemory,
		MaxBlock:        s.maxBlock,
		MetadataMaxAge:  s.metadataMaxAge,
		RetryBackoff:    s.retryBackoff,
		RetryBackoffMax: backoffMax,
		AutoCommit:      s.autoCommit,
		Logger:          zerolog.Nop(),
		sarama:          c,
		producer:        prod,
	}, nil
}

func (s *settings) buildProducer(c *sarama.Config) error {
	// Java 3.0+: idempotence is on by default but silently dropped when the
	// user's other settings conflict; an explicit true with a conflict is
	// an error.
	if s.idempotence {
		conflict := ""
		switch {
		case s.acks != sarama.WaitForAll:
			conflict = "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."
		case s.maxInFlight > 5:
			conflict = "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer."
		case s.retries == 0:
			conflict = "Must set retries to non-zero when using the idempotent producer."
		}
		if conflict != "" {
			if s.set["enable.idempotence"] {
				return &ConfigError{Key: "enable.idempotence", Value: "true", Reason: conflict}
			}
			s.idempotence = false
		}
	}
	c.Producer.RequiredAcks = s.acks
	c.Producer.Idempotent = s.idempotence
	c.Producer.Compression = s.compression
	if lvl, ok := s.compressionLevel[s.compression]; ok {
		c.Producer.CompressionLevel = lvl
	}
	c.Producer.MaxMessageBytes = s.maxRequestSize
	c.Producer.Timeout = s.requestTimeout
	c.Producer.Partitioner = newConnectPartitioner(s.partitioner)
	c.Producer.Return.Successes = true
	c.Producer.Return.Errors = true
	c.Net.MaxOpenRequests = s.maxInFlight
	if s.idempotence {
		// sarama's idempotent producer keeps ordering only with one request
		// in flight (Java allows up to 5); fewer in flight is still correct.
		c.Net.MaxOpenRequests = 1
	}
	if s.linger > 0 {
		// Java sends a batch when it is full (batch.size) or linger.ms has
		// passed; with linger 0 sarama's "flush when idle" is the closest.
		c.Producer.Flush.Frequency = s.linger
		c.Producer.Flush.Bytes = s.batchSize
	}
	// The sarama producer settings below are kept for code reading the
	// sarama configuration; Producer reads producerSettings instead. Java
	// retries until delivery.timeout.ms; sarama counts retries, so derive
	// the count that the backoff schedule fits into the timeout.
	c.Producer.Retry.Backoff = s.retryBackoff
	c.Producer.Retry.BackoffFunc = expBackoff(s.retryBackoff, max(s.retryBackoffMax, s.retryBackoff))
	c.Producer.Retry.Max = int(min(s.retries, maxRetryLevels, retriesWithin(s.deliveryTimeout, s.retryBackoff, max(s.retryBackoffMax, s.retryBackoff))))
	return nil
}

// maxRetryLevels caps sarama's Producer.Retry.Max in the sarama
// configuration (sarama allocates per-partition state for every retry
// level). Producer does not use sarama's producer: it retries until
// delivery.timeout.ms or retries, as Java does.
const maxRetryLevels = 3600

func (s *settings) buildConsumer(c *sarama.Config) error {
	if s.heartbeat >= s.sessionTimeout {
		return &ConfigError{Key: "heartbeat.interval.ms", Value: strconv.FormatInt(s.heartbeat.Milliseconds(), 10),
			Reason: "must be lower than session.timeout.ms"}
	}
	c.Consumer.Group.Session.Timeout = s.sessionTimeout
	c.Consumer.Group.Heartbeat.Interval = s.heartbeat
	c.Consumer.Group.Rebalance.Timeout = s.maxPollInterval
	c.Consumer.Group.Rebalance.GroupStrategies = s.assignors
	c.Consumer.Group.Rebalance.Retry.Backoff = s.retryBackoff
	c.Consumer.Group.InstanceId = s.groupInstanceID
	c.Consumer.Group.ResetInvalidOffsets = true // out of range → auto.offset.reset, like Java
	c.Consumer.Offsets.Initial = s.offsetReset
	// Commits are explicit (Consumer.Commit); with enable.auto.commit the
	// consumer marks polled positions and sarama commits them periodically.
	c.Consumer.Offsets.AutoCommit.Enable = s.autoCommit
	c.Consumer.Offsets.AutoCommit.Interval = s.autoCommitInterval
	c.Consumer.Fetch.Min = s.fetchMin
	c.Consumer.Fetch.Default = s.partitionFetch
	c.Consumer.Fetch.MaxBytes = s.fetchMaxBytes
	c.Consumer.MaxWaitTime = s.fetchMaxWait
	c.Consumer.IsolationLevel = s.isolation
	c.Consumer.Retry.Backoff = s.retryBackoff
	c.Consumer.Return.Errors = true
	c.Metadata.AllowAutoTopicCreation = s.autoCreateTopics
	// JoinGroup may legitimately block for the whole rebalance timeout;
	// Java gives that request max.poll.interval.ms + 5s too.
	c.Net.ReadTimeout = max(s.requestTimeout, s.maxPollInterval+5*time.Second)
	return nil
}

// expBackoff mirrors Java's exponential retry backoff (KIP-580) without
// jitter: base * 2^retries, capped.
func expBackoff(base, capD time.Duration) func(retries, maxRetries int) time.Duration {
	return func(retries, _ int) time.Duration {
		d := base
		for i := 0; i < retries && d < capD; i++ {
			d *= 2
		}
		return min(d, capD)
	}
}

// retriesWithin counts the retries whose cumulative backoff fits in total.
func retriesWithin(total, base, capD time.Duration) int64 {
	if base <= 0 {
		base = time.Millisecond
	}
	var n int64
	var spent time.Duration
	d := base
	for spent+d <= total {
		spent += d
		n++
		if d < capD {
			d = min(d*2, capD)
		} else {
			// constant from here on: finish arithmetically
			n += int64((total - spent) / d)
			break
		}
	}
	return max(n, 1)
}

// --- value parsers -------------------------------------------------------

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseInt(v string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("Expected value to be a number.")
	}
	if n < lo {
		return 0, fmt.Errorf("Value must be at least %d", lo)
	}
	if n > hi {
		return 0, fmt.Errorf("Value must be no more than %d", hi)
	}
	return n, nil
}

func intKey(lo, hi int64, set func(*settings, int64)) func(*settings, string) error {
	return func(s *settings, v string) error {
		n, err := parseInt(v, lo, hi)
		if err != nil {
			return err
		}
		set(s, n)
		return nil
	}
}

// msKey parses a millisecond count; values beyond what a Duration holds
// (Long.MAX_VALUE is common in Connect) saturate.
func msKey(lo int64, set func(*settings, time.Duration)) func(*settings, string) error {
	return func(s *settings, v string) error {
		n, err := parseInt(v, lo, math.MaxInt64)
		if err != nil {
			return err
		}
		d := time.Duration(math.MaxInt64)
		if n < int64(math.MaxInt64/time.Millisecond) {
			d = time.Duration(n) * time.Millisecond
		}
		set(s, d)
		return nil
	}
}

func boolKey(set func(*settings, bool)) func(*settings, string) error {
	return func(s *settings, v string) error {
		switch strings.ToLower(v) {
		case "true":
			set(s, true)
		case "false":
			set(s, false)
		default:
			return fmt.Errorf("Expected value to be either true or false")
		}
		return nil
	}
}

func rejectUnless(why string, allowed ...string) func(*settings, string) error {
	return func(_ *settings, v string) error {
		for _, a := range allowed {
			if v == a {
				return nil
			}
		}
		return fmt.Errorf("not supported by connect-go: %s", why)
	}
}

func rejectUnlessFold(why string, allowed ...string) func(*settings, string) error {
	return func(_ *settings, v string) error {
		for _, a := range allowed {
			if strings.EqualFold(v, a) {
				return nil
			}
		}
		return fmt.Errorf("not supported by connect-go: %s", why)
	}
}

func clientDNSLookup(s *settings, v string) error {
	switch v {
	case "use_all_dns_ips", "default":
		s.canonicalDNS = false
	case "resolve_canonical_bootstrap_servers_only":
		s.canonicalDNS = true
	default:
		return fmt.Errorf("String must be one of: use_all_dns_ips, resolve_canonical_bootstrap_servers_only")
	}
	return nil
}

func acksKey(s *settings, v string) error {
	switch strings.ToLower(v) {
	case "all", "-1":
		s.acks = sarama.WaitForAll
	case "0":
		s.acks = sarama.NoResponse
	case "1":
		s.acks = sarama.WaitForLocal
	default:
		return fmt.Errorf("String must be one of: all, -1, 0, 1")
	}
	return nil
}

func compressionKey(s *settings, v string) error {
	switch strings.ToLower(v) {
	case "none":
		s.compression = sarama.CompressionNone
	case "gzip":
		s.compression = sarama.CompressionGZIP
	case "snappy":
		s.compression = sarama.CompressionSnappy
	case "lz4":
		s.compression = sarama.CompressionLZ4
	case "zstd":
		s.compression = sarama.CompressionZSTD
	default:
		return fmt.Errorf("String must be one of: none, gzip, snappy, lz4, zstd")
	}
	return nil
}

func levelKey(codec sarama.CompressionCodec, lo, hi int64) func(*settings, string) error {
	return func(s *settings, v string) error {
		n, err := parseInt(v, lo, hi)
		if err != nil {
			return err
		}
		s.compressionLevel[codec] = int(n)
		return nil
	}
}

func partitionerKey(s *settings, v string) error {
	switch v {
	case "", "org.apache.kafka.clients.producer.internals.DefaultPartitioner":
		s.partitioner = sarama.NewMurmur2Partitioner
		if s.partitionerKind == partitionRoundRobin {
			s.partitionerKind = partitionDefault
		}
	case "org.apache.kafka.clients.producer.RoundRobinPartitioner":
		s.partitioner = sarama.NewRoundRobinPartitioner
		s.partitionerKind = partitionRoundRobin
	default:
		return fmt.Errorf("not supported by connect-go: only the default (murmur2) partitioner and org.apache.kafka.clients.producer.RoundRobinPartitioner are available")
	}
	return nil
}

func ignoreKeys(s *settings, b bool) {
	if b {
		s.partitioner = sarama.NewRandomPartitioner
		if s.partitionerKind == partitionDefault {
			s.partitionerKind = partitionIgnoreKeys
		}
	}
}

func offsetResetKey(s *settings, v string) error {
	switch strings.ToLower(v) {
	case "earliest":
		s.offsetReset = sarama.OffsetOldest
	case "latest":
		s.offsetReset = sarama.OffsetNewest
	case "none":
		return fmt.Errorf("not supported by connect-go: use earliest or latest")
	default:
		return fmt.Errorf("Invalid value, must be one of: earliest, latest")
	}
	return nil
}

func isolationKey(s *settings, v string) error {
	switch strings.ToLower(v) {
	case "read_uncommitted":
		s.isolation = sarama.ReadUncommitted
	case "read_committed":
		s.isolation = sarama.ReadCommitted
	default:
		return fmt.Errorf("String must be one of: read_committed, read_uncommitted")
	}
	return nil
}

// assignorKey keeps the eager assignors of the list, in order; the
// cooperative one is skipped when another is present (Java's default list is
// "RangeAssignor, CooperativeStickyAssignor", i.e. range until upgraded).
func assignorKey(s *settings, v string) error {
	var out []sarama.BalanceStrategy
	cooperative := false
	for _, name := range splitList(v) {
		short := name[strings.LastIndex(name, ".")+1:]
		switch short {
		case "RangeAssignor", "range":
			out = append(out, sarama.NewBalanceStrategyRange())
		case "RoundRobinAssignor", "roundrobin":
			out = append(out, sarama.NewBalanceStrategyRoundRobin())
		case "StickyAssignor", "sticky":
			out = append(out, sarama.NewBalanceStrategySticky())
		case "CooperativeStickyAssignor", "cooperative-sticky":
			cooperative = true
		default:
			return fmt.Errorf("not supported by connect-go: assignor %s (supported: RangeAssignor, RoundRobinAssignor, StickyAssignor)", name)
		}
	}
	if len(out) == 0 {
		if cooperative {
			return fmt.Errorf("not supported by connect-go: the cooperative rebalance protocol; list RangeAssignor, RoundRobinAssignor or StickyAssignor")
		}
		return fmt.Errorf("at least one assignor is required")
	}
	s.assignors = out
	return nil
}

// tlsVersions maps Java protocol names to Go versions.
var tlsVersions = map[string]uint16{
	"TLSv1":   tls.VersionTLS10,
	"TLSv1.1": tls.VersionTLS11,
	"TLSv1.2": tls.VersionTLS12,
	"TLSv1.3": tls.VersionTLS13,
}

func enabledProtocolsKey(s *settings, v string) error {
	list := splitList(v)
	for _, p := range list {
		if _, ok := tlsVersions[p]; !ok {
			return fmt.Errorf("not supported by connect-go: protocol %s (supported: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)", p)
		}
	}
	if len(list) == 0 {
		return fmt.Errorf("at least one protocol is required")
	}
	s.security.enabledProtocols = list
	return nil
}

func sslProtocolKey(s *settings, v string) error {
	if _, ok := tlsVersions[v]; !ok && v != "TLS" {
		return fmt.Errorf("not supported by connect-go: protocol %s (supported: TLS, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)", v)
	}
	s.security.sslProtocol = v
	return nil
}

func cipherSuitesKey(s *settings, v string) error {
	byName := map[string]uint16{}
	for _, cs := range tls.CipherSuites() {
		byName[cs.Name] = cs.ID
	}
	for _, cs := range tls.InsecureCipherSuites() {
		byName[cs.Name] = cs.ID
	}
	var ids []uint16
	for _, name := range splitList(v) {
		id, ok := byName[name]
		if !ok {
			return fmt.Errorf("not supported by connect-go: cipher suite %s", name)
		}
		ids = append(ids, id)
	}
	s.security.cipherSuites = ids
	return nil
}

func endpointIdentificationKey(s *settings, v string) error {
	switch strings.ToLower(v) {
	case "https", "":
		s.security.endpointIdentify = strings.ToLower(v)
	default:
		return fmt.Errorf("not supported by connect-go: only https or an empty value are supported")
	}
	return nil
}

func storeTypeKey(set func(*settings, string)) func(*settings, string) error {
	return func(s *settings, v string) error {
		t := strings.ToUpper(v)
		switch t {
		case "JKS", "PKCS12", "PEM":
			set(s, t)
			return nil
		}
		return fmt.Errorf("not supported by connect-go: store type %s (supported: JKS, PKCS12, PEM)", v)
	}
}

func securityProtocolKey(s *settings, v string) error {
	p := strings.ToUpper(v)
	switch p {
	case "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL":
		s.security.protocol = p
		return nil
	}
	return fmt.Errorf("String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL")
}

func saslMechanismKey(s *settings, v string) error {
	s.security.saslMechanism = v // validated in security.apply: only matters for SASL protocols
	return nil
}
