import { describe, expect, it } from 'vitest';
import {
  NO_STACK_NAME,
  servicesOfStack,
  stackRows,
  type StackRow,
} from '../../source/views/stack-rows.js';
import { service } from '../helpers/factories.js';

const services = [
  service({ id: 'a1', stack: 'shop', running: 2, desired: 2 }),
  service({ id: 'a2', stack: 'shop', running: 1, desired: 1, updateState: 'updating' }),
  service({ id: 'b1', stack: 'billing', running: 0, desired: 3 }),
  service({ id: 'b2', stack: 'billing', running: 1, desired: 1, updateState: 'paused' }),
  service({ id: 'c1', stack: 'auth', running: 1, desired: 1 }),
  service({ id: 'n1', stack: null, running: 4, desired: 4 }),
  service({ id: 'n2', stack: null, running: 1, desired: 1 }),
];

const summary = (rows: StackRow[]) =>
  rows.map((r) => [r.id, r.name, r.services, r.degraded, r.running, r.desired, r.updating]);

describe('stackRows', () => {
  it('groups services by stack and counts what an operator looks at', () => {
    expect(summary(stackRows(services))).toEqual([
      ['billing', 'billing', 2, 2, 1, 4, 0],
      ['auth', 'auth', 1, 0, 1, 1, 0],
      ['shop', 'shop', 2, 0, 3, 3, 1],
      ['', NO_STACK_NAME, 2, 0, 5, 5, 0],
    ]);
  });

  it('puts degraded stacks first, the services of no stack last within each group', () => {
    const list = [
      service({ id: 'n1', stack: null, running: 0, desired: 1 }),
      service({ id: 'z', stack: 'zeta', running: 0, desired: 1 }),
      service({ id: 'a', stack: 'alpha' }),
      service({ id: 'n2', stack: null }),
    ];
    expect(stackRows(list).map((r) => r.name)).toEqual(['zeta', NO_STACK_NAME, 'alpha']);
    expect(
      stackRows([service({ id: 'n', stack: null }), service({ id: 'a', stack: 'a' })]).map(
        (r) => r.name,
      ),
    ).toEqual(['a', NO_STACK_NAME]);
  });

  it('gives the same array for the same services array, a new one for a new array', () => {
    const first = stackRows(services);
    expect(stackRows(services)).toBe(first);
    expect(stackRows([...services])).not.toBe(first);
    expect(stackRows([...services])).toEqual(first);
  });

  it('is empty without services', () => {
    expect(stackRows([])).toEqual([]);
  });
});

describe('servicesOfStack', () => {
  it('gives the services of one stack, or those of no stack for ""', () => {
    expect(servicesOfStack(services, 'billing').map((s) => s.id)).toEqual(['b1', 'b2']);
    expect(servicesOfStack(services, '').map((s) => s.id)).toEqual(['n1', 'n2']);
    expect(servicesOfStack(services, 'nope')).toEqual([]);
  });
});
