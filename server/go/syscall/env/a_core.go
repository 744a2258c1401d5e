// envtrace recorder, part 1: state and start-up. The files of this directory are appended,
// in name order, to copies of $GOROOT/src/syscall/env_unix.go and env_windows.go by the
// overlay generator (server/src/tracer/patches.ts), which renames the five original
// functions to envtraceOrig<Name> and puts the imports below on the package line (so the
// original line numbers do not move). Only low-level packages may be imported here.
//
// Settings come in ENVTRACE_* variables (server/src/tracer/settings.ts), are read once
// through the original functions, are never traced and are hidden from Environ().
// The record format is docs/FORMATS.md section 2.
package syscall

import (
	etruntime "runtime"
	etsync "sync"
	etatomic "sync/atomic"
)

//envtrace:begin

// Pushed by the runtime (server/go/runtime) with //go:linkname.
func envtraceEarlyReads(f func(key, value string, found bool, t int64))
func envtraceGoids() (id, parent uint64)
func envtraceNanotime() int64
func envtraceWalltime() int64
func envtraceArgs() []string
func envtraceSetExitHook(f func())

//go:noescape
func envtraceFPCallers(pcs []uintptr) int

// etSys holds what differs per platform; set by the exec_unix/exec_windows part before
// it calls etStart. On platforms without that part (js, wasip1, plan9) tracing stays off.
var etSys struct {
	open    func(path string) (fd uintptr, err error)
	write   func(fd uintptr, b []byte)
	getppid func() int
	getwd   func() string
	// mapWriter (Linux) maps the process file and returns the writer of records into the
	// mapping, or nil to keep write; see server/go/syscall/exec_linux.
	mapWriter func(fd uintptr, write func(fd uintptr, b []byte)) func(fd uintptr, b []byte)
}

var (
	etOn       bool    // tracing is on; written once during syscall's init
	etFd       uintptr // the process file
	etPid      int
	etParent   int // nearest traced ancestor (ENVTRACE_PARENT), 0 if none
	etSeq      etatomic.Uint64
	etDepth    = 16
	etRaceMode bool
	etNoRedact bool
	etFullEnv  bool          // ENVTRACE_FULL_ENV=1: the process record holds the whole environment
	etEnvDone  etatomic.Bool // the environment record (t:"V") is written
	etSettings []string      // ENVTRACE_* entries ("K=V") passed on to children
	etMu       etsync.RWMutex
	etKeys     map[string]*etKey
)

// etKey is what the recorder keeps per key: write generation, writes in flight, secrecy.
type etKey struct {
	gen      etatomic.Uint64
	inflight etatomic.Int32
	secret   bool
	frag     etatomic.Pointer[etFrag] // the last getenv's encoded key and value (c_record.go)
}

const etPrefix = "ENVTRACE_"

func etIsSetting(key string) bool {
	if len(key) < len(etPrefix) {
		return false
	}
	for i := 0; i < len(etPrefix); i++ {
		c := key[i]
		if etruntime.GOOS == "windows" && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != etPrefix[i] {
			return false
		}
	}
	return true
}

// etStart turns tracing on when ENVTRACE_DIR is set: opens the process file and writes
// the process record, then replays the runtime's early reads.
func etStart() {
	dir, ok := envtraceOrigGetenv(etPrefix + "DIR")
	if !ok || dir == "" || etSys.open == nil {
		return
	}
	dir = etRunDir(dir) // absolute, created when missing (j_where.go)
	run, _ := envtraceOrigGetenv(etPrefix + "RUN")
	if s, ok := envtraceOrigGetenv(etPrefix + "STACK"); ok {
		if n, ok := etAtoi(s); ok && n > 0 {
			etDepth = n
			if etDepth > etMaxDepth {
				etDepth = etMaxDepth
			}
		}
	}
	if s, _ := envtraceOrigGetenv(etPrefix + "NO_REDACT"); s == "1" {
		etNoRedact = true
	}
	if s, _ := envtraceOrigGetenv(etPrefix + "FULL_ENV"); s == "1" {
		etFullEnv = true
	}
	if s, _ := envtraceOrigGetenv(etPrefix + "RACE"); s == "1" {
		etRaceMode = etRaceEnabled
	}
	hexKey := etRunKey(dir) // ENVTRACE_KEY, ENVTRACE_KEY_FILE or the directory's key file (j_where.go)
	patterns, _ := envtraceOrigGetenv(etPrefix + "REDACT")
	parent, _ := envtraceOrigGetenv(etPrefix + "PARENT")
	etParent, _ = etAtoi(parent)
	etInitRedact(hexKey, patterns)
	secrets, _ := envtraceOrigGetenv(etPrefix + "SECRETS")
	etLoadSecrets(secrets)
	etKeys = make(map[string]*etKey)

	all := envtraceOrigEnviron()
	for _, kv := range all {
		if etHasPrefixFold(kv, etPrefix+"DIR=") {
			kv = etPrefix + "DIR=" + dir
		}
		if etIsSetting(kv) && !etHasPrefixFold(kv, etPrefix+"PARENT=") && !etHasPrefixFold(kv, etPrefix+"SECRETS=") {
			etSettings = append(etSettings, kv)
		}
	}
	etPid = Getpid()
	wall, mono := envtraceWalltime(), envtraceNanotime()
	path := dir + string(etPathSep()) + etItoa(int64(etPid)) + "-" + etItoa(wall) + ".jsonl"
	fd, err := etSys.open(path)
	if err != nil {
		return
	}
	etFd = fd
	if etSys.mapWriter != nil {
		if w := etSys.mapWriter(fd, etSys.write); w != nil {
			etSys.write = w
		}
	}

	for _, kv := range all {
		if k, v := etSplitEnv(kv); !etIsSetting(kv) && (etSecretKey(k) || etSecretValue(v)) {
			etNoteSecretValue(v)
		}
	}
	etNoteArgSecrets(envtraceArgs())
	b := make([]byte, 0, 4096)
	b = append(b, `{"t":"P","v":1,"pid":`...)
	b = etAppendInt(b, int64(etPid))
	b = append(b, `,"ppid":`...)
	b = etAppendInt(b, int64(etSys.getppid()))
	b = append(b, `,"parent":`...)
	b = etAppendInt(b, int64(etParent))
	b = append(b, `,"run":`...)
	b = etAppendStr(b, run)
	b = append(b, `,"argv":`...)
	b = etAppendArgv(b, envtraceArgs())
	b = append(b, `,"cwd":`...)
	b = etAppendStr(b, etSys.getwd())
	b = append(b, `,"go":`...)
	b = etAppendStr(b, etruntime.Version())
	b = append(b, `,"os":"`+etruntime.GOOS+`","arch":"`+etruntime.GOARCH+`","wall":`...)
	b = etAppendInt(b, wall)
	b = append(b, `,"mono":`...)
	b = etAppendInt(b, mono)
	b = append(b, `,"depth":`...)
	b = etAppendInt(b, int64(etDepth))
	b = etAppendWhere(b)
	if etRaceMode {
		b = append(b, `,"race":true`...)
	}
	if etFullEnv { // otherwise the environment record holds what the program reads through Environ
		b = append(b, `,"env":`...)
		b = etAppendEnv(b, all)
	}
	b = append(b, "}\n"...)
	etSys.write(etFd, b)
	etOn = true
	envtraceEarlyReads(etRuntimeRead)
	if !etRaceMode { // in race mode the exit hook's lock would add edges the detector must not see
		envtraceSetExitHook(etGoexit)
	}
	if etRaceMode {
		etRaceStart() // last: the recorder goroutine inherits everything set up above
	}
}

// etSplitEnv splits "K=V" (from the second byte: Windows keys may start with '=').
func etSplitEnv(kv string) (string, string) {
	for i := 1; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:]
		}
	}
	return kv, ""
}

// etAppendEnv appends entries "K=V" (without the settings) as a JSON array of {k, v} or
// {k, h, n} when the value is redacted.
func etAppendEnv(b []byte, env []string) []byte {
	b = append(b, '[')
	first := true
	for _, kv := range env {
		if etIsSetting(kv) {
			continue
		}
		k, v := etSplitEnv(kv)
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"k":`...)
		b = etAppendStr(b, k)
		b = etAppendValue(b, "v", v, etSecretKey(k))
		b = append(b, '}')
	}
	return append(b, ']')
}

func etPathSep() byte {
	if etruntime.GOOS == "windows" {
		return '\\'
	}
	return '/'
}

func etHasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && etIsSetting(s) && s[len(etPrefix):len(prefix)] == prefix[len(etPrefix):]
}

// etKeyState returns the recorder's state for key, creating it on first sight.
func etKeyState(key string) *etKey {
	etMu.RLock()
	ks := etKeys[key]
	etMu.RUnlock()
	if ks != nil {
		return ks
	}
	etMu.Lock()
	defer etMu.Unlock()
	if ks = etKeys[key]; ks == nil {
		ks = &etKey{secret: etSecretKey(key)}
		etKeys[key] = ks
	}
	return ks
}

// etRuntimeRead writes one of the runtime's own early reads (no stack).
func etRuntimeRead(key, value string, found bool, t int64) {
	g, pg := envtraceGoids()
	ks := etKeyState(key)
	var e etEvent
	e.op, e.key, e.value, e.found, e.t0, e.t1, e.g, e.pg = "getenv", key, value, found, t, t, g, pg
	e.api, e.secret, e.hasKey, e.hasValue = "runtime", ks.secret, true, found
	etEmit(&e)
}
