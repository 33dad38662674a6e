import { describe, expect, it } from 'vitest';
import {
  applyLabelEdit,
  describeEdit,
  describeImpact,
  labelImpact,
  labelLines,
  labelsText,
  parseLabelEdit,
} from '../../source/operations/label-change.js';
import { node, service, task } from '../helpers/factories.js';

const labels = { zone: 'venus', rack: 'r1', db_password: 'hunter2' };

describe('parseLabelEdit', () => {
  it('adds, sets and removes, several at once', () => {
    expect(parseLabelEdit('+zone=mars  -rack +gpu=true', labels, 'worker-1')).toEqual({
      set: { zone: 'mars', gpu: 'true' },
      remove: ['rack'],
    });
  });

  it('takes an empty value as docker does (+key, +key=)', () => {
    expect(parseLabelEdit('+ssd', {}, 'w')).toEqual({ set: { ssd: '' }, remove: [] });
    expect(parseLabelEdit('+ssd=', {}, 'w')).toEqual({ set: { ssd: '' }, remove: [] });
    expect(parseLabelEdit('+a=b=c', {}, 'w')).toEqual({ set: { a: 'b=c' }, remove: [] });
  });

  it.each([
    ['', /^Type \+key=value to add a label/],
    ['   ', /^Type \+key=value/],
    ['zone=mars', /^"zone=mars" needs \+ to add it or - to remove it/],
    ['+=mars', /^"\+=mars" has no label name\.$/],
    ['-', /^"-" has no label name\.$/],
    ['-zone=venus', /^"-zone=venus": to remove a label give only its name \(-zone\)\.$/],
    ['-disk', /^worker-1 has no label disk to remove\.$/],
    ['+zone=a +zone=b', /^The label zone is named twice/],
    ['+zone=a -zone', /^The label zone is named twice/],
    ['+zone=venus', /^worker-1 already has this label: nothing to change\.$/],
    ['+zone=venus +rack=r1', /^worker-1 already has these labels: nothing to change\.$/],
  ])('refuses %j in one sentence', (text, message) => {
    const result = parseLabelEdit(text, labels, 'worker-1');
    expect(typeof result).toBe('string');
    expect(result).toMatch(message);
  });
});

describe('applyLabelEdit and how it is written', () => {
  it('removes, then sets, keeping the other labels', () => {
    expect(applyLabelEdit(labels, { set: { zone: 'mars', gpu: '' }, remove: ['rack'] })).toEqual({
      zone: 'mars',
      db_password: 'hunter2',
      gpu: '',
    });
  });

  it('writes the edit with secret-looking values masked unless revealed', () => {
    const edit = { set: { zone: 'mars', db_password: 'new', ssd: '' }, remove: ['rack'] };
    expect(describeEdit(edit)).toBe('+zone=mars +db_password=•••• +ssd -rack');
    expect(describeEdit(edit, true)).toBe('+zone=mars +db_password=new +ssd -rack');
  });

  it('labels before → after: changed ones first, kept ones after, masked', () => {
    const after = applyLabelEdit(labels, { set: { zone: 'mars', gpu: '' }, remove: ['rack'] });
    expect(labelLines(labels, after, false)).toEqual([
      '  gpu: (none) → ""',
      '  rack: r1 → (none)',
      '  zone: venus → mars',
      '  db_password: •••• (kept)',
    ]);
    expect(labelLines(labels, after, true)).toContain('  db_password: hunter2 (kept)');
    expect(labelsText(labels, false)).toBe('db_password=••••, rack=r1, zone=venus');
    expect(labelsText({}, false)).toBe('none');
  });
});

describe('labelImpact', () => {
  const worker = node({ id: 'w1', hostname: 'worker-1', labels: { zone: 'venus', rack: 'r1' } });
  const mars = service({ id: 's-mars', name: 'mars-app', constraints: ['node.labels.zone==mars'] });
  const venus = service({
    id: 's-venus',
    name: 'venus-app',
    constraints: ['node.labels.zone==venus'],
  });
  const notRack = service({ id: 's-rack', name: 'no-rack', constraints: ['node.labels.rack!=r1'] });
  const byRole = service({ id: 's-role', name: 'anywhere', constraints: ['node.role==worker'] });
  const agent = service({
    id: 's-agent',
    name: 'agent',
    mode: 'global',
    constraints: ['node.labels.zone==mars'],
  });
  const services = [mars, venus, notRack, byRole, agent];
  const tasks = [
    task({
      id: 't1',
      serviceId: 's-mars',
      nodeId: null,
      state: 'pending',
      desiredState: 'running',
    }),
    task({
      id: 't2',
      serviceId: 's-mars',
      nodeId: null,
      state: 'pending',
      desiredState: 'running',
    }),
    // Shut down long ago: not pending any more.
    task({
      id: 't3',
      serviceId: 's-mars',
      nodeId: null,
      state: 'pending',
      desiredState: 'shutdown',
    }),
    task({ id: 't4', serviceId: 's-venus', nodeId: 'w1', state: 'running' }),
    task({ id: 't5', serviceId: 's-venus', nodeId: 'w2', state: 'running' }),
    task({
      id: 't6',
      serviceId: 's-rack',
      nodeId: null,
      state: 'pending',
      desiredState: 'running',
    }),
  ];

  it('names the services that start and stop matching, and the pending tasks unblocked', () => {
    const after = { zone: 'mars' };
    const impact = labelImpact({ node: worker, after, services, tasks, reveal: false });
    expect(impact.starting.map((s) => [s.service.name, s.unblocked])).toEqual([
      ['agent', 0],
      ['mars-app', 2],
      ['no-rack', 1],
    ]);
    expect(impact.stopping.map((s) => [s.service.name, s.tasksHere, s.reasons])).toEqual([
      ['venus-app', 1, ["node.labels.zone==venus: the node's label zone is mars"]],
    ]);
    expect(impact.unblocked).toBe(3);
    expect(describeImpact(impact, worker, false)).toEqual({
      lines: [
        'Starts matching worker-1: agent (node.labels.zone==mars) — a task of it will start on worker-1.',
        'Starts matching worker-1: mars-app (node.labels.zone==mars) — unblocks 2 pending tasks.',
        'Starts matching worker-1: no-rack (node.labels.rack!=r1) — unblocks 1 pending task.',
        "Stops matching worker-1: venus-app (node.labels.zone==venus: the node's label zone is mars).",
      ],
      warnings: [
        "venus-app's 1 task on worker-1 will be shut down and placed elsewhere, if a node fits.",
      ],
    });
  });

  it('says when nothing changes for placement', () => {
    const impact = labelImpact({
      node: worker,
      after: { zone: 'venus', rack: 'r1', other: 'x' },
      services,
      tasks,
      reveal: false,
    });
    expect(impact).toEqual({ starting: [], stopping: [], unblocked: 0 });
    expect(describeImpact(impact, worker, false).lines).toEqual([
      "No service's placement constraints start or stop matching worker-1.",
    ]);
  });

  it('warns that a drained node unblocks nothing until it takes tasks', () => {
    const drained = { ...worker, availability: 'drain' as const };
    const impact = labelImpact({
      node: drained,
      after: { zone: 'mars' },
      services,
      tasks,
      reveal: false,
    });
    expect(describeImpact(impact, drained, false).warnings).toContain(
      'worker-1 is drain: the pending tasks stay pending until it takes tasks.',
    );
  });

  it('masks secret-looking values in constraints and reasons', () => {
    const secretive = service({
      id: 's-sec',
      name: 'sec',
      constraints: ['node.labels.api_token==abc'],
    });
    const node1 = node({ id: 'w1', hostname: 'worker-1', labels: { api_token: 'abc' } });
    const impact = labelImpact({
      node: node1,
      after: { api_token: 'zzz' },
      services: [secretive],
      tasks: [],
      reveal: false,
    });
    const text = JSON.stringify(describeImpact(impact, node1, false));
    expect(text).not.toMatch(/abc|zzz/);
    expect(text).toContain('Stops matching worker-1: sec');
  });
});
