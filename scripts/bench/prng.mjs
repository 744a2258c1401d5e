// Deterministic pseudo-random numbers (xorshift32) for the benchmarks' synthetic runs:
// the same seed gives the same run, so figures compare across machines and commits.

/** A generator of whole numbers in [0, n), started from `seed`. */
export function xorshift32(seed = 2463534242) {
  let s = seed >>> 0;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}
