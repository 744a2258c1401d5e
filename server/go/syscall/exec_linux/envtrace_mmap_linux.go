// envtrace recorder, Linux part: the process file written through shared mappings instead of
// one write(2) per record (appended to $GOROOT/src/syscall/exec_linux.go).
//
// A record reserves its bytes with one atomic add on the file offset and is copied into a
// MAP_SHARED mapping of the file: no syscall per record, and nothing is lost when the process
// dies however it dies (SIGKILL included), because the dirty pages belong to the kernel's page
// cache, not to the process. The file grows in chunks of etChunk bytes, each allocated with
// fallocate (so a full disk fails here, not as a SIGBUS on a later store) and mapped on its
// own; a mapping is never moved, so writers need no lock, and it is unmapped once all its
// bytes are written (the process's resident memory stays at about the chunks being
// filled, while the kernel writes the rest back at its own pace). The unused tail of the
// last chunk (and the bytes of a record a killed process had reserved but not filled) reads
// as zero bytes: readers skip NULs between records (docs/FORMATS.md section 2).
//
// When a chunk cannot be allocated or mapped (a file system without fallocate, a full disk),
// the recorder goes back to write(2) (O_APPEND puts those records after the mapped chunks).
// A Go program that forks without exec (raw SYS_FORK: rare, unsupported by the runtime)
// would share the mappings with its copy, whose reservations would then overlap: not supported.
// Exec drops the mappings and the file (O_CLOEXEC); an exec'd traced child opens its own file.
package syscall

import (
	etsync "sync"
	etatomic "sync/atomic"
	etunsafe "unsafe"
)

//envtrace:begin

const (
	etChunk = 1 << 20
	// 4 GB per process file (~27 million events); records past it go through write(2). Small,
	// as the tables below sit in every program built with the overlay and the GC scans them.
	etMaxChunks = 1 << 12
)

type etChunkMem [etChunk]byte

var etMapped struct {
	fd     int
	off    etatomic.Uint64 // bytes reserved so far
	failed etatomic.Bool   // a chunk could not be made: write(2) from now on
	mu     etsync.Mutex    // held while a chunk is made
	chunks [etMaxChunks]etatomic.Pointer[etChunkMem]
	filled [etMaxChunks]etatomic.Uint32 // bytes copied into each chunk
	mems   [etMaxChunks][]byte          // the mappings, for Munmap
	write  func(fd uintptr, b []byte)   // the write(2) path
}

func init() {
	etSys.mapWriter = etMapStart
}

// etMapStart maps the first chunk of the freshly opened process file; it returns the
// record writer, or nil to keep write(2) (the file is left as it was).
func etMapStart(fd uintptr, write func(fd uintptr, b []byte)) func(fd uintptr, b []byte) {
	etMapped.fd, etMapped.write = int(fd), write
	if etMapChunk(0) == nil {
		return nil
	}
	return etMapWrite
}

// etMapWrite copies b into the mapping at offsets reserved for it alone.
func etMapWrite(fd uintptr, b []byte) {
	n := uint64(len(b))
	if n == 0 {
		return
	}
	if etMapped.failed.Load() {
		etMapped.write(fd, b)
		return
	}
	end := etMapped.off.Add(n)
	start := end - n
	first, last := start/etChunk, (end-1)/etChunk
	if mark := last*etChunk + etPrefaultAt; start <= mark && mark < end && last+2 < etMaxChunks && !etRaceMode {
		// The one record that crosses an eighth of a chunk has a chunk ahead made ready: the
		// next one while in chunk 0, from chunk 1 on the one after (a process that writes that
		// much keeps two chunks of lead, so a busy machine that is slow to run the prefault
		// seldom leaves the writers to fault the pages in themselves).
		switch last {
		case 0:
			go etPrefault(1)
		case 1:
			go etPrefault(2, 3)
		default:
			go etPrefault(last + 2)
		}
	}
	if last >= etMaxChunks || !etMapReady(first) || !etMapReady(last) {
		// The reserved bytes stay zero (readers skip them); the record goes to the file's end.
		etMapped.failed.Store(true)
		etMapped.write(fd, b)
		return
	}
	for len(b) > 0 {
		i := start / etChunk
		k := copy(etMapped.chunks[i].Load()[start%etChunk:], b)
		b = b[k:]
		start += uint64(k)
		if etMapped.filled[i].Add(uint32(k)) == etChunk {
			// Every byte of the chunk is written: no reservation refers to it any more. The
			// unmap (about as costly as 500 records: page tables, TLB) runs on another thread.
			etMapped.chunks[i].Store(nil)
			m := etMapped.mems[i]
			etMapped.mems[i] = nil
			if etRaceMode {
				Munmap(m)
			} else {
				go Munmap(m)
			}
		}
	}
}

// etPrefaultAt is where in a chunk the record that crosses it has the next chunk prefaulted:
// early enough that the prefault (about as long as writing a third of a chunk) is done before
// the writers get there even on a busy machine, late enough that a process with a few hundred
// events never makes a second chunk.
const etPrefaultAt = etChunk / 8

// etPrefault makes chunk i and has the kernel fault its pages in for writing
// (MADV_POPULATE_WRITE, Linux 5.14+; older kernels refuse it and the writers take the faults),
// away from the writers: a first write to a page of the file costs the kernel about as much as
// 30 records, and most of it is done here instead, on another thread. The advice changes no byte.
// Chunk 0, mapped at start, is not prefaulted: its first eighth is faulted in by the writers
// and, when the process goes on, the rest here together with chunk 1.
func etPrefault(chunks ...uint64) {
	// If the writers fill and unmap the chunk meanwhile, the advice fails or touches
	// whatever is mapped there now, without changing it.
	for _, i := range chunks {
		if i == 1 {
			if c := etMapped.chunks[0].Load(); c != nil {
				Madvise(c[etPrefaultAt:], etMadvPopulateWrite)
			}
		}
		if c := etMapChunk(i); c != nil {
			Madvise(c[:], etMadvPopulateWrite)
		}
	}
}

const etMadvPopulateWrite = 23

// etMapReady reports whether chunk i is mapped, mapping it first if needed; the usual case
// (mapped) costs one load, no call.
func etMapReady(i uint64) bool {
	return etMapped.chunks[i].Load() != nil || etMapChunk(i) != nil
}

// etMapChunk returns chunk i, allocating and mapping it first if needed; nil on failure.
func etMapChunk(i uint64) *etChunkMem {
	if c := etMapped.chunks[i].Load(); c != nil {
		return c
	}
	etMapped.mu.Lock()
	defer etMapped.mu.Unlock()
	if c := etMapped.chunks[i].Load(); c != nil {
		return c
	}
	if Fallocate(etMapped.fd, 0, int64(i*etChunk), etChunk) != nil {
		return nil
	}
	m, err := Mmap(etMapped.fd, int64(i*etChunk), etChunk, PROT_READ|PROT_WRITE, MAP_SHARED)
	if err != nil || len(m) != etChunk {
		return nil
	}
	c := (*etChunkMem)(etunsafe.Pointer(&m[0]))
	etMapped.mems[i] = m
	etMapped.chunks[i].Store(c)
	return c
}
