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
