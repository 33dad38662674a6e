// Add, change or remove a node's labels (`L`): the node's full spec with its Labels replaced by
// the edited set. The intent comes from the prompt (+key=value, -key), not from the row; the
// dialog shows the labels before → after and what it does to placement (label-change.ts).
import { deepEqual } from '../../format/same.js';
import type { OperationKind } from '../kind.js';
import {
  applyLabelEdit,
  describeEdit,
  describeImpact,
  labelImpact,
  labelLines,
  labelsText,
  parseLabelEdit,
  type LabelEdit,
} from '../label-change.js';
import { shownLabels } from '../../format/mask.js';

export interface LabelsIntent {
  kind: 'labels';
  nodeId: string;
  name: string;
  edit: LabelEdit;
}

export interface LabelsRequest extends LabelsIntent {
  /** The labels the dialog showed: a change to them stops the write. */
  seenLabels: Record<string, string>;
  /** What the write sets them to. */
  labels: Record<string, string>;
}

export const labels: OperationKind<'node', LabelsRequest, LabelsIntent> = {
  kind: 'labels',
  target: 'node',
  title: (r) => `label ${r.name} ${describeEdit(r.edit)}`,
  prompt: {
    title: (node) => `Labels of ${node.hostname}`,
    label: 'Change: ',
    initial: () => '',
    lines: (node, reveal) => [
      `Labels now: ${labelsText(node.labels, reveal)}.`,
      '+key=value adds or sets a label, -key removes one; several separated by spaces.',
    ],
    read(text, ref, _initial, { nodes }) {
      const labels = nodes.find((n) => n.id === ref.nodeId)?.labels ?? {};
      const edit = parseLabelEdit(text, labels, ref.name);
      return typeof edit === 'string'
        ? edit
        : { kind: 'labels', nodeId: ref.nodeId, name: ref.name, edit };
    },
  },
  confirm: {
    title: (intent) => `Change the labels of ${intent.name}?`,
    async prepare(intent, { writes, reads, reveal }) {
      const [detail, services, tasks] = await Promise.all([
        writes.inspectNode(intent.nodeId),
        reads.listServices(),
        reads.listTasks({ desiredRunningOnly: true }),
      ]);
      const before = detail.node.labels;
      for (const key of intent.edit.remove) {
        if (!Object.hasOwn(before, key))
          throw new Error(`${intent.name} has no label ${key} any more.`);
      }
      const after = applyLabelEdit(before, intent.edit);
      if (deepEqual(before, after)) {
        throw new Error(`${intent.name} already has these labels: nothing to change.`);
      }
      const impact = labelImpact({ node: detail.node, after, services, tasks, reveal });
      const placement = describeImpact(impact, detail.node, reveal);
      return {
        request: { ...intent, seenLabels: { ...before }, labels: after },
        lines: [
          `Labels of ${intent.name}, before → after:`,
          ...labelLines(before, after, reveal),
          ...placement.lines,
        ],
        warnings: placement.warnings,
      };
    },
  },
  changedFromSeen: (request, detail) =>
    deepEqual(detail.node.labels, request.seenLabels)
      ? null
      : `the labels of ${request.name} changed since the dialog was shown`,
  // The audit file never holds a secret-looking value, whatever --show-secrets says.
  beforeAfter: (r) => ({
    before: { labels: shownLabels(r.seenLabels, false) },
    after: { labels: shownLabels(r.labels, false) },
  }),
  write: (writes, fresh, request) => writes.setNodeLabels(fresh, request.labels),
  followLimit: 'node',
  async step(request, { listNodes }) {
    const node = (await listNodes()).find((n) => n.id === request.nodeId);
    if (!node) return { status: 'failed', message: `${request.name} left the swarm`, progress: '' };
    return deepEqual(node.labels, request.labels)
      ? { status: 'succeeded', message: null, progress: `${request.name} has the new labels` }
      : { progress: `waiting for the labels of ${request.name} to show` };
  },
};
