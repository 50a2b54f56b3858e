# connect-standalone as a container image: a static binary on distroless
# (CA certificates, /etc/passwd, tzdata; no shell, no libc), running as an
# unprivileged user. Build from the repository alone:
#
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse --short HEAD) -t connect-standalone .
#
# Run: mount the worker and connector files read-only and the offsets on a
# volume; set listeners=http://0.0.0.0:8083 in the worker file to publish the
# REST API (the default binds loopback only):
#
#   docker run --read-only -v "$PWD/config:/etc/connect:ro" -v connect-offsets:/var/lib/connect \
#     -p 8083:8083 connect-standalone /etc/connect/worker.properties /etc/connect/source.properties
#
# No HEALTHCHECK: orchestrators probe GET /health themselves (503 while
# starting, 200 when ready); `connect-standalone healthcheck [URL]` is the
# probe for places that can only run a command.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
ARG DATE=unknown
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${DATE}" \
      -o /out/connect-standalone . \
 && mkdir -p /out/offsets

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/connect-standalone /usr/local/bin/connect-standalone
# The volume's mount point, owned by the runtime user so that a fresh named
# volume is writable (Docker copies the ownership into it).
COPY --from=build --chown=65532:65532 /out/offsets /var/lib/connect
USER 65532:65532
WORKDIR /var/lib/connect
VOLUME ["/var/lib/connect"]
EXPOSE 8083
ENTRYPOINT ["/usr/local/bin/connect-standalone"]
CMD ["/etc/connect/worker.properties"]
