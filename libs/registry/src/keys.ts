/**
 * Redis key layout (ARCHITECTURE §3), all under one configurable prefix (default `rock:`):
 * - `<p>sbx:<id>`            hash: one sandbox record (fields of {@link SandboxRecord})
 * - `<p>alive`               zset: pending/running ids scored by create time (ms)
 * - `<p>expiry`              zset: live ids scored by idle deadline (ms), read by the reaper
 * - `<p>totals`              hash: `count`, `millicpus`, `memory_bytes` of live sandboxes
 * - `<p>owner:<principal>`   set: live ids of a principal
 * - `<p>owner-totals:<p>`    hash: like `totals`, per principal
 * - `<p>owners`              set: principals that ever had a live sandbox (for recomputing)
 * - `<p>rate:<p>:<minute>`   counter: creates by a principal in one minute (expires)
 * - `<p>events`              pub/sub channel of {@link RegistryEvent}s
 */
export class RegistryKeys {
  constructor(readonly prefix: string) {}

  record(id: string): string {
    return `${this.prefix}sbx:${id}`;
  }
  get alive(): string {
    return `${this.prefix}alive`;
  }
  get expiry(): string {
    return `${this.prefix}expiry`;
  }
  get totals(): string {
    return `${this.prefix}totals`;
  }
  owner(principal: string): string {
    return `${this.prefix}owner:${principal}`;
  }
  get owners(): string {
    return `${this.prefix}owners`;
  }
  ownerTotals(principal: string): string {
    return `${this.prefix}owner-totals:${principal}`;
  }
  createRate(principal: string, minute: number): string {
    return `${this.prefix}rate:${principal}:${minute}`;
  }
  get events(): string {
    return `${this.prefix}events`;
  }
}
