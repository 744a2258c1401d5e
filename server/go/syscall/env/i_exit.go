// envtrace recorder, part 9: goroutine exits. The runtime calls etGoexit at the start of
// goexit1 on every exiting goroutine; a {"t":"GX","g":…,"t1":…} record is written only for
// goroutines that made an event, so race analysis can order their accesses before what
// happened after they ended (docs/FORMATS.md "GX"). Not used in race mode.
package syscall

import (
	etsync "sync"
	etatomic "sync/atomic"
)

//envtrace:begin

const etLiveShards = 64

// etLive holds the goroutines that made an event and have not exited, sharded by id.
var etLive [etLiveShards]struct {
	n  etatomic.Int32 // len(m), read without the lock by exits of goroutines without events
	mu etsync.Mutex
	m  map[uint64]struct{}
	// last is the goroutine of this shard noted last, 0 after it exits: a goroutine that
	// reads again finds itself here without the lock (ids are never reused, and only g
	// itself notes or removes g, so the value cannot go stale under it).
	last etatomic.Uint64
	_    [28]byte // keeps shards on separate cache lines
}

// etNoteLive remembers that goroutine g made an event (cheap when it already did).
func etNoteLive(g uint64) {
	s := &etLive[g%etLiveShards]
	if s.last.Load() == g {
		return
	}
	s.mu.Lock()
	s.last.Store(g)
	if _, ok := s.m[g]; !ok {
		if s.m == nil {
			s.m = make(map[uint64]struct{})
		}
		s.m[g] = struct{}{}
		s.n.Add(1)
	}
	s.mu.Unlock()
}

// etGoexit writes the exit record of the calling goroutine when it made an event.
func etGoexit() {
	g, _ := envtraceGoids()
	s := &etLive[g%etLiveShards]
	if s.n.Load() == 0 { // most goroutines: no goroutine of this shard made an event
		return
	}
	s.mu.Lock()
	_, ok := s.m[g]
	if ok {
		delete(s.m, g)
		s.n.Add(-1)
	}
	s.last.CompareAndSwap(g, 0)
	s.mu.Unlock()
	if ok {
		etGoroutineRecord(`{"t":"GX","g":`, `,"t1":`)
	}
}
