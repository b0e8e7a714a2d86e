import { parseOrThrow } from '../validation';
import {
  CreateSessionRequestSchema,
  ExecuteRequestSchema,
  PortForwardQuerySchema,
  RunInSessionRequestSchema,
  UploadFieldsSchema,
} from './index';

describe('rocklet wire schemas', () => {
  it('applies ROCK defaults and ignores unknown fields such as sandbox_id', () => {
    expect(parseOrThrow(RunInSessionRequestSchema, { sandbox_id: 'x', command: 'ls', extra: 1 })).toEqual({
      session: 'default',
      command: 'ls',
      check: 'raise',
      is_interactive_command: false,
      is_interactive_quit: false,
      expect: [],
      error_msg: '',
      action_type: 'bash',
    });
    expect(parseOrThrow(CreateSessionRequestSchema, { sandbox_id: 'x' })).toMatchObject({
      session: 'default',
      startup_timeout: 1,
      startup_source: [],
      session_type: 'bash',
    });
    expect(parseOrThrow(ExecuteRequestSchema, { command: ['ls'] })).toMatchObject({ shell: false, timeout: 1200, check: false });
  });

  it('names every bad field', () => {
    expect(() => parseOrThrow(ExecuteRequestSchema, { command: 3, timeout: 0, env: { A: 1 } })).toThrow(
      /^command: .*; timeout: must be > 0; env\.A: /,
    );
  });

  it('accepts form-style unzip values and validates ports', () => {
    expect(parseOrThrow(UploadFieldsSchema, { target_path: '/t', unzip: 'True' }).unzip).toBe(true);
    expect(parseOrThrow(UploadFieldsSchema, { target_path: '/t' }).unzip).toBe(false);
    expect(parseOrThrow(PortForwardQuerySchema, { port: '8080' }).port).toBe(8080);
    expect(() => parseOrThrow(PortForwardQuerySchema, { port: '22' })).toThrow('port: must be between 1024 and 65535');
  });
});
