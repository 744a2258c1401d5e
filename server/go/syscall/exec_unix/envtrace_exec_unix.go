// envtrace recorder, Unix part: appended to $GOROOT/src/syscall/exec_unix.go, whose
// StartProcess, Exec and ForkExec are renamed to envtraceOrig<Name>. Sets the platform
// functions of the recorder and starts it (see server/go/syscall/env/a_core.go).
package syscall

//envtrace:begin

func init() {
	etSys.open = func(path string) (uintptr, error) {
		// A new file only (EXCL), never through a symlink (NOFOLLOW), 0600 whatever the umask;
		// read-write, as a shared mapping of it needs (Linux, exec_linux).
		fd, err := Open(path, O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW|O_APPEND|O_CLOEXEC, 0o600)
		if err == nil {
			Fchmod(fd, 0o600)
		}
		return uintptr(fd), err
	}
	etSys.write = func(fd uintptr, b []byte) {
		for len(b) > 0 {
			n, err := Write(int(fd), b)
			if err == EINTR || err == EAGAIN {
				continue
			}
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
	etUnixHost()
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
	a.Env = etChildEnv(a.Env, etPid)
	t0 := envtraceNanotime()
	pid, handle, err = envtraceOrigStartProcess(argv0, argv, &a)
	etSpawn("spawn", argv0, argv, pid, err, t0, envtraceNanotime())
	return pid, handle, err
}

func ForkExec(argv0 string, argv []string, attr *ProcAttr) (pid int, err error) {
	if !etOn {
		return envtraceOrigForkExec(argv0, argv, attr)
	}
	var a ProcAttr
	if attr != nil {
		a = *attr
	}
	a.Env = etChildEnv(a.Env, etPid)
	t0 := envtraceNanotime()
	pid, err = envtraceOrigForkExec(argv0, argv, &a)
	etSpawn("spawn", argv0, argv, pid, err, t0, envtraceNanotime())
	return pid, err
}

func Exec(argv0 string, argv []string, envv []string) (err error) {
	if !etOn {
		return envtraceOrigExec(argv0, argv, envv)
	}
	t0 := envtraceNanotime()
	// Recorded before the call: on success this process image is gone.
	etSpawn("exec", argv0, argv, 0, nil, t0, t0)
	err = envtraceOrigExec(argv0, argv, etChildEnv(envv, etParent))
	if err != nil {
		etSpawn("exec", argv0, argv, 0, err, t0, envtraceNanotime())
	}
	return err
}
