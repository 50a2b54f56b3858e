package kafka

import (
	"fmt"
	"strings"

	"github.com/IBM/sarama"
	"github.com/rcrowley/go-metrics"
	"github.com/rs/zerolog"
)

// SetupGlobals sets sarama's process-wide state; main calls it once, before
// any client is created. sarama logs through logger at debug level (it is
// chatty and its lines are diagnostics, not events), and go-metrics is
// disabled: nothing exports it, and its meters leak goroutines and memory.
func SetupGlobals(logger zerolog.Logger) {
	l := saramaLogger{log: logger.With().Str("component", "sarama").Logger()}
	sarama.Logger = l
	sarama.DebugLogger = l
	metrics.UseNilMetrics = true
}

type saramaLogger struct{ log zerolog.Logger }

func (l saramaLogger) Print(v ...any) { l.emit(fmt.Sprint(v...)) }
func (l saramaLogger) Printf(format string, v ...any) {
	l.emit(fmt.Sprintf(format, v...))
}
func (l saramaLogger) Println(v ...any) { l.emit(fmt.Sprintln(v...)) }

func (l saramaLogger) emit(s string) {
	l.log.Debug().Msg(strings.TrimRight(s, "\n"))
}
