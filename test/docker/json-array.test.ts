import { describe, expect, it } from 'vitest';
import { arrayElements, idObjectElements, parseElements } from '../../source/docker/json-array.js';
import { parseService, parseTask } from '../../source/docker/parse.js';
import { fixture } from '../helpers/fixtures.js';

const service = (id: string, index: number, running = 1) => ({
  ID: id,
  Version: { Index: index },
  UpdatedAt: '2024-05-01T10:00:00Z',
  Spec: { Name: `svc-${id}`, Mode: { Replicated: { Replicas: 1 } } },
  ServiceStatus: { RunningTasks: running, DesiredTasks: 1 },
});

const body = (value: unknown, space?: number): Buffer =>
  Buffer.from(JSON.stringify(value, null, space));

const texts = (text: string): string[] | null =>
  arrayElements(Buffer.from(text))?.map(([a, b]) => text.slice(a, b)) ?? null;

describe('arrayElements: a JSON array cut into its elements', () => {
  it('finds each element, nested arrays, objects and strings with brackets and escapes included', () => {
    expect(texts('[]')).toEqual([]);
    expect(texts(' [ 1 , "a]" ,{"b":[1,{"c":"}\\"]"}]}, null,[[]] ] \n')).toEqual([
      '1',
      '"a]"',
      '{"b":[1,{"c":"}\\"]"}]}',
      'null',
      '[[]]',
    ]);
    // A backslash that is itself escaped ends its string at the next quote.
    expect(texts('["a\\\\",2]')).toEqual(['"a\\\\"', '2']);
  });

  it('answers null for what is not one array (the caller lets JSON.parse say why)', () => {
    for (const text of ['', '{}', 'null', '[1,]', '[,1]', '[1', '["a]', '[1]x', '[1]]', '[}]']) {
      expect(texts(text), text).toBeNull();
    }
  });

  it('cuts every fixture recorded on the lab as JSON.parse reads it', () => {
    for (const name of ['services.json', 'tasks.json', 'nodes.json', 'networks.json']) {
      const raw = Buffer.from(JSON.stringify(fixture(name)));
      const elements = arrayElements(raw)!;
      expect(elements.map(([a, b]) => JSON.parse(raw.toString('utf8', a, b)))).toEqual(
        fixture(name),
      );
    }
  });
});

describe('idObjectElements: the engine\'s compact lists cut at each `},{"ID":"`', () => {
  const cut = (text: string): string[] | null =>
    idObjectElements(Buffer.from(text))?.map(([a, b]) => text.slice(a, b)) ?? null;

  it('cuts a compact list of objects that start with their ID, as arrayElements does', () => {
    const text = '[{"ID":"a","n":[1,2]},{"ID":"b"},{"ID":"c","s":"x"}]\n';
    expect(cut(text)).toEqual(['{"ID":"a","n":[1,2]}', '{"ID":"b"}', '{"ID":"c","s":"x"}']);
    expect(cut(text)).toEqual(texts(text));
    const raw = Buffer.from(JSON.stringify(fixture('tasks.json')));
    expect(idObjectElements(raw)).toEqual(arrayElements(raw));
  });

  it('declines every other shape (arrayElements cuts those)', () => {
    for (const text of [
      '[]',
      '[1]',
      '[{"Name":"a","ID":"b"}]',
      ' [{"ID":"a"}]',
      '[{"ID":"a"}',
      '{"ID":"a"}',
      '',
    ]) {
      expect(cut(text), text).toBeNull();
    }
  });
});

describe('parseElements: unchanged elements come back as the same objects', () => {
  it('reads a list whose strings or nested lists hold the separator `},{"ID":"` as JSON.parse does', () => {
    const hostile = [
      { ...service('a', 1), Spec: { Name: 'x', Labels: { trap: '},{"ID":"b' } } },
      {
        ...service('c', 2),
        Spec: { Name: 'y', Labels: { trap: 'v"},{"ID":"d","Spec":{}},{"ID":"e' } },
      },
      { ...service('f', 3), Refs: [{ ID: 'g' }, { ID: 'h' }] },
      service('i', 4),
    ];
    const expected = hostile.map(parseService);
    const first = parseElements(body(hostile), parseService, undefined);
    expect(first.values).toEqual(expected);
    expect([...first.parsed.keys()]).toEqual(['a', 'c', 'f', 'i']);
    // Once their elements are known, the wrong cut must not match them either.
    const second = parseElements(body(hostile), parseService, first.parsed);
    expect(second.values).toEqual(expected);
    expect(second.values[3]).toBe(first.values[3]);
  });

  it('reuses a service whose bytes are unchanged and parses the one that changed', () => {
    const first = parseElements(body([service('a', 5), service('b', 7)]), parseService, undefined);
    const second = parseElements(
      body([service('a', 5), service('b', 7, 0)]),
      parseService,
      first.parsed,
    );
    expect(second.values[0]).toBe(first.values[0]);
    expect(second.values[1]).not.toBe(first.values[1]);
    expect(second.values[1]!.running).toBe(0);
  });

  it('forgets what the next answer no longer has, and holds only the newest answer', () => {
    const first = parseElements(body([service('a', 5), service('b', 7)]), parseService, undefined);
    const second = parseElements(body([service('b', 7)]), parseService, first.parsed);
    expect([...second.parsed.keys()]).toEqual(['b']);
    const third = parseElements(body([service('a', 5)]), parseService, second.parsed);
    expect(third.values[0]).not.toBe(first.values[0]);
    expect(third.values[0]).toEqual(first.values[0]);
  });

  it('parses an element without a leading ID every time, and leaves out one without any ID', () => {
    const reordered = { Version: { Index: 5 }, ID: 'a', Spec: { Name: 'x' } };
    const first = parseElements(body([reordered, { Spec: {} }]), parseService, undefined);
    expect(first.values).toHaveLength(1);
    const second = parseElements(body([reordered]), parseService, first.parsed);
    expect(second.values[0]).not.toBe(first.values[0]);
    expect(second.values[0]).toEqual(first.values[0]);
  });

  it('reads indented answers and non-ASCII text like JSON.parse, and throws for what is not JSON', () => {
    const tasks = fixture('tasks.json') as unknown[];
    const spaced = body(tasks, 2);
    expect(parseElements(spaced, parseTask, undefined).values).toEqual(tasks.map(parseTask));
    const named = [{ ...service('a', 1), Spec: { Name: 'café-☃' } }];
    expect(parseElements(body(named), parseService, undefined).values[0]!.name).toBe('café-☃');
    expect(parseElements(Buffer.from('{"message":"x"}'), parseService, undefined).values).toEqual(
      [],
    );
    expect(() => parseElements(Buffer.from('[{"ID":"a",}]'), parseService, undefined)).toThrow(
      SyntaxError,
    );
    expect(() => parseElements(Buffer.from('<html>'), parseService, undefined)).toThrow(
      SyntaxError,
    );
  });
});
