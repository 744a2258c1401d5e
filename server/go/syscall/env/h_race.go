// envtrace recorder, part 8: the precise race mode (ENVTRACE_RACE=1 in a -race build).
//
// The race detector never sees env ordering bugs: syscall's lock orders every access.
// In this mode each access first reads or writes a shadow byte chosen by the key's hash,
// so two accesses to one key that the program did not order are reported as a DATA RACE
// with both stacks. For that to hold, the env calls must not order goroutines either:
// the calling goroutine hands the call (by value) to one recorder goroutine with race
// synchronisation turned off, so neither syscall's lock nor the recorder's own locks and
// writes create happens-before edges between the program's goroutines. The recorder
// goroutine ignores synchronisation for good and only ever releases its own history.
package syscall

import (
	etrace "internal/race"
	etruntime "runtime"
	etunsafe "unsafe"
)

//envtrace:begin

const (
	etOpGetenv = iota + 1
	etOpSetenv
	etOpUnsetenv
	etOpClearenv
	etOpEnviron
	etOpRecord // write an event made by the caller (spawn, exec)
)

const etRaceEnabled = etrace.Enabled

const etShadowSize = 1 << 16

var (
	etShadow    [etShadowSize]byte
	etRaceCh    chan etRaceReq
	etRaceToken byte // the recorder goroutine releases on it; callers acquire it
)

// etRaceReq is one call, passed by value: the recorder goroutine reads nothing the caller wrote.
type etRaceReq struct {
	op         int
	key, value string
	ev         etEvent
	g, pg      uint64
	pcs        [etMaxDepth + etOwnDepth + 16]uintptr
	n          int
	reply      chan etRaceResp
}

type etRaceResp struct {
	value string
	found bool
	err   error
	env   []string
}

func etRaceStart() {
	etRaceCh = make(chan etRaceReq)
	go etRaceServe()
}

func etRaceServe() {
	etrace.Disable() // for good: this goroutine must not take in anyone's history
	for {
		req := <-etRaceCh
		var r etRaceResp
		switch req.op {
		case etOpGetenv:
			r.value, r.found = etGetenv(req.key, &req)
		case etOpSetenv:
			r.err = etSetenv(req.key, req.value, &req)
		case etOpUnsetenv:
			r.err = etUnsetenv(req.key, &req)
		case etOpClearenv:
			etClearenv(&req)
		case etOpEnviron:
			r.env = etEnviron(&req)
		case etOpRecord:
			etRecord(&req.ev, &req)
		}
		etrace.Enable() // just for the release: a disabled goroutine cannot release
		etrace.Release(etunsafe.Pointer(&etRaceToken))
		etrace.Disable()
		req.reply <- r
	}
}

// etRaceCall makes the shadow access for op on key, then has the recorder goroutine
// perform the call and record it.
//
//go:noinline
func etRaceCall(op int, key, value string) etRaceResp {
	switch op {
	case etOpGetenv:
		if !etIsSetting(key) {
			etRaceAccess(key, false)
		}
	case etOpSetenv, etOpUnsetenv:
		if !etIsSetting(key) {
			etRaceAccess(key, true)
		}
	case etOpClearenv:
		etRaceAll(true)
	case etOpEnviron:
		etRaceAll(false)
	}
	var req etRaceReq
	req.op, req.key, req.value = op, key, value
	return etRaceSend(&req)
}

// etRaceRecord has the recorder goroutine write an event made by the caller.
//
//go:noinline
func etRaceRecord(e *etEvent) {
	var req etRaceReq
	req.op, req.ev = etOpRecord, *e
	etRaceSend(&req)
}

//go:noinline
func etRaceSend(req *etRaceReq) etRaceResp {
	req.g, req.pg = envtraceGoids()
	req.n = etruntime.Callers(2, req.pcs[:etDepth+etOwnDepth])
	req.reply = make(chan etRaceResp, 1)
	etrace.Disable()
	etRaceCh <- *req
	r := <-req.reply
	etrace.Enable()
	// The reply (e.g. Environ's slice) was written by the recorder goroutine, whose history
	// holds nothing of other goroutines.
	etrace.Acquire(etunsafe.Pointer(&etRaceToken))
	return r
}

func etRaceAccess(key string, write bool) {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	p := etunsafe.Pointer(&etShadow[h&(etShadowSize-1)])
	if write {
		etrace.Write(p)
	} else {
		etrace.Read(p)
	}
}

func etRaceAll(write bool) {
	p := etunsafe.Pointer(&etShadow[0])
	if write {
		etrace.WriteRange(p, etShadowSize)
	} else {
		etrace.ReadRange(p, etShadowSize)
	}
}
