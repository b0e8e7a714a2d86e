import { cleanTerminalOutput, HeadTailBuffer, stripAnsi } from './output';

describe('HeadTailBuffer', () => {
  it('keeps everything under the limit', () => {
    const b = new HeadTailBuffer(10);
    b.push(Buffer.from('abc'));
    b.push(Buffer.from('def'));
    expect(b.truncated).toBe(false);
    expect(b.toString()).toBe('abcdef');
  });

  it('keeps the first and last halves and drops the middle', () => {
    const b = new HeadTailBuffer(8);
    for (const c of ['0123', '4567', '89ab', 'cdef']) b.push(Buffer.from(c));
    expect(b.truncated).toBe(true);
    expect(b.totalBytes).toBe(16);
    expect(b.toString()).toBe('0123\n[... 8 bytes truncated ...]\ncdef');
  });

  it('handles one chunk larger than the whole limit', () => {
    const b = new HeadTailBuffer(4);
    b.push(Buffer.from('abcdefghij'));
    expect(b.toString()).toBe('ab\n[... 6 bytes truncated ...]\nij');
  });

  it('stays bounded over many chunks', () => {
    const b = new HeadTailBuffer(1000);
    const chunk = Buffer.alloc(4096, 120);
    for (let i = 0; i < 1000; i += 1) b.push(chunk);
    expect(b.totalBytes).toBe(4096 * 1000);
    expect(Buffer.byteLength(b.toString())).toBeLessThan(1100);
  });
});

describe('terminal output cleaning', () => {
  it('strips CSI, OSC and bracketed-paste sequences', () => {
    expect(stripAnsi('\x1b[?2004h\x1b[1;31mred\x1b[0m \x1b]0;title\x07ok')).toBe('red ok');
  });

  it('normalises CRLF, keeps the text after a lone CR, drops control chars and trims', () => {
    expect(cleanTerminalOutput('\r\n  line1\r\n10%\r50%\r100%\r\nbell\x07\r\n\r\n')).toBe('line1\n100%\nbell');
    expect(cleanTerminalOutput('done\r')).toBe('done');
  });

  it('keeps unicode intact', () => {
    expect(cleanTerminalOutput('héllo 🌍 日本\r\n')).toBe('héllo 🌍 日本');
  });
});
