import { describe, expect, it } from 'vitest';
import { StderrLogger } from './stderr-logger';

function sink() {
  const chunks: string[] = [];
  return { chunks, write: (c: string) => void chunks.push(c) };
}

const T = Date.UTC(2024, 4, 1, 12);

describe('StderrLogger', () => {
  it('writes warnings and errors as one line each with key=value fields, and nothing below warn by default', () => {
    const out = sink();
    const log = new StderrLogger({ stream: out, now: () => T });
    log.debug({ a: 1 }, 'debug');
    log.info({ a: 1 }, 'info');
    log.warn({ file: '/tmp/log-0.jsonl', offset: 12, reason: 'bad checksum', ok: false }, 'file store: torn last record dropped');
    log.error({ error: new Error('ECONNREFUSED\nat x') }, 'redis down');
    expect(out.chunks).toEqual([
      '2024-05-01T12:00:00.000Z WARN file store: torn last record dropped file=/tmp/log-0.jsonl offset=12 reason="bad checksum" ok=false\n',
      '2024-05-01T12:00:00.000Z ERROR redis down error="Error: ECONNREFUSED\\nat x"\n',
    ]);
  });

  it('writes info when asked for a verbose level, and adds child bindings to every line', () => {
    const out = sink();
    const log = new StderrLogger({ stream: out, level: 'info', now: () => T }).child({ session: 's1' });
    log.info({ n: 2 }, 'order submitted');
    log.debug({}, 'hidden');
    expect(out.chunks).toEqual(['2024-05-01T12:00:00.000Z INFO order submitted session=s1 n=2\n']);
  });

  it('bounds each line and keeps it on one line whatever the fields hold', () => {
    const out = sink();
    const log = new StderrLogger({ stream: out, maxLineLength: 200 });
    const cyclic: Record<string, unknown> = { big: 10n };
    cyclic.self = cyclic;
    log.warn({ huge: 'x'.repeat(10_000), cyclic, list: [1, 'two'] }, 'multi\nline message');
    expect(out.chunks).toHaveLength(1);
    const line = out.chunks[0] as string;
    expect(line.endsWith('…\n')).toBe(true);
    expect(line.length).toBe(201);
    expect(line.slice(0, -1)).not.toMatch(/\n/);
    expect(line).toMatch(/WARN multi line message huge=x+…/);

    const short = sink();
    new StderrLogger({ stream: short }).warn({ cyclic, list: [1, 'two'] });
    expect(short.chunks[0]).toMatch(/ WARN cyclic=\{"big":"10","self":"\[Circular\]"\} list=\[1,"two"\]\n$/);
  });

  it('never throws, even when the stream does', () => {
    const log = new StderrLogger({
      stream: {
        write: () => {
          throw new Error('EPIPE');
        },
      },
    });
    expect(() => log.error({}, 'still fine')).not.toThrow();
  });
});
