// envtrace recorder, part 7: test records. The overlay's copy of testing.go calls this at
// the start of tRunner, so each test's goroutine can be named (docs/FORMATS.md "T").
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
