import { wrap } from './cells.js';
import { sanitizeLine } from './sanitize.js';
import type { SwarmService } from '../model.js';
import type { Dialog } from '../operations/records.js';

// The rows of a dialog as text and tone, without Ink: the layout measures them (layout.ts) and
// dialog-box.tsx draws them.

export type Tone = 'warn' | 'bad' | 'title' | 'keys' | 'more';
export interface DialogRow {
  text: string;
  tone?: Tone;
}

/** A dialog in three parts: what stays on top, what scrolls, what stays at the bottom. */
interface DialogParts {
  head: DialogRow[];
  /** One entry per line of the dialog (a long line wraps to several rows). */
  body: DialogRow[][];
  /** Warnings: kept in view above the keys while there is room for them. */
  pinned: DialogRow[][];
  keys: DialogRow;
  /** Entries of body (then pinned) scrolled past. */
  scroll: number;
}

/** How a key is written now, by its command (the key table's labelOf). */
export type KeyLabel = (command: string) => string;

function parts(
  dialog: Dialog,
  width: number,
  services: SwarmService[],
  label: KeyLabel,
  whatIf: string | null,
): DialogParts {
  const inner = Math.max(10, width - 4);
  const rows = (text: string, tone?: Tone): DialogRow[] =>
    wrap(sanitizeLine(text), inner).map((line) => (tone ? { text: line, tone } : { text: line }));
  const keys = (text: string): DialogRow => ({ text, tone: 'keys' });
  if (dialog.kind === 'scale') {
    const body: DialogRow[][] = [];
    const push = (text: string, tone?: Tone) => body.push(rows(text, tone));
    // Counts are live; the desired count the prompt opened with is what Enter is checked against.
    const live = services.find((s) => s.id === dialog.serviceId);
    const running = live?.running ?? dialog.running;
    const desired = live?.specReplicas ?? dialog.desired;
    push(`Now ${running}/${desired} running (running/desired).`);
    if (desired !== dialog.desired) {
      push(
        `It asked for ${dialog.desired} when this prompt opened and now asks for ${desired}: Esc and look again.`,
        'warn',
      );
    }
    if (dialog.confirmName === null) {
      push(`New number of replicas: ${dialog.text}▏`);
    } else {
      push(`Scaling to 0 stops every task of ${dialog.name}.`, 'warn');
      push(`Type the service name to confirm: ${dialog.confirmName}▏`);
    }
    if (dialog.error) push(dialog.error, 'bad');
    else if (whatIf !== null) push(whatIf, whatIf.includes('pending') ? 'warn' : undefined);
    return {
      head: rows(`Scale ${dialog.name}`, 'title'),
      body,
      pinned: [],
      keys: keys(`[${label('prompt.cancel')}] Cancel   [${label('prompt.submit')}] Apply`),
      scroll: 0,
    };
  }
  if (dialog.kind === 'prompt') {
    const body = dialog.lines.map((line) => rows(line));
    body.push(rows(`${dialog.label}${dialog.text}▏`));
    if (dialog.error) body.push(rows(dialog.error, 'bad'));
    return {
      head: rows(dialog.title, 'title'),
      body,
      pinned: [],
      keys: keys(
        `[${label('prompt.cancel')}] Cancel   [${label('prompt.clear')}] Clear   [${label('prompt.submit')}] Show the change`,
      ),
      scroll: 0,
    };
  }
  const head = rows(dialog.title, 'title');
  // A removal is confirmed by typing its name: `n` is a letter of it, so only Esc cancels.
  const typing = dialog.typeToConfirm !== undefined;
  const cancel = `[${label(typing ? 'prompt.cancel' : 'confirm.no')}] Cancel`;
  if (dialog.error) {
    return {
      head,
      body: [rows(dialog.error, 'bad')],
      pinned: [],
      keys: keys(cancel),
      scroll: 0,
    };
  }
  if (dialog.request === null) {
    return {
      head,
      body: [rows('Inspecting the current state…')],
      pinned: [],
      keys: keys(cancel),
      scroll: 0,
    };
  }
  const pinned = dialog.warnings.map((warning) => rows(`⚠ ${warning}`, 'warn'));
  if (typing) {
    pinned.push(rows(`Type ${dialog.typeToConfirm} to confirm: ${dialog.typed ?? ''}▏`));
    if (dialog.typedError) pinned.push(rows(dialog.typedError, 'bad'));
  }
  return {
    head,
    body: dialog.lines.map((line) => rows(line)),
    pinned,
    keys: keys(
      typing
        ? `${cancel}   [${label('prompt.submit')}] Remove`
        : `${cancel}   [${label('confirm.yes')}] Confirm`,
    ),
    scroll: dialog.scroll,
  };
}

/** "j/k ↑/↓ PgUp/PgDn", from the confirm context's scroll keys. */
function scrollKeys(label: KeyLabel): string {
  const [down = '', downArrow = ''] = label('confirm.down').split('/');
  const [up = '', upArrow = ''] = label('confirm.up').split('/');
  return `${down}/${up} ${upArrow}/${downArrow} ${label('confirm.page-up')}/${label('confirm.page-down')}`;
}

const count = (entries: DialogRow[][]) => entries.reduce((sum, entry) => sum + entry.length, 0);

/** Every row the dialog has at `width`; the layout gives it that many (up to what fits). */
export function dialogLines(
  dialog: Dialog,
  width: number,
  services: SwarmService[],
  label: KeyLabel,
  whatIf: string | null = null,
): DialogRow[] {
  const p = parts(dialog, width, services, label, whatIf);
  return [...p.head, ...p.body.flat(), ...p.pinned.flat(), p.keys];
}

/**
 * The rows shown in `room` rows: all of them when they fit; otherwise the title and the keys stay,
 * the warnings too while there is room, and the lines scroll, with a row saying how many lines
 * are above and below and which keys scroll.
 */
export function dialogFrame(
  dialog: Dialog,
  width: number,
  room: number,
  services: SwarmService[],
  label: KeyLabel,
  whatIf: string | null = null,
): DialogRow[] {
  const p = parts(dialog, width, services, label, whatIf);
  const all = [...p.head, ...p.body.flat(), ...p.pinned.flat(), p.keys];
  if (all.length <= room) return all;
  // Warnings scroll with the lines when keeping them would leave no row for the lines.
  const keepPinned = room - p.head.length - count(p.pinned) - 2 >= 1;
  const scrolling = keepPinned ? p.body : [...p.body, ...p.pinned];
  const pinned = keepPinned ? p.pinned.flat() : [];
  const bodyRoom = Math.max(1, room - p.head.length - pinned.length - 2);
  const first = Math.min(p.scroll, Math.max(0, scrolling.length - 1));
  const above = count(scrolling.slice(0, first));
  const rest = scrolling.slice(first).flat();
  const shown = rest.slice(0, bodyRoom);
  const below = rest.length - shown.length;
  const where = [
    above > 0 ? `↑ ${above} line${above === 1 ? '' : 's'} above` : null,
    below > 0 ? `↓ ${below} more line${below === 1 ? '' : 's'}` : null,
  ].filter((part) => part !== null);
  const more: DialogRow = {
    text: sanitizeLine(
      `${where.join(' · ')}${where.length > 0 ? ' · ' : ''}${scrollKeys(label)} scroll`,
    ),
    tone: 'more',
  };
  const rows = [...p.head, ...shown, more, ...pinned, p.keys];
  // A room smaller than even that: the keys are the last thing to go.
  return rows.length <= room ? rows : [...rows.slice(0, Math.max(0, room - 1)), p.keys];
}
