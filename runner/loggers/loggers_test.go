package loggers

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

func TestLevelsFollowTheHierarchy(t *testing.T) {
	var buf bytes.Buffer
	r := New(zerolog.New(&buf).Level(zerolog.InfoLevel))
	worker := r.Logger("org.apache.kafka.connect.runtime.Worker")
	file := r.Logger("org.apache.kafka.connect.file.FileStreamSourceConnector")

	worker.Debug().Msg("hidden")
	worker.Info().Msg("shown")
	if got := buf.String(); strings.Contains(got, "hidden") || !strings.Contains(got, "shown") {
		t.Fatalf("root INFO: %s", got)
	}

	affected := r.Set("org.apache.kafka.connect.file", Level{"DEBUG", zerolog.DebugLevel})
	if !slices.Equal(affected, []string{"org.apache.kafka.connect.file", "org.apache.kafka.connect.file.FileStreamSourceConnector"}) {
		t.Fatalf("affected %v", affected)
	}
	buf.Reset()
	file.Debug().Msg("file debug")
	worker.Debug().Msg("worker debug")
	if got := buf.String(); !strings.Contains(got, "file debug") || strings.Contains(got, "worker debug") {
		t.Fatalf("after DEBUG on the file namespace: %s", got)
	}
	// a logger created later inherits from its nearest ancestor
	later := r.Logger("org.apache.kafka.connect.file.FileStreamSinkConnector")
	buf.Reset()
	later.Debug().Msg("later debug")
	if !strings.Contains(buf.String(), "later debug") {
		t.Fatal("a new logger does not inherit its ancestor's level")
	}
	if l, ok := r.Get("org.apache.kafka.connect.file.FileStreamSinkConnector"); !ok || l.Level != "DEBUG" || l.LastModified != nil {
		t.Fatalf("inherited level %+v %v", l, ok)
	}

	r.Set("ROOT", Level{"OFF", zerolog.Disabled})
	buf.Reset()
	worker.Error().Msg("off")
	later.Error().Msg("off")
	if buf.Len() != 0 {
		t.Fatalf("OFF still logs: %s", buf.String())
	}
	all := r.All()
	if all["root"].Level != "OFF" || all["root"].LastModified == nil || all["org.apache.kafka.connect.runtime.Worker"].Level != "OFF" {
		t.Fatalf("All() = %v", all)
	}
	if _, ok := r.Get("com.example.Unknown"); ok {
		t.Fatal("looking a logger up created it")
	}
}

func TestParseLevel(t *testing.T) {
	for _, s := range []string{"off", "FATAL", "Error", "warn", "INFO", "debug", "trace", "ALL"} {
		if _, ok := ParseLevel(s); !ok {
			t.Errorf("%s not accepted", s)
		}
	}
	if _, ok := ParseLevel("LOUD"); ok {
		t.Error("LOUD accepted")
	}
	if FromZerolog(zerolog.WarnLevel).Name != "WARN" || FromZerolog(zerolog.TraceLevel).Name != "TRACE" {
		t.Error("FromZerolog")
	}
}
