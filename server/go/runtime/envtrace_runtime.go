// envtrace: the runtime half of the recorder. Appended to $GOROOT/src/runtime/env_posix.go
// (present in every Go release 1.21+ and built for every GOOS) by the overlay generator,
// server/src/tracer/patches.ts, which renames the original gogetenv to envtraceOrigGogetenv
// and puts the imports below on the package line.
//
// Go 1.23+ forbids "pull" linknames, so the runtime pushes what package syscall needs:
// each function here is defined in runtime and linknamed to a body-less declaration in
// syscall (see server/go/syscall/env/a_core.go).
package runtime

import (
	etunsafe "unsafe"
)

//envtrace:begin

// envtraceEarlyRead is one read the runtime made of its own settings (GODEBUG, GOGC,
// GOMAXPROCS, GOTRACEBACK, GOMEMLIMIT), usually before package syscall exists.
type envtraceEarlyRead struct {
	key, value string
	found      bool
	t          int64
}

var (
	envtraceEarly     [32]envtraceEarlyRead
	envtraceEarlyN    int
	envtraceEarlyDone bool
)

// gogetenv records the runtime's reads until syscall has taken them over.
func gogetenv(key string) string {
	v := envtraceOrigGogetenv(key)
	if !envtraceEarlyDone && envtraceEarlyN < len(envtraceEarly) {
		found := v != ""
		if !found {
			for _, s := range environ() {
				if len(s) == len(key)+1 && s[len(key)] == '=' && envKeyEqual(s[:len(key)], key) {
					found = true
				}
			}
		}
		envtraceEarly[envtraceEarlyN] = envtraceEarlyRead{key, v, found, nanotime()}
		envtraceEarlyN++
	}
	return v
}

//go:linkname envtraceEarlyReads syscall.envtraceEarlyReads
func envtraceEarlyReads(f func(key, value string, found bool, t int64)) {
	envtraceEarlyDone = true
	for i := 0; i < envtraceEarlyN; i++ {
		r := &envtraceEarly[i]
		f(r.key, r.value, r.found, r.t)
	}
}

//go:linkname envtraceGoids syscall.envtraceGoids
func envtraceGoids() (id, parent uint64) {
	gp := getg()
	return gp.goid, gp.parentGoid
}

//go:linkname envtraceNanotime syscall.envtraceNanotime
func envtraceNanotime() int64 { return nanotime() }

//go:linkname envtraceWalltime syscall.envtraceWalltime
func envtraceWalltime() int64 {
	sec, nsec, _ := time_now()
	return sec*1e9 + int64(nsec)
}

//go:linkname envtraceArgs syscall.envtraceArgs
func envtraceArgs() []string { return argslice }

// envtraceFPCallers fills pcs with the return addresses found by walking frame pointers
// from its caller, staying inside the goroutine's stack; 0 when frame pointers are not
// available on this GOARCH (the caller then falls back to runtime.Callers).
//
//go:linkname envtraceFPCallers syscall.envtraceFPCallers
//go:noinline
func envtraceFPCallers(pcs []uintptr) int {
	fp := getfp()
	if fp == 0 {
		return 0
	}
	gp := getg()
	lo, hi := gp.stack.lo, gp.stack.hi
	n := 0
	for n < len(pcs) && fp >= lo && fp+2*goarch_PtrSize <= hi {
		pcs[n] = *(*uintptr)(etunsafe.Pointer(fp + goarch_PtrSize))
		n++
		next := *(*uintptr)(etunsafe.Pointer(fp))
		if next <= fp {
			break
		}
		fp = next
	}
	return n
}

const goarch_PtrSize = 4 << (^uintptr(0) >> 63)

// envtraceExitHook is called at the start of goexit1 (on the exiting goroutine, for every
// goroutine) once the recorder has set it; server/src/tracer/patches.ts puts the call there.
var envtraceExitHook func()

//go:linkname envtraceSetExitHook syscall.envtraceSetExitHook
func envtraceSetExitHook(f func()) { envtraceExitHook = f }

// envtraceModinfo is the build information the linker stored (the main module's path).
//
//go:linkname envtraceModinfo syscall.envtraceModinfo
func envtraceModinfo() string { return modinfo }
