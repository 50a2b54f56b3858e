package rest

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

func TestSourceOffsets(t *testing.T) {
	e := newEnv(t, envOpts{})
	in := filepath.Join(e.dir, "in.txt")
	appendLines(t, in, 1, 10) // "line N\n": 7 bytes for 1..9, 8 for 10 → 71 bytes
	e.expect("POST", "/connectors", e.sourceBody("src", in, "offs"), 201, "")
	want := `{"offsets":[{"partition":{"filename":"` + in + `"},"offset":{"position":71}}]}`
	e.waitFor("the committed offset", func() bool { return e.do("GET", "/connectors/src/offsets", "").body == want })

	stopped := "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/src/stop' endpoint"
	alter := `{"offsets":[{"partition":{"filename":"` + in + `"},"offset":{"position":14}}]}`
	e.expectError("PATCH", "/connectors/src/offsets", alter, 400, stopped)
	e.expectError("DELETE", "/connectors/src/offsets", "", 400, stopped)
	e.expect("PUT", "/connectors/src/pause", "", 202, "")
	e.expectError("PATCH", "/connectors/src/offsets", alter, 400, stopped)

	e.expect("PUT", "/connectors/src/stop", "", 204, "")
	e.expect("GET", "/connectors/src/offsets", "", 200, want) // readable in any state
	e.expectError("PATCH", "/connectors/src/offsets", `{}`, 400, "Partitions / offsets need to be provided for an alter offsets request")
	e.expectError("PATCH", "/connectors/src/offsets", `{"offsets":[]}`, 400, "Partitions / offsets need to be provided for an alter offsets request")
	for _, bad := range []string{`[]`, `{"offsets":{}}`, `{"offsets":[123]}`, `{"offsets":[{"key":"val"}]}`, `{"offsets":`} {
		e.expectError("PATCH", "/connectors/src/offsets", bad, 400, "Cannot deserialize")
	}
	e.expectError("PATCH", "/connectors/src/offsets", `{"offsets":[{"partition":{"filename":"x"},"offset":{"pos":1}}]}`, 400,
		"Offset objects should either be null or contain the key 'position'")
	e.expectError("PATCH", "/connectors/src/offsets", `{"offsets":[{"partition":{"filename":"x"},"offset":{"position":1.5}}]}`, 400,
		"The value for the 'position' key in the offset is expected to be a Long value")
	e.expect("PATCH", "/connectors/src/offsets", alter, 200, `{"message":"The offsets for this connector have been altered successfully"}`)
	e.expect("GET", "/connectors/src/offsets", "", 200, `{"offsets":[{"partition":{"filename":"`+in+`"},"offset":{"position":14}}]}`)

	// Resuming re-reads from the altered position: lines 3..10 again.
	out := filepath.Join(e.dir, "out.txt")
	e.expect("POST", "/connectors", e.sinkBody("snk", out, "offs"), 201, "")
	e.waitFor("10 lines in the sink", func() bool { return countLines(out) >= 10 })
	e.expect("PUT", "/connectors/src/resume", "", 202, "")
	e.waitFor("18 lines after the rewind", func() bool { return countLines(out) >= 18 })

	e.expect("PUT", "/connectors/src/stop", "", 204, "")
	e.expect("DELETE", "/connectors/src/offsets", "", 200, `{"message":"The offsets for this connector have been reset successfully"}`)
	e.expect("GET", "/connectors/src/offsets", "", 200, `{"offsets":[]}`)
	e.expect("DELETE", "/connectors/src/offsets", "", 200, "") // nothing to reset is fine
}

func TestSinkOffsets(t *testing.T) {
	e := newEnv(t, envOpts{})
	in, out := filepath.Join(e.dir, "in.txt"), filepath.Join(e.dir, "out.txt")
	appendLines(t, in, 1, 20)
	e.expect("POST", "/connectors", e.sourceBody("src", in, "sinkoffs"), 201, "")
	e.expect("POST", "/connectors", e.sinkBody("snk", out, "sinkoffs"), 201, "")
	e.waitFor("20 lines in the sink", func() bool { return countLines(out) >= 20 })
	want := `{"offsets":[{"partition":{"kafka_partition":0,"kafka_topic":"sinkoffs"},"offset":{"kafka_offset":20}}]}`
	e.waitFor("the committed sink offset", func() bool { return e.do("GET", "/connectors/snk/offsets", "").body == want })

	e.expect("PUT", "/connectors/snk/stop", "", 204, "")
	for _, c := range []struct{ body, msg string }{
		{`{"offsets":[{"offset":{"kafka_offset":1}}]}`, "The partition for a sink connector offset cannot be null or missing"},
		{`{"offsets":[{"partition":{"kafka_topic":"sinkoffs"},"offset":{"kafka_offset":1}}]}`, "must contain the keys 'kafka_topic' and 'kafka_partition'"},
		{`{"offsets":[{"partition":{"kafka_topic":null,"kafka_partition":0},"offset":{"kafka_offset":1}}]}`, "Kafka topic names must be valid strings and may not be null"},
		{`{"offsets":[{"partition":{"kafka_topic":"sinkoffs","kafka_partition":"zero"},"offset":{"kafka_offset":1}}]}`, "Failed to parse the following Kafka partition value in the provided offsets: 'zero'"},
		{`{"offsets":[{"partition":{"kafka_topic":"sinkoffs","kafka_partition":0},"offset":{"offset":1}}]}`, "The offset for a sink connector should either be null or contain the key 'kafka_offset'"},
		{`{"offsets":[{"partition":{"kafka_topic":"sinkoffs","kafka_partition":0},"offset":{"kafka_offset":"x"}}]}`, "Failed to parse the following Kafka offset value in the provided offsets: 'x'"},
	} {
		e.expectError("PATCH", "/connectors/snk/offsets", c.body, 400, c.msg)
	}
	// strings are accepted for numbers
	e.expect("PATCH", "/connectors/snk/offsets", `{"offsets":[{"partition":{"kafka_topic":"sinkoffs","kafka_partition":"0"},"offset":{"kafka_offset":"15"}}]}`, 200,
		`{"message":"The offsets for this connector have been altered successfully"}`)
	e.expect("GET", "/connectors/snk/offsets", "", 200, `{"offsets":[{"partition":{"kafka_partition":0,"kafka_topic":"sinkoffs"},"offset":{"kafka_offset":15}}]}`)
	e.expect("PUT", "/connectors/snk/resume", "", 202, "")
	e.waitFor("5 redelivered lines", func() bool { return countLines(out) >= 25 })

	e.expect("PUT", "/connectors/snk/stop", "", 204, "")
	e.expect("DELETE", "/connectors/snk/offsets", "", 200, `{"message":"The offsets for this connector have been reset successfully"}`)
	e.expect("GET", "/connectors/snk/offsets", "", 200, `{"offsets":[]}`)
	e.expect("PATCH", "/connectors/snk/offsets", `{"offsets":[{"partition":{"kafka_topic":"sinkoffs","kafka_partition":0},"offset":null}]}`, 200, "")

	var got connectorOffsets
	e.expect("GET", "/connectors/snk/offsets", "", 200, "").json(t, &got)
	if b, _ := json.Marshal(got); string(b) != `{"offsets":[]}` {
		t.Fatalf("after deleting the partition's offset: %s", b)
	}
}
