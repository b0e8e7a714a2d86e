import { HeadTailBuffer } from '../output';
import { exitPrinter, findMarker, newSessionMarkers, setupLine, shellQuote, stripEcho } from './marker';
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
  });

  it('finds the earliest of exit, prompt and expect strings', () => {
    const text = `out\n__ROCK_EC_abc_12_\n__ROCK_PS1_abc__`;
    expect(findMarker(text, markers, { exit: true, prompt: true })).toEqual({ kind: 'exit', index: 4, end: 21, exitCode: 12 });
    expect(findMarker(text, markers, { prompt: true })?.kind).toBe('prompt');
    expect(findMarker('name? ', markers, { prompt: true, expect: ['name? '] })).toMatchObject({ kind: 'expect', matched: 'name? ' });
  });

  it('does not report an exit tag whose code is incomplete', () => {
    expect(findMarker('x__ROCK_EC_abc_1', markers, { exit: true })).toBeNull();
  });

  it('matches multi-byte expect strings in the latin1 byte view', () => {
    const view = Buffer.from('entrée: ', 'utf8').toString('latin1');
    expect(findMarker(view, markers, { expect: ['entrée: '] })).toMatchObject({ kind: 'expect', index: 0 });
  });

  it('cuts an echoed protocol line, even when line editing re-wrapped it', () => {
    const line = `. '/tmp/x.sh'; printf '%s' x; PS1='a''b'; export PS1 PS2`;
    expect(stripEcho(`${line}\nout`, line)).toBe('out');
    expect(stripEcho(`. '/tmp/x.sh'; printf '%s' x; PS1='a'\n'b'; export PS1 PS2\nout`, line)).toBe('out');
    expect(stripEcho('plain output', line)).toBe('plain output');
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
    stream.push(Buffer.from('C_abc_0_\n__ROCK_PS1_abc__'));
    await expect(waiting).resolves.toMatchObject({ kind: 'exit', exitCode: 0 });
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
