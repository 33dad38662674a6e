import { describe, expect, it } from 'vitest';
import { readChanged } from '../../source/docker/dockerode-api.js';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

const previous = Buffer.from('[{"ID":"a"},{"ID":"b"}]');

describe('readChanged: an answer compared with the previous one as it arrives', () => {
  it('the same bytes, however they are chunked: null (nothing to parse)', async () => {
    expect(await readChanged(chunks('[{"ID":"a"},', '{"ID":"b"}]'), previous)).toBeNull();
    expect(await readChanged(chunks('[{"ID"', ':"a"},{"ID":"b"}', ']'), previous)).toBeNull();
  });

  it('a change in any chunk: the whole new answer', async () => {
    const body = await readChanged(chunks('[{"ID":"a"},', '{"ID":"c"}]'), previous);
    expect(body?.toString()).toBe('[{"ID":"a"},{"ID":"c"}]');
    const first = await readChanged(chunks('[{"ID":"z"},', '{"ID":"b"}]'), previous);
    expect(first?.toString()).toBe('[{"ID":"z"},{"ID":"b"}]');
  });

  it('shorter or longer than the previous answer: the new answer', async () => {
    expect((await readChanged(chunks('[{"ID":"a"},'), previous))?.toString()).toBe('[{"ID":"a"},');
    const longer = await readChanged(chunks('[{"ID":"a"},{"ID":"b"}]', ' '), previous);
    expect(longer?.toString()).toBe('[{"ID":"a"},{"ID":"b"}] ');
  });

  it('no previous answer: the answer', async () => {
    expect((await readChanged(chunks('[', ']'), undefined))?.toString()).toBe('[]');
    expect((await readChanged(chunks(), undefined))?.toString()).toBe('');
  });

  it('the new answer does not share memory with the previous one', async () => {
    const body = await readChanged(chunks('[{"ID":"a"},', '{"ID":"c"}]'), previous);
    body![0] = 0x20;
    expect(previous.toString()).toBe('[{"ID":"a"},{"ID":"b"}]');
  });
});

describe('readChanged: the memory a changed answer is joined into', () => {
  const big = (fill: string) => `[${`"${fill.repeat(1000)}",`.repeat(300)}"end"]`;
  const bigChunks = (text: string) => chunks(...(text.match(/[\s\S]{1,65536}/g) ?? []));

  it('a large answer goes into the spare when it fits, and is the same bytes', async () => {
    const spare = Buffer.alloc(400_000);
    const text = big('b');
    const body = await readChanged(bigChunks(text), Buffer.from(big('a')), spare);
    expect(body?.toString()).toBe(text);
    expect(body!.buffer).toBe(spare.buffer);
  });

  it('a spare too small is left alone: fresh memory of its own', async () => {
    const spare = Buffer.alloc(1000);
    const body = await readChanged(bigChunks(big('b')), undefined, spare);
    expect(body!.buffer).not.toBe(spare.buffer);
    expect(spare.equals(Buffer.alloc(1000))).toBe(true);
    // its own memory, from its start: it can be the next answer's spare
    expect(body!.byteOffset).toBe(0);
  });

  it('a previous answer cut short goes into the spare too, and the previous is untouched', async () => {
    const previous = Buffer.from(big('a'));
    const spare = Buffer.alloc(400_000);
    const start = previous.subarray(0, 300_000).toString();
    const body = await readChanged(bigChunks(start), previous, spare);
    expect(body?.toString()).toBe(start);
    expect(body!.buffer).toBe(spare.buffer);
    expect(previous.toString()).toBe(big('a'));
  });

  it('a small answer never uses the spare', async () => {
    const spare = Buffer.alloc(1000);
    const body = await readChanged(chunks('[{"ID":"a"},', '{"ID":"c"}]'), previous, spare);
    expect(body!.buffer).not.toBe(spare.buffer);
  });
});
