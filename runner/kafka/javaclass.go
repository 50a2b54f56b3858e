package kafka

import (
	"context"
	"errors"
	"strings"

	"github.com/IBM/sarama"
)

// javaExceptions maps broker error codes to the exception classes the Java
// client raises for them.
var javaExceptions = map[sarama.KError]string{
	sarama.ErrMessageSizeTooLarge:        "org.apache.kafka.common.errors.RecordTooLargeException",
	sarama.ErrMessageSetSizeTooLarge:     "org.apache.kafka.common.errors.RecordBatchTooLargeException",
	sarama.ErrInvalidMessage:             "org.apache.kafka.common.errors.CorruptRecordException",
	sarama.ErrUnknownTopicOrPartition:    "org.apache.kafka.common.errors.UnknownTopicOrPartitionException",
	sarama.ErrLeaderNotAvailable:         "org.apache.kafka.common.errors.LeaderNotAvailableException",
	sarama.ErrNotLeaderForPartition:      "org.apache.kafka.common.errors.NotLeaderOrFollowerException",
	sarama.ErrRequestTimedOut:            "org.apache.kafka.common.errors.TimeoutException",
	sarama.ErrBrokerNotAvailable:         "org.apache.kafka.common.errors.BrokerNotAvailableException",
	sarama.ErrNetworkException:           "org.apache.kafka.common.errors.NetworkException",
	sarama.ErrNotEnoughReplicas:          "org.apache.kafka.common.errors.NotEnoughReplicasException",
	sarama.ErrInvalidTopic:               "org.apache.kafka.common.errors.InvalidTopicException",
	sarama.ErrTopicAuthorizationFailed:   "org.apache.kafka.common.errors.TopicAuthorizationException",
	sarama.ErrClusterAuthorizationFailed: "org.apache.kafka.common.errors.ClusterAuthorizationException",
	sarama.ErrInvalidRequiredAcks:        "org.apache.kafka.common.errors.InvalidRequiredAcksException",
	sarama.ErrInvalidTimestamp:           "org.apache.kafka.common.errors.InvalidTimestampException",
	sarama.ErrKafkaStorageError:          "org.apache.kafka.common.errors.KafkaStorageException",
	sarama.ErrOutOfOrderSequenceNumber:   "org.apache.kafka.common.errors.OutOfOrderSequenceException",
	sarama.ErrDuplicateSequenceNumber:    "org.apache.kafka.common.errors.DuplicateSequenceException",
	sarama.ErrInvalidRecord:              "org.apache.kafka.common.errors.InvalidRecordException",
}

// JavaExceptionClass names the exception the Java client would have raised
// for a client error, for error reports (DLQ headers, logs); ok is false
// when err carries nothing from this package or sarama.
func JavaExceptionClass(err error) (class string, ok bool) {
	var kerr sarama.KError
	switch {
	case IsRecordTooLarge(err):
		return "org.apache.kafka.common.errors.RecordTooLargeException", true
	case errors.As(err, &kerr):
		if c, found := javaExceptions[kerr]; found {
			return c, true
		}
		return "org.apache.kafka.common.errors.ApiException", true
	case errors.Is(err, ErrBufferTimeout), errors.Is(err, ErrDeliveryTimeout), errors.Is(err, context.DeadlineExceeded):
		return "org.apache.kafka.common.errors.TimeoutException", true
	case errors.Is(err, ErrClosed), errors.Is(err, sarama.ErrClosedClient):
		return "org.apache.kafka.common.KafkaException", true
	case IsRetriable(err):
		return "org.apache.kafka.common.errors.NetworkException", true
	}
	return "", false
}

// IsRecordTooLarge reports whether a send failed because the record exceeds
// max.request.size or buffer.memory (Java's RecordTooLargeException, which
// the producer reports through the send callback).
func IsRecordTooLarge(err error) bool {
	if errors.Is(err, sarama.ErrMessageSizeTooLarge) {
		return true
	}
	// sarama checks max.request.size (Producer.MaxMessageBytes) itself and
	// fails the record with a ConfigurationError.
	var ce sarama.ConfigurationError
	return errors.As(err, &ce) && strings.Contains(string(ce), "MaxMessageBytes")
}
