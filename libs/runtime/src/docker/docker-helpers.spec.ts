import { blankedLabels, splitImageTag } from './docker-commit';
import { fromDockerError } from './docker-errors';
import { containerEndpoint, demuxDockerLogs } from './docker-readiness';
import type Dockerode from 'dockerode';

function dockerError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) - ${message}`), { statusCode, json: { message } });
}

describe('fromDockerError', () => {
  it('marks an unreachable daemon and 5xx as transient, 4xx as permanent, with stable codes', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' });
    expect(fromDockerError(refused, 'create container x', 'container_create')).toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
      transient: true,
      phase: 'container_create',
    });
    expect(fromDockerError(dockerError(500, 'boom'), 'start container x')).toMatchObject({ code: 'RUNTIME_ERROR', transient: true });
    expect(fromDockerError(dockerError(400, 'bad NanoCpus'), 'create container x')).toMatchObject({ code: 'INVALID_SPEC', transient: false });
    expect(fromDockerError(dockerError(404, 'no such container'), 'inspect')).toMatchObject({ code: 'NOT_FOUND', transient: false });
    expect(fromDockerError(dockerError(409, 'name in use'), 'create')).toMatchObject({ code: 'CONFLICT', transient: false });
  });

  it('strips dockerode\'s HTTP prefix when the body had no JSON message', () => {
    const streamed = Object.assign(new Error('(HTTP code 500) server error - Get "https://r/v2/": no such host '), { statusCode: 500, json: null });
    expect(fromDockerError(streamed, 'pull image a').message).toBe('pull image a failed: Get "https://r/v2/": no such host');
  });

  it('uses the daemon message without the HTTP prefix', () => {
    expect(fromDockerError(dockerError(400, 'invalid reference format'), 'create container rock-a').message).toBe(
      'create container rock-a failed: invalid reference format',
    );
  });
});

describe('demuxDockerLogs', () => {
  it('joins the payloads of multiplexed stdout/stderr frames', () => {
    const frame = (stream: number, text: string): Buffer => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    expect(demuxDockerLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n');
  });

  it('returns raw text (TTY logs) unchanged', () => {
    expect(demuxDockerLogs(Buffer.from('plain text'))).toBe('plain text');
  });
});

describe('containerEndpoint', () => {
  const info = (settings: object): Dockerode.ContainerInspectInfo => ({ NetworkSettings: settings }) as unknown as Dockerode.ContainerInspectInfo;

  it('uses the IP on the configured network', () => {
    const endpoint = containerEndpoint(info({ Networks: { bridge: { IPAddress: '172.17.0.5' } }, Ports: {} }), 'bridge', null);
    expect(endpoint).toEqual({ address: '172.17.0.5', port: 22555, portMapping: { '22555': '22555' } });
  });

  it('uses the published host port when publishing', () => {
    const settings = { Networks: {}, Ports: { '22555/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }] } };
    expect(containerEndpoint(info(settings), 'bridge', '127.0.0.1')).toEqual({
      address: '127.0.0.1',
      port: 49153,
      portMapping: { '22555': '49153' },
    });
  });

  it('is null while the container has no address', () => {
    expect(containerEndpoint(info({ Networks: {}, Ports: {} }), 'bridge', null)).toBeNull();
  });
});

describe('commit helpers', () => {
  it('splits repository and tag, also with a registry port', () => {
    expect(splitImageTag('team/env:v2')).toEqual({ repo: 'team/env', tag: 'v2' });
    expect(splitImageTag('registry:5000/team/env')).toEqual({ repo: 'registry:5000/team/env', tag: 'latest' });
    expect(splitImageTag('registry:5000/env:1')).toEqual({ repo: 'registry:5000/env', tag: '1' });
    expect(() => splitImageTag('env@sha256:abc')).toThrow('digest');
  });

  it('blanks every container-only label and keeps the original image labels', () => {
    expect(blankedLabels({ 'rock.managed': 'true', 'rock.sandbox-id': 'a', maintainer: 'x' }, { maintainer: 'me' })).toEqual({
      'rock.managed': '',
      'rock.sandbox-id': '',
      maintainer: 'me',
    });
  });
});
