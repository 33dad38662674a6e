import { useEffect, useRef } from 'react';
import type { State } from '../state/state.js';
import type { Operations } from '../live/operations.js';

/** Carries out what the reducer decided: loads open dialogs, runs confirmed operations. */
export function useOperations(state: State, operations: Operations): void {
  const prepared = useRef(new Set<number>());
  const started = useRef(new Set<string>());
  const { dialog, ops, nodes, services } = state;

  useEffect(() => {
    if (dialog?.kind !== 'confirm' || dialog.request !== null || dialog.error !== null) return;
    if (prepared.current.has(dialog.id)) return;
    prepared.current.add(dialog.id);
    void operations.prepare(dialog.id, dialog.intent, { nodes, services });
  }, [dialog, operations, nodes, services]);

  useEffect(() => {
    for (const op of ops) {
      if (op.status !== 'sending' || started.current.has(op.id)) continue;
      started.current.add(op.id);
      void operations.run(op);
    }
  }, [ops, operations]);

  useEffect(() => () => operations.stop(), [operations]);
}
