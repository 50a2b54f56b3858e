// Command benchtool is the measuring half of `make bench` (.ci/bench.sh): it
// generates inputs, runs a program while measuring it (wall time to a
// condition, CPU seconds and peak RSS from rusage), counts records in a
// topic, drives the tail-latency scenario, runs a bare sarama producer as a
// bound, and prints the table of medians. It is a tool, not part of the
// runtime; it lives under runner/kafka so that sarama stays inside that tree.
//
// Results are appended to a TSV file, one measurement a line:
// scenario, implementation, run, metric, value.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/IBM/sarama"
	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner/kafka"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool gen|measure|produce|latency|deltopic|freeport|table ...")
		os.Exit(2)
	}
	// As main does for the runtime: sarama's go-metrics off, so the bare
	// producer pays what ours pays.
	kafka.SetupGlobals(zerolog.Nop())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmds := map[string]func(context.Context, []string) error{
		"gen": gen, "measure": measure, "produce": produce, "latency": latency,
		"deltopic": deltopic, "mktopic": mktopic, "freeport": freeport, "table": table,
	}
	cmd, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "benchtool: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
	if err := cmd(ctx, os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "benchtool %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// gen writes n lines of about size bytes (newline included) to stdout:
// a sequence number and printable filler that varies from line to line.
func gen(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	n := fs.Int("n", 1000000, "lines")
	size := fs.Int("size", 120, "bytes per line, newline included")
	if err := fs.Parse(args); err != nil {
		return err
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_"
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	line := make([]byte, 0, *size+32)
	for i := range *n {
		line = strconv.AppendInt(line[:0], int64(i), 10)
		line = append(line, ' ')
		for j := len(line); j < *size-1; j++ {
			line = append(line, alphabet[(i*7+j*13)%len(alphabet)])
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return w.Flush()
}

func saramaConfig(brokers string, props map[string]string) (*sarama.Config, []string, error) {
	if props == nil {
		props = map[string]string{}
	}
	props["bootstrap.servers"] = brokers
	cfg, err := kafka.NewClientConfig(kafka.KindProducer, props)
	if err != nil {
		return nil, nil, err
	}
	return cfg.SaramaConfig(), cfg.Brokers, nil
}

// endOffsets sums the high watermarks of the topic's partitions; a topic
// that does not exist yet counts 0.
func endOffsets(client sarama.Client, topic string) (int64, error) {
	if err := client.RefreshMetadata(topic); err != nil {
		if errors.Is(err, sarama.ErrUnknownTopicOrPartition) {
			return 0, nil
		}
		return 0, err
	}
	parts, err := client.Partitions(topic)
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, p := range parts {
		off, err := client.GetOffset(topic, p, sarama.OffsetNewest)
		if err != nil {
			return 0, err
		}
		sum += off
	}
	return sum, nil
}

type result struct {
	w                   io.Writer
	scenario, impl, run string
}

func (r result) put(metric string, v float64) {
	fmt.Fprintf(r.w, "%s\t%s\t%s\t%s\t%g\n", r.scenario, r.impl, r.run, metric, v)
}

// measure runs a command until a condition holds, then stops it with
// SIGTERM and records wall time (start to condition), CPU seconds and peak
// RSS of the process (not of its children: the command must exec the
// measured program directly).
func measure(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("measure", flag.ContinueOnError)
	out := fs.String("tsv", "", "results file (appended)")
	scenario := fs.String("scenario", "", "scenario name")
	impl := fs.String("impl", "", "implementation name")
	run := fs.String("run", "1", "run number")
	brokers := fs.String("brokers", "", "bootstrap servers for -topic")
	topic := fs.String("topic", "", "done when the topic holds -expect records")
	expect := fs.Int64("expect", 0, "records expected in -topic (and checked after the run)")
	sizeFile := fs.String("size-file", "", "done when this file holds -size bytes")
	size := fs.Int64("size", 0, "bytes expected in -size-file")
	bytes := fs.Int64("bytes", 0, "payload bytes moved, for MB/s")
	health := fs.String("health", "", "done when GET of this URL answers 200")
	idle := fs.Duration("idle", 0, "after the condition, idle this long and record the RSS")
	stdout := fs.String("stdout", "", "send the command's stdout to this file")
	stderr := fs.String("stderr", "", "append the command's stderr to this file")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("no command after the flags")
	}
	f, err := os.OpenFile(*out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	res := result{f, *scenario, *impl, *run}

	var client sarama.Client
	if *topic != "" {
		sc, bs, err := saramaConfig(*brokers, nil)
		if err != nil {
			return err
		}
		if client, err = sarama.NewClient(bs, sc); err != nil {
			return err
		}
		defer client.Close()
	}

	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stderr = os.Stderr
	if *stderr != "" {
		e, err := os.OpenFile(*stderr, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer e.Close()
		cmd.Stderr = e
	}
	if *stdout != "" {
		o, err := os.Create(*stdout)
		if err != nil {
			return err
		}
		defer o.Close()
		cmd.Stdout = o
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	deadline := time.After(*timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	var elapsed time.Duration
	var runErr error
	done := false
	reached := func() (bool, error) {
		switch {
		case *topic != "":
			n, err := endOffsets(client, *topic)
			return n >= *expect, err
		case *sizeFile != "":
			st, err := os.Stat(*sizeFile)
			if errors.Is(err, os.ErrNotExist) {
				return false, nil
			}
			return err == nil && st.Size() >= *size, err
		case *health != "":
			resp, err := http.Get(*health)
			if err != nil {
				return false, nil
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK, nil
		}
		return false, nil
	}
	if *topic == "" && *sizeFile == "" && *health == "" {
		runErr = <-exited
		elapsed, done = time.Since(start), true
		exited <- runErr // for the cleanup below
	}
	for !done {
		select {
		case runErr = <-exited:
			elapsed, done = time.Since(start), true
			if ok, _ := reached(); !ok && runErr == nil {
				runErr = errors.New("the command exited before the condition held")
			}
			exited <- runErr // for the cleanup below
		case <-deadline:
			runErr, done = errors.New("timed out"), true
			elapsed = time.Since(start)
		case <-ctx.Done():
			runErr, done = ctx.Err(), true
		case <-tick.C:
			ok, err := reached()
			if err != nil {
				fmt.Fprintf(os.Stderr, "benchtool: condition: %v\n", err)
			}
			if ok {
				elapsed, done = time.Since(start), true
			}
		}
	}
	if *idle > 0 && runErr == nil {
		select {
		case <-time.After(*idle):
			st := procStatus(cmd.Process.Pid)
			// RssFile is the binary's clean, shared pages; RssAnon the heap,
			// stacks and written data: the part the program's code decides.
			res.put("idle_rss_mb", float64(st["VmRSS"])/1024)
			res.put("idle_anon_mb", float64(st["RssAnon"])/1024)
			res.put("idle_file_mb", float64(st["RssFile"])/1024)
		case err := <-exited:
			exited <- err
			runErr = errors.New("the command exited while idle")
		}
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited: // its exit status after our SIGTERM does not matter
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	if runErr != nil {
		res.put("fail", 1)
		return runErr
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	sec := elapsed.Seconds()
	res.put("wall_s", sec)
	if ru != nil {
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		res.put("cpu_s", cpu.Seconds())
		res.put("rss_mb", float64(ru.Maxrss)/1024)
	}
	if *health != "" {
		res.put("healthy_ms", float64(elapsed.Microseconds())/1000)
	}
	if *bytes > 0 {
		res.put("mb_s", float64(*bytes)/1e6/sec)
	}
	if *expect > 0 {
		res.put("rec_s", float64(*expect)/sec)
	}
	if *topic != "" {
		n, err := endOffsets(client, *topic)
		if err != nil {
			return err
		}
		if n != *expect {
			res.put("fail", 1)
			return fmt.Errorf("%s %s run %s: topic %s holds %d records, want %d", *scenario, *impl, *run, *topic, n, *expect)
		}
	}
	return nil
}

// procStatus reads the KiB-valued lines of /proc/PID/status (VmRSS,
// RssAnon, RssFile, ...); a missing file gives an empty map.
func procStatus(pid int) map[string]int64 {
	out := map[string]int64{}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return out
	}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(l, ":")
		v = strings.TrimSpace(v)
		if !ok || !strings.HasSuffix(v, " kB") {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64); err == nil {
			out[k] = n
		}
	}
	return out
}

// produce is the bare sarama async producer: each line of the file becomes
// one record, sent with the sarama configuration a Connect source task's
// producer gets (the worker's defaults, overridable with -X key=value),
// and it exits once every record is acknowledged.
func produce(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("produce", flag.ContinueOnError)
	brokers := fs.String("brokers", "", "bootstrap servers")
	topic := fs.String("topic", "", "topic")
	file := fs.String("file", "", "input, one record a line")
	props := kafka.ProducerDefaults("bare", 0)
	pairFlag(fs, "X", "producer property key=value", "key=value", props)
	if err := fs.Parse(args); err != nil {
		return err
	}
	sc, bs, err := saramaConfig(*brokers, props)
	if err != nil {
		return err
	}
	sc.Producer.Partitioner = sarama.NewManualPartitioner // partition 0, as ours with a null key and one partition
	in, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer in.Close()
	p, err := sarama.NewAsyncProducer(bs, sc)
	if err != nil {
		return err
	}
	var sent, acked int64
	var firstErr error
	drained := make(chan struct{})
	go func() { // the only reader of both result channels
		defer close(drained)
		succ, errs := p.Successes(), p.Errors()
		for succ != nil || errs != nil {
			select {
			case _, ok := <-succ:
				if !ok {
					succ = nil
					continue
				}
				acked++
			case e, ok := <-errs:
				if !ok {
					errs = nil
					continue
				}
				if firstErr == nil {
					firstErr = e.Err
				}
			}
		}
	}()
	sc2 := bufio.NewScanner(in)
	sc2.Buffer(make([]byte, 1<<20), 1<<20)
	for sc2.Scan() && ctx.Err() == nil {
		v := make([]byte, len(sc2.Bytes()))
		copy(v, sc2.Bytes())
		p.Input() <- &sarama.ProducerMessage{Topic: *topic, Value: sarama.ByteEncoder(v)}
		sent++
	}
	p.AsyncClose()
	<-drained
	if err := sc2.Err(); err != nil {
		return err
	}
	if firstErr != nil {
		return firstErr
	}
	if acked != sent {
		return fmt.Errorf("%d of %d records acknowledged", acked, sent)
	}
	return ctx.Err()
}

// latency appends timestamped lines to a file at a fixed rate while
// consuming the topic, and records the append-to-consumed latency
// percentiles of the lines written after a warm-up.
func latency(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("latency", flag.ContinueOnError)
	out := fs.String("tsv", "", "results file (appended)")
	scenario := fs.String("scenario", "S5", "scenario name")
	impl := fs.String("impl", "", "implementation name")
	run := fs.String("run", "1", "run number")
	brokers := fs.String("brokers", "", "bootstrap servers")
	topic := fs.String("topic", "", "topic the pipeline writes to")
	file := fs.String("file", "", "file to append to")
	rate := fs.Int("rate", 10000, "lines per second")
	dur := fs.Duration("duration", 5*time.Second, "measured period")
	warm := fs.Duration("warmup", time.Second, "unmeasured period before it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sc, bs, err := saramaConfig(*brokers, nil)
	if err != nil {
		return err
	}
	sc.Consumer.MaxWaitTime = 50 * time.Millisecond
	sc.Consumer.Fetch.Min = 1
	client, err := sarama.NewClient(bs, sc)
	if err != nil {
		return err
	}
	defer client.Close()
	cons, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		return err
	}
	defer cons.Close()
	// The pipeline's first record creates the topic: write one probe line
	// and wait for it before starting the clock.
	w, err := os.OpenFile(*file, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer w.Close()
	var pc sarama.PartitionConsumer
	for i := 0; pc == nil; i++ {
		if i == 1500 {
			return errors.New("the pipeline delivered nothing within 30 s")
		}
		if i%25 == 0 { // again every 500 ms: a pipeline may start at the end of the file
			// 8 KB: kcat reads stdin in stdio blocks (4 KB) and sends
			// nothing until a block is full, so a short probe never arrives.
			if _, err := w.WriteString("probe " + strings.Repeat("p", 8<<10) + "\n"); err != nil {
				return err
			}
		}
		if n, _ := endOffsets(client, *topic); n > 0 {
			if pc, err = cons.ConsumePartition(*topic, 0, sarama.OffsetOldest); err != nil {
				return err
			}
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	defer pc.Close()

	warmN := int(warm.Seconds() * float64(*rate))
	total := warmN + int(dur.Seconds()*float64(*rate))
	lat := make([]time.Duration, 0, total)
	recvDone := make(chan error, 1)
	go func() { // owned: ends when every line arrived, on timeout, or on ctx
		seen := 0
		timeout := time.After(*warm + *dur + 30*time.Second)
		for seen < total {
			select {
			case m := <-pc.Messages():
				now := time.Now()
				seq, ts, ok := parseStamp(m.Value)
				if !ok {
					continue
				}
				seen++
				if seq >= warmN {
					lat = append(lat, now.Sub(time.Unix(0, ts)))
				}
			case e := <-pc.Errors():
				recvDone <- e
				return
			case <-timeout:
				recvDone <- fmt.Errorf("%d of %d lines arrived", seen, total)
				return
			case <-ctx.Done():
				recvDone <- ctx.Err()
				return
			}
		}
		recvDone <- nil
	}()

	// Lines go out in 1 ms ticks so the rate holds without a burst pattern.
	perTick := max(*rate/1000, 1)
	tick := time.NewTicker(time.Millisecond * time.Duration(max(1000 / *rate, 1)))
	defer tick.Stop()
	buf := make([]byte, 0, 4096)
	for seq := 0; seq < total; {
		<-tick.C
		buf = buf[:0]
		now := time.Now().UnixNano()
		for i := 0; i < perTick && seq < total; i++ {
			buf = fmt.Appendf(buf, "%d %d %s\n", seq, now, "latency-probe-padding-padding-padding-padding-padding-padding-padding-padding")
			seq++
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	// Filler lines until everything arrived: a pipeline reading its input
	// in blocks (kcat) holds the last lines back until more come.
	for waiting := true; waiting; {
		select {
		case err := <-recvDone:
			if err != nil {
				return err
			}
			waiting = false
		case <-time.After(20 * time.Millisecond):
			if _, err := w.WriteString("probe\n"); err != nil {
				return err
			}
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		return float64(lat[min(int(p*float64(len(lat))), len(lat)-1)].Microseconds()) / 1000
	}
	f, err := os.OpenFile(*out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	res := result{f, *scenario, *impl, *run}
	res.put("p50_ms", pct(0.50))
	res.put("p99_ms", pct(0.99))
	return nil
}

func parseStamp(v []byte) (seq int, ts int64, ok bool) {
	f := strings.Fields(string(v))
	if len(f) < 2 {
		return 0, 0, false
	}
	s, err1 := strconv.Atoi(f[0])
	t, err2 := strconv.ParseInt(f[1], 10, 64)
	return s, t, err1 == nil && err2 == nil
}

// deltopic deletes topics so the in-memory dev broker does not grow from
// run to run.
func deltopic(_ context.Context, args []string) error {
	return eachTopic("deltopic", args, func(admin sarama.ClusterAdmin, t string) error {
		if err := admin.DeleteTopic(t); err != nil && !errors.Is(err, sarama.ErrUnknownTopicOrPartition) {
			return fmt.Errorf("delete %s: %w", t, err)
		}
		return nil
	})
}

// mktopic creates one-partition topics (existing ones are kept), so that a
// pipeline under test never waits for a topic to be auto-created.
func mktopic(_ context.Context, args []string) error {
	return eachTopic("mktopic", args, func(admin sarama.ClusterAdmin, t string) error {
		err := admin.CreateTopic(t, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1}, false)
		if err != nil && !errors.Is(err, sarama.ErrTopicAlreadyExists) {
			return fmt.Errorf("create %s: %w", t, err)
		}
		return nil
	})
}

// eachTopic parses "-brokers B TOPIC..." and runs fn for every topic with
// one cluster admin.
func eachTopic(name string, args []string, fn func(sarama.ClusterAdmin, string) error) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	brokers := fs.String("brokers", "", "bootstrap servers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sc, bs, err := saramaConfig(*brokers, nil)
	if err != nil {
		return err
	}
	admin, err := sarama.NewClusterAdmin(bs, sc)
	if err != nil {
		return err
	}
	defer admin.Close()
	for _, t := range fs.Args() {
		if err := fn(admin, t); err != nil {
			return err
		}
	}
	return nil
}

// freeport prints n TCP ports that were free a moment ago.
func freeport(_ context.Context, args []string) error {
	n := 1
	if len(args) > 0 {
		n, _ = strconv.Atoi(args[0])
	}
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		ls = append(ls, l)
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
	}
	return nil
}

// pairFlag is a repeatable flag of k=v pairs collected into into; shape
// names the expected form in errors.
func pairFlag(fs *flag.FlagSet, name, usage, shape string, into map[string]string) {
	fs.Func(name, usage, func(s string) error {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return fmt.Errorf("want %s, got %q", shape, s)
		}
		into[k] = v
		return nil
	})
}

// table prints, per scenario, the median of every metric per implementation
// (failed runs excluded and counted) and the ratio of each of ours (the
// implementations named ours*) to the scenario's reference.
func table(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("table", flag.ContinueOnError)
	in := fs.String("tsv", "", "results file")
	refs := map[string]string{}
	pairFlag(fs, "ref", "scenario=implementation (or scenario=scenario/implementation): the reference of a scenario",
		"scenario=implementation", refs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	type key struct{ scenario, impl, metric string }
	vals := map[key][]float64{}
	failed := map[key]map[string]bool{} // scenario/impl -> failed runs
	var scenarios []string
	impls := map[string][]string{}
	metrics := map[string][]string{}
	addOnce := func(list []string, s string) []string {
		for _, x := range list {
			if x == s {
				return list
			}
		}
		return append(list, s)
	}
	type row struct {
		scenario, impl, run, metric string
		v                           float64
	}
	var rows []row
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 5 {
			continue
		}
		v, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			continue
		}
		rows = append(rows, row{f[0], f[1], f[2], f[3], v})
		if f[3] == "fail" {
			k := key{f[0], f[1], ""}
			if failed[k] == nil {
				failed[k] = map[string]bool{}
			}
			failed[k][f[2]] = true
		}
	}
	for _, r := range rows {
		scenarios = addOnce(scenarios, r.scenario)
		impls[r.scenario] = addOnce(impls[r.scenario], r.impl)
		if r.metric == "fail" || failed[key{r.scenario, r.impl, ""}][r.run] {
			continue
		}
		metrics[r.scenario] = addOnce(metrics[r.scenario], r.metric)
		k := key{r.scenario, r.impl, r.metric}
		vals[k] = append(vals[k], r.v)
	}
	median := func(xs []float64) (float64, bool) {
		if len(xs) == 0 {
			return 0, false
		}
		s := append([]float64(nil), xs...)
		sort.Float64s(s)
		if len(s)%2 == 1 {
			return s[len(s)/2], true
		}
		return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
	}
	labels := map[string]string{
		"mb_s": "MB/s", "rec_s": "records/s", "wall_s": "wall s", "cpu_s": "CPU s", "rss_mb": "peak RSS MB",
		"healthy_ms": "exec → /health 200 ms", "idle_rss_mb": "RSS after idle MB",
		"idle_anon_mb": "  of which anonymous MB", "idle_file_mb": "  of which binary image MB", "p50_ms": "p50 ms", "p99_ms": "p99 ms",
	}
	for _, sc := range scenarios {
		ref := refs[sc]
		ims := impls[sc]
		// ours first, the reference last: the ratio column is first / reference
		sort.SliceStable(ims, func(i, j int) bool { return rank(ims[i], ref) < rank(ims[j], ref) })
		fmt.Printf("\n%s\n\n| metric |", sc)
		for _, im := range ims {
			runs := len(vals[key{sc, im, metrics[sc][0]}])
			fmt.Printf(" %s (%d ok", im, runs)
			if n := len(failed[key{sc, im, ""}]); n > 0 {
				fmt.Printf(", %d FAILED", n)
			}
			fmt.Print(") |")
		}
		// refOf is what im is compared with: the scenario's reference, or
		// for a reference in another scenario ("S1/ours") the same variant
		// there when it exists (S3's ours-batch1m with S1's ours-batch1m).
		refOf := func(im string) (string, string) {
			a, b, ok := strings.Cut(ref, "/")
			if !ok {
				return sc, ref
			}
			if slices.Contains(impls[a], im) {
				return a, im
			}
			return a, b
		}
		// a ratio column for every implementation of ours (variants included)
		var ours []string
		if ref != "" {
			for _, im := range ims {
				if rank(im, ref) == 0 {
					ours = append(ours, im)
					refSc, refIm := refOf(im)
					if refSc != sc {
						refIm = refSc + "/" + refIm
					}
					fmt.Printf(" %s / %s |", im, refIm)
				}
			}
		}
		fmt.Print("\n|---|")
		for range len(ims) + len(ours) {
			fmt.Print("---:|")
		}
		fmt.Println()
		for _, m := range metrics[sc] {
			label := labels[m]
			if label == "" {
				label = m
			}
			fmt.Printf("| %s |", label)
			for _, im := range ims {
				if v, ok := median(vals[key{sc, im, m}]); ok {
					fmt.Printf(" %.4g |", v)
				} else {
					fmt.Print(" – |")
				}
			}
			for _, im := range ours {
				refSc, refIm := refOf(im)
				a, ok1 := median(vals[key{sc, im, m}])
				r, ok2 := median(vals[key{refSc, refIm, m}])
				if ok1 && ok2 && r != 0 {
					fmt.Printf(" %.2f |", a/r)
				} else {
					fmt.Print(" – |")
				}
			}
			fmt.Println()
		}
	}
	return nil
}

func rank(impl, ref string) int {
	switch {
	case strings.HasPrefix(impl, "ours"):
		return 0
	case impl == ref:
		return 2
	}
	return 1
}
