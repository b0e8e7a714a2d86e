import { InvalidArgumentError } from 'commander';
import type { SandboxStatus } from '@rock/contracts';

/** Prints `value` as indented JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A left-aligned text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The human view of one status. */
export function describeStatus(status: SandboxStatus): string {
  const phases = Object.entries(status.status)
    .map(([name, phase]) => `  ${name.padEnd(16)} ${phase.status}${phase.message ? `  ${phase.message}` : ''}`)
    .join('\n');
  const lines = [
    `sandbox    ${status.sandbox_id}`,
    `state      ${status.state}${status.is_alive ? ' (alive)' : ''}`,
    `image      ${status.image}`,
    `resources  ${status.cpus} cpus, ${status.memory} memory, ${status.disk} disk`,
    `created    ${status.create_time}`,
  ];
  if (status.failure_reason) lines.push(`failure    ${status.failure_reason}`);
  return `${lines.join('\n')}\nphases\n${phases}`;
}

/** `K=V` pairs (repeatable option) into a map; a pair without `=` is a usage error. */
export function collectPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`"${value}" is not KEY=VALUE`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}
