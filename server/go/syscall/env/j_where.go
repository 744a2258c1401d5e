// envtrace recorder, part 10: where the process runs (the process record's "where":
// host, container, Kubernetes pod and namespace, service) and the redaction key of a
// process that was given none (a binary from `envtrace build` run with ENVTRACE_DIR alone).
// Runs once, in etStart, only when tracing is on. Its variables are read through the
// original functions and its files through raw system calls: none of it is an event of the
// program, and nothing here calls back into the recorder. docs/FORMATS.md section 2.
package syscall

//envtrace:begin

// Pushed by the runtime (server/go/runtime): the build information the linker stored.
func envtraceModinfo() string

// etHost holds the file access of the platforms that have it (set by the exec_unix part
// before etStart); nil elsewhere, where "where" has only what the environment says.
var etHost struct {
	// readFile returns the bytes of a regular file (at most max), nil when it cannot;
	// follow: whether the last path element may be a symbolic link.
	readFile func(path string, max int, follow bool) []byte
	// random fills b from the system's random source; false when it cannot.
	random func(b []byte) bool
	// mkdir creates a directory (mode 0700) when it does not exist.
	mkdir func(path string)
	// publish makes path hold data unless it already exists (atomically: a reader never
	// sees it half written); false when neither it nor an existing path could be had.
	publish func(path string, data []byte) bool
	// ownFile reads up to max bytes of a file only this user may read or change: a regular
	// file, not a symbolic link, owned by the effective user, no permission for group or
	// others. nil and "" when it does not exist; else why it is not such a file.
	ownFile func(path string, max int) ([]byte, string)
	// warn writes one line to the process's standard error.
	warn func(msg string)
}

// etRunDir returns ENVTRACE_DIR made absolute (children may run elsewhere) and creates its
// last element when missing, so `ENVTRACE_DIR=trace ./app` just works.
func etRunDir(dir string) string {
	if !etIsAbs(dir) {
		if wd := etSys.getwd(); wd != "" {
			dir = wd + string(etPathSep()) + dir
		}
	}
	if etHost.mkdir != nil {
		etHost.mkdir(dir)
	}
	return dir
}

func etIsAbs(p string) bool {
	if etPathSep() == '/' {
		return len(p) > 0 && p[0] == '/'
	}
	return len(p) > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') || len(p) > 1 && p[0] == '\\' && p[1] == '\\'
}

// etKeyFile is the name of the key file made in a run directory for processes given no key.
const etKeyFile = "key"

// etRunKey returns the hex key of the redaction hash: ENVTRACE_KEY; else the file named by
// ENVTRACE_KEY_FILE (a mounted secret); else the run directory's key file, made now with a
// fresh random key when it does not exist yet, so every process recording into the
// directory shares it; else "" (hashes then compare within this process only).
// A key file that another user owns or may read or change (a shared directory: someone could
// have planted a key they know, and test guesses of a secret against its hashes) is not used:
// the process warns on stderr and hashes with a key of its own, which never leaves it.
func etRunKey(dir string) string {
	if k, _ := envtraceOrigGetenv(etPrefix + "KEY"); k != "" {
		return k
	}
	if etHost.readFile == nil {
		return ""
	}
	if p, _ := envtraceOrigGetenv(etPrefix + "KEY_FILE"); p != "" {
		if k := etKeyText(etHost.readFile(p, 4096, true)); k != "" {
			return k
		}
	}
	path := dir + string(etPathSep()) + etKeyFile
	if etHost.ownFile == nil {
		return ""
	}
	data, problem := etHost.ownFile(path, 4096)
	if data == nil && problem == "" {
		var raw [16]byte
		if !etHost.random(raw[:]) || !etHost.publish(path, append(etAppendHexBytes(nil, raw[:]), '\n')) {
			return ""
		}
		data, problem = etHost.ownFile(path, 4096) // ours, or the key of a process that was first
	}
	k := etKeyText(data)
	if k == "" && problem == "" {
		problem = "does not start with 32 hex digits"
	}
	if problem != "" {
		etHost.warn("envtrace: not using " + path + " as the redaction key: it " + problem +
			"; this process hashes secret values with a key of its own (its hashes compare with no other process's)." +
			" Remove the file, or give a key with ENVTRACE_KEY_FILE\n")
		return ""
	}
	return k
}

func etAppendHexBytes(b, raw []byte) []byte {
	for _, c := range raw {
		b = append(b, etHexDigits[c>>4], etHexDigits[c&15])
	}
	return b
}

// etAppendWhere appends ,"where":{…} with the fields that are known (none: nothing).
func etAppendWhere(b []byte) []byte {
	read := func(path string, max int, follow bool) string {
		if etHost.readFile == nil {
			return ""
		}
		return string(etHost.readFile(path, max, follow))
	}
	env := func(keys ...string) string {
		for _, k := range keys {
			if v, _ := envtraceOrigGetenv(k); v != "" {
				return v
			}
		}
		return ""
	}
	host := etTrimSpace(read("/proc/sys/kernel/hostname", 256, false))
	container := ""
	if cg := read("/proc/self/cgroup", 64<<10, false); cg != "" {
		container = etContainerID(cg, read("/proc/self/mountinfo", 1<<20, false))
	}
	pod := env("POD_NAME", "K8S_POD_NAME")
	namespace := env("POD_NAMESPACE", "K8S_NAMESPACE")
	if env("KUBERNETES_SERVICE_HOST") != "" {
		if pod == "" {
			pod = host // a pod's host name is its name unless the spec sets hostname
		}
		if namespace == "" {
			namespace = etTrimSpace(read("/var/run/secrets/kubernetes.io/serviceaccount/namespace", 256, true))
		}
	}
	service := env("OTEL_SERVICE_NAME")
	if service == "" {
		service = etModulePath(envtraceModinfo())
	}
	fields := [...]struct{ name, value string }{
		{"host", host}, {"container", container}, {"pod", pod}, {"namespace", namespace}, {"service", service},
	}
	first := true
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		if first {
			b = append(b, `,"where":{`...)
		} else {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, f.name...)
		b = append(b, `":`...)
		b = etAppendStr(b, f.value)
	}
	if !first {
		b = append(b, '}')
	}
	return b
}
