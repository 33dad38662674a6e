// Make a node a manager (promote) or a worker (demote): the node's full spec with Role changed.
// The dialog states the quorum before → after; a demotion that would leave no manager, or too few
// reachable ones for the new quorum, is refused (quorum-change.ts).
import type { NodeRole } from '../../model.js';
import type { OperationKind } from '../kind.js';
import { roleChange } from '../quorum-change.js';

export interface RoleIntent {
  kind: 'role';
  nodeId: string;
  name: string;
  to: NodeRole;
}

export interface RoleRequest extends RoleIntent {
  /** The role the dialog showed: a change to it stops the write. */
  seenRole: NodeRole;
}

const verb = (to: NodeRole) => (to === 'manager' ? 'promote' : 'demote');

export const role: OperationKind<'node', RoleRequest, RoleIntent> = {
  kind: 'role',
  target: 'node',
  title: (r) => `${verb(r.to)} ${r.name}`,
  confirm: {
    title: (intent) => `Make ${intent.name} a ${intent.to}?`,
    intend(node, { nodes }) {
      const to: NodeRole = node.role === 'manager' ? 'worker' : 'manager';
      const change = roleChange(nodes, node, to);
      return change.refusal ?? { kind: 'role', nodeId: node.id, name: node.hostname, to };
    },
    async prepare(intent, { writes, reads }) {
      // The quorum is worked out from the managers as they are now, not as last polled.
      const [detail, nodes] = await Promise.all([
        writes.inspectNode(intent.nodeId),
        reads.listNodes(),
      ]);
      const listed = nodes.some((n) => n.id === detail.node.id);
      const change = roleChange(listed ? nodes : [...nodes, detail.node], detail.node, intent.to);
      if (change.refusal !== null) throw new Error(change.refusal);
      return {
        request: { ...intent, seenRole: detail.node.role },
        lines: [`${intent.name}: ${detail.node.role} → ${intent.to}.`, change.line],
        warnings: change.warnings,
      };
    },
  },
  changedFromSeen(request, detail) {
    const now = detail.node.role;
    return now === request.seenRole
      ? null
      : `${request.name} is now a ${now}, not a ${request.seenRole} as shown`;
  },
  beforeAfter: (r) => ({ before: { role: r.seenRole }, after: { role: r.to } }),
  write: (writes, fresh, request) => writes.setNodeRole(fresh, request.to),
  followLimit: 'node',
  async step(request, { listNodes }) {
    const node = (await listNodes()).find((n) => n.id === request.nodeId);
    if (!node) return { status: 'failed', message: `${request.name} left the swarm`, progress: '' };
    // The Spec's role changes at once; the node is a manager when its ManagerStatus shows.
    const progress =
      node.manager === null
        ? `${request.name} has no manager status`
        : `${request.name} is a manager (${node.manager.reachability})`;
    const done = request.to === 'manager' ? node.manager !== null : node.manager === null;
    return done ? { status: 'succeeded', message: null, progress } : { progress };
  },
};
