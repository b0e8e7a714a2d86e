import { z } from 'zod';
import { nonBlankString, numberLike, withDefault } from './primitives';
import { SandboxStatusSchema } from './sandbox-status';

/** SandboxInfo fields a listing may filter on by exact (string) match (API.md §3). */
export const FILTERABLE_FIELDS = [
  'sandbox_id',
  'state',
  'image',
  'user_id',
  'experiment_id',
  'namespace',
  'cluster',
  'host_name',
  'host_ip',
  'cpus',
  'memory',
  'disk',
  'num_gpus',
  'accelerator_type',
] as const;
export type FilterableField = (typeof FILTERABLE_FIELDS)[number];

export const MAX_PAGE_SIZE = 2000;
export const DEFAULT_PAGE_SIZE = 500;
const METADATA_PREFIX = 'metadata.';

/** A parsed `GET /sandboxes` query: paging plus exact-match filters. */
export interface ListSandboxesQuery {
  page: number;
  page_size: number;
  /** SandboxInfo field → value. */
  filters: Partial<Record<FilterableField, string>>;
  /** **[ext]** `metadata.<key>=<value>` filters. */
  metadata: Record<string, string>;
}

function isFilterKey(key: string): boolean {
  if (key.startsWith(METADATA_PREFIX)) return key.length > METADATA_PREFIX.length;
  return (FILTERABLE_FIELDS as readonly string[]).includes(key);
}

const queryValue = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? (v[0] ?? '') : v));

/**
 * `GET /sandboxes?page=1&page_size=500&<field>=<value>…`: any parameter besides paging filters on
 * a {@link FILTERABLE_FIELDS} field or on `metadata.<key>`; anything else is reported by name.
 */
export const ListSandboxesQuerySchema = z
  .object({
    page: withDefault(numberLike(z.number().int().gte(1)), 1),
    page_size: withDefault(numberLike(z.number().int().gte(1).lte(MAX_PAGE_SIZE)), DEFAULT_PAGE_SIZE),
  })
  .catchall(queryValue)
  .superRefine(
    (query, ctx) => {
      for (const key of Object.keys(query)) {
        if (key !== 'page' && key !== 'page_size' && !isFilterKey(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'is not a filterable field' });
        }
      }
    },
    { when: () => true },
  )
  .transform(({ page, page_size, ...rest }): ListSandboxesQuery => {
    const filters: ListSandboxesQuery['filters'] = {};
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (key.startsWith(METADATA_PREFIX)) metadata[key.slice(METADATA_PREFIX.length)] = value;
      else filters[key as FilterableField] = value;
    }
    return { page: page as number, page_size: page_size as number, filters, metadata };
  });

/** `GET /sandboxes` result. */
export const ListSandboxesResponseSchema = z.object({
  items: z.array(SandboxStatusSchema),
  total: z.number().int(),
  has_more: z.boolean(),
});
export type ListSandboxesResponse = z.infer<typeof ListSandboxesResponseSchema>;

/** `POST /sandboxes/batch` body: up to 2000 ids. */
export const BatchStatusRequestSchema = z.object({
  sandbox_ids: z.array(nonBlankString).max(MAX_PAGE_SIZE),
});
export type BatchStatusRequest = z.infer<typeof BatchStatusRequestSchema>;

/** `POST /sandboxes/batch` result: statuses of the ids that exist (and are visible). */
export const BatchStatusResponseSchema = z.object({ statuses: z.array(SandboxStatusSchema) });
export type BatchStatusResponse = z.infer<typeof BatchStatusResponseSchema>;

/** `GET /get_sandbox_statistics` query. */
export const StatisticsQuerySchema = z.object({ sandbox_id: nonBlankString });
