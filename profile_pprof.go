//go:build pprof

package main

// Built only with -tags pprof (see docs/performance.md): CONNECT_GO_CPUPROFILE
// names a file that receives a CPU profile of the first
// CONNECT_GO_PROFILE_SECONDS (default 5) seconds of the process, and
// CONNECT_GO_MEMPROFILE a heap profile taken at the same moment.

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"
)

func init() {
	cpu, mem := os.Getenv("CONNECT_GO_CPUPROFILE"), os.Getenv("CONNECT_GO_MEMPROFILE")
	if cpu == "" && mem == "" {
		return
	}
	secs, err := strconv.ParseFloat(os.Getenv("CONNECT_GO_PROFILE_SECONDS"), 64)
	if err != nil || secs <= 0 {
		secs = 5
	}
	var f *os.File
	if cpu != "" {
		if f, err = os.Create(cpu); err == nil {
			if err = pprof.StartCPUProfile(f); err != nil {
				f.Close()
				f = nil
			}
		}
	}
	// Deliberately unowned: it lives for at most secs and only in pprof builds.
	go func() {
		time.Sleep(time.Duration(secs * float64(time.Second)))
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
		if mem != "" {
			if h, err := os.Create(mem); err == nil {
				runtime.GC()
				_ = pprof.WriteHeapProfile(h)
				h.Close()
			}
		}
	}()
}
