/** Rocklet wire shapes (API.md §5): filled in with the rocklet implementation. */
export {};
