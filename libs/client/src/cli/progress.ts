import type { SandboxStatus } from '@rock/contracts';
import type { TransferProgress } from '../sandbox-files';

/** Where progress goes: stderr, only when it is a TTY or `--progress` asked for it. */
export interface ProgressSink {
  enabled: boolean;
  write(line: string): void;
  done(): void;
}

/** A progress sink on stderr; TTYs get one rewritten line, pipes get one line per update. */
export function progressSink(forced: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = Boolean(stream.isTTY);
  let open = false;
  return {
    enabled: forced || tty,
    write(line) {
      if (!(forced || tty)) return;
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        open = true;
      } else stream.write(`${line}\n`);
    },
    done() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** `upload 45% (45.0 MB / 100.0 MB)`: for transfer `onProgress`, throttled to one line per 5 %. */
export function transferReporter(sink: ProgressSink, label: string): (progress: TransferProgress) => void {
  let lastPercent = -1;
  return ({ transferred, total }) => {
    if (total === null || total === 0) {
      sink.write(`${label} ${megabytes(transferred)}`);
      return;
    }
    const percent = Math.floor((transferred / total) * 100);
    if (percent - lastPercent < 5 && percent !== 100) return;
    lastPercent = percent;
    sink.write(`${label} ${percent}% (${megabytes(transferred)} / ${megabytes(total)})`);
  };
}

/** `starting sb-1: image_pull running` lines while a sandbox starts (only on change). */
export function startReporter(sink: ProgressSink): (status: SandboxStatus) => void {
  let last = '';
  return (status) => {
    const phases = Object.entries(status.status);
    const current = phases.find(([, phase]) => phase.status === 'running') ?? phases.filter(([, phase]) => phase.status === 'success').pop();
    const line = `starting ${status.sandbox_id}: ${status.state}${current ? ` (${current[0]} ${current[1].status})` : ''}`;
    if (line !== last) sink.write(line);
    last = line;
  };
}
