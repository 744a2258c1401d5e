// envtrace recorder, part 11: pure parsing behind the process's "where" (j_where.go): the
// container id in /proc/self/cgroup or /proc/self/mountinfo, the main module in the
// runtime's build information, a key file's text. No state, no system calls: the test
// (test/go/whereParse.test.ts) compiles this file alone against fixture files.
package syscall

//envtrace:begin

// etContainerID returns the 64-hex-digit container id that cgroup (the text of
// /proc/self/cgroup) or else mountinfo (/proc/self/mountinfo) shows, or "".
//
// cgroup v1 and v2 paths name the container in their last such segment, bare
// (/docker/<id>, /kubepods/burstable/pod<uid>/<id>) or as a systemd scope
// (docker-<id>.scope, cri-containerd-<id>.scope, crio-<id>.scope, libpod-<id>.scope).
// With a private cgroup namespace (cgroup v2: "0::/") the path says nothing; the mounts the
// runtime binds in from the container's own directory (/etc/hostname, /etc/resolv.conf
// from .../containers/<id>/...) still do, in mountinfo's root field.
func etContainerID(cgroup, mountinfo string) string {
	id := ""
	etEachPart(cgroup, '\n', func(line string) {
		// hierarchy-ID:controllers:path
		colons := 0
		for i := 0; i < len(line); i++ {
			if line[i] == ':' {
				colons++
				if colons == 2 {
					if s := etLastIDSegment(line[i+1:]); s != "" {
						id = s
					}
					return
				}
			}
		}
	})
	if id != "" {
		return id
	}
	etEachPart(mountinfo, '\n', func(line string) {
		if id != "" {
			return
		}
		// mount-ID parent-ID major:minor root mount-point …: the root is the fourth field.
		root := etField(line, 3)
		prev := ""
		etEachPart(root, '/', func(seg string) {
			if id == "" && (prev == "containers" || prev == "overlay-containers") && etIsHexID(seg) {
				id = seg
			}
			prev = seg
		})
	})
	return id
}

// etLastIDSegment returns the container id of the last segment of a cgroup path that holds
// one, or "".
func etLastIDSegment(path string) string {
	id := ""
	etEachPart(path, '/', func(seg string) {
		if s := etScopeID(seg); s != "" {
			id = s
		}
	})
	return id
}

// etScopeID strips a runtime's prefix and ".scope" from a cgroup segment and returns it when
// what remains is a container id. "crio-conmon-<id>.scope" (CRI-O's monitor) is not one.
func etScopeID(seg string) string {
	if n := len(seg) - len(".scope"); n > 0 && seg[n:] == ".scope" {
		seg = seg[:n]
	}
	for _, p := range [...]string{"docker-", "cri-containerd-", "crio-", "libpod-", "containerd-"} {
		if len(seg) > len(p) && seg[:len(p)] == p {
			seg = seg[len(p):]
			break
		}
	}
	if etIsHexID(seg) {
		return seg
	}
	return ""
}

func etIsHexID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// etModulePath returns the main module's path from the runtime's build information
// ("path\t…\nmod\t<path>\t<version>\t…"), or "" (no module: `go run file.go`, GOPATH mode).
func etModulePath(modinfo string) string {
	path := ""
	etEachPart(modinfo, '\n', func(line string) {
		if path == "" && len(line) > 4 && line[:4] == "mod\t" {
			path = etField(line[4:], 0)
		}
	})
	return path
}

// etKeyText returns the first 32 hex digits of a key file (surrounding white space allowed),
// or "" when it does not start with them.
func etKeyText(b []byte) string {
	s := etTrimSpace(string(b))
	if len(s) < 32 {
		return ""
	}
	for i := 0; i < 32; i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return ""
		}
	}
	return s[:32]
}

func etTrimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

// etEachPart calls f with each non-empty part of text between sep bytes (lines, path segments).
func etEachPart(text string, sep byte, f func(part string)) {
	start := 0
	for i := 0; i <= len(text); i++ {
		if i == len(text) || text[i] == sep {
			if i > start {
				f(text[start:i])
			}
			start = i + 1
		}
	}
}

// etField returns the n-th (from 0) field of a line split on spaces and tabs, or "".
func etField(line string, n int) string {
	field, start := 0, -1
	for i := 0; i <= len(line); i++ {
		sep := i == len(line) || line[i] == ' ' || line[i] == '\t'
		if !sep && start < 0 {
			start = i
		}
		if sep && start >= 0 {
			if field == n {
				return line[start:i]
			}
			field++
			start = -1
		}
	}
	return ""
}
