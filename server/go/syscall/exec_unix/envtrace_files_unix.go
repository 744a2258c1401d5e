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
	etHost.ownFile = etUnixOwnFile
	etHost.warn = func(msg string) { Write(2, []byte(msg)) }
}

// etUnixOwnFile reads up to max bytes of path when only this user may read or change it
// (j_where.go etHost.ownFile): checked on the open descriptor, a link never followed.
func etUnixOwnFile(path string, max int) ([]byte, string) {
	var st Stat_t
	if Lstat(path, &st) != nil {
		// Missing (or its directory unusable, when making it fails as well): none yet.
		return nil, ""
	}
	if st.Mode&S_IFMT == S_IFLNK {
		return nil, "is a symbolic link"
	}
	fd, err := Open(path, O_RDONLY|O_CLOEXEC|O_NONBLOCK|O_NOFOLLOW, 0)
	if err != nil {
		return nil, "cannot be read (" + err.Error() + ")"
	}
	defer Close(fd)
	if Fstat(fd, &st) != nil || st.Mode&S_IFMT != S_IFREG {
		return nil, "is not a regular file"
	}
	if int(st.Uid) != Geteuid() {
		return nil, "belongs to another user (uid " + etItoa(int64(st.Uid)) + ")"
	}
	if perm := uint32(st.Mode) & 0o777; perm&0o077 != 0 {
		return nil, "is open to other users (mode " + string([]byte{'0' + byte(perm>>6), '0' + byte(perm>>3&7), '0' + byte(perm&7)}) + ", not 600)"
	}
	return etUnixReadFd(fd, max), ""
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
	return etUnixReadFd(fd, max)
}

// etUnixReadFd reads up to max bytes from fd.
func etUnixReadFd(fd int, max int) []byte {
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
