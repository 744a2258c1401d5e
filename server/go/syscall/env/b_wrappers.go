// envtrace recorder, part 2: the five public env functions, wrapping the renamed originals.
// With tracing off each wrapper is one branch and a call (small enough to be inlined).
package syscall

//envtrace:begin

func Getenv(key string) (value string, found bool) {
	if !etOn {
		return envtraceOrigGetenv(key)
	}
	if etRaceMode {
		return etRaceGetenv(key)
	}
	return etGetenv(key, nil)
}

// etRaceGetenv is Getenv in race mode, apart so that Getenv's frame stays small: a fresh
// goroutine's first read must fit its initial stack (a stack growth costs about 2 µs).
//
//go:noinline
func etRaceGetenv(key string) (string, bool) {
	r := etRaceCall(etOpGetenv, key, "")
	return r.value, r.found
}

func Setenv(key, value string) error {
	if !etOn {
		return envtraceOrigSetenv(key, value)
	}
	if etRaceMode {
		return etRaceCall(etOpSetenv, key, value).err
	}
	return etSetenv(key, value, nil)
}

func Unsetenv(key string) error {
	if !etOn {
		return envtraceOrigUnsetenv(key)
	}
	if etRaceMode {
		return etRaceCall(etOpUnsetenv, key, "").err
	}
	return etUnsetenv(key, nil)
}

func Clearenv() {
	if !etOn {
		envtraceOrigClearenv()
		return
	}
	if etRaceMode {
		etRaceCall(etOpClearenv, "", "")
		return
	}
	etClearenv(nil)
}

func Environ() []string {
	if !etOn {
		return envtraceOrigEnviron()
	}
	if etRaceMode {
		return etRaceCall(etOpEnviron, "", "").env
	}
	return etEnviron(nil)
}

//go:noinline
func etGetenv(key string, rc *etRaceReq) (value string, found bool) {
	if etIsSetting(key) {
		return envtraceOrigGetenv(key)
	}
	var e etEvent
	e.t0 = envtraceNanotime()
	var h uint64
	var site *etSite
	if rc == nil {
		h = etSiteHash()
		site = etSiteOf(h, key)
	}
	var ks *etKey
	if site != nil {
		ks, e.stack = site.ks, site.id
	} else {
		ks = etKeyState(key)
	}
	gen, inf := ks.gen.Load(), ks.inflight.Load()
	value, found = envtraceOrigGetenv(key)
	e.wf = inf > 0 || ks.inflight.Load() > 0 || ks.gen.Load() != gen
	// NOTE: the end of a read is taken only when a write to its key was in flight: a read
	// takes about 100 ns, and without a write beside it its end orders nothing for the race
	// analysis (t1 = t0 in the record), while a clock read costs a tenth of a traced read.
	e.t1 = e.t0
	if e.wf {
		e.t1 = envtraceNanotime()
	}
	e.op, e.key, e.hasKey, e.value, e.hasValue, e.found, e.secret, e.wg = "getenv", key, true, value, found, found, ks.secret, gen
	e.ks = ks
	etRecord(&e, rc)
	if site == nil && h != 0 {
		etSiteNote(h, key, e.stack, ks)
	}
	return value, found
}

//go:noinline
func etSetenv(key, value string, rc *etRaceReq) error {
	if etIsSetting(key) {
		return envtraceOrigSetenv(key, value)
	}
	var e etEvent
	e.t0 = envtraceNanotime()
	ks := etKeyState(key)
	inf := ks.inflight.Add(1)
	gen := ks.gen.Load()
	err := envtraceOrigSetenv(key, value)
	if err == nil {
		ks.gen.Add(1)
		if ks.secret || etSecretValue(value) {
			etNoteSecretValue(value)
		}
	}
	e.wf = inf > 1 || ks.inflight.Load() > 1 || ks.gen.Load() != gen+1
	ks.inflight.Add(-1)
	e.t1 = envtraceNanotime()
	e.op, e.key, e.hasKey, e.value, e.hasValue, e.found, e.secret, e.wg = "setenv", key, true, value, true, err == nil, ks.secret, gen
	if err != nil {
		e.err = err.Error()
	}
	etRecord(&e, rc)
	return err
}

//go:noinline
func etUnsetenv(key string, rc *etRaceReq) error {
	if etIsSetting(key) {
		return envtraceOrigUnsetenv(key)
	}
	var e etEvent
	e.t0 = envtraceNanotime()
	ks := etKeyState(key)
	inf := ks.inflight.Add(1)
	gen := ks.gen.Load()
	err := envtraceOrigUnsetenv(key)
	if err == nil {
		ks.gen.Add(1)
	}
	e.wf = inf > 1 || ks.inflight.Load() > 1 || ks.gen.Load() != gen+1
	ks.inflight.Add(-1)
	e.t1 = envtraceNanotime()
	e.op, e.key, e.hasKey, e.found, e.secret, e.wg = "unsetenv", key, true, err == nil, ks.secret, gen
	if err != nil {
		e.err = err.Error()
	}
	etRecord(&e, rc)
	return err
}

//go:noinline
func etClearenv(rc *etRaceReq) {
	var e etEvent
	e.t0 = envtraceNanotime()
	// Keep the settings: children of a program that cleared its environment stay traced
	// (they are added back in StartProcess anyway), and Getenv of them keeps working.
	envtraceOrigClearenv()
	for _, kv := range etSettings {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				envtraceOrigSetenv(kv[:i], kv[i+1:])
				break
			}
		}
	}
	etMu.RLock()
	for _, ks := range etKeys {
		ks.gen.Add(1)
	}
	etMu.RUnlock()
	e.t1 = envtraceNanotime()
	e.op, e.found = "clearenv", true
	etRecord(&e, rc)
}

//go:noinline
func etEnviron(rc *etRaceReq) []string {
	var e etEvent
	e.t0 = envtraceNanotime()
	all := envtraceOrigEnviron()
	out := all[:0]
	for _, kv := range all {
		if !etIsSetting(kv) {
			out = append(out, kv)
		}
	}
	e.t1 = envtraceNanotime()
	e.op, e.found = "environ", true
	etRecord(&e, rc)
	if !etFullEnv && !etStackSpawns(e.stack) && etEnvDone.CompareAndSwap(false, true) {
		// The program read the whole environment: record it once (os/exec taking it for a
		// child is no read by the program, and the child records its own reads).
		b := append(make([]byte, 0, 4096), `{"t":"V","env":`...)
		b = etAppendEnv(b, out)
		etSys.write(etFd, append(b, "}\n"...))
	}
	return out
}

// etChildEnv is a child's environment: env without stale ENVTRACE_* entries, plus the
// settings, the hashes of known secrets (ENVTRACE_SECRETS) and ENVTRACE_PARENT, so children stay traced even when a program filters
// cmd.Env. parent is the pid the child should name as its nearest traced ancestor.
func etChildEnv(env []string, parent int) []string {
	out := make([]string, 0, len(env)+len(etSettings)+1)
	for _, kv := range env {
		if !etIsSetting(kv) {
			out = append(out, kv)
		}
	}
	out = append(out, etSettings...)
	if s := etSecretsSetting(); s != "" {
		out = append(out, s)
	}
	return append(out, etPrefix+"PARENT="+etItoa(int64(parent)))
}

// etSpawn records a spawn (cpid = child pid) or exec event.
//
//go:noinline
func etSpawn(op, path string, argv []string, cpid int, err error, t0, t1 int64) {
	var e etEvent
	e.op, e.path, e.cpid, e.found, e.t0, e.t1 = op, path, cpid, err == nil, t0, t1
	e.argvZ, e.hasArgv = etJoinZ(argv), true
	if err != nil {
		e.err = err.Error()
	}
	if etRaceMode {
		etRaceRecord(&e)
		return
	}
	etRecord(&e, nil)
}

// etJoinZ joins argv with NUL bytes (which no argument can hold) into one string, so that
// in race mode the recorder goroutine reads no memory the caller wrote.
func etJoinZ(argv []string) string {
	s := ""
	for i, a := range argv {
		if i > 0 {
			s += "\x00"
		}
		s += a
	}
	return s
}
