// envtrace recorder, part 6: SipHash-2-4, the keyed hash of redacted values (the key comes
// from ENVTRACE_KEY, which lives in the workspace, never in a run).
package syscall

//envtrace:begin

func etRotl(x uint64, b uint) uint64 { return x<<b | x>>(64-b) }

// etHash is SipHash-2-4 of s under etHashKey.
func etHash(s string) uint64 {
	k0, k1 := etHashKey[0], etHashKey[1]
	v0 := k0 ^ 0x736f6d6570736575
	v1 := k1 ^ 0x646f72616e646f6d
	v2 := k0 ^ 0x6c7967656e657261
	v3 := k1 ^ 0x7465646279746573
	round := func() {
		v0 += v1
		v1 = etRotl(v1, 13)
		v1 ^= v0
		v0 = etRotl(v0, 32)
		v2 += v3
		v3 = etRotl(v3, 16)
		v3 ^= v2
		v0 += v3
		v3 = etRotl(v3, 21)
		v3 ^= v0
		v2 += v1
		v1 = etRotl(v1, 17)
		v1 ^= v2
		v2 = etRotl(v2, 32)
	}
	n := len(s)
	i := 0
	for ; i+8 <= n; i += 8 {
		var m uint64
		for j := 0; j < 8; j++ {
			m |= uint64(s[i+j]) << (8 * j)
		}
		v3 ^= m
		round()
		round()
		v0 ^= m
	}
	last := uint64(n) << 56
	for j := 0; i+j < n; j++ {
		last |= uint64(s[i+j]) << (8 * j)
	}
	v3 ^= last
	round()
	round()
	v0 ^= last
	v2 ^= 0xff
	round()
	round()
	round()
	round()
	return v0 ^ v1 ^ v2 ^ v3
}
