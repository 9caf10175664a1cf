/**
 * Seeded pseudo-random numbers. Each block of the world gets its own generator seeded from
 * (seed, block index), so any block can be produced without producing the ones before it.
 */

/** A deterministic source of uniform numbers in [0, 1) with sampling helpers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A uniformly chosen element; the array must not be empty. */
  pick<T>(items: readonly T[]): T;
  /** An element chosen with the given relative weights (same length as items). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
}

/** 32-bit integer mixer (murmur3 finaliser) so nearby seeds give unrelated streams. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hash of a seed and a stream index into 32 bits; seeds may be any finite number. */
export function hashSeed(seed: number, stream: number): number {
  // Fold the integer and fractional parts in so seeds like 2**40 or 1.5 still separate.
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const lo = Math.floor(seed) >>> 0;
  const frac = Math.floor((seed - Math.floor(seed)) * 4294967296) >>> 0;
  return mix32(mix32(mix32(lo ^ 0x9e3779b9) ^ hi) ^ mix32(frac + 0x7f4a7c15) ^ mix32(stream ^ 0x632be5ab));
}

/** sfc32: small, fast and well distributed, which matters because the world draws millions of numbers. */
export function createRng(seed: number, stream: number): Rng {
  let a = hashSeed(seed, stream);
  let b = mix32(a ^ 0x243f6a88);
  let c = mix32(b ^ 0x85a308d3);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32 needs a few rounds before a fresh state is well mixed.
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    weighted: <T>(items: readonly T[], weights: readonly number[]): T => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i] ?? 0;
        if (r < 0) return items[i];
      }
      return items[items.length - 1];
    },
  };
}

/** Rounds yuan to two decimals without the 1.005 → 1.00 binary surprise. */
export function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}
