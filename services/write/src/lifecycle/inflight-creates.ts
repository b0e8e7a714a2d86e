import { Injectable } from '@nestjs/common';

/**
 * Creates running in this process, so a destroy of the same sandbox can abort its create at once
 * (the driver then removes what it made) instead of waiting for the whole startup.
 */
@Injectable()
export class InflightCreates {
  private readonly running = new Map<string, AbortController>();

  start(sandboxId: string): AbortController {
    const controller = new AbortController();
    this.running.set(sandboxId, controller);
    return controller;
  }

  finish(sandboxId: string, controller: AbortController): void {
    if (this.running.get(sandboxId) === controller) this.running.delete(sandboxId);
  }

  /** Aborts the create of `sandboxId` if this process runs one. */
  abort(sandboxId: string): boolean {
    const controller = this.running.get(sandboxId);
    controller?.abort(new Error(`sandbox ${sandboxId} was stopped while starting`));
    return controller !== undefined;
  }

  /** Aborts everything (shutdown). */
  abortAll(): void {
    for (const id of [...this.running.keys()]) this.abort(id);
  }
}
