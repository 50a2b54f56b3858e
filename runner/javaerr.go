package runner

import (
	"errors"
	"strings"

	"github.com/connect-go/connect-standalone/connectors"
	"github.com/connect-go/connect-standalone/connectors/data"
	"github.com/connect-go/connect-standalone/converters"
	"github.com/connect-go/connect-standalone/runner/kafka"
	"github.com/connect-go/connect-standalone/transforms"
)

const (
	javaConnectException   = "org.apache.kafka.connect.errors.ConnectException"
	javaDataException      = "org.apache.kafka.connect.errors.DataException"
	javaRetriableException = "org.apache.kafka.connect.errors.RetriableException"
)

// ConnectError is a runtime failure with the Java exception class and
// message Kafka Connect reports for it (ConnectException by default) and
// its cause. Error includes the cause's text; JavaTrace renders the chain
// the way a status trace or a DLQ stacktrace header shows it.
type ConnectError struct {
	Class string // Java exception FQCN; empty means ConnectException
	Msg   string
	Cause error
}

func (e *ConnectError) Error() string {
	if e.Cause == nil {
		return e.Msg
	}
	return e.Msg + ": " + e.Cause.Error()
}

func (e *ConnectError) Unwrap() error { return e.Cause }

// JavaTrace renders the error chain as Throwable.printStackTrace would,
// without the "\tat" frames.
func (e *ConnectError) JavaTrace() string { return javaTrace(e) }

// throwable is the Java view of one link of an error chain.
type throwable struct {
	class string
	msg   string
	cause error // next link with its own Java identity, or nil
}

// asThrowable maps an error to the exception Kafka would have thrown.
// Wrappers that add no Java identity (transforms.StageError) are looked
// through.
func asThrowable(err error) throwable {
	for {
		se, ok := err.(*transforms.StageError)
		if !ok {
			break
		}
		err = se.Err
	}
	var ce *ConnectError
	if errors.As(err, &ce) && ce == err {
		class := ce.Class
		if class == "" {
			class = javaConnectException
		}
		return throwable{class: class, msg: ce.Msg, cause: ce.Cause}
	}
	var conv *converters.Error
	if errors.As(err, &conv) && conv == err {
		t := throwable{class: javaDataException, msg: conv.KafkaMessage()}
		var de *data.DataError
		if errors.As(conv.Err, &de) {
			t.cause = serializationCause(de.Cause)
		}
		return t
	}
	var de *data.DataError
	if errors.As(err, &de) && de == err {
		return throwable{class: javaDataException, msg: de.Msg, cause: serializationCause(de.Cause)}
	}
	if se, ok := err.(serializationError); ok {
		return throwable{class: "org.apache.kafka.common.errors.SerializationException", msg: se.err.Error()}
	}
	if errors.Is(err, connectors.ErrRetriable) {
		return throwable{class: javaRetriableException, msg: err.Error()}
	}
	if class, ok := kafka.JavaExceptionClass(err); ok {
		return throwable{class: class, msg: err.Error()}
	}
	// Converters and transformations signal bad data with DataException;
	// a wrapped one keeps its class, with the wrapper's text as message.
	if errors.As(err, &conv) || errors.As(err, &de) {
		return throwable{class: javaDataException, msg: err.Error()}
	}
	return throwable{class: javaConnectException, msg: err.Error()}
}

// serializationError is a converter's low-level failure (a JSON parse error,
// say), which Kafka's converters wrap in a SerializationException.
type serializationError struct{ err error }

func (e serializationError) Error() string { return e.err.Error() }

func serializationCause(err error) error {
	if err == nil {
		return nil
	}
	var de *data.DataError
	if errors.As(err, &de) || errors.Is(err, connectors.ErrRetriable) {
		return err
	}
	return serializationError{err}
}

// javaExceptionClass is the class name of err's Java exception.
func javaExceptionClass(err error) string { return asThrowable(err).class }

// javaMessage is Throwable.getMessage() of err's Java exception.
func javaMessage(err error) string { return asThrowable(err).msg }

// javaTrace renders err and its causes:
//
//	org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler
//	Caused by: org.apache.kafka.connect.errors.DataException: ...
func javaTrace(err error) string {
	var b strings.Builder
	for depth := 0; err != nil && depth < 16; depth++ {
		t := asThrowable(err)
		if depth > 0 {
			b.WriteString("\nCaused by: ")
		}
		b.WriteString(t.class)
		if t.msg != "" {
			b.WriteString(": ")
			b.WriteString(t.msg)
		}
		err = t.cause
	}
	return b.String()
}
