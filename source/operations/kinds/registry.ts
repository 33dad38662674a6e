// The only list of operation kinds (see ../kind.ts for what a kind is). Adding a kind is one
// module in this folder and one line here; the request and intent unions, the panel's titles,
// the confirm dialogs and the one operations path (live/operations.ts) derive from this list.
import type { OperationKind, OpTarget } from '../kind.js';
import { activate, drain, pause } from './availability.js';
import { forceUpdate } from './force-update.js';
import { labels } from './labels.js';
import { probeStart, probeStop } from './probe.js';
import { role } from './role.js';
import { rollback } from './rollback.js';
import { scale } from './scale.js';
import { removeService } from './remove-service.js';
import { removeStack } from './remove-stack.js';
import { setImage } from './set-image.js';

export const OPERATION_KINDS = [
  scale,
  rollback,
  forceUpdate,
  drain,
  pause,
  activate,
  role,
  removeService,
  removeStack,
  setImage,
  labels,
  probeStart,
  probeStop,
] as const;

type AnyListed = (typeof OPERATION_KINDS)[number];

/** Everything `y` can send: the union of the kinds' requests. */
export type OpRequest = AnyListed extends infer K
  ? K extends OperationKind<infer _T, infer R, infer _I>
    ? R
    : never
  : never;

/** What a confirm dialog is about before its details are loaded: the kinds' intents. */
export type OpIntent = AnyListed extends infer K
  ? K extends OperationKind<infer _T, infer _R, infer I>
    ? I
    : never
  : never;

export type OpKind = OpRequest['kind'];

/** The kinds a mutation key opens a confirm dialog for, from the selected row. */
export type ConfirmKind = OpIntent['kind'];

/**
 * A kind seen through the union of every request and intent. The one path hands each kind only
 * its own requests (looked up by `request.kind`), which the type system cannot follow by itself.
 */
export type AnyKind = OperationKind<OpTarget, OpRequest, OpIntent>;

const BY_KIND = new Map<string, AnyKind>(
  OPERATION_KINDS.map((k) => [k.kind, k as unknown as AnyKind]),
);

export function kindOf(kind: OpKind): AnyKind {
  const found = BY_KIND.get(kind);
  if (found === undefined) throw new Error(`no operation kind ${kind}`);
  return found;
}
