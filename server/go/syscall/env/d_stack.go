// envtrace recorder, part 4: interned stacks. The hot path walks frame pointers (pushed by
// the runtime half) and looks the PCs' hash up; only a new stack pays for runtime.Callers,
// symbolisation and writing its {"t":"S"} record, under etMu so the record is in the file
// before any event that refers to it.
package syscall

import (
	etruntime "runtime"
	etatomic "sync/atomic"
)

//envtrace:begin

const (
	etMaxDepth = 64
	etOwnDepth = 6 // recorder frames above the public function, at most
)

var (
	etStacks     map[uint64]uint64 // hash of frame-pointer PCs → stack id
	etStackText  map[string]uint64 // symbolised stack → id (two call sites on one line share it)
	etStackSpawn map[uint64]bool   // ids of stacks that start a process (os/exec, os.StartProcess)
	etStackNext  uint64
)

// etStackID returns the id of the caller's stack, writing the stack record first if new.
//
//go:noinline
func etStackID(op string) uint64 {
	var pcs [etMaxDepth + etOwnDepth]uintptr
	n := envtraceFPCallers(pcs[:etDepth+etOwnDepth])
	exact := n == 0
	if exact { // no frame pointers on this GOARCH: the key is the exact logical stack
		n = etruntime.Callers(1, pcs[:etDepth+etOwnDepth])
	}
	h := etHashPCs(pcs[:n]) ^ uint64(len(op))
	etMu.RLock()
	id := etStacks[h]
	etMu.RUnlock()
	if id != 0 {
		return id
	}
	var logical [etMaxDepth + etOwnDepth + 16]uintptr
	m := etruntime.Callers(1, logical[:])
	return etIntern(h, logical[:m])
}

// etSite is what a getenv call site with one key resolves to: its stack id and the key's
// state. A read finds it in etSites with one load, no lock and no map (a direct-mapped table
// keyed on the hash of the frame-pointer PCs, the key's length and end bytes); a miss takes
// the locked maps (etKeyState, etStackID) and then fills the slot, replacing what was there.
type etSite struct {
	h   uint64
	key string
	id  uint64
	ks  *etKey
}

const etSiteBits = 10

var etSites [1 << etSiteBits]etatomic.Pointer[etSite]

// etSiteHash is the hash of the caller's frame-pointer PCs, or 0 (no frame pointers: no
// site cache, the stack is found by etStackID). Its frame is small for the default depth:
// a fresh goroutine's first read must fit its initial stack (a stack growth costs about 2 µs).
//
//go:noinline
func etSiteHash() uint64 {
	if etDepth+etOwnDepth > etShallow {
		return etSiteHashDeep()
	}
	var pcs [etShallow]uintptr
	return etHashWalk(pcs[:etDepth+etOwnDepth])
}

const etShallow = 24

//go:noinline
func etSiteHashDeep() uint64 {
	var pcs [etMaxDepth + etOwnDepth]uintptr
	return etHashWalk(pcs[:etDepth+etOwnDepth])
}

func etHashWalk(pcs []uintptr) uint64 {
	n := envtraceFPCallers(pcs)
	if n == 0 {
		return 0
	}
	return etHashPCs(pcs[:n]) | 1
}

func etSiteSlot(h uint64, key string) *etatomic.Pointer[etSite] {
	x := h ^ uint64(len(key))<<32
	if len(key) > 0 {
		x ^= uint64(key[0])<<40 ^ uint64(key[len(key)-1])<<48
	}
	return &etSites[(x*0x9E3779B97F4A7C15)>>(64-etSiteBits)]
}

// etSiteOf returns the site of hash h reading key, or nil when it is not in the table.
func etSiteOf(h uint64, key string) *etSite {
	if h == 0 {
		return nil
	}
	if s := etSiteSlot(h, key).Load(); s != nil && s.h == h && s.key == key {
		return s
	}
	return nil
}

// etSiteNote puts a site into the table once its stack id is known.
func etSiteNote(h uint64, key string, id uint64, ks *etKey) {
	etSiteSlot(h, key).Store(&etSite{h: h, key: key, id: id, ks: ks})
}

// etStackOf interns an exact logical stack taken on another goroutine (race mode).
func etStackOf(pcs []uintptr) uint64 {
	h := etHashPCs(pcs)
	etMu.RLock()
	id := etStacks[h]
	etMu.RUnlock()
	if id != 0 {
		return id
	}
	return etIntern(h, pcs)
}

// etStackSpawns reports whether the stack's api starts a process.
func etStackSpawns(id uint64) bool {
	etMu.RLock()
	defer etMu.RUnlock()
	return etStackSpawn[id]
}

// etHashPCs hashes a stack: one xor and one multiply per PC (a bijection per step, so stacks
// that differ in one PC never collide), and the high bits folded down once at the end.
func etHashPCs(pcs []uintptr) uint64 {
	h := uint64(14695981039346656037)
	for _, pc := range pcs {
		h = (h ^ uint64(pc)) * 0x100000001b3
	}
	return h ^ h>>29
}

// etIntern assigns the stack (logical PCs, innermost first) an id, writing its record
// if it is new; h is the key the hot path looks it up by.
func etIntern(h uint64, logical []uintptr) uint64 {
	etMu.Lock()
	defer etMu.Unlock()
	id := etStacks[h]
	if id != 0 {
		return id
	}
	if etStacks == nil {
		etStacks, etStackText, etStackSpawn = make(map[uint64]uint64), make(map[string]uint64), make(map[uint64]bool)
	}
	api, frames := etSymbolize(logical)
	text := api + "|" + string(frames)
	if id = etStackText[text]; id == 0 {
		etStackNext++
		id = etStackNext
		b := make([]byte, 0, len(frames)+64)
		b = append(b, `{"t":"S","id":`...)
		b = etAppendUint(b, id)
		b = append(b, `,"api":`...)
		b = etAppendStr(b, api)
		b = append(b, `,"f":[`...)
		b = append(b, frames...)
		b = append(b, "]}\n"...)
		etSys.write(etFd, b)
		etStackText[text] = id
		fs := string(frames)
		etStackSpawn[id] = etIndex(fs, `["os/exec.(*Cmd).`, 0) >= 0 || etIndex(fs, `["os.StartProcess"`, 0) >= 0
	}
	etStacks[h] = id
	return id
}

// etPublic maps the public API functions that may call syscall's env functions to the
// name stored as "api"; frames of these are kept, and the outermost of the leading run
// of them names the API the program used.
var etPublic = map[string]string{
	"os.Getenv": "os.Getenv", "os.LookupEnv": "os.LookupEnv", "os.Setenv": "os.Setenv",
	"os.Unsetenv": "os.Unsetenv", "os.Clearenv": "os.Clearenv", "os.Environ": "os.Environ",
	"os.ExpandEnv": "os.ExpandEnv", "os.Expand": "",
	"testing.(*T).Setenv": "testing.T.Setenv", "testing.(*B).Setenv": "testing.B.Setenv",
	"testing.(*F).Setenv": "testing.F.Setenv", "testing.(*common).Setenv": "testing.T.Setenv",
	// t.Setenv's cleanups (restore the old value, or unset): its bookkeeping, not os.Setenv.
	"testing.(*common).Setenv.func1": "testing.T.Setenv", "testing.(*common).Setenv.func2": "testing.T.Setenv",
	"os.StartProcess": "os.StartProcess", "os.startProcess": "", "os.(*Process).exec": "",
	"os/exec.(*Cmd).Start": "os/exec.Cmd.Start", "os/exec.(*Cmd).Run": "os/exec.Cmd.Run",
	"os/exec.(*Cmd).Output": "os/exec.Cmd.Output", "os/exec.(*Cmd).CombinedOutput": "os/exec.Cmd.CombinedOutput",
	"os/exec.(*Cmd).environ": "os/exec.Cmd.Environ", "os/exec.(*Cmd).Environ": "os/exec.Cmd.Environ",
}

func etIsOwn(fn string) bool {
	if len(fn) < 10 || fn[:8] != "syscall." {
		return false
	}
	switch fn[8:] {
	case "Getenv", "Setenv", "Unsetenv", "Clearenv", "Environ", "StartProcess", "ForkExec", "Exec":
		return true
	}
	return len(fn) > 10 && (fn[8:10] == "et" || (len(fn) > 16 && fn[8:16] == "envtrace"))
}

// etSymbolize turns pcs (innermost first) into the api name and the JSON frames
// [function,file,line],… without the recorder's own frames.
func etSymbolize(pcs []uintptr) (string, []byte) {
	frames := etruntime.CallersFrames(pcs)
	var fb []byte
	api, leading, own, count, sysName := "", true, true, 0, ""
	for count < etDepth {
		f, more := frames.Next()
		if f.Function == "" && !more {
			break
		}
		if own {
			if etIsOwn(f.Function) || f.Function == "runtime.Callers" {
				if len(f.Function) > 8 && f.Function[8] >= 'A' && f.Function[8] <= 'Z' {
					sysName = f.Function
				}
				if more {
					continue
				}
				break
			}
			own = false
		}
		if leading {
			if a, ok := etPublic[f.Function]; ok {
				if a != "" {
					api = a
				}
			} else {
				leading = false
			}
		}
		if count > 0 {
			fb = append(fb, ',')
		}
		fb = append(fb, '[')
		fb = etAppendStr(fb, f.Function)
		fb = append(fb, ',')
		fb = etAppendStr(fb, f.File)
		fb = append(fb, ',')
		fb = etAppendInt(fb, int64(f.Line))
		fb = append(fb, ']')
		count++
		if !more {
			break
		}
	}
	if api == "" {
		api = sysName
	}
	return api, fb
}
