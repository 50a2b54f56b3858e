package offsets

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/connect-go/connect-standalone/connectors"
)

const writerEnv = "OFFSETS_TEST_KILL_WRITER"

// TestKillWriterHelper is the victim of TestKill9: it rewrites the offsets
// file as fast as it can and prints every position once Set has returned.
func TestKillWriterHelper(t *testing.T) {
	spec := os.Getenv(writerEnv)
	if spec == "" {
		t.Skip("helper process for TestKill9")
	}
	path, format, _ := strings.Cut(spec, ",")
	f := FormatNative
	if format == "java" {
		f = FormatJava
	}
	s, err := OpenFileWithFormat(path, f)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	start := int64(0)
	if off, _ := s.Get("c", part("main")); off != nil {
		start = off["position"].(int64)
	}
	// Enough partitions that a write takes a while and a kill lands mid-write.
	batch := make([]connectors.PartitionOffset, 200)
	for i := start + 1; ; i++ {
		batch[0] = connectors.PartitionOffset{Partition: part("main"), Offset: pos(i)}
		for j := 1; j < len(batch); j++ {
			batch[j] = connectors.PartitionOffset{Partition: part(fmt.Sprintf("side-%03d", j)), Offset: pos(i)}
		}
		if err := s.Set(bg, "c", batch); err != nil {
			fmt.Println("set:", err)
			os.Exit(2)
		}
		fmt.Println(i)
	}
}

// TestKill9 kills a writing process at random instants; every time the file
// must load completely, consistently, and hold at least the last position
// the writer reported as durable.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, format := range []string{"native", "java"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "connect.offsets")
			var durable int64
			for round := range 10 {
				cmd := exec.Command(os.Args[0], "-test.run=^TestKillWriterHelper$", "-test.count=1")
				cmd.Env = append(os.Environ(), writerEnv+"="+path+","+format)
				out, err := cmd.StdoutPipe()
				must(t, err)
				must(t, cmd.Start())
				lines := make(chan int64, 1024)
				go func() {
					defer close(lines)
					sc := bufio.NewScanner(out)
					for sc.Scan() {
						if n, err := strconv.ParseInt(sc.Text(), 10, 64); err == nil {
							lines <- n
						} else {
							t.Errorf("writer: %s", sc.Text())
						}
					}
				}()
				// Wait for the first durable write, then kill at a random instant.
				select {
				case n, ok := <-lines:
					if !ok {
						t.Fatalf("round %d: writer exited: %v", round, cmd.Wait())
					}
					durable = max(durable, n)
				case <-time.After(30 * time.Second):
					t.Fatal("writer did not start")
				}
				time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond)
				must(t, cmd.Process.Signal(syscall.SIGKILL))
				for n := range lines {
					durable = max(durable, n)
				}
				_ = cmd.Wait()

				s, err := OpenFile(path)
				if err != nil {
					t.Fatalf("round %d: reload after kill -9: %v", round, err)
				}
				off, _ := s.Get("c", part("main"))
				if off == nil || off["position"].(int64) < durable {
					t.Fatalf("round %d: position %v, but %d was reported durable", round, off, durable)
				}
				got := off["position"].(int64)
				// A whole batch is one write: every partition has the same position.
				for j := 1; j < 200; j++ {
					if o, _ := s.Get("c", part(fmt.Sprintf("side-%03d", j))); o == nil || o["position"] != got {
						t.Fatalf("round %d: side-%03d = %v, main = %d: torn file", round, j, o, got)
					}
				}
				if s.Format().String() != format {
					t.Fatalf("format changed to %v", s.Format())
				}
				durable = got
			}
		})
	}
}
