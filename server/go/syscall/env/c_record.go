// envtrace recorder, part 3: event records and the hand-written JSON they are made of
// (package syscall may not import strconv or encoding/json). Each record goes out in one
// etSys.write: a copy into the mapped file on Linux (exec_linux), one write(2) elsewhere.
package syscall

import (
	etbits "math/bits"
	etsync "sync"
	etutf8 "unicode/utf8"
)

//envtrace:begin

type etEvent struct {
	op, key, value, err, api, path string
	argvZ                          string // argv joined by NUL bytes
	hasKey, hasValue, hasArgv      bool
	found, secret, wf              bool
	g, pg, wg, stack               uint64
	t0, t1                         int64
	cpid                           int
	ks                             *etKey // getenv: the key's state, whose fragment cache it may use
}

// etFrag is the encoded ,"k":…,"ok":…,"v":… part of a getenv event for one value of a key:
// a key read again with the same value (the usual case) reuses it instead of running the
// secret rules, the keyed hash and the JSON escaping again. tab is the table of known
// secrets it was made with: a secret noted since (a new table) may redact the value.
type etFrag struct {
	value string
	found bool
	tab   *etSecretTable
	b     []byte
}

type etBuf struct{ b []byte }

var etBufPool = etsync.Pool{New: func() any { return &etBuf{b: make([]byte, 0, 1024)} }}

// etRecord adds the goroutine ids and the interned stack, then writes the event. In race
// mode (rc != nil, on the recorder goroutine) they come from the calling goroutine's request.
//
//go:noinline
func etRecord(e *etEvent, rc *etRaceReq) {
	if rc != nil {
		e.g, e.pg = rc.g, rc.pg
		e.stack = etStackOf(rc.pcs[:rc.n])
	} else {
		e.g, e.pg = envtraceGoids()
		if e.stack == 0 { // a getenv whose call site was known has it already (etSiteOf)
			e.stack = etStackID(e.op)
		}
	}
	etEmit(e)
}

func etEmit(e *etEvent) {
	buf := etBufPool.Get().(*etBuf)
	b := append(buf.b[:0], `{"t":"E","seq":`...)
	b = etAppendUint(b, etSeq.Add(1))
	b = append(b, `,"g":`...)
	b = etAppendUint(b, e.g)
	// Fields at their default are left out (readers take pg 0, d 0, wg 0, wf false, and ok
	// true when v or h is present): fewer bytes to format, copy and store.
	if e.pg != 0 {
		b = append(b, `,"pg":`...)
		b = etAppendUint(b, e.pg)
	}
	b = append(b, `,"op":"`...)
	b = append(b, e.op...)
	b = append(b, '"')
	if e.api != "" {
		b = append(b, `,"api":`...)
		b = etAppendStr(b, e.api)
	}
	if e.ks != nil {
		b = etAppendKeyValueCached(b, e)
	} else {
		b = etAppendKeyValue(b, e)
	}
	if e.err != "" {
		b = append(b, `,"err":`...)
		b = etAppendStr(b, e.err)
	}
	if e.hasArgv {
		b = append(b, `,"path":`...)
		b = etAppendStr(b, e.path)
		b = append(b, `,"argv":`...)
		b = etAppendArgvZ(b, e.argvZ)
		if e.op == "spawn" {
			b = append(b, `,"cpid":`...)
			b = etAppendInt(b, int64(e.cpid))
		}
	}
	b = append(b, `,"t0":`...)
	b = etAppendInt(b, e.t0)
	if e.t1 > e.t0 { // the end as a duration: t1 = t0 + d
		b = append(b, `,"d":`...)
		b = etAppendInt(b, e.t1-e.t0)
	}
	if e.stack != 0 {
		b = append(b, `,"s":`...)
		b = etAppendUint(b, e.stack)
	}
	if e.hasKey && e.wg != 0 {
		b = append(b, `,"wg":`...)
		b = etAppendUint(b, e.wg)
	}
	if e.wf {
		b = append(b, `,"wf":true`...)
	}
	b = append(b, "}\n"...)
	etSys.write(etFd, b)
	if !etRaceMode {
		etNoteLive(e.g)
	}
	if cap(b) <= 64<<10 {
		buf.b = b
		etBufPool.Put(buf)
	}
}

// etAppendKeyValue appends the key (if any), ok and the value (if any) of e.
func etAppendKeyValue(b []byte, e *etEvent) []byte {
	if e.hasKey {
		b = append(b, `,"k":`...)
		b = etAppendStr(b, e.key)
	}
	if !e.found || !e.hasValue { // a value present means found (getenv) or done (setenv)
		b = append(b, `,"ok":`...)
		b = etAppendBool(b, e.found)
	}
	if e.hasValue {
		b = etAppendValue(b, "v", e.value, e.secret)
		if e.secret && !etNoRedact {
			b = etAppendStrength(b, e.value)
		}
	}
	return b
}

// etAppendKeyValueCached is etAppendKeyValue through the key's fragment cache (getenv).
func etAppendKeyValueCached(b []byte, e *etEvent) []byte {
	tab := etSecretTab.Load() // before the rules run: a secret added meanwhile makes a new table
	if f := e.ks.frag.Load(); f != nil && f.tab == tab && f.found == e.found && f.value == e.value {
		return append(b, f.b...)
	}
	start := len(b)
	b = etAppendKeyValue(b, e)
	if len(b)-start <= 512 {
		e.ks.frag.Store(&etFrag{value: e.value, found: e.found, tab: tab, b: append([]byte(nil), b[start:]...)})
	}
	return b
}

// etAppendValue appends ,"<field>":"value", or for a secret (a secret key, a value that looks
// secret, a copy of a known secret) ,"h":"<keyed hash prefix>","n":<length> unless redaction is off.
func etAppendValue(b []byte, field, v string, secretKey bool) []byte {
	if !etNoRedact && (secretKey || etSecretValue(v) || etKnownSecret(v)) {
		b = append(b, `,"h":"`...)
		b = etAppendHex64(b, etHash(v))
		b = append(b, `","n":`...)
		return etAppendInt(b, int64(len(v)))
	}
	b = append(b, ',', '"')
	b = append(b, field...)
	b = append(b, '"', ':')
	return etAppendStr(b, v)
}

func etAppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

const etDigitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// etPow10[i] is 10^i.
var etPow10 = [20]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// etAppendUint appends v in decimal, in place (no copy from a scratch array), two digits per
// division, the low eight digits of a long number (times are 14+ digits) apart from the rest
// so that the two chains of divisions overlap in the CPU.
func etAppendUint(b []byte, v uint64) []byte {
	if v < 10 {
		return append(b, byte('0'+v))
	}
	// The digit count from the bit length (log10(2) ≈ 1233/4096), without a loop whose exit
	// the CPU would mispredict for numbers of every length.
	t := (etbits.Len64(v) * 1233) >> 12
	n := t + 1
	if v < etPow10[t] {
		n = t
	}
	l := len(b)
	if cap(b)-l < n {
		b = append(b, make([]byte, n)...)
	}
	d := b[l : l+n]
	i := n
	if v >= 1e8 {
		lo := uint32(v % 1e8)
		v /= 1e8
		for k := 0; k < 4; k++ {
			q := lo / 100
			r := (lo - q*100) * 2
			i -= 2
			d[i], d[i+1] = etDigitPairs[r], etDigitPairs[r+1]
			lo = q
		}
	}
	for v >= 100 {
		q := v / 100
		r := (v - q*100) * 2
		i -= 2
		d[i], d[i+1] = etDigitPairs[r], etDigitPairs[r+1]
		v = q
	}
	if v >= 10 {
		d[i-2], d[i-1] = etDigitPairs[v*2], etDigitPairs[v*2+1]
	} else {
		d[i-1] = byte('0' + v)
	}
	return b[:l+n]
}

func etAppendInt(b []byte, v int64) []byte {
	if v < 0 {
		return etAppendUint(append(b, '-'), uint64(-v))
	}
	return etAppendUint(b, uint64(v))
}

func etItoa(v int64) string { return string(etAppendInt(nil, v)) }

// etAtoi parses a decimal integer (settings and pids).
func etAtoi(s string) (int, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	n, neg := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 0 && c == '-' {
			neg = true
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

const etHexDigits = "0123456789abcdef"

func etAppendHex64(b []byte, v uint64) []byte {
	for s := 60; s >= 0; s -= 4 {
		b = append(b, etHexDigits[v>>uint(s)&15])
	}
	return b
}

// etAppendStr appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func etAppendStr(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', etHexDigits[c>>4], etHexDigits[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := etutf8.DecodeRuneInString(s[i:])
		if r == etutf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func etAppendStrs(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = etAppendStr(b, s)
	}
	return append(b, ']')
}
