/** The driver's `{"22555": "32768"}` as the record's `{"22555": 32768}` (API.md §3 SandboxStatus). */
export function numericPortMapping(mapping: Record<string, string>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(mapping)
      .map(([inside, outside]) => [inside, Number(outside)] as const)
      .filter(([, outside]) => Number.isInteger(outside)),
  );
}
