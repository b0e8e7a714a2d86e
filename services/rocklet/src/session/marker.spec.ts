import { HeadTailBuffer } from '../output';
import {
  exitPrinter,
  findMarker,
  incompleteExitAt,
  newSessionMarkers,
  pipeStatusLine,
  PROTOCOL_LINE_END,
  setupLine,
  shellQuote,
  statusTrailer,
  stripEcho,
} from './marker';
import { PtyStream } from './pty-stream';

const markers = { prompt: '__ROCK_PS1_abc__', exitTag: '__ROCK_EC_abc_' };

describe('session markers', () => {
  it('are unique per session', () => {
    expect(newSessionMarkers().prompt).not.toBe(newSessionMarkers().prompt);
  });

  it('never appear contiguously in the shell text that prints them (echo cannot fake one)', () => {
    const m = newSessionMarkers();
    expect(setupLine(m)).not.toContain(m.prompt);
    expect(exitPrinter(m)).not.toContain(m.exitTag);
    expect(exitPrinter(m, true)).not.toContain(m.exitTag);
  });

  it('finds the earliest of exit, prompt and expect strings', () => {
    const text = `out\n__ROCK_EC_abc_12:_\n__ROCK_PS1_abc__`;
    expect(findMarker(text, markers, { exit: true, prompt: true })).toEqual({ kind: 'exit', index: 4, end: 22, exitCode: 12, pipeStatus: [] });
    expect(findMarker(text, markers, { prompt: true })?.kind).toBe('prompt');
    expect(findMarker('name? ', markers, { prompt: true, expect: ['name? '] })).toMatchObject({ kind: 'expect', matched: 'name? ' });
  });

  it('does not report an exit tag whose code is incomplete', () => {
    expect(findMarker('x__ROCK_EC_abc_1', markers, { exit: true })).toBeNull();
    expect(findMarker('x__ROCK_EC_abc_1:0,1', markers, { exit: true })).toBeNull();
    expect(incompleteExitAt('x__ROCK_EC_abc_1:0,1', markers.exitTag)).toBe(1);
    expect(incompleteExitAt('x__ROCK_EC_abc_ 0', markers.exitTag)).toBe(-1);
  });

  it('reads the pipe statuses bash prints after the code', () => {
    expect(findMarker('__ROCK_EC_abc_0:1,0,_', markers, { exit: true })).toMatchObject({ exitCode: 0, pipeStatus: [1, 0], end: 21 });
    expect(findMarker('__ROCK_EC_abc_4:,_', markers, { exit: true })).toMatchObject({ exitCode: 4, pipeStatus: [] });
  });

  it('skips a tag that is not followed by a code (set -x tracing the printer) and finds the real one', () => {
    const traced = "+ printf '\\n%s%s:' __ROCK_EC_abc_ 3\n__ROCK_EC_abc_3:_";
    expect(findMarker(traced, markers, { exit: true })).toMatchObject({ kind: 'exit', exitCode: 3, index: traced.lastIndexOf('__ROCK') });
  });

  it('restores $? and PIPESTATUS with builtins and an AND list (set -e safe)', () => {
    expect(exitPrinter(markers).endsWith(PROTOCOL_LINE_END)).toBe(true);
    expect(setupLine(markers).endsWith(PROTOCOL_LINE_END)).toBe(true);
    expect(setupLine(markers).startsWith('{ __rock_ec=${__rock_ec:-$?};')).toBe(true);
    expect(pipeStatusLine([1, 0, 141], 141)).toBe('{ __rock_rs 1 | __rock_rs 0 | __rock_rs 141 && :; } 2>/dev/null');
    expect(pipeStatusLine([1, 0], 0)).toBe('{ __rock_rs 1 | __rock_rs 0; } 2>/dev/null');
    expect(statusTrailer(true)).toBe('\n{ __rock_ec=$? __rock_ps=("${PIPESTATUS[@]}"); } 2>/dev/null\n');
    expect(statusTrailer(false)).toBe('\n{ __rock_ec=$?; } 2>/dev/null\n');
  });

  it('matches multi-byte expect strings in the latin1 byte view', () => {
    const view = Buffer.from('entrée: ', 'utf8').toString('latin1');
    expect(findMarker(view, markers, { expect: ['entrée: '] })).toMatchObject({ kind: 'expect', index: 0 });
  });

  it('cuts an echoed protocol line, even when line editing re-wrapped it', () => {
    const line = `. '/tmp/x.sh'; printf '%s' x; PS1='a''b'; ${PROTOCOL_LINE_END}`;
    expect(stripEcho(`${line}\nout`, line)).toBe('out');
    expect(stripEcho(`. '/tmp/x.sh'; printf '%s' x; PS1='a'\n'b'; ${PROTOCOL_LINE_END}\nout`, line)).toBe('out');
    expect(stripEcho(`<PS1='a''b'; ${PROTOCOL_LINE_END}\nout`, line)).toBe('out');
    expect(stripEcho('plain output', line)).toBe('plain output');
    expect(stripEcho('<b>html</b>', line)).toBe('<b>html</b>');
    expect(stripEcho('bob\ngot bob', 'bob')).toBe('got bob');
  });

  it('quotes for POSIX sh', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('PtyStream', () => {
  it('finds a marker split across chunks and sends only the bytes before it to the sink', async () => {
    const stream = new PtyStream(markers);
    const sink = new HeadTailBuffer(1024);
    const waiting = stream.wait({ exit: true, prompt: true, sink, deadline: Date.now() + 1000 });
    stream.push(Buffer.from('hello wor'));
    stream.push(Buffer.from('ld\n__ROCK_E'));
    stream.push(Buffer.from('C_abc_0:'));
    stream.push(Buffer.from('2,0,_\n__ROCK_PS1_abc__'));
    await expect(waiting).resolves.toMatchObject({ kind: 'exit', exitCode: 0, pipeStatus: [2, 0] });
    expect(sink.toString()).toBe('hello world\n');
    await expect(stream.wait({ prompt: true, sink: null, deadline: Date.now() + 1000 })).resolves.toMatchObject({ kind: 'prompt' });
  });

  it('resolves closed when the pty ends', async () => {
    const stream = new PtyStream(markers);
    const waiting = stream.wait({ prompt: true, sink: null, deadline: Date.now() + 1000 });
    stream.close();
    await expect(waiting).resolves.toEqual({ kind: 'closed' });
  });

  it('resolves timeout at the deadline', async () => {
    const stream = new PtyStream(markers);
    await expect(stream.wait({ prompt: true, sink: null, deadline: Date.now() })).resolves.toEqual({ kind: 'timeout' });
  });
});
