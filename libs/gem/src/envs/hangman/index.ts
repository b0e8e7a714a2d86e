import type { EnvRegistration } from '../../core/env';

/** Registry entries of this game family (filled in by its implementation). */
export const registrations: EnvRegistration[] = [];
