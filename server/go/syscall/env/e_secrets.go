// envtrace recorder, part 5c: secrets the recorder has seen. A value seen under a secret key
// (or passed as the value of a secret flag) is a secret wherever it appears again in the
// process: as another key's value, in the environment record, inside an argument. The
// recorder keeps only keyed hashes and lengths of these values, and passes them on to its
// children in ENVTRACE_SECRETS (with the workspace key only: without it hashes differ per
// process), so a child redacts the same arguments and copies.
package syscall

import (
	etsync "sync"
	etatomic "sync/atomic"
)

//envtrace:begin

const (
	etMinCopy     = 6    // shorter values are never copies of a secret ("1", "true", "prod")
	etMaxScan     = 4096 // longer arguments are compared whole, not searched
	etMaxPassed   = 512  // hashes passed on to a child
	etLenBitWords = 16   // lengths 0..1022, and 1023 for anything longer
)

// etSecretTable is replaced whole when a secret is added (rarely: at start-up, on a write
// of a secret key), so the hot path reads it without a lock.
type etSecretTable struct {
	set  map[uint64]int // keyed hash → length
	lens []int          // the distinct lengths, to search arguments
}

var (
	etSecretMu  etsync.Mutex // serialises writers
	etSecretTab etatomic.Pointer[etSecretTable]
	// The lengths of known secrets: for most values the hot path ends here, without hashing.
	etSecretLenBits [etLenBitWords]etatomic.Uint64
)

func etLenBit(n int) (int, uint64) {
	if n > etLenBitWords*64-1 {
		n = etLenBitWords*64 - 1
	}
	return n >> 6, 1 << uint(n&63)
}

// etNoteSecretValue remembers a secret value (etMinCopy bytes or longer).
func etNoteSecretValue(v string) {
	if etNoRedact || len(v) < etMinCopy {
		return
	}
	etAddSecret(etHash(v), len(v))
}

func etAddSecret(h uint64, n int) {
	// The length bit first, the table after: a reader that sees the new table sees the bit
	// (the getenv fragment cache, c_record.go, keys its entries on the table).
	w, bit := etLenBit(n)
	for {
		old := etSecretLenBits[w].Load()
		if old&bit != 0 || etSecretLenBits[w].CompareAndSwap(old, old|bit) {
			break
		}
	}
	etSecretMu.Lock()
	old := etSecretTab.Load()
	if old == nil || old.set[h] == 0 {
		t := &etSecretTable{set: make(map[uint64]int)}
		known := false
		if old != nil {
			for k, v := range old.set {
				t.set[k] = v
			}
			t.lens = append(t.lens, old.lens...)
			for _, l := range old.lens {
				known = known || l == n
			}
		}
		t.set[h] = n
		if !known {
			t.lens = append(t.lens, n)
		}
		etSecretTab.Store(t)
	}
	etSecretMu.Unlock()
}

// etKnownSecret reports whether v is a value seen as a secret.
func etKnownSecret(v string) bool {
	if len(v) < etMinCopy {
		return false
	}
	if w, bit := etLenBit(len(v)); etSecretLenBits[w].Load()&bit == 0 {
		return false
	}
	t := etSecretTab.Load()
	return t != nil && t.set[etHash(v)] != 0
}

// etHoldsSecret reports whether an argument contains a value seen as a secret.
func etHoldsSecret(a string) bool {
	if len(a) < etMinCopy {
		return false
	}
	if len(a) > etMaxScan {
		return etKnownSecret(a)
	}
	t := etSecretTab.Load()
	if t == nil {
		return false
	}
	for _, n := range t.lens {
		for i := 0; i+n <= len(a); i++ {
			if t.set[etHash(a[i:i+n])] != 0 {
				return true
			}
		}
	}
	return false
}

// etSecretsSetting is ENVTRACE_SECRETS for a child: "<hash hex>:<length>,…".
func etSecretsSetting() string {
	if !etKeyed || etNoRedact {
		return ""
	}
	t := etSecretTab.Load()
	if t == nil {
		return ""
	}
	b := append(make([]byte, 0, 64+24*len(t.set)), etPrefix+"SECRETS="...)
	count := 0
	for h, n := range t.set {
		if count == etMaxPassed {
			break
		}
		if count > 0 {
			b = append(b, ',')
		}
		b = etAppendHex64(b, h)
		b = append(b, ':')
		b = etAppendInt(b, int64(n))
		count++
	}
	return string(b)
}

// etLoadSecrets reads the parent's ENVTRACE_SECRETS (made with the same workspace key).
func etLoadSecrets(s string) {
	if !etKeyed || etNoRedact {
		return
	}
	for start := 0; start < len(s); {
		end := etIndex(s, ",", start)
		if end < 0 {
			end = len(s)
		}
		item := s[start:end]
		start = end + 1
		if len(item) < 18 || item[16] != ':' {
			continue
		}
		var h uint64
		for i := 0; i < 16; i++ {
			h = h<<4 | uint64(etHexVal(item[i]))
		}
		if n, ok := etAtoi(item[17:]); ok && n >= etMinCopy {
			etAddSecret(h, n)
		}
	}
}

// etSecretAssign splits "-name=value", "--name=value" or "NAME=value" with a secret-looking
// name into "…name=" and the value.
func etSecretAssign(a string) (string, string, bool) {
	i := 0
	for i < len(a) && i < 2 && a[i] == '-' {
		i++
	}
	n := etNameLen(a, i)
	if n == 0 || i+n >= len(a) || a[i+n] != '=' || !etSecretKey(a[i:i+n]) {
		return "", "", false
	}
	return a[:i+n+1], a[i+n+1:], true
}

// etSecretFlag reports whether a is "-name" or "--name" with a secret-looking name, whose
// value is then the next argument.
func etSecretFlag(a string) bool {
	i := 0
	for i < len(a) && i < 2 && a[i] == '-' {
		i++
	}
	return i > 0 && etNameLen(a, i) == len(a)-i && i < len(a) && etSecretKey(a[i:])
}

// etNameLen is the length of the flag or variable name at a[i:] ([A-Za-z_][A-Za-z0-9_.-]*).
func etNameLen(a string, i int) int {
	n := 0
	for i+n < len(a) {
		c := a[i+n]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
		if !letter && (n == 0 || !('0' <= c && c <= '9' || c == '.' || c == '-')) {
			break
		}
		n++
	}
	return n
}

// etNoteArgSecrets remembers the values given to secret flags of the process's own argv.
func etNoteArgSecrets(argv []string) {
	for i, a := range argv {
		if _, v, ok := etSecretAssign(a); ok {
			etNoteSecretValue(v)
		} else if etSecretFlag(a) && i+1 < len(argv) {
			etNoteSecretValue(argv[i+1])
		}
	}
}

// etAppendArgvZ appends NUL-joined arguments as a JSON array (see etAppendArgv).
func etAppendArgvZ(b []byte, z string) []byte {
	var argv []string
	start := 0
	for i := 0; i <= len(z); i++ {
		if i == len(z) || z[i] == 0 {
			argv = append(argv, z[start:i])
			start = i + 1
		}
	}
	if z == "" {
		argv = nil
	}
	return etAppendArgv(b, argv)
}

// etAppendArgv appends argv as a JSON array. The value of a secret-looking flag
// ("--password=X" → "--password=<redacted h=… n=…>", and the argument after "--password"),
// and an argument that looks secret or holds a known secret value, are redacted.
func etAppendArgv(b []byte, argv []string) []byte {
	b = append(b, '[')
	valueNext := false
	for i, a := range argv {
		if i > 0 {
			b = append(b, ',')
		}
		if etNoRedact {
			b = etAppendStr(b, a)
			continue
		}
		if valueNext {
			valueNext = false
			b = etAppendStr(b, etRedacted("", a))
		} else if prefix, v, ok := etSecretAssign(a); ok {
			b = etAppendStr(b, etRedacted(prefix, v))
		} else if etSecretFlag(a) {
			valueNext = true
			b = etAppendStr(b, a)
		} else if etSecretValue(a) || etHoldsSecret(a) {
			b = etAppendStr(b, etRedacted("", a))
		} else {
			b = etAppendStr(b, a)
		}
	}
	return append(b, ']')
}

// etRedacted is prefix + "<redacted h=<hash> n=<length>>".
func etRedacted(prefix, v string) string {
	b := append([]byte(prefix), "<redacted h="...)
	b = etAppendHex64(b, etHash(v))
	b = append(b, " n="...)
	b = etAppendInt(b, int64(len(v)))
	return string(append(b, '>'))
}
