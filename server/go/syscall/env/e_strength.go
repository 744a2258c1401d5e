// envtrace recorder, part 5c: the strength of a secret's value, decided in the process so the
// value never leaves it. For a read or write of a secret-looking key (not for secret-looking
// values under other keys) the event carries ,"bits":<n>: the value's Shannon entropy over
// its bytes times its length, rounded down (0 for "", "aaaa"; 64 for 16 distinct bytes).
// `envtrace check` (secret-hygiene) compares it and the length "n" with the project's policy.
package syscall

//envtrace:begin

// etAppendStrength appends ,"bits":<entropy estimate> for value v.
func etAppendStrength(b []byte, v string) []byte {
	b = append(b, `,"bits":`...)
	return etAppendInt(b, int64(etEntropyBits(v)))
}

// etEntropyBits is len(v)·H(v) with H the Shannon entropy of v's byte frequencies:
// n·log2(n) − Σ c·log2(c) over the byte counts c.
func etEntropyBits(v string) int {
	if len(v) < 2 {
		return 0
	}
	var counts [256]int32
	for i := 0; i < len(v); i++ {
		counts[v[i]]++
	}
	n := float64(len(v))
	bits := n * etLog2(n)
	for i := 0; i < len(v); i++ { // each distinct byte once: its count is cleared after use
		if c := counts[v[i]]; c > 1 {
			bits -= float64(c) * etLog2(float64(c))
		}
		counts[v[i]] = 0
	}
	return int(bits + 1e-6)
}

// etLog2 is log2(x) for x >= 1 to about 2^-24 (package syscall may not import math).
func etLog2(x float64) float64 {
	r := 0.0
	for x >= 2 {
		x /= 2
		r++
	}
	for f := 0.5; f > 1.0/(1<<24); f /= 2 {
		x *= x
		if x >= 2 {
			x /= 2
			r += f
		}
	}
	return r
}
