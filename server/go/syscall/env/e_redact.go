// envtrace recorder, part 5: redaction. A value is stored as a keyed hash prefix and its
// length when its key looks secret (the rules of e_rules.go, or an ENVTRACE_REDACT pattern),
// when the value looks secret, or when it is a copy of a secret (e_secrets.go).
// ENVTRACE_NO_REDACT=1 turns it off.
//
// ENVTRACE_REDACT holds newline-separated patterns in a regular-expression subset, always
// case-insensitive and unanchored unless ^ or $ is used:
//
//	literal characters, \ escapes (\. \* \\ …), . (any byte), [abc] [a-z] [^…] classes,
//	\d \w \s, the postfix operators * + ?, the anchors ^ and $, and | between alternatives
//	(top level only; no groups). server/src/tracer/redact.ts checks patterns against the
//	same subset before a run, so the recorder never sees one it cannot read.
package syscall

//envtrace:begin

var (
	etPatterns [][]etAtom // each alternative of each pattern
	etHashKey  [2]uint64
	etKeyed    bool // the workspace key was given: hashes compare across processes
)

func etInitRedact(hexKey, patterns string) {
	var k [16]byte
	for i := 0; i+1 < len(hexKey) && i/2 < len(k); i += 2 {
		k[i/2] = etHexVal(hexKey[i])<<4 | etHexVal(hexKey[i+1])
	}
	etKeyed = hexKey != ""
	if hexKey == "" { // no workspace key: hashes are comparable within this process only
		w := uint64(envtraceWalltime()) ^ uint64(envtraceNanotime())<<17 ^ uint64(Getpid())<<40
		for i := 0; i < 8; i++ {
			k[i], k[8+i] = byte(w>>(8*i)), byte((w*0x9e3779b97f4a7c15)>>(8*i))
		}
	}
	for i := 0; i < 8; i++ {
		etHashKey[0] |= uint64(k[i]) << (8 * i)
		etHashKey[1] |= uint64(k[8+i]) << (8 * i)
	}
	start := 0
	for i := 0; i <= len(patterns); i++ {
		if i == len(patterns) || patterns[i] == '\n' {
			p := patterns[start:i]
			if len(p) > 0 && p[len(p)-1] == '\r' {
				p = p[:len(p)-1]
			}
			if p != "" {
				etPatterns = append(etPatterns, etCompile(p)...)
			}
			start = i + 1
		}
	}
}

func etHexVal(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

func etUpper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func etContainsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) && etUpper(s[i+j]) == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// A compiled pattern is a list of atoms; kind: 'c' class, '^' '$' anchors.
type etAtom struct {
	kind  byte
	rep   byte // 0, '*', '+', '?'
	set   [8]uint32
	upper bool // set holds upper-cased letters (matching is case-insensitive)
}

func (a *etAtom) add(c byte) { a.set[c>>5] |= 1 << (c & 31) }
func (a *etAtom) has(c byte) bool {
	return a.set[c>>5]&(1<<(c&31)) != 0
}
func (a *etAtom) addRange(lo, hi byte) {
	for c := int(lo); c <= int(hi); c++ {
		a.add(etUpper(byte(c)))
	}
}

func (a *etAtom) addEscape(c byte) {
	switch c {
	case 'd':
		a.addRange('0', '9')
	case 'w':
		a.addRange('0', '9')
		a.addRange('A', 'Z')
		a.add('_')
	case 's':
		for _, s := range []byte(" \t\r\n\f\v") {
			a.add(s)
		}
	default:
		a.add(etUpper(c))
	}
}

// etCompile turns a pattern into its alternatives; bytes it cannot read are literals.
func etCompile(p string) [][]etAtom {
	var alts [][]etAtom
	var cur []etAtom
	for i := 0; i < len(p); i++ {
		c := p[i]
		var a etAtom
		a.kind = 'c'
		switch {
		case c == '|':
			alts, cur = append(alts, cur), nil
			continue
		case c == '^' || c == '$':
			cur = append(cur, etAtom{kind: c})
			continue
		case (c == '*' || c == '+' || c == '?') && len(cur) > 0 && cur[len(cur)-1].kind == 'c' && cur[len(cur)-1].rep == 0:
			cur[len(cur)-1].rep = c
			continue
		case c == '.':
			for x := 0; x < 8; x++ {
				a.set[x] = ^uint32(0)
			}
		case c == '\\' && i+1 < len(p):
			i++
			a.addEscape(p[i])
		case c == '[':
			j, neg := i+1, false
			if j < len(p) && p[j] == '^' {
				neg, j = true, j+1
			}
			for ; j < len(p) && (p[j] != ']' || j == i+1 || (neg && j == i+2)); j++ {
				switch {
				case p[j] == '\\' && j+1 < len(p):
					j++
					a.addEscape(p[j])
				case j+2 < len(p) && p[j+1] == '-' && p[j+2] != ']':
					a.addRange(p[j], p[j+2])
					j += 2
				default:
					a.add(etUpper(p[j]))
				}
			}
			i = j
			if neg {
				for x := 0; x < 8; x++ {
					a.set[x] = ^a.set[x]
				}
			}
		default:
			a.add(etUpper(c))
		}
		cur = append(cur, a)
	}
	return append(alts, cur)
}

// etMatch reports whether the alternative matches anywhere in s (case-insensitive).
func etMatch(alt []etAtom, s string) bool {
	for i := 0; i <= len(s); i++ {
		if etMatchHere(alt, s, i) {
			return true
		}
	}
	return false
}

func etMatchHere(alt []etAtom, s string, i int) bool {
	for len(alt) > 0 {
		a := &alt[0]
		switch a.kind {
		case '^':
			if i != 0 {
				return false
			}
			alt = alt[1:]
			continue
		case '$':
			if i != len(s) {
				return false
			}
			alt = alt[1:]
			continue
		}
		switch a.rep {
		case '*', '+', '?':
			min, max := 0, len(s)-i
			if a.rep == '+' {
				min = 1
			}
			if a.rep == '?' && max > 1 {
				max = 1
			}
			n := 0
			for n < max && a.has(etUpper(s[i+n])) {
				n++
			}
			for ; n >= min; n-- { // greedy, backtracking
				if etMatchHere(alt[1:], s, i+n) {
					return true
				}
			}
			return false
		}
		if i >= len(s) || !a.has(etUpper(s[i])) {
			return false
		}
		i++
		alt = alt[1:]
	}
	return true
}
