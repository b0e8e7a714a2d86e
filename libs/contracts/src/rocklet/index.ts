/** Rocklet wire shapes (API.md §5): zod schemas and their inferred types. */
export * from './session.schema';
export * from './execute.schema';
export * from './files.schema';
export * from './misc.schema';
