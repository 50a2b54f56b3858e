package kafka

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/IBM/sarama"
)

var (
	// ErrClosed is returned by calls on a closed client, and given to the
	// callbacks of records still in flight when a Producer is force-closed.
	ErrClosed = errors.New("kafka: client is closed")
	// ErrBufferTimeout is returned by Producer.Send when no buffer space
	// became free within max.block.ms (Java's TimeoutException, retriable).
	ErrBufferTimeout = errors.New("kafka: timed out waiting for producer buffer space (max.block.ms)")
)

// retriableKErrors are the broker error codes whose Java exceptions extend
// RetriableException.
var retriableKErrors = map[sarama.KError]bool{
	sarama.ErrInvalidMessage:                  true, // CorruptRecordException
	sarama.ErrUnknownTopicOrPartition:         true,
	sarama.ErrLeaderNotAvailable:              true,
	sarama.ErrNotLeaderForPartition:           true,
	sarama.ErrRequestTimedOut:                 true,
	sarama.ErrBrokerNotAvailable:              true,
	sarama.ErrReplicaNotAvailable:             true,
	sarama.ErrNetworkException:                true,
	sarama.ErrOffsetsLoadInProgress:           true,
	sarama.ErrConsumerCoordinatorNotAvailable: true,
	sarama.ErrNotCoordinatorForConsumer:       true,
	sarama.ErrNotEnoughReplicas:               true,
	sarama.ErrNotEnoughReplicasAfterAppend:    true,
	sarama.ErrNotController:                   true,
	sarama.ErrConcurrentTransactions:          true,
	sarama.ErrKafkaStorageError:               true,
	sarama.ErrFetchSessionIDNotFound:          true,
	sarama.ErrInvalidFetchSessionEpoch:        true,
	sarama.ErrListenerNotFound:                true,
	sarama.ErrFencedLeaderEpoch:               true,
	sarama.ErrUnknownLeaderEpoch:              true,
	sarama.ErrOffsetNotAvailable:              true,
	sarama.ErrPreferredLeaderNotAvailable:     true,
	sarama.ErrEligibleLeadersNotAvailable:     true,
	sarama.ErrUnstableOffsetCommit:            true,
	sarama.ErrThrottlingQuotaExceeded:         true,
	// Not RetriableException in Java, but a commit that lost this race
	// succeeds after the rebalance: the caller may retry.
	sarama.ErrRebalanceInProgress: true,
}

// IsRetriable reports whether the failed operation may succeed if repeated:
// transient broker conditions, lost connections and timeouts. Invalid
// records, authorization and authentication failures, a closed client and the
// end of a caller's context are not retriable.
func IsRetriable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrClosed) || errors.Is(err, sarama.ErrClosedClient) ||
		errors.Is(err, sarama.ErrClosedConsumerGroup) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if isAuthError(err) {
		return false
	}
	var kerr sarama.KError
	if errors.As(err, &kerr) {
		return retriableKErrors[kerr]
	}
	if errors.Is(err, ErrBufferTimeout) || errors.Is(err, sarama.ErrOutOfBrokers) ||
		errors.Is(err, sarama.ErrNotConnected) || errors.Is(err, sarama.ErrControllerNotAvailable) ||
		errors.Is(err, sarama.ErrBrokerNotFound) || errors.Is(err, sarama.ErrIncompleteResponse) ||
		errors.Is(err, sarama.ErrShuttingDown) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var nerr net.Error
	return errors.As(err, &nerr) && nerr.Timeout()
}

// isAuthError reports TLS and SASL failures: retrying with the same
// settings cannot succeed.
func isAuthError(err error) bool {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
		alert     tls.AlertError
		recordHdr tls.RecordHeaderError
		kerr      sarama.KError
	)
	if errors.As(err, &kerr) && (kerr == sarama.ErrSASLAuthenticationFailed || kerr == sarama.ErrUnsupportedSASLMechanism ||
		kerr == sarama.ErrIllegalSASLState) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		return true // a TLS alert from the broker, e.g. "certificate required"
	}
	return errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verify) || errors.As(err, &alert) || errors.As(err, &recordHdr)
}
