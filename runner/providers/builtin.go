package providers

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rs/zerolog"

	"github.com/connect-go/connect-standalone/runner/configfile"
)

// AllowedPathsKey is the allowed.paths parameter of the file and directory providers.
const AllowedPathsKey = "allowed.paths"

// AllowedPaths is org.apache.kafka.common.config.internals.AllowedPaths.
// A nil *AllowedPaths (parameter absent or empty) allows everything.
//
// Deliberate hardening beyond Kafka: besides Kafka's lexical check (the
// normalised path must start, component-wise, with an allowed path),
// symlinks are resolved on both sides and the real target must also lie
// under a real allowed path, so a link inside an allowed directory cannot
// expose files outside it.
type AllowedPaths struct {
	paths []string // normalised, as configured
	real  []string // with symlinks resolved
}

// ParseAllowedPaths parses the allowed.paths value: comma-separated (not
// trimmed, as in Kafka), each absolute and existing.
func ParseAllowedPaths(value string) (*AllowedPaths, error) {
	if value == "" {
		return nil, nil
	}
	ap := &AllowedPaths{}
	for _, p := range javaSplitComma(value) {
		n := normalize(p)
		if !filepath.IsAbs(n) {
			return nil, &ConfigError{Msg: "Path " + n + " is not absolute"}
		}
		if _, err := os.Stat(n); err != nil {
			return nil, &ConfigError{Msg: "Path " + n + " does not exist"}
		}
		r, err := filepath.EvalSymlinks(n)
		if err != nil {
			r = n
		}
		ap.paths = append(ap.paths, n)
		ap.real = append(ap.real, r)
	}
	return ap, nil
}

// normalize is Path.normalize(); "" stays "" (Go's Clean would give ".").
func normalize(p string) string {
	if p == "" {
		return ""
	}
	return filepath.Clean(p)
}

// under reports whether p equals base or lies below it, component-wise (Path.startsWith).
func under(p, base string) bool {
	if p == base {
		return true
	}
	if base == string(filepath.Separator) {
		return strings.HasPrefix(p, base)
	}
	return strings.HasPrefix(p, base+string(filepath.Separator))
}

// Check returns the path to access, or "" and false when path is not allowed
// (AllowedPaths.parseUntrustedPath).
func (a *AllowedPaths) Check(path string) (string, bool) {
	if a == nil {
		return path, true
	}
	n := normalize(path)
	ok := false
	for _, base := range a.paths {
		if under(n, base) {
			ok = true
			break
		}
	}
	if !ok {
		return "", false
	}
	return n, a.realUnder(n)
}

// realUnder is the symlink hardening: a path that does not exist (yet)
// cannot escape; otherwise its real location must be allowed too.
func (a *AllowedPaths) realUnder(p string) bool {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	for _, base := range a.real {
		if under(r, base) {
			return true
		}
	}
	return false
}

// FileConfigProvider is org.apache.kafka.common.config.provider.FileConfigProvider:
// ${file:/path/to/file.properties:key} reads the key from a properties file.
type FileConfigProvider struct {
	allowed *AllowedPaths
	log     zerolog.Logger
}

// SetLogger implements Loggable.
func (p *FileConfigProvider) SetLogger(l zerolog.Logger) { p.log = l }

// Configure reads allowed.paths.
func (p *FileConfigProvider) Configure(params map[string]string) error {
	ap, err := ParseAllowedPaths(params[AllowedPathsKey])
	if err != nil {
		return err
	}
	p.allowed = ap
	return nil
}

// Get loads the properties file at path (UTF-8) and returns the wanted keys.
func (p *FileConfigProvider) Get(path string, keys []string) (map[string]string, error) {
	data := map[string]string{}
	if path == "" {
		return data, nil
	}
	fp, ok := p.allowed.Check(path)
	if !ok {
		p.log.Warn().Msgf("The path %s is not allowed to be accessed", path)
		return data, nil
	}
	raw, err := os.ReadFile(fp)
	if err != nil {
		p.log.Error().Err(err).Msgf("Could not read properties from file %s", path)
		return nil, &ConfigError{Msg: "Could not read properties from file " + path}
	}
	props, err := configfile.ParseProperties(raw)
	if err != nil {
		return nil, &ConfigError{Msg: "Could not read properties from file " + path + ": " + err.Error()}
	}
	for _, k := range keys {
		if v, ok := props[k]; ok {
			data[k] = v
		}
	}
	return data, nil
}

// Close implements Provider.
func (p *FileConfigProvider) Close() error { return nil }

// DirectoryConfigProvider is org.apache.kafka.common.config.provider.DirectoryConfigProvider:
// ${dir:/some/dir:name} is the content of the regular file /some/dir/name,
// read as UTF-8 and not trimmed.
type DirectoryConfigProvider struct {
	allowed *AllowedPaths
	log     zerolog.Logger
}

// SetLogger implements Loggable.
func (p *DirectoryConfigProvider) SetLogger(l zerolog.Logger) { p.log = l }

// Configure reads allowed.paths.
func (p *DirectoryConfigProvider) Configure(params map[string]string) error {
	ap, err := ParseAllowedPaths(params[AllowedPathsKey])
	if err != nil {
		return err
	}
	p.allowed = ap
	return nil
}

// Get returns the contents of the regular files in directory path named by keys.
func (p *DirectoryConfigProvider) Get(path string, keys []string) (map[string]string, error) {
	data := map[string]string{}
	if path == "" {
		return data, nil
	}
	dir, ok := p.allowed.Check(path)
	if !ok {
		p.log.Warn().Msgf("The path %s is not allowed to be accessed", path)
		return data, nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		p.log.Warn().Msgf("The path %s is not a directory", path)
		return data, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &ConfigError{Msg: "Could not list directory " + dir}
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	for _, e := range entries {
		if !want[e.Name()] {
			continue
		}
		fp := filepath.Join(dir, e.Name())
		st, err := os.Stat(fp) // follows links, like Files.isRegularFile
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		if p.allowed != nil && !p.allowed.realUnder(fp) {
			p.log.Warn().Msgf("The path %s is not allowed to be accessed", fp)
			continue
		}
		b, err := os.ReadFile(fp)
		if err != nil {
			return nil, &ConfigError{Msg: "Could not read file " + fp + " for property " + e.Name()}
		}
		data[e.Name()] = strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return data, nil
}

// Close implements Provider.
func (p *DirectoryConfigProvider) Close() error { return nil }

// AllowlistPatternKey is EnvVarConfigProvider's allowlist.pattern parameter.
const AllowlistPatternKey = "allowlist.pattern"

// EnvVarConfigProvider is org.apache.kafka.common.config.provider.EnvVarConfigProvider:
// ${env:VAR}; only variables whose whole name matches allowlist.pattern
// (default .*) are visible. The pattern is compiled by Go's regexp (RE2),
// so Java-only regex constructs are rejected.
type EnvVarConfigProvider struct {
	pattern *regexp.Regexp
	// Env overrides the process environment (tests); nil = os.Environ.
	Env map[string]string
	log zerolog.Logger
}

// SetLogger implements Loggable.
func (p *EnvVarConfigProvider) SetLogger(l zerolog.Logger) { p.log = l }

// Configure compiles allowlist.pattern.
func (p *EnvVarConfigProvider) Configure(params map[string]string) error {
	pat, ok := params[AllowlistPatternKey]
	if !ok {
		pat = ".*"
		p.log.Info().Msg("No pattern for environment variables provided. Using default pattern '(.*)'.")
	}
	re, err := regexp.Compile(`^(?:` + pat + `)$`)
	if err != nil {
		return &ConfigError{Msg: "Invalid value " + pat + " for configuration " + AllowlistPatternKey + ": " + err.Error()}
	}
	p.pattern = re
	return nil
}

// Get returns the allowed environment variables named by keys; path must be empty.
func (p *EnvVarConfigProvider) Get(path string, keys []string) (map[string]string, error) {
	if path != "" {
		p.log.Error().Msgf("Path is not supported for EnvVarConfigProvider, invalid value '%s'", path)
		return nil, &ConfigError{Msg: "Path is not supported for EnvVarConfigProvider, invalid value '" + path + "'"}
	}
	data := map[string]string{}
	for _, k := range keys {
		var v string
		var ok bool
		if p.Env != nil {
			v, ok = p.Env[k]
		} else {
			v, ok = os.LookupEnv(k)
		}
		if ok && (p.pattern == nil || p.pattern.MatchString(k)) {
			data[k] = v
		}
	}
	return data, nil
}

// Close implements Provider.
func (p *EnvVarConfigProvider) Close() error { return nil }
