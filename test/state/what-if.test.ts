import { describe, expect, it } from 'vitest';
import { scaleLine, scaleWhatIf } from '../../source/state/what-if.js';
import { initialState } from '../../source/state/state.js';
import { node, service, task } from '../helpers/factories.js';

const nodes = [
  node({ id: 'm1', hostname: 'manager-1', role: 'manager' }),
  node({ id: 'w1', hostname: 'worker-1' }),
  node({ id: 'w2', hostname: 'worker-2' }),
];
const spread = service({
  id: 's',
  name: 'spread',
  specReplicas: 1,
  maxReplicasPerNode: 1,
  constraints: ['node.role==worker'],
});
const placements = [task({ id: 't1', serviceId: 's', nodeId: 'w1', slot: 1, state: 'running' })];

describe('the scale what-if', () => {
  it('answers at once when nothing in the ask runs out', () => {
    const free = service({ id: 'f', name: 'free', specReplicas: 1 });
    expect(scaleLine(free, 1_000_000, nodes, [], [free])).toBe(
      'Where they go: all 999999 new replicas can be placed now.',
    );
  });

  it('says how many new replicas fit and why the rest would wait', () => {
    expect(scaleLine(spread, 4, nodes, placements, [spread])).toBe(
      'Where they go: 1 of 3 can be placed now; 2 would stay pending (0 of 3 nodes fit: 2 already run 1 (max 1 per node), 1 fail node.role==worker).',
    );
    expect(scaleLine(spread, 2, nodes, placements, [spread])).toBe(
      'Where they go: the new replica can be placed now.',
    );
    // Scaling down places nothing.
    expect(scaleLine(spread, 1, nodes, placements, [spread])).toBeNull();
  });

  it("speaks only in the scale prompt, with digits typed and the nodes' tasks in", () => {
    const dialog = {
      kind: 'scale' as const,
      id: 1,
      serviceId: 's',
      name: 'spread',
      running: 1,
      desired: 1,
      text: '4',
      confirmName: null,
      error: null,
    };
    const state = {
      ...initialState,
      nodes,
      services: [spread],
      dialog,
      objects: { ...initialState.objects, placements },
    };
    expect(scaleWhatIf(state)).toContain('2 would stay pending');
    expect(scaleWhatIf({ ...state, objects: initialState.objects })).toBeNull();
    expect(scaleWhatIf({ ...state, dialog: { ...dialog, text: '4x' } })).toBeNull();
    expect(scaleWhatIf({ ...state, dialog: null })).toBeNull();
    // Above the ceiling the prompt refuses it: no placing of 99,999,999 replicas one by one.
    expect(scaleWhatIf({ ...state, dialog: { ...dialog, text: '99999999' } })).toBeNull();
  });
});
