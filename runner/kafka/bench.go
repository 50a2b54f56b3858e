package kafka

import "github.com/IBM/sarama"

// SaramaConfig returns the sarama configuration this ClientConfig maps to.
// It exists for the benchmark harness's bare sarama producer, which must run
// with exactly the settings of a Connect producer to be a fair bound; the
// runtime itself never touches sarama outside this package.
func (c *ClientConfig) SaramaConfig() *sarama.Config { return c.sarama }
