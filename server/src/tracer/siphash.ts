/**
 * SipHash-2-4 (64 bits), the keyed hash of redacted values: the same function as the
 * recorder's etHash (server/go/syscall/env/f_hash.go), so a value redacted by the CLI hashes
 * the same as in the recorder's files under the workspace key.
 */

const MASK = (1n << 64n) - 1n;
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & MASK;

/** The key as two little-endian words, from 32 hex digits (missing digits count as 0, as in the recorder). */
function keyWords(hexKey: string): [bigint, bigint] {
  const k = Buffer.alloc(16);
  for (let i = 0; i + 1 < hexKey.length && i / 2 < 16; i += 2) k[i / 2] = parseInt(hexKey.slice(i, i + 2), 16) || 0;
  return [k.readBigUInt64LE(0), k.readBigUInt64LE(8)];
}

/** SipHash-2-4 of the UTF-8 bytes of `s` under the hex key, as 16 hex digits. */
export function sipHashHex(hexKey: string, s: string): string {
  const [k0, k1] = keyWords(hexKey);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = () => {
    v0 = (v0 + v1) & MASK;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & MASK;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & MASK;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & MASK;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const b = Buffer.from(s, 'utf8');
  let i = 0;
  for (; i + 8 <= b.length; i += 8) {
    const m = b.readBigUInt64LE(i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  let last = BigInt(b.length & 0xff) << 56n;
  for (let j = 0; i + j < b.length; j++) last |= BigInt(b[i + j]) << BigInt(8 * j);
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  for (let r = 0; r < 4; r++) round();
  return (v0 ^ v1 ^ v2 ^ v3).toString(16).padStart(16, '0');
}
