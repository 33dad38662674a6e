import { describe, expect, it } from 'vitest';
import { NdjsonSplitter, parseNdjson, splitNdjson } from '../../source/docker/ndjson.js';

const messages = [
  { Type: 'service', Action: 'update', Actor: { ID: 'a1', Attributes: { name: 'wéb' } } },
  { Type: 'node', Action: 'update', Actor: { ID: 'n1', Attributes: { name: '节点-1' } } },
  { Type: 'service', Action: 'create', Actor: { ID: 's2', Attributes: { name: '🚀 rocket' } } },
];
const text = messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
const bytes = Buffer.from(text, 'utf8');

/** Cuts `data` at the given offsets. */
function cut(data: Buffer, offsets: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets, data.length]) {
    chunks.push(data.subarray(start, offset));
    start = offset;
  }
  return chunks;
}

/** A small deterministic PRNG so failures are reproducible. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('NdjsonSplitter', () => {
  it('handles one chunk with several messages', () => {
    expect(parseNdjson([bytes])).toEqual(messages);
  });

  it('handles one byte at a time, splitting every multi-byte character', () => {
    const chunks = [...bytes].map((byte) => Uint8Array.of(byte));
    expect(parseNdjson(chunks)).toEqual(messages);
  });

  it('handles a cut at every possible offset', () => {
    for (let offset = 0; offset <= bytes.length; offset += 1) {
      expect(parseNdjson(cut(bytes, [offset]))).toEqual(messages);
    }
  });

  it('handles a cut inside each multi-byte character at each of its bytes', () => {
    const emoji = bytes.indexOf(Buffer.from('🚀'));
    for (let k = 1; k < 4; k += 1) {
      expect(parseNdjson(cut(bytes, [emoji + k]))).toEqual(messages);
    }
  });

  it('handles random chunkings', () => {
    const next = random(42);
    for (let round = 0; round < 200; round += 1) {
      const offsets: number[] = [];
      let at = 0;
      while (at < bytes.length) {
        at += 1 + Math.floor(next() * 12);
        if (at < bytes.length) offsets.push(at);
      }
      expect(parseNdjson(cut(bytes, offsets))).toEqual(messages);
    }
  });

  it('returns lines only once they are complete', () => {
    const splitter = new NdjsonSplitter();
    expect(splitter.push('{"a":')).toEqual([]);
    expect(splitter.push('1}\n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}\n\n{"c":3}\n')).toEqual(['{"b":2}', '{"c":3}']);
    expect(splitter.end()).toEqual([]);
  });

  it('gives the last line without a newline at the end', () => {
    expect(splitNdjson(['{"a":1}\n{"b":', '2}'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('accepts CRLF and skips blank lines', () => {
    expect(splitNdjson(['{"a":1}\r', '\n\r\n  \n{"b":2}\r\n'])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('flushes a truncated character at the end as U+FFFD instead of dropping the line', () => {
    const euro = Buffer.from('{"x":"€', 'utf8');
    const lines = splitNdjson([euro.subarray(0, euro.length - 1)]);
    expect(lines).toEqual(['{"x":"\uFFFD']);
  });

  it('skips lines that are not JSON when parsing', () => {
    expect(parseNdjson(['{"a":1}\nnot json\n{"b":2}\n'])).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
