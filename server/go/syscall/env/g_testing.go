// envtrace recorder, part 7: test records. The overlay's copy of testing.go calls these in
// tRunner and T.Parallel, so each test's goroutine can be named and its run interval known
// (docs/FORMATS.md "T", "TP", "TE").
package syscall

//envtrace:begin

// EnvtraceTestStart writes {"t":"T","g":…,"pg":…,"name":…,"t0":…} when tracing is on.
func EnvtraceTestStart(name string) {
	if !etOn || name == "" { // "" is the runner's root, not a test
		return
	}
	g, pg := envtraceGoids()
	b := make([]byte, 0, 128)
	b = append(b, `{"t":"T","g":`...)
	b = etAppendUint(b, g)
	b = append(b, `,"pg":`...)
	b = etAppendUint(b, pg)
	b = append(b, `,"name":`...)
	b = etAppendStr(b, name)
	b = append(b, `,"t0":`...)
	b = etAppendInt(b, envtraceNanotime())
	b = append(b, "}\n"...)
	etSys.write(etFd, b)
}

// EnvtraceTestEnd writes {"t":"TE","g":…,"t1":…}: the test, its subtests and cleanups are
// done and tRunner is about to release the goroutine waiting for it.
func EnvtraceTestEnd(name string) {
	if etOn && name != "" {
		etGoroutineRecord(`{"t":"TE","g":`, `,"t1":`)
	}
}

// EnvtraceTestParallel writes {"t":"TP","g":…,"t0":…}: the test called t.Parallel and
// pauses until its parent's function returns; from then on it runs beside its siblings.
func EnvtraceTestParallel() {
	if etOn {
		etGoroutineRecord(`{"t":"TP","g":`, `,"t0":`)
	}
}

// etGoroutineRecord writes <head><goroutine id><timeField><now>}.
func etGoroutineRecord(head, timeField string) {
	g, _ := envtraceGoids()
	var buf [96]byte
	b := append(buf[:0], head...)
	b = etAppendUint(b, g)
	b = append(b, timeField...)
	b = etAppendInt(b, envtraceNanotime())
	b = append(b, "}\n"...)
	etSys.write(etFd, b)
}
