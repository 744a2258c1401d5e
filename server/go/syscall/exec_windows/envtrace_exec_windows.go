// envtrace recorder, Windows part: appended to $GOROOT/src/syscall/exec_windows.go, whose
// StartProcess and Exec are renamed to envtraceOrig<Name>. Sets the platform functions of
// the recorder and starts it (see server/go/syscall/env/a_core.go).
package syscall

//envtrace:begin

func init() {
	etSys.open = func(path string) (uintptr, error) {
		h, err := Open(path, O_WRONLY|O_CREAT|O_EXCL|O_APPEND|O_CLOEXEC, 0o600)
		return uintptr(h), err
	}
	etSys.write = func(fd uintptr, b []byte) {
		for len(b) > 0 {
			n, err := Write(Handle(fd), b)
			if err != nil || n <= 0 {
				return
			}
			b = b[n:]
		}
	}
	etSys.getppid = Getppid
	etSys.getwd = func() string {
		wd, _ := Getwd()
		return wd
	}
	etStart()
}

func StartProcess(argv0 string, argv []string, attr *ProcAttr) (pid int, handle uintptr, err error) {
	if !etOn {
		return envtraceOrigStartProcess(argv0, argv, attr)
	}
	var a ProcAttr
	if attr != nil {
		a = *attr
	}
	base := a.Env
	if base == nil { // on Windows a nil Env means "inherit"
		base = envtraceOrigEnviron()
	}
	a.Env = etChildEnv(base, etPid)
	t0 := envtraceNanotime()
	pid, handle, err = envtraceOrigStartProcess(argv0, argv, &a)
	etSpawn("spawn", argv0, argv, pid, err, t0, envtraceNanotime())
	return pid, handle, err
}

func Exec(argv0 string, argv []string, envv []string) (err error) {
	return envtraceOrigExec(argv0, argv, envv)
}
