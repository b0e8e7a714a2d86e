import { BadRequestError, ValidationError } from '@rock/contracts';
import { isProxyPath, parseProxyTarget } from './proxy-target';

const base = '/apis/envs/sandbox/v1/sandboxes/sbx-1/proxy';

describe('parseProxyTarget', () => {
  it('takes the port from the path, the header or the query, keeping the rest of the URL', () => {
    expect(parseProxyTarget(`${base}/port/8080/a/b?x=1`, {})).toEqual({ sandboxId: 'sbx-1', port: 8080, path: '/a/b?x=1' });
    expect(parseProxyTarget(`${base}/a?x=1`, { 'x-rock-target-port': '3000' })).toEqual({ sandboxId: 'sbx-1', port: 3000, path: '/a?x=1' });
    expect(parseProxyTarget(`${base}/a?rock_target_port=3000&x=1`, {})).toEqual({ sandboxId: 'sbx-1', port: 3000, path: '/a?x=1' });
    expect(parseProxyTarget(`${base}?rock_target_port=3000`, {})).toEqual({ sandboxId: 'sbx-1', port: 3000, path: '/' });
  });

  it('refuses two sources and none', () => {
    expect(() => parseProxyTarget(`${base}/port/8080/a`, { 'x-rock-target-port': '8080' })).toThrow(BadRequestError);
    expect(() => parseProxyTarget(`${base}/a?rock_target_port=1&rock_target_port=2`, { 'x-rock-target-port': '8080' })).toThrow(/2 times/);
    expect(() => parseProxyTarget(`${base}/a`, {})).toThrow(/target port required/);
  });

  it('validates the port like the port forward, naming where it came from', () => {
    expect(() => parseProxyTarget(`${base}/port/22/a`, {})).toThrow(ValidationError);
    expect(() => parseProxyTarget(`${base}/a`, { 'x-rock-target-port': 'abc' })).toThrow(/^x-rock-target-port: /);
    expect(() => parseProxyTarget(`${base}/a?rock_target_port=70000`, {})).toThrow(/^rock_target_port: must be between 1024 and 65535/);
  });

  it('recognises proxy paths only', () => {
    expect(isProxyPath(base)).toBe(true);
    expect(isProxyPath(`${base}/port/1/x`)).toBe(true);
    expect(isProxyPath('/apis/envs/sandbox/v1/sandboxes/sbx-1/portforward')).toBe(false);
  });
});
