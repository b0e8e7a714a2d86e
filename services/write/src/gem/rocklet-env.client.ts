import { Injectable } from '@nestjs/common';
import { RockletCallError } from '@rock/contracts';

/** Budget of one GEM env call to a rocklet (make builds the game; word lists may load). */
const ENV_CALL_TIMEOUT_MS = 30_000;

/** Where and how to reach one sandbox's rocklet. */
export interface RockletTarget {
  url: string;
  token: string;
  requestId: string;
}

/** The write service's only rocklet calls: GEM `/env/make` and `/env/close` (API.md §5). */
@Injectable()
export class RockletEnvClient {
  async make(target: RockletTarget, body: { env_id: string; seed: number | null; kwargs: Record<string, unknown> | null }): Promise<void> {
    await this.post(target, '/env/make', body);
  }

  async close(target: RockletTarget): Promise<void> {
    await this.post(target, '/env/close', {});
  }

  private async post(target: RockletTarget, path: string, body: unknown): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${target.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}`, 'x-request-id': target.requestId },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(ENV_CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new RockletCallError(path, `rocklet ${path} unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (response.ok) return;
    throw new RockletCallError(path, `rocklet ${path} answered ${response.status}: ${await errorText(response)}`);
  }
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { detail?: unknown; rockletexception?: { message?: unknown } };
    const message = parsed.rockletexception?.message ?? parsed.detail;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 500) || 'no body';
}
