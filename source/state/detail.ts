// What the status area says about the selection: the full text an operator needs (a task's
// whole error, a service's update message) that table cells can only show cut.
import { shownLabels } from '../format/mask.js';
import type { State } from './state.js';
import { paneRows, selectedRow, taskRows } from './selectors.js';

export function detailText(state: State): string {
  if (state.input !== null) {
    return `${state.input.mode === 'filter' ? '/' : ':'}${state.input.text}▏`;
  }
  if (state.message !== null) return state.message;
  if (state.copying)
    return 'copy to the clipboard: i the ID · n the name · s the spec · any other key cancels';
  if (state.focus === 'problems') {
    const p = selectedRow(paneRows(state, 'problems'), state.lists.problems.selectedId);
    if (!p) return '';
    const where = p.jump.view === 'tasks' ? 'its tasks' : `the ${p.jump.view} list`;
    return `${p.what} — ${p.detail}${p.detail ? ' ' : ''}(Enter: ${where}, filtered)`;
  }
  if (state.focus === 'events') {
    const e = selectedRow(paneRows(state, 'events'), state.lists.events.selectedId);
    if (!e)
      return 'Swarm events appear here as they happen: service, node, secret, config and network changes.';
    return `${new Date(e.at).toISOString()} ${e.type} ${e.action} ${e.name}${e.change ? `: ${e.change}` : ''}`;
  }
  if (state.focus === 'stacks') {
    const st = selectedRow(paneRows(state, 'stacks'), state.lists.stacks.selectedId);
    if (!st) return '';
    return `${st.name}: ${st.services} services, ${st.degraded} degraded, ${st.running}/${st.desired} tasks running (Enter: its services)`;
  }
  if (state.focus === 'inspect') {
    return 'j/k PgUp/PgDn g/G scroll · c copy the ID, name or spec · Esc back';
  }
  if (state.focus === 'logs') {
    return 'f follow/pause · t timestamps · w wrap · r range · o save · / filter (text or /regex/) · Esc back';
  }
  if (state.focus === 'ops') {
    const op = selectedRow(paneRows(state, 'ops'), state.lists.ops.selectedId);
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
  }
  if (state.focus === 'tasks') {
    const row = selectedRow(paneRows(state, 'tasks'), state.lists.tasks.selectedId);
    if (!row) return '';
    const t = row.task;
    const why = t.error ?? t.message;
    const exit = t.exitCode !== null && t.exitCode !== 0 ? ` (exit ${t.exitCode})` : '';
    return `${row.name} on ${row.nodeName || 'no node'}: ${t.state}${exit}${why ? ` — ${why}` : ''}`;
  }
  if (state.focus === 'services') {
    const s = selectedRow(paneRows(state, 'services'), state.lists.services.selectedId);
    if (!s) return '';
    const parts = [`${s.name}: ${s.running}/${s.desired} running`, s.mode, s.image];
    if (s.updateState) {
      parts.push(`update ${s.updateState}${s.updateMessage ? `: ${s.updateMessage}` : ''}`);
    }
    // The newest failure of the service is what an operator asks about first.
    const failing = taskRows(state).find((row) => row.task.error !== null);
    if (failing) parts.push(`last error (${failing.name}): ${failing.task.error}`);
    return parts.join(' · ');
  }
  const n = selectedRow(paneRows(state, 'nodes'), state.lists.nodes.selectedId);
  if (!n) return '';
  const labels = Object.entries(shownLabels(n.labels, state.revealSecrets)).map(
    ([k, v]) => `${k}=${v}`,
  );
  return [
    `${n.hostname}: ${n.role}, ${n.availability}, ${n.state}${n.statusMessage ? ` (${n.statusMessage})` : ''}`,
    n.manager ? `manager ${n.manager.reachability} at ${n.manager.address}` : null,
    labels.length > 0 ? `labels ${labels.join(' ')}` : null,
  ]
    .filter((part) => part !== null)
    .join(' · ');
}
