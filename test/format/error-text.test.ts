import { describe, expect, it } from 'vitest';
import { errorText } from '../../source/format/error-text.js';

class CustomError extends Error {}

describe('errorText', () => {
  it.each<[string, unknown, string]>([
    ['an Error', new Error('connect ECONNREFUSED'), 'connect ECONNREFUSED'],
    ['a subclass of Error', new CustomError('boom'), 'boom'],
    ['an Error without a message', new Error(''), ''],
    ['a bare string', 'timed out', 'timed out'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['an object with a message that is no Error', { message: 'not used' }, '[object Object]'],
  ])('%s', (_name, error, text) => {
    expect(errorText(error)).toBe(text);
  });
});
