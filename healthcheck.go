package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/connect-go/connect-standalone/runner/rest"
)

// defaultHealthURL is GET /health on the listener bound without a listeners key.
const defaultHealthURL = rest.DefaultListener + "/health"

// runHealthcheck is the healthcheck subcommand: an HTTP probe for images
// without a shell or curl (distroless), so that a Kubernetes exec probe can
// reach a REST API bound to the pod's loopback, which an httpGet probe
// (sent to the pod IP) cannot. Exit 0 on 200, 1 on anything else.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "healthcheck: unexpected argument %q\n", fs.Arg(1))
		return exitUsage
	}
	target := defaultHealthURL
	if fs.NArg() == 1 {
		target = fs.Arg(0)
	}
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintf(stderr, "healthcheck: %q is not an http(s) URL\n", target)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	// The body says why (starting, unhealthy); kubelet keeps a probe's output
	// in the failure event. Bounded: a probe must not buffer a large reply.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	fmt.Fprintf(stdout, "%d %s\n", resp.StatusCode, body)
	if resp.StatusCode != http.StatusOK {
		return 1
	}
	return exitOK
}
