import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the unit specs find the shared reference data: `../shared` beside the checkout
 * (../shared/gem-golden and ../shared/gem-data). Throws when absent so a spec never passes empty.
 */
export function sharedGemPaths(): { golden: string; dataDir: string } {
  const shared = resolve(__dirname, '../../../../../shared');
  const golden = join(shared, 'gem-golden');
  const dataDir = join(shared, 'gem-data');
  for (const dir of [golden, dataDir]) {
    if (!existsSync(dir)) throw new Error(`GEM reference data missing: expected ${dir} (../shared beside the repo)`);
  }
  return { golden, dataDir };
}
