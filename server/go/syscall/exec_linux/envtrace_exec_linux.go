// envtrace recorder, Linux part: appended to $GOROOT/src/syscall/exec_linux.go. Makes a
// traced process die with the envtrace that runs it, even when envtrace is killed with
// SIGKILL and cannot pass anything on.
//
// envtrace holds a FIFO open for writing (ENVTRACE_ALIVE names it; settings reach children
// like the others). This process opens it for reading with O_ASYNC, F_SETOWN itself and
// F_SETSIG SIGKILL: when the last writer closes (envtrace ended), the kernel sends SIGKILL.
// No goroutine and no thread wait on it, so goroutine counts, leak checkers and stack dumps
// of the program see nothing of it.
package syscall

//envtrace:begin

func init() {
	path, ok := envtraceOrigGetenv(etPrefix + "ALIVE")
	if !ok || path == "" {
		return
	}
	fd, err := Open(path, O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_NOFOLLOW, 0)
	if err != nil {
		return
	}
	var st Stat_t
	if Fstat(fd, &st) != nil || st.Mode&S_IFMT != S_IFIFO {
		Close(fd)
		return
	}
	if _, err := fcntl(fd, F_SETOWN, Getpid()); err != nil {
		Close(fd)
		return
	}
	fl, err := fcntl(fd, F_GETFL, 0)
	if err != nil {
		Close(fd)
		return
	}
	if _, err := fcntl(fd, F_SETSIG, int(SIGKILL)); err != nil {
		Close(fd)
		return
	}
	if _, err := fcntl(fd, F_SETFL, fl|O_ASYNC); err != nil {
		Close(fd)
		return
	}
	// Armed. A read that finds no writer (EOF rather than EAGAIN) means envtrace is already gone.
	var b [1]byte
	if n, err := Read(fd, b[:]); n == 0 && err == nil {
		Kill(Getpid(), SIGKILL)
	}
}
