// envtrace recorder, part 9: goroutine exits. The runtime calls etGoexit at the start of
// goexit1 on every exiting goroutine; a {"t":"GX","g":…,"t1":…} record is written only for
// goroutines that made an event, so race analysis can order their accesses before what
// happened after they ended (docs/FORMATS.md "GX"). Not used in race mode.
package syscall

import (
	etsync "sync"
)

//envtrace:begin

const etLiveShards = 64

// etLive holds the goroutines that made an event and have not exited, sharded by id.
var etLive [etLiveShards]struct {
	mu etsync.Mutex
	m  map[uint64]struct{}
	_  [40]byte // keeps shards on separate cache lines
}

// etNoteLive remembers that goroutine g made an event (cheap when it already did).
func etNoteLive(g uint64) {
	s := &etLive[g%etLiveShards]
	s.mu.Lock()
	if _, ok := s.m[g]; !ok {
		if s.m == nil {
			s.m = make(map[uint64]struct{})
		}
		s.m[g] = struct{}{}
	}
	s.mu.Unlock()
}

// etGoexit writes the exit record of the calling goroutine when it made an event.
func etGoexit() {
	g, _ := envtraceGoids()
	s := &etLive[g%etLiveShards]
	s.mu.Lock()
	_, ok := s.m[g]
	if ok {
		delete(s.m, g)
	}
	s.mu.Unlock()
	if ok {
		etGoroutineRecord(`{"t":"GX","g":`, `,"t1":`)
	}
}
