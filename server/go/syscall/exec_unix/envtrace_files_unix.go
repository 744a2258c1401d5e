// envtrace recorder, Unix part: the file access behind the process's "where" and the run
// directory's key file (server/go/syscall/env/j_where.go), in raw system calls. Appended to
// $GOROOT/src/syscall/exec_unix.go; etUnixHost is called by its init before etStart.
package syscall

//envtrace:begin

func etUnixHost() {
	etHost.readFile = etUnixReadFile
	etHost.random = etUnixRandom
	etHost.publish = etUnixPublish
	etHost.mkdir = func(path string) { Mkdir(path, 0o700) }
}

// etUnixReadFile reads up to max bytes of a regular file. Non-blocking open: a FIFO put where
// a file was expected must not hang the program's start.
func etUnixReadFile(path string, max int, follow bool) []byte {
	flags := O_RDONLY | O_CLOEXEC | O_NONBLOCK
	if !follow {
		flags |= O_NOFOLLOW
	}
	fd, err := Open(path, flags, 0)
	if err != nil {
		return nil
	}
	defer Close(fd)
	var st Stat_t
	if Fstat(fd, &st) != nil || st.Mode&S_IFMT != S_IFREG {
		return nil
	}
	buf := make([]byte, 0, 4096)
	for len(buf) < max {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		end := cap(buf)
		if end > max {
			end = max
		}
		n, err := Read(fd, buf[len(buf):end])
		if err == EINTR {
			continue
		}
		if err != nil || n <= 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	return buf
}

func etUnixRandom(b []byte) bool {
	fd, err := Open("/dev/urandom", O_RDONLY|O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer Close(fd)
	for got := 0; got < len(b); {
		n, err := Read(fd, b[got:])
		if err == EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return false
		}
		got += n
	}
	return true
}

// etUnixPublish writes data into a new private file beside path and hard-links it to path:
// the link either appears whole or fails with EEXIST (another process won; its key counts).
func etUnixPublish(path string, data []byte) bool {
	tmp := path + ".tmp-" + etItoa(int64(Getpid())) + "-" + etItoa(envtraceNanotime())
	fd, err := Open(tmp, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0o600)
	if err != nil {
		return false
	}
	Fchmod(fd, 0o600)
	n, err := Write(fd, data)
	Close(fd)
	ok := err == nil && n == len(data)
	if ok {
		err = Link(tmp, path)
		ok = err == nil || err == EEXIST
	}
	Unlink(tmp)
	return ok
}
