import { describe, expect, it } from 'vitest';
import { MASK } from '../../source/format/mask.js';
import { detailText } from '../../source/state/detail.js';
import { reducer, startState, type State } from '../../source/state/reducer.js';
import { node } from '../helpers/factories.js';

function onLabelledNode(revealSecrets?: boolean): State {
  let state = startState({ readOnly: false, scaleCeiling: 10, revealSecrets });
  state = reducer(state, {
    type: 'nodes-loaded',
    nodes: [
      node({
        id: 'n1',
        hostname: 'worker-1',
        labels: { 'vault.token': 's.ABCDEF', 'db.password': 'hunter2', zone: 'b' },
      }),
    ],
  });
  return reducer(state, { type: 'show-view', view: 'nodes' });
}

describe('detailText: node labels', () => {
  it('masks secret-looking label values in the status line', () => {
    const text = detailText(onLabelledNode());
    expect(text).toContain(`labels vault.token=${MASK} db.password=${MASK} zone=b`);
    expect(text).not.toMatch(/ABCDEF|hunter2/);
  });

  it('shows them with --show-secrets', () => {
    expect(detailText(onLabelledNode(true))).toContain(
      'labels vault.token=s.ABCDEF db.password=hunter2 zone=b',
    );
  });
});
