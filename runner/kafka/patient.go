package kafka

import (
	"sync"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"
)

// patientClient is the client the async producer sees. sarama's producer
// fails every queued record at once when a metadata refresh fails (broker
// down, leader election), where Java's producer keeps the records and
// retries until delivery.timeout.ms (which Connect sets to its maximum).
// Refreshing patiently, until the cluster answers or the client is closed,
// keeps the records queued in order instead: sarama's own retry path then
// delivers them once Kafka is back.
type patientClient struct {
	sarama.Client
	log        zerolog.Logger
	backoff    time.Duration
	backoffMax time.Duration

	mu       sync.Mutex
	lastWarn time.Time
}

// warnEvery spaces the warnings while the cluster stays unreachable.
const warnEvery = 10 * time.Second

func (c *patientClient) RefreshMetadata(topics ...string) error {
	backoff := c.backoff
	start := time.Now()
	for {
		err := c.Client.RefreshMetadata(topics...)
		if err == nil || c.Client.Closed() || !IsRetriable(err) {
			return err
		}
		c.mu.Lock()
		warn := time.Since(c.lastWarn) >= warnEvery
		if warn {
			c.lastWarn = time.Now()
		}
		c.mu.Unlock()
		if warn {
			c.log.Warn().Err(err).Strs("topics", topics).Dur("waiting", time.Since(start).Round(time.Millisecond)).
				Msg("Kafka producer cannot reach the cluster or a partition leader; records stay queued and are retried")
		}
		time.Sleep(backoff)
		if c.Client.Closed() {
			return err
		}
		backoff = min(2*backoff, c.backoffMax)
	}
}
