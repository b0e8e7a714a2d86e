/**
 * The whole control plane as a ROCK client sees it: one write service and two read replicas, each
 * a separate OS process started from dist/, all on one unique Redis prefix, BullMQ prefix and
 * `rock.instance` label. Clients talk HTTP only; leftovers are checked the way an operator would
 * (`docker ps -a`, the host's process table). `cleanup()` stops and removes everything this run
 * made, also after a failed test.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { buildDist as buildReadDist, startReadReplica, type Envelope, type ReadReplica } from '../read/read-harness';
import { buildDist, ControlPlane, SANDBOX_API, type WriteProcess } from '../control-plane/write-service-fixture';
import { withDeadline } from '@rock/testing';

export { SANDBOX_API };
export type { Envelope, ReadReplica };

const execFileAsync = promisify(execFile);
/** Create-time env variable that tags a sandbox's processes (see E2ePlane.tagEnv). */
const TAG_VAR = 'E2E_SANDBOX';

/** One configuration of the suite: a runtime and the image its sandboxes are created from. */
export interface E2eConfig {
  name: string;
  runtime: 'local' | 'docker';
  image: string;
}

/** Write service + replicas A and B over one isolated registry. */
export class E2ePlane {
  readonly plane: ControlPlane;
  private writeProcess: WriteProcess | undefined;
  private readReplicas: ReadReplica[] = [];
  /** Every sandbox id this run asked the write service to create (stopped again in cleanup). */
  private readonly created = new Set<string>();

  constructor(readonly config: E2eConfig) {
    this.plane = new ControlPlane({ name: `e2e-${config.name}`, runtime: config.runtime });
  }

  get instance(): string {
    return this.plane.instance;
  }

  get write(): WriteProcess {
    if (!this.writeProcess) throw new Error('E2ePlane.start() has not run');
    return this.writeProcess;
  }

  /** Replica A and replica B. */
  get replicas(): [ReadReplica, ReadReplica] {
    const [a, b] = this.readReplicas;
    if (!a || !b) throw new Error('E2ePlane.start() has not run');
    return [a, b];
  }

  /** Builds dist/ once, then starts the write process and both replicas at the same time. */
  async start(): Promise<void> {
    buildDist();
    await buildReadDist();
    const env = { ROCK_INSTANCE: this.plane.instance, ROCK_QUEUE_PREFIX: this.plane.queuePrefix };
    const [write, ...replicas] = await Promise.allSettled([
      // The same boot budget startReadReplica gives a replica: a shared 2-core host can be slow.
      this.plane.start({}, 60_000),
      startReadReplica(this.plane.prefix, env),
      startReadReplica(this.plane.prefix, env),
    ]);
    for (const r of replicas) if (r.status === 'fulfilled') this.readReplicas.push(r.value);
    if (write.status === 'fulfilled') this.writeProcess = write.value;
    const failed = [write, ...replicas].find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** POST to a write-service route with the ROCK v1 envelope as the answer. */
  async writePost(route: string, body: unknown, headers: Record<string, string> = {}): Promise<Envelope> {
    const answer = await this.write.post<Envelope>(`${SANDBOX_API}/${route}`, body, headers);
    if (answer.status !== 200) throw new Error(`POST /${route} answered HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** `/start` or `/start_async`; the id is remembered so cleanup stops it even if a test fails. */
  async create(route: 'start' | 'start_async', body: { sandbox_id: string } & Record<string, unknown>, headers: Record<string, string> = {}): Promise<Envelope> {
    this.created.add(body.sandbox_id);
    return this.writePost(route, body, headers);
  }

  /**
   * Polls `get_status` through `replica` (every 50 ms) until the sandbox is `running`; throws with
   * the last answer after `deadlineMs`, or at once when it reached a terminal state.
   */
  async waitUntilRunning(replica: ReadReplica, sandboxId: string, deadlineMs: number): Promise<Envelope> {
    const deadline = Date.now() + deadlineMs;
    let last: Envelope | undefined;
    while (Date.now() < deadline) {
      last = (await replica.get(`${SANDBOX_API}/get_status?sandbox_id=${sandboxId}&include_all_states=true`)).body;
      const state = (last.result as { state?: string } | null)?.state;
      if (state === 'running') return last;
      if (state === 'stopped' || state === 'deleted') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sandbox ${sandboxId} not running within ${deadlineMs} ms; last answer: ${JSON.stringify(last)}`);
  }

  /**
   * Create-time env that tags every process started in sandbox `id` (the read service merges it
   * into each execute and session), so {@link leftovers} can find them even once daemonized.
   */
  tagEnv(id: string): Record<string, string> {
    return { [TAG_VAR]: `${this.instance}/${id}` };
  }

  /**
   * What of `sandboxIds` is still on the host: managed containers of this run's instance as
   * `docker ps -a` lists them (docker), or host processes of those sandboxes (local: the runtime's
   * marker, the {@link tagEnv} tag, or a working directory in the sandbox's directory; the runtime's
   * own pre-started processes belong to no sandbox id and are not counted).
   */
  async leftovers(sandboxIds: readonly string[]): Promise<string[]> {
    if (this.config.runtime === 'docker') {
      const { stdout } = await execFileAsync('docker', [
        'ps', '-a', '--filter', 'label=rock.managed=true', '--filter', `label=rock.instance=${this.instance}`,
        '--format', '{{.ID}} {{.Label "rock.sandbox-id"}} {{.State}}',
      ], { timeout: 30_000 });
      return stdout.split('\n').filter((line) => sandboxIds.includes(line.split(' ')[1] ?? ''));
    }
    return (await this.localProcesses(sandboxIds)).map((p) => `pid ${p.pid} of ${p.sandboxId} (${p.how})`);
  }

  /** Host processes of the local sandboxes `sandboxIds` (see {@link localSandboxProcesses}). */
  async localProcesses(sandboxIds: readonly string[]): Promise<LocalSandboxProcess[]> {
    const processes = await localSandboxProcesses(this.instance, this.localSandboxDir);
    return processes.filter((p) => sandboxIds.includes(p.sandboxId));
  }

  /**
   * A directory for the files tests write inside sandboxes; removed in cleanup because local
   * sandboxes share the host's filesystem.
   */
  get scratchDir(): string {
    return `/tmp/${this.plane.id}-files`;
  }

  /** Where the local runtime keeps this run's sandbox directories (ControlPlane's setting). */
  get localSandboxDir(): string {
    return `/tmp/${this.plane.id}`;
  }

  /**
   * Stops every sandbox this run created (through the API, bounded), kills any local sandbox
   * process still carrying this run's marker, stops the replicas, then the write process, and
   * removes containers, Redis keys and directories (ControlPlane.cleanup).
   */
  async cleanup(): Promise<void> {
    if (this.writeProcess && this.created.size > 0) {
      const stops = [...this.created].map((id) => this.writePost('stop', { sandbox_id: id }).catch(() => undefined));
      await withDeadline(Promise.all(stops), 60_000, 'stopping the run\'s sandboxes').catch(() => undefined);
    }
    await Promise.all(this.readReplicas.map((r) => r.stop()));
    await this.plane.cleanup();
    await rm(this.scratchDir, { recursive: true, force: true });
    for (const { pid } of await localSandboxProcesses(this.instance, this.localSandboxDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** A host process of a local sandbox, how it was recognised, and its command line. */
export interface LocalSandboxProcess {
  pid: number;
  sandboxId: string;
  how: 'marker' | 'tag' | 'cwd';
  /** argv joined with spaces. */
  command: string;
}

/**
 * Live host processes of local sandboxes of `instance`, found the way an operator would: the env
 * marker the local runtime gives sandbox processes (`ROCK_LOCAL_SANDBOX=<instance>/<id>`), the
 * suite's own tag (`E2E_SANDBOX=<instance>/<id>`), or a working directory under
 * `<sandboxDir>/<id>/`. Zombies are not counted.
 */
export async function localSandboxProcesses(instance: string, sandboxDir: string): Promise<LocalSandboxProcess[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  const found = await Promise.all(pids.map((pid) => sandboxOfProcess(Number(pid), instance, sandboxDir)));
  return found.filter((p): p is LocalSandboxProcess => p !== null);
}

async function sandboxOfProcess(pid: number, instance: string, sandboxDir: string): Promise<LocalSandboxProcess | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (stat === '' || /\) [ZX] /.test(stat)) return null;
  const owner = await ownerOfProcess(pid, instance, sandboxDir);
  if (!owner) return null;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return { pid, ...owner, command: cmdline.split('\0').filter(Boolean).join(' ') };
}

async function ownerOfProcess(pid: number, instance: string, sandboxDir: string): Promise<Pick<LocalSandboxProcess, 'sandboxId' | 'how'> | null> {
  const environ = (await readFile(`/proc/${pid}/environ`).catch(() => Buffer.alloc(0))).toString().split('\0');
  for (const [name, how] of [['ROCK_LOCAL_SANDBOX', 'marker'], [TAG_VAR, 'tag']] as const) {
    const entry = environ.find((e) => e.startsWith(`${name}=${instance}/`));
    if (entry) return { sandboxId: entry.slice(`${name}=${instance}/`.length), how };
  }
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
  if (!cwd.startsWith(`${sandboxDir}/`)) return null;
  const [first, slot] = cwd.slice(sandboxDir.length + 1).split('/');
  // A warm-pool rocklet keeps running in its slot; the slot's state names the sandbox that took it.
  if (first === '.warm-pool' && slot) return { sandboxId: await slotOwner(`${sandboxDir}/.warm-pool/${slot}`), how: 'cwd' };
  return { sandboxId: first ?? '', how: 'cwd' };
}

async function slotOwner(slotDir: string): Promise<string> {
  const state = JSON.parse(await readFile(`${slotDir}/sandbox.json`, 'utf8').catch(() => '{}')) as { sandboxId?: string };
  return state.sandboxId ?? '';
}
