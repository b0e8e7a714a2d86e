/** Python-compatible random core (GEM.md §1.4): CPython `random.Random` and numpy `default_rng`. */
export { PyRandom, PyRandomError, seedWords } from './py-random';
export { NumpyGenerator, Pcg64, defaultRng, generateState32, seedSequencePool } from './numpy-rng';
