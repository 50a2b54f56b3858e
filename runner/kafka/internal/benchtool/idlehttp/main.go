// Command idlehttp is the S4 reference in .ci/bench.sh: the smallest Go
// program that answers GET /health over net/http, so the Go runtime's own
// idle footprint is measured next to ours in the same run.
package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: idlehttp HOST:PORT")
		os.Exit(2)
	}
	http.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"healthy","message":"Worker has completed startup and is ready to handle requests."}`))
	})
	if err := http.ListenAndServe(os.Args[1], nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
