package tail

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/connect-go/connect-standalone/connectors/configdef"
	"github.com/connect-go/connect-standalone/connectors/pathpolicy"
)

// Configuration keys.
const (
	KeyPaths             = "paths"
	KeyExcludePaths      = "exclude.paths"
	KeyTopic             = "topic"
	KeyReadFrom          = "read.from"
	KeyBatchSize         = "batch.size"
	KeyMaxLineBytes      = "max.line.bytes"
	KeyEncoding          = "encoding"
	KeyMultilinePattern  = "multiline.pattern"
	KeyMultilineNegate   = "multiline.negate"
	KeyMultilineMatch    = "multiline.match"
	KeyMultilineTimeout  = "multiline.timeout.ms"
	KeyGlobRefresh       = "glob.refresh.interval.ms"
	KeyIgnoreOlder       = "ignore.older.ms"
	KeyRotateWait        = "rotate.wait.ms"
	KeyKey               = "key"
	KeyHeadersEnable     = "headers.enable"
	KeyPollInterval      = "poll.interval.ms"
	KeyWatchEnable       = "watch.enable"
	KeyMaxBytesPerFile   = "read.max.bytes.per.file"
	keyTaskIndex         = "task.index"
	keyTaskCount         = "task.count"
	defaultBatchSize     = 2000
	defaultMaxLineBytes  = 1 << 20
	defaultMultiTimeout  = 1000
	defaultGlobRefresh   = 1000
	defaultRotateWait    = 5000
	defaultPollInterval  = 1000
	defaultMaxBytesPerFn = 256 << 10
)

// Values of the enumerated keys.
const (
	ReadFromBeginning = "beginning"
	ReadFromEnd       = "end"
	MatchAfter        = "after"
	MatchBefore       = "before"
	KeyNone           = "none"
	KeyPath           = "path"
)

// Record header names.
const (
	HeaderPath          = "file.path"
	HeaderHost          = "host"
	HeaderLineTruncated = "file.line.truncated"
	HeaderLineBytes     = "file.line.bytes"
)

const (
	groupFiles     = "Files"
	groupLines     = "Lines"
	groupMultiline = "Multiline"
	groupRecords   = "Records"
)

func globsValidator() configdef.Validator {
	return configdef.Func(func(name string, value any) error {
		l, _ := value.([]string)
		if name == KeyPaths && len(l) == 0 {
			return errors.New("at least one glob is required, e.g. /var/log/app/*.log")
		}
		if name == KeyPaths {
			for _, g := range l {
				if _, err := compilePattern(g); err != nil {
					return err
				}
			}
			return nil
		}
		_, err := newMatcher(l)
		return err
	}, "comma-separated globs; '**' matches any number of directories")
}

func positiveMillis(max int64) configdef.Validator { return configdef.Between(int64(1), max) }

const maxMillis = int64(24 * time.Hour / time.Millisecond)

var configDef = configdef.New().
	Define(configdef.Key{Name: KeyPaths, Type: configdef.TypeList, Default: configdef.NoDefault, Validator: globsValidator(),
		Importance: configdef.High, Group: groupFiles, OrderInGroup: 1, Width: configdef.WidthLong, DisplayName: "Paths",
		Doc: "Comma-separated globs of the files to tail. '*', '?' and '[...]' match within one path segment, '**' matches any number of directories (e.g. /var/log/**/*.log). Symbolic links are followed."}).
	Define(configdef.Key{Name: KeyExcludePaths, Type: configdef.TypeList, Default: "", Validator: globsValidator(),
		Importance: configdef.Medium, Group: groupFiles, OrderInGroup: 2, Width: configdef.WidthLong, DisplayName: "Excluded paths",
		Doc: "Comma-separated globs of files to leave out, applied after paths. A glob with a '/' matches the whole path, one without matches the file name (e.g. *.gz)."}).
	Define(configdef.Key{Name: KeyTopic, Type: configdef.TypeString, Default: configdef.NoDefault, Validator: configdef.NonEmptyStringWithoutControlChars(),
		Importance: configdef.High, Group: groupRecords, OrderInGroup: 1, DisplayName: "Topic",
		Doc: "The topic to publish lines to."}).
	Define(configdef.Key{Name: KeyReadFrom, Type: configdef.TypeString, Default: ReadFromBeginning, Validator: configdef.In(ReadFromBeginning, ReadFromEnd),
		Importance: configdef.Medium, Group: groupFiles, OrderInGroup: 3, DisplayName: "Read from",
		Doc: "Where to start in the files found when the connector first runs and has no committed offsets: 'beginning' or 'end'. Files appearing later, and every file once the connector has committed offsets, are read from the beginning."}).
	Define(configdef.Key{Name: KeyBatchSize, Type: configdef.TypeInt, Default: int32(defaultBatchSize), Validator: configdef.Between(int32(1), int32(1_000_000)),
		Importance: configdef.Low, Group: groupRecords, OrderInGroup: 2, DisplayName: "Batch size",
		Doc: "The maximum number of lines a task reads per poll."}).
	Define(configdef.Key{Name: KeyMaxLineBytes, Type: configdef.TypeInt, Default: int32(defaultMaxLineBytes), Validator: configdef.Between(int32(16), int32(64<<20)),
		Importance: configdef.Medium, Group: groupLines, OrderInGroup: 1, DisplayName: "Maximum line bytes",
		Doc: "Lines (and multiline events) longer than this many bytes are cut to this length; the record carries the headers file.line.truncated=true and file.line.bytes=<original length>. The rest of the line is skipped without being buffered."}).
	Define(configdef.Key{Name: KeyEncoding, Type: configdef.TypeString, Default: "utf-8", Validator: configdef.Func(func(_ string, v any) error {
		s, _ := v.(string)
		if _, ok := lookupEncoding(s); !ok {
			return fmt.Errorf("unsupported encoding; supported: %s", strings.Join(encodingNames(), ", "))
		}
		return nil
	}, "one of "+strings.Join(encodingNames(), ", ")),
		Importance: configdef.Low, Group: groupLines, OrderInGroup: 2, DisplayName: "Encoding",
		Doc: "The files' character encoding; lines are decoded to strings. utf-8 lines are passed through byte for byte."}).
	Define(configdef.Key{Name: KeyMultilinePattern, Type: configdef.TypeString, Default: nil, Validator: configdef.Func(func(_ string, v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		if s == "" {
			return errors.New("must not be empty; leave it unset to disable multiline")
		}
		if _, err := regexp.Compile(s); err != nil {
			return errors.New("Invalid regex: " + err.Error())
		}
		return nil
	}, "valid regex (RE2 syntax)"),
		Importance: configdef.Medium, Group: groupMultiline, OrderInGroup: 1, DisplayName: "Multiline pattern",
		Doc: "A regular expression (RE2 syntax) that joins lines into one record, e.g. '^[[:space:]]' with multiline.match=after joins indented stack-trace lines to the line before. Unset: one record per line."}).
	Define(configdef.Key{Name: KeyMultilineNegate, Type: configdef.TypeBoolean, Default: false,
		Importance: configdef.Low, Group: groupMultiline, OrderInGroup: 2, DisplayName: "Multiline negate",
		Doc: "Invert the pattern: lines that do NOT match it are the ones joined (e.g. pattern '^\\d{4}-' with negate=true: every line not starting with a date continues the event)."}).
	Define(configdef.Key{Name: KeyMultilineMatch, Type: configdef.TypeString, Default: MatchAfter, Validator: configdef.In(MatchAfter, MatchBefore),
		Importance: configdef.Low, Group: groupMultiline, OrderInGroup: 3, DisplayName: "Multiline match",
		Doc: "'after': a joined line is appended to the line before it. 'before': a joined line is continued by the line after it (e.g. lines ending in a backslash)."}).
	Define(configdef.Key{Name: KeyMultilineTimeout, Type: configdef.TypeLong, Default: int64(defaultMultiTimeout), Validator: positiveMillis(maxMillis),
		Importance: configdef.Low, Group: groupMultiline, OrderInGroup: 4, DisplayName: "Multiline timeout (ms)",
		Doc: "A multiline event is sent when no line was added to it for this long."}).
	Define(configdef.Key{Name: KeyGlobRefresh, Type: configdef.TypeLong, Default: int64(defaultGlobRefresh), Validator: positiveMillis(maxMillis),
		Importance: configdef.Low, Group: groupFiles, OrderInGroup: 4, DisplayName: "Glob refresh interval (ms)",
		Doc: "How often the globs are expanded again to find new, renamed and deleted files (file-system events trigger it sooner)."}).
	Define(configdef.Key{Name: KeyIgnoreOlder, Type: configdef.TypeLong, Default: int64(0), Validator: configdef.Between(int64(0), int64(1)<<50),
		Importance: configdef.Low, Group: groupFiles, OrderInGroup: 5, DisplayName: "Ignore older (ms)",
		Doc: "If positive, files not modified for this long are not opened, and open files that have been read to the end and not modified for this long are closed. 0 disables it."}).
	Define(configdef.Key{Name: KeyRotateWait, Type: configdef.TypeLong, Default: int64(defaultRotateWait), Validator: configdef.Between(int64(0), maxMillis),
		Importance: configdef.Low, Group: groupFiles, OrderInGroup: 6, DisplayName: "Rotate wait (ms)",
		Doc: "How long a file that no longer matches any glob (renamed away or deleted) is kept open after it was read to the end, for writers that still append to it."}).
	Define(configdef.Key{Name: KeyKey, Type: configdef.TypeString, Default: KeyNone, Validator: configdef.In(KeyNone, KeyPath),
		Importance: configdef.Low, Group: groupRecords, OrderInGroup: 3, DisplayName: "Record key",
		Doc: "The record key: 'none' (null) or 'path' (the file's path, a string)."}).
	Define(configdef.Key{Name: KeyHeadersEnable, Type: configdef.TypeBoolean, Default: false,
		Importance: configdef.Low, Group: groupRecords, OrderInGroup: 4, DisplayName: "Headers",
		Doc: "Add the headers file.path (the file's path) and host (this machine's host name) to every record."}).
	Define(configdef.Key{Name: KeyPollInterval, Type: configdef.TypeLong, Default: int64(defaultPollInterval), Validator: positiveMillis(maxMillis),
		Importance: configdef.Low, Group: groupFiles, OrderInGroup: 7, DisplayName: "Poll interval (ms)",
		Doc: "How often every open file is checked for new data even without file-system events (the fallback for file systems, such as NFS, that send none)."}).
	Define(configdef.Key{Name: KeyWatchEnable, Type: configdef.TypeBoolean, Default: true,
		Importance: configdef.Low, Group: groupFiles, OrderInGroup: 8, DisplayName: "Watch with fsnotify",
		Doc: "Watch the files' directories for events (inotify/kqueue), so appended lines are read within milliseconds. With false, only polling is used."}).
	Define(configdef.Key{Name: KeyMaxBytesPerFile, Type: configdef.TypeInt, Default: int32(defaultMaxBytesPerFn), Validator: configdef.Between(int32(4096), int32(64<<20)),
		Importance: configdef.Low, Group: groupFiles, OrderInGroup: 9, DisplayName: "Bytes per file per poll",
		Doc: "The most bytes read from one file before the other files get their turn, so one busy file does not starve the rest."})

// config is a parsed, validated connector or task configuration.
type config struct {
	paths         []pattern
	exclude       *matcher
	topic         string
	readFromEnd   bool
	batchSize     int
	maxLineBytes  int
	encoding      encoding
	multiline     *regexp.Regexp
	negate        bool
	matchBefore   bool
	multiTimeout  time.Duration
	globRefresh   time.Duration
	ignoreOlder   time.Duration
	rotateWait    time.Duration
	keyPath       bool
	headers       bool
	pollInterval  time.Duration
	watch         bool
	maxBytesPerFn int
	policy        *pathpolicy.Policy // connector.allowed.paths; nil = any file
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// parseConfig validates every key, including the checks that involve more
// than one key.
func parseConfig(props map[string]string) (*config, error) {
	v, err := configDef.Parse(props)
	if err != nil {
		return nil, err
	}
	c := &config{
		topic:         v.String(KeyTopic),
		readFromEnd:   v.String(KeyReadFrom) == ReadFromEnd,
		batchSize:     int(v.Int(KeyBatchSize)),
		maxLineBytes:  int(v.Int(KeyMaxLineBytes)),
		negate:        v.Bool(KeyMultilineNegate),
		matchBefore:   v.String(KeyMultilineMatch) == MatchBefore,
		multiTimeout:  ms(v.Long(KeyMultilineTimeout)),
		globRefresh:   ms(v.Long(KeyGlobRefresh)),
		ignoreOlder:   ms(v.Long(KeyIgnoreOlder)),
		rotateWait:    ms(v.Long(KeyRotateWait)),
		keyPath:       v.String(KeyKey) == KeyPath,
		headers:       v.Bool(KeyHeadersEnable),
		pollInterval:  ms(v.Long(KeyPollInterval)),
		watch:         v.Bool(KeyWatchEnable),
		maxBytesPerFn: int(v.Int(KeyMaxBytesPerFile)),
	}
	for _, g := range v.List(KeyPaths) {
		p, err := compilePattern(g)
		if err != nil {
			return nil, err
		}
		c.paths = append(c.paths, p)
	}
	if c.exclude, err = newMatcher(v.List(KeyExcludePaths)); err != nil {
		return nil, err
	}
	c.encoding, _ = lookupEncoding(v.String(KeyEncoding))
	if !v.IsNull(KeyMultilinePattern) {
		c.multiline = regexp.MustCompile(v.String(KeyMultilinePattern))
	} else {
		for _, k := range []string{KeyMultilineNegate, KeyMultilineMatch, KeyMultilineTimeout} {
			if _, set := props[k]; set {
				return nil, configdef.NewConfigError(k, props[k], "only applies with "+KeyMultilinePattern+", which is not set")
			}
		}
	}
	return c, nil
}

// localPaths declares every glob of paths for connector.allowed.paths: its
// static prefix is checked at validation, each matched file when found.
func localPaths(props map[string]string) []pathpolicy.Use {
	var out []pathpolicy.Use
	for _, g := range configdef.SplitList(props[KeyPaths]) {
		if g != "" {
			out = append(out, pathpolicy.Use{Key: KeyPaths, Path: g, Glob: true})
		}
	}
	return out
}
