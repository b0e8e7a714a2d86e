// One port picker for product and tests: the runtime's (test support re-exports it).
export { freePort } from '@rock/runtime';
