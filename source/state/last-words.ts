// Which tasks' last words the screen wants now, most urgent first: the crashed task each problem
// row names, then the one the status line of the services or tasks view would quote.
import { newestCrashed, hasLastWords } from '../views/problem-rows.js';
import { currentProblems, paneRows, selectedRow, taskRows } from './selectors.js';
import type { State } from './state.js';

export function lastWordsWanted(state: State): string[] {
  const ids = currentProblems(state).flatMap((p) => (p.lastWords ? [p.lastWords.taskId] : []));
  if (state.view === 'services') {
    const crashed = newestCrashed(taskRows(state), (row) => row.task);
    if (crashed) ids.push(crashed.id);
  } else if (state.view === 'tasks') {
    const row = selectedRow(paneRows(state, 'tasks'), state.lists.tasks.selectedId);
    if (row && hasLastWords(row.task)) ids.push(row.id);
  }
  return [...new Set(ids)];
}
