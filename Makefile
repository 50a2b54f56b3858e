# connect-standalone: a Go drop-in for Kafka's connect-standalone.
BIN      := bin/connect-standalone
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)
# Static (no cgo, no libc), reproducible paths, stripped: the release build.
GOBUILD  := CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)'
PLATFORMS ?= linux/amd64 linux/arm64 darwin/arm64
FUZZTIME ?= 10s

.PHONY: build release test demo e2e vet fuzz bench clean

build:
	$(GOBUILD) -o $(BIN) .

# Release binaries for every platform, named connect-standalone-OS-ARCH, and
# their SHA-256 checksums (verify with: sha256sum -c --ignore-missing SHA256SUMS).
release:
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; echo "build dist/connect-standalone-$$os-$$arch"; \
	  GOOS=$$os GOARCH=$$arch $(GOBUILD) -o dist/connect-standalone-$$os-$$arch .; \
	done
	cd dist && if command -v sha256sum >/dev/null; then sha256sum connect-standalone-* ; else shasum -a 256 connect-standalone-* ; fi > SHA256SUMS

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
e2e: build release
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
	rm -rf bin dist
