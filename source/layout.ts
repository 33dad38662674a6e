import { scaleWhatIf } from './state/what-if.js';
import { listViewOf } from './views/registry.js';
import { dialogLines } from './format/dialog-lines.js';
import { wrap } from './format/cells.js';
import { sanitizeLine } from './format/sanitize.js';
import type { PaneId } from './state/actions.js';
import { detailText } from './state/detail.js';
import type { State } from './state/state.js';
import { paneRows, VIEW_PANES } from './state/selectors.js';

// How the terminal's rows are shared out, apart from the screen that draws them so it can be
// table-tested without Ink (Shopify cli-kit's use-layout.ts / calculateLayout).

/** Below this size the app shows one line asking for a larger terminal instead of the views. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 12;
/** Rows the header takes (components/header.tsx draws two lines). */
export const HEADER_HEIGHT = 2;
const MAX_DETAIL_LINES = 5;
const OPS_PANEL_LINES = 2;

export interface Layout {
  detailLines: string[];
  opsLines: number;
  /** Lines of each visible pane, title included. */
  paneHeights: Partial<Record<PaneId, number>>;
  dialogHeight: number;
  bodyHeight: number;
}

/** Pure: how the rows of the terminal are shared out. The frame is kept below `rows` (Ink 6). */
export function computeLayout(state: State, columns: number, rows: number): Layout {
  const frame = rows - 1;
  const detail = wrap(sanitizeLine(detailText(state)), columns);
  const detailLines = detail.slice(0, MAX_DETAIL_LINES);
  while (detailLines.length < 2) detailLines.push('');
  // The operations panel stays once there is something in it (not in the ops view itself).
  const opsLines =
    listViewOf(state.view)?.listsOperations === true
      ? 0
      : Math.min(OPS_PANEL_LINES, state.ops.length);
  const bodyHeight = Math.max(0, frame - HEADER_HEIGHT - detailLines.length - opsLines - 1);
  const dialogHeight =
    state.dialog === null
      ? 0
      : Math.min(
          dialogLines(state.dialog, columns, state.services, state.keys.labelOf, scaleWhatIf(state))
            .length + 2,
          Math.max(4, bodyHeight - 4),
        );
  const paneSpace = bodyHeight - dialogHeight;
  const panes = VIEW_PANES[state.view];
  const layout = (heights: Partial<Record<PaneId, number>>): Layout => ({
    detailLines,
    opsLines,
    dialogHeight,
    bodyHeight,
    paneHeights: heights,
  });
  // The list pane takes what its rows need (title and header included).
  const wanted = paneRows(state, panes[0]!).length + 2;
  // A dialog takes the place of the lower pane, right under the list it acts on.
  if (dialogHeight > 0) return layout({ [panes[0]!]: Math.min(paneSpace, Math.max(4, wanted)) });
  if (panes.length === 1) return layout({ [panes[0]!]: paneSpace });
  // Up to 55 % for the list; the tasks pane below gets the rest.
  const first = Math.max(4, Math.min(wanted, Math.round(bodyHeight * 0.55)));
  return layout({ [panes[0]!]: first, [panes[1]!]: Math.max(0, bodyHeight - first) });
}
