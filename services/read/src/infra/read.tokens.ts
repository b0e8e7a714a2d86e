/** Nest injection tokens of the read service's shared objects. */
export const READ_CONFIG = Symbol('READ_CONFIG');
export const READ_LOGGER = Symbol('READ_LOGGER');
export const READ_METRICS = Symbol('READ_METRICS');
export const READ_REGISTRY = Symbol('READ_REGISTRY');
