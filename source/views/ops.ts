// The operations of this session, newest first: what was asked, and how it converged.
import { clock } from '../format/time.js';
import type { Theme } from '../format/palette.js';
import type { OperationRecord, OpStatus } from '../operations/records.js';
import type { Column } from './column.js';
import { markColumn } from './marks.js';
import type { ListView } from './view.js';

export const STATUS_MARK: Record<OpStatus, string> = {
  sending: '…',
  converging: '↻',
  succeeded: '✓',
  failed: '✗',
  unknown: '?',
  paused: '‖',
};

export function statusTone(status: OpStatus, theme: Theme): string | undefined {
  if (status === 'succeeded') return theme.good;
  if (status === 'failed') return theme.bad;
  if (status === 'paused' || status === 'unknown') return theme.warn;
  return theme.accent;
}

export function opColumns(theme: Theme): Column<OperationRecord>[] {
  const tone = (o: OperationRecord) => statusTone(o.status, theme);
  return [
    markColumn((o) => STATUS_MARK[o.status], tone),
    { key: 'started', header: 'STARTED', width: 8, cell: (o) => clock(o.startedAt) },
    { key: 'action', header: 'ACTION', minWidth: 14, flex: 2, cell: (o) => o.title },
    { key: 'status', header: 'STATUS', width: 10, cell: (o) => o.status, color: tone },
    {
      key: 'detail',
      header: 'PROGRESS / MESSAGE',
      minWidth: 16,
      flex: 4,
      cell: (o) =>
        [o.progress, o.message, o.auditError ? `AUDIT LOG NOT WRITTEN: ${o.auditError}` : '']
          .filter(Boolean)
          .join(' · '),
    },
  ];
}

export const opsView: ListView<OperationRecord> = {
  kind: 'list',
  id: 'ops',
  words: ['ops', 'operations', 'history'],
  panes: ['ops'],
  listsOperations: true,
  binding: { keys: ['4'], help: 'operations of this session (also :ops)' },
  rows: (data) => data.ops,
  search: (o) => `${o.title} ${o.status} ${o.progress} ${o.message ?? ''}`,
  sorts: [],
  columns: (theme) => opColumns(theme),
  title: (rows) => `OPERATIONS OF THIS SESSION (${rows.length})`,
  empty: () => 'nothing done yet in this session',
  detail: (op) => {
    if (!op) return '';
    return [
      op.title,
      op.status,
      op.progress,
      op.message,
      op.auditError && `audit log not written: ${op.auditError}`,
    ]
      .filter(Boolean)
      .join(' · ');
  },
};
