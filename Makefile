# connect-standalone: a Go drop-in for Kafka's connect-standalone.
BIN      := bin/connect-standalone
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)
FUZZTIME ?= 10s

.PHONY: build test demo e2e vet fuzz bench clean

build:
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

# The test command: formatting, vet, and every test with the race detector.
test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	go vet ./...
	go test -race -count=1 ./...

# The demo: dev-kafka + Kafka's shipped file source/sink example configs.
demo: build
	BIN=$(BIN) testdata/demo/run.sh

# End-to-end checks with real third-party clients (kcat, curl, the JDK).
e2e: build
	BIN=$(BIN) .ci/e2e.sh

vet:
	go vet ./...

# Short fuzzing runs of every fuzz target.
fuzz:
	@for pkg in $$(go list ./...); do \
	  for t in $$(go test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$t"; go test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# Side by side with kcat and a bare sarama producer (docs/performance.md),
# then the Go micro-benchmarks.
bench: build
	BIN=$(BIN) .ci/bench.sh
	go test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
