import { selectedRow } from '../state/selectors.js';
import type { ListState } from '../state/state.js';
import { sortLabel } from '../views/sort-keys.js';
import type { AnyListView, ViewData } from '../views/view.js';
import { Pane } from './pane.js';
import { Table } from './table.js';
import { useTheme } from './theme.js';

/** Any list view, drawn the same way: its title with the list's settings, then its table. */
export function ListPane({
  view,
  rows,
  list,
  data,
  now,
  focused,
  width,
  height,
}: {
  view: AnyListView;
  rows: { id: string }[];
  list: ListState;
  data: ViewData;
  now: Date;
  focused: boolean;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  const suffix = [
    list.filter ? `/${list.filter}` : '',
    list.problemsOnly ? 'problems only' : '',
    sortLabel(view.sorts, list.sort, list.reverse),
  ]
    .filter(Boolean)
    .map((part) => `  ${part}`)
    .join('');
  const selected = selectedRow(rows, list.selectedId);
  return (
    <Pane
      title={`${view.title(rows, data)}${suffix}`}
      focused={focused}
      width={width}
      height={height}
    >
      <Table
        columns={view.columns(theme, now, data)}
        rows={rows}
        getId={(row) => row.id}
        selectedId={selected?.id ?? null}
        height={height - 1}
        width={width}
        focused={focused}
        emptyText={view.empty(data, list.filter !== '')}
      />
    </Pane>
  );
}
