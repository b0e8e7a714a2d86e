/*
 * Python-compatible random core (GEM.md §1.4), implemented by the gem-core work:
 *  - `PyRandom`: CPython's `random.Random` (MT19937). API:
 *      new PyRandom(seed?: number | bigint)   // seed(n) semantics of CPython 3.11 for ints
 *      seed(n: number | bigint): void
 *      random(): number
 *      getrandbits(k: number): number | bigint   (k ≤ 32 → number)
 *      randbelow(n: number): number
 *      randint(a: number, b: number): number
 *      randrange(start: number, stop?: number, step?: number): number
 *      choice<T>(seq: readonly T[]): T
 *      shuffle<T>(arr: T[]): void              // in place
 *      sample<T>(pop: readonly T[], k: number): T[]
 *      choices<T>(pop: readonly T[], k?: number): T[]
 *      uniform(a: number, b: number): number
 *  - `NumpyGenerator` / `defaultRng(seed)`: numpy's `default_rng` (PCG64 + SeedSequence). API:
 *      integers(low: number, high?: number): number   // rng.integers(n) semantics, 32-bit Lemire path
 *      random(): number
 */
export {};
